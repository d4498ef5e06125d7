// Reaping: waitpid(-1, WNOHANG) until nothing is left, and whether any child is left.
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

// hasChildren() -> whether this process has any child, running or not yet reaped (nothing is reaped).
static Napi::Value HasChildren(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  siginfo_t child;
  int rc;
  do {
    rc = waitid(P_ALL, 0, &child, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) return Napi::Boolean::New(env, true);
  if (errno == ECHILD) return Napi::Boolean::New(env, false);
  return ThrowErrno(env, errno, "waitid");
}

void RegisterWait(Napi::Env env, Napi::Object exports) {
  exports.Set("waitAny", Napi::Function::New(env, WaitAny, "waitAny"));
  exports.Set("hasChildren", Napi::Function::New(env, HasChildren, "hasChildren"));
}

}  // namespace runit_native
