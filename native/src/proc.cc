// Process state: session, reboot, sync, limits, ids, chroot, nice.
#include "native.h"

#include <errno.h>
#include <grp.h>
#include <math.h>
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
  std::string path;
  if (!LoadCString(info.Env(), info[0], "chroot", "path", &path)) return info.Env().Undefined();
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

void RegisterProc(Napi::Env env, Napi::Object exports) {
  exports.Set("setsid", Napi::Function::New(env, Setsid, "setsid"));
  exports.Set("reboot", Napi::Function::New(env, Reboot, "reboot"));
  exports.Set("sync", Napi::Function::New(env, Sync, "sync"));
  exports.Set("getrlimit", Napi::Function::New(env, Getrlimit, "getrlimit"));
  exports.Set("setrlimit", Napi::Function::New(env, Setrlimit, "setrlimit"));
  exports.Set("setgroups", Napi::Function::New(env, Setgroups, "setgroups"));
  exports.Set("setgid", Napi::Function::New(env, Setgid, "setgid"));
  exports.Set("setuid", Napi::Function::New(env, Setuid, "setuid"));
  exports.Set("chroot", Napi::Function::New(env, Chroot, "chroot"));
  exports.Set("nice", Napi::Function::New(env, Nice, "nice"));

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
