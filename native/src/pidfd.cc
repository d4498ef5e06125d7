// Processes this one did not start: pidfd_open, pidfd_send_signal and a poll of pidfds for their exit
// (a service left by a service host that died), and PR_SET_CHILD_SUBREAPER, which makes such orphans
// this process's children instead of PID 1's, so that their exit status stays in the tree.
#include "native.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace runit_native {

static int32_t Int(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

// pidfdOpen(pid) -> fd (close-on-exec). ESRCH once the process is gone (a zombie still has one).
static Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
  long fd = syscall(SYS_pidfd_open, Int(info, 0), 0);
  if (fd < 0) return ThrowErrno(info.Env(), errno, "pidfd_open");
  return Napi::Number::New(info.Env(), static_cast<double>(fd));
}

// pidfdSendSignal(fd, signo): ESRCH once the process has exited, whoever has its pid since.
static Napi::Value PidfdSendSignal(const Napi::CallbackInfo& info) {
  if (syscall(SYS_pidfd_send_signal, Int(info, 0), Int(info, 1), nullptr, 0) != 0)
    return ThrowErrno(info.Env(), errno, "pidfd_send_signal");
  return info.Env().Undefined();
}

// pidfdsExited([fd, ...]) -> [bool, ...]: which processes have exited (a pidfd polls readable then).
// Never waits.
static Napi::Value PidfdsExited(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array fds = info[0].As<Napi::Array>();
  uint32_t n = fds.Length();
  std::vector<struct pollfd> polled(n);
  for (uint32_t i = 0; i < n; i++) polled[i] = {fds.Get(i).As<Napi::Number>().Int32Value(), POLLIN, 0};
  int rc;
  do {
    rc = poll(polled.data(), n, 0);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return ThrowErrno(env, errno, "poll");
  Napi::Array out = Napi::Array::New(env, n);
  for (uint32_t i = 0; i < n; i++) out.Set(i, Napi::Boolean::New(env, (polled[i].revents & (POLLIN | POLLHUP | POLLNVAL)) != 0));
  return out;
}

static Napi::Value SetChildSubreaper(const Napi::CallbackInfo& info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return ThrowErrno(info.Env(), errno, "prctl");
  return info.Env().Undefined();
}

void RegisterPidfd(Napi::Env env, Napi::Object exports) {
  exports.Set("pidfdOpen", Napi::Function::New(env, PidfdOpen, "pidfdOpen"));
  exports.Set("pidfdSendSignal", Napi::Function::New(env, PidfdSendSignal, "pidfdSendSignal"));
  exports.Set("pidfdsExited", Napi::Function::New(env, PidfdsExited, "pidfdsExited"));
  exports.Set("setChildSubreaper", Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
}

}  // namespace runit_native
