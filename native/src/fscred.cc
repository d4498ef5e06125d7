// One synchronous JS call made with another user's file-system rights: setfsuid, setfsgid and the
// supplementary groups of the calling thread only (glibc's setgroups would change every thread of the
// process, so the raw syscall), and the process's umask, all put back afterwards. The kernel then
// checks every open, rename and unlink of that call as it would for that user's own process.
#include "native.h"

#include <errno.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace runit_native {

// 32-bit ids need the *32 syscalls where both exist (arm, i386); elsewhere the plain ones take them.
#ifdef SYS_setgroups32
static const long kSetgroups = SYS_setgroups32;
static const long kGetgroups = SYS_getgroups32;
#else
static const long kSetgroups = SYS_setgroups;
static const long kGetgroups = SYS_getgroups;
#endif

static bool inside = false;

static void RestoreRoot(const std::vector<gid_t>& groups, mode_t mask) {
  umask(mask);
  setfsuid(geteuid());
  setfsgid(getegid());
  syscall(kSetgroups, groups.size(), groups.data());
}

// withFsCredentials(uid, gid, groups, umask, fn) -> fn's result. A nested call just calls fn.
static Napi::Value WithFsCredentials(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uid_t uid = info[0].As<Napi::Number>().Uint32Value();
  gid_t gid = info[1].As<Napi::Number>().Uint32Value();
  Napi::Array list = info[2].As<Napi::Array>();
  mode_t mask = info[3].As<Napi::Number>().Uint32Value() & 0777;
  Napi::Function work = info[4].As<Napi::Function>();
  if (inside) return work.Call({});

  long count = syscall(kGetgroups, 0, nullptr);
  if (count < 0) return ThrowErrno(env, errno, "getgroups");
  std::vector<gid_t> saved(static_cast<size_t>(count));
  if (count > 0 && syscall(kGetgroups, count, saved.data()) < 0) return ThrowErrno(env, errno, "getgroups");
  std::vector<gid_t> groups;
  for (uint32_t i = 0; i < list.Length(); i++) groups.push_back(list.Get(i).As<Napi::Number>().Uint32Value());

  if (syscall(kSetgroups, groups.size(), groups.data()) != 0) return ThrowErrno(env, errno, "setgroups");
  mode_t oldMask = umask(mask);
  // setfsuid and setfsgid report nothing: asking again with an invalid id returns the one in force.
  setfsgid(gid);
  if (static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1))) != gid) {
    RestoreRoot(saved, oldMask);
    return ThrowErrno(env, EPERM, "setfsgid");
  }
  setfsuid(uid);
  if (static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1))) != uid) {
    RestoreRoot(saved, oldMask);
    return ThrowErrno(env, EPERM, "setfsuid");
  }
  inside = true;
  Napi::Value result = work.Call({});
  inside = false;
  RestoreRoot(saved, oldMask);
  return result;
}

void RegisterFsCredentials(Napi::Env env, Napi::Object exports) {
  exports.Set("withFsCredentials", Napi::Function::New(env, WithFsCredentials, "withFsCredentials"));
}

}  // namespace runit_native
