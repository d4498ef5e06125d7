// Reaping: waitpid(-1, WNOHANG) until nothing is left.
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

void RegisterWait(Napi::Env env, Napi::Object exports) {
  exports.Set("waitAny", Napi::Function::New(env, WaitAny, "waitAny"));
}

}  // namespace runit_native
