// Reaping: waitpid(-1, WNOHANG) until nothing is left, and waitpid on one pid.
#include "native.h"

#include <errno.h>
#include <sys/wait.h>

namespace runit_native {

// waitAny() -> [pid, status, pid, status, ...]; empty when no child has exited (or none exist).
static Napi::Value WaitAny(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      out.Set(n++, Napi::Number::New(env, pid));
      out.Set(n++, Napi::Number::New(env, status));
      continue;
    }
    if (pid == 0) break;
    if (errno == EINTR) continue;
    if (errno == ECHILD) break;
    return ThrowErrno(env, errno, "waitpid");
  }
  return out;
}

// waitPid(pid, nohang) -> status, or -1 when nohang and the child is still running.
static Napi::Value WaitPid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t want = info[0].As<Napi::Number>().Int32Value();
  bool nohang = info[1].ToBoolean().Value();
  int status = 0;
  pid_t pid;
  do {
    pid = waitpid(want, &status, nohang ? WNOHANG : 0);
  } while (pid < 0 && errno == EINTR);
  if (pid < 0) return ThrowErrno(env, errno, "waitpid");
  if (pid == 0) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, status);
}

void RegisterWait(Napi::Env env, Napi::Object exports) {
  exports.Set("waitAny", Napi::Function::New(env, WaitAny, "waitAny"));
  exports.Set("waitPid", Napi::Function::New(env, WaitPid, "waitPid"));
}

}  // namespace runit_native
