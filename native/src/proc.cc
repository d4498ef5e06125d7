// Process state: session, subreaper, parent-death signal, reboot, sync, limits, ids, chroot, nice, tty.
#include "native.h"

#include <errno.h>
#include <grp.h>
#include <math.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <unistd.h>

namespace runit_native {

static int32_t Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

static Napi::Value Setsid(const Napi::CallbackInfo& info) {
  pid_t sid = setsid();
  if (sid < 0) return ThrowErrno(info.Env(), errno, "setsid");
  return Napi::Number::New(info.Env(), sid);
}

static Napi::Value Setpgid(const Napi::CallbackInfo& info) {
  if (setpgid(Int(info, 0), Int(info, 1)) != 0) return ThrowErrno(info.Env(), errno, "setpgid");
  return info.Env().Undefined();
}

static Napi::Value Getpgid(const Napi::CallbackInfo& info) {
  pid_t pgid = getpgid(Int(info, 0));
  if (pgid < 0) return ThrowErrno(info.Env(), errno, "getpgid");
  return Napi::Number::New(info.Env(), pgid);
}

static Napi::Value Getsid(const Napi::CallbackInfo& info) {
  pid_t sid = getsid(Int(info, 0));
  if (sid < 0) return ThrowErrno(info.Env(), errno, "getsid");
  return Napi::Number::New(info.Env(), sid);
}

static Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, info[0].ToBoolean().Value() ? 1 : 0, 0, 0, 0) != 0)
    return ThrowErrno(info.Env(), errno, "prctl");
  return info.Env().Undefined();
}

static Napi::Value GetChildSubreaper(const Napi::CallbackInfo& info) {
  int value = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &value, 0, 0, 0) != 0) return ThrowErrno(info.Env(), errno, "prctl");
  return Napi::Boolean::New(info.Env(), value != 0);
}

static Napi::Value SetParentDeathSignal(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_PDEATHSIG, Int(info, 0), 0, 0, 0) != 0) return ThrowErrno(info.Env(), errno, "prctl");
  return info.Env().Undefined();
}

static Napi::Value Reboot(const Napi::CallbackInfo& info) {
  if (reboot(Int(info, 0)) != 0) return ThrowErrno(info.Env(), errno, "reboot");
  return info.Env().Undefined();
}

static Napi::Value Sync(const Napi::CallbackInfo& info) {
  sync();
  return info.Env().Undefined();
}

static double FromRlim(rlim_t v) { return v == RLIM_INFINITY ? INFINITY : static_cast<double>(v); }
static rlim_t ToRlim(double v) { return isinf(v) ? RLIM_INFINITY : static_cast<rlim_t>(v); }

// getrlimit(resource) -> [soft, hard], Infinity for RLIM_INFINITY.
static Napi::Value Getrlimit(const Napi::CallbackInfo& info) {
  struct rlimit r;
  if (getrlimit(Int(info, 0), &r) != 0) return ThrowErrno(info.Env(), errno, "getrlimit");
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Number::New(info.Env(), FromRlim(r.rlim_cur)));
  out.Set(1u, Napi::Number::New(info.Env(), FromRlim(r.rlim_max)));
  return out;
}

static Napi::Value Setrlimit(const Napi::CallbackInfo& info) {
  struct rlimit r;
  r.rlim_cur = ToRlim(info[1].As<Napi::Number>().DoubleValue());
  r.rlim_max = ToRlim(info[2].As<Napi::Number>().DoubleValue());
  if (setrlimit(Int(info, 0), &r) != 0) return ThrowErrno(info.Env(), errno, "setrlimit");
  return info.Env().Undefined();
}

static Napi::Value Setgroups(const Napi::CallbackInfo& info) {
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<gid_t> gids;
  for (uint32_t i = 0; i < arr.Length(); i++) gids.push_back(arr.Get(i).As<Napi::Number>().Uint32Value());
  if (setgroups(gids.size(), gids.data()) != 0) return ThrowErrno(info.Env(), errno, "setgroups");
  return info.Env().Undefined();
}

static Napi::Value Setgid(const Napi::CallbackInfo& info) {
  if (setgid(info[0].As<Napi::Number>().Uint32Value()) != 0) return ThrowErrno(info.Env(), errno, "setgid");
  return info.Env().Undefined();
}

