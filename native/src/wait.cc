// Reaping: waitpid(-1, WNOHANG) until nothing is left, or child by child; looking at a child's exit
// without reaping it (its pid stays taken); and whether any child is left.
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

// waitPids(pids) -> [pid, status, ...] for each of these children that has exited (each is reaped).
static Napi::Value WaitPids(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array pids = info[0].As<Napi::Array>();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (uint32_t i = 0; i < pids.Length(); i++) {
    pid_t want = pids.Get(i).As<Napi::Number>().Int32Value();
    if (want <= 0) continue;
    int status = 0;
    pid_t pid;
    do {
      pid = waitpid(want, &status, WNOHANG);
    } while (pid < 0 && errno == EINTR);
    if (pid > 0) {
      out.Set(n++, Napi::Number::New(env, pid));
      out.Set(n++, Napi::Number::New(env, status));
    } else if (pid < 0 && errno != ECHILD) {
      return ThrowErrno(env, errno, "waitpid");
    }
  }
  return out;
}

// The raw wait status waitpid would have given for what waitid reports.
static int WaitStatus(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return (info.si_status & 0xff) << 8;
  if (info.si_code == CLD_DUMPED) return (info.si_status & 0x7f) | 0x80;
  return info.si_status & 0x7f;
}

// peekExit(pid) -> [pid, status] once the child pid has exited, else []: nothing is reaped, so the
// pid stays taken (a zombie) until waitpid.
static Napi::Value PeekExit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t pid = info[0].As<Napi::Number>().Int32Value();
  Napi::Array out = Napi::Array::New(env);
  siginfo_t child;
  child.si_pid = 0;
  int rc;
  do {
    rc = waitid(P_PID, pid, &child, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno == ECHILD ? Napi::Value(out) : ThrowErrno(env, errno, "waitid");
  if (child.si_pid == 0) return out;
  out.Set(0u, Napi::Number::New(env, child.si_pid));
  out.Set(1u, Napi::Number::New(env, WaitStatus(child)));
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
  exports.Set("waitPids", Napi::Function::New(env, WaitPids, "waitPids"));
  exports.Set("peekExit", Napi::Function::New(env, PeekExit, "peekExit"));
  exports.Set("hasChildren", Napi::Function::New(env, HasChildren, "hasChildren"));
}

}  // namespace runit_native