static Napi::Value Setuid(const Napi::CallbackInfo& info) {
  if (setuid(info[0].As<Napi::Number>().Uint32Value()) != 0) return ThrowErrno(info.Env(), errno, "setuid");
  return info.Env().Undefined();
}

static Napi::Value Chroot(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  if (chroot(path.c_str()) != 0) return ThrowErrno(info.Env(), errno, "chroot", path.c_str());
  return info.Env().Undefined();
}

// nice(inc) -> new niceness. nice(2) may legitimately return -1, so errno decides.
static Napi::Value Nice(const Napi::CallbackInfo& info) {
  errno = 0;
  int value = nice(Int(info, 0));
  if (value == -1 && errno != 0) return ThrowErrno(info.Env(), errno, "nice");
  return Napi::Number::New(info.Env(), value);
}

static Napi::Value Tiocsctty(const Napi::CallbackInfo& info) {
  if (ioctl(Int(info, 0), TIOCSCTTY, info[1].ToBoolean().Value() ? 1 : 0) != 0)
    return ThrowErrno(info.Env(), errno, "ioctl");
  return info.Env().Undefined();
}

void RegisterProc(Napi::Env env, Napi::Object exports) {
  exports.Set("setsid", Napi::Function::New(env, Setsid, "setsid"));
  exports.Set("setpgid", Napi::Function::New(env, Setpgid, "setpgid"));
  exports.Set("getpgid", Napi::Function::New(env, Getpgid, "getpgid"));
  exports.Set("getsid", Napi::Function::New(env, Getsid, "getsid"));
  exports.Set("setChildSubreaper", Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
  exports.Set("getChildSubreaper", Napi::Function::New(env, GetChildSubreaper, "getChildSubreaper"));
  exports.Set("setParentDeathSignal", Napi::Function::New(env, SetParentDeathSignal, "setParentDeathSignal"));
  exports.Set("reboot", Napi::Function::New(env, Reboot, "reboot"));
  exports.Set("sync", Napi::Function::New(env, Sync, "sync"));
  exports.Set("getrlimit", Napi::Function::New(env, Getrlimit, "getrlimit"));
  exports.Set("setrlimit", Napi::Function::New(env, Setrlimit, "setrlimit"));
  exports.Set("setgroups", Napi::Function::New(env, Setgroups, "setgroups"));
  exports.Set("setgid", Napi::Function::New(env, Setgid, "setgid"));
  exports.Set("setuid", Napi::Function::New(env, Setuid, "setuid"));
  exports.Set("chroot", Napi::Function::New(env, Chroot, "chroot"));
  exports.Set("nice", Napi::Function::New(env, Nice, "nice"));
  exports.Set("tiocsctty", Napi::Function::New(env, Tiocsctty, "tiocsctty"));

  Napi::Object rb = Napi::Object::New(env);
  rb.Set("AUTOBOOT", Napi::Number::New(env, RB_AUTOBOOT));
  rb.Set("POWER_OFF", Napi::Number::New(env, RB_POWER_OFF));
  rb.Set("HALT_SYSTEM", Napi::Number::New(env, RB_HALT_SYSTEM));
  rb.Set("DISABLE_CAD", Napi::Number::New(env, RB_DISABLE_CAD));
  rb.Set("ENABLE_CAD", Napi::Number::New(env, RB_ENABLE_CAD));
  exports.Set("REBOOT", rb);

  Napi::Object rl = Napi::Object::New(env);
  rl.Set("AS", Napi::Number::New(env, RLIMIT_AS));
  rl.Set("CORE", Napi::Number::New(env, RLIMIT_CORE));
  rl.Set("CPU", Napi::Number::New(env, RLIMIT_CPU));
  rl.Set("DATA", Napi::Number::New(env, RLIMIT_DATA));
  rl.Set("FSIZE", Napi::Number::New(env, RLIMIT_FSIZE));
  rl.Set("MEMLOCK", Napi::Number::New(env, RLIMIT_MEMLOCK));
  rl.Set("NOFILE", Napi::Number::New(env, RLIMIT_NOFILE));
  rl.Set("NPROC", Napi::Number::New(env, RLIMIT_NPROC));
  rl.Set("RSS", Napi::Number::New(env, RLIMIT_RSS));
  rl.Set("STACK", Napi::Number::New(env, RLIMIT_STACK));
  exports.Set("RLIMIT", rl);
}

}  // namespace runit_native
