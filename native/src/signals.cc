// Signal dispositions through the raw rt_sigaction syscall, the one routine behind exec, spawn and
// start-up: glibc's sigaction refuses its own signals 32 and 33, which must be reset before an exec
// (an ignored disposition survives execve) but must never be touched in a running threaded process.
#include "native.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace runit_native {

// The kernel's struct sigaction, opaque: all-zero means SIG_DFL, no flags, empty mask, on every arch.
static const size_t kKernelSigsetSize = 8;

static bool Settable(int sig) { return sig != SIGKILL && sig != SIGSTOP; }

void SetDispositions(uint64_t which, bool ignore) {
  KernelSigaction action;
  memset(&action, 0, sizeof action);
  if (ignore) action.words[0] = reinterpret_cast<unsigned long>(SIG_IGN);
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    if (Settable(sig) && (which & SignalBit(sig)))
      syscall(SYS_rt_sigaction, sig, &action, nullptr, kKernelSigsetSize);
  }
}

void SaveDispositions(KernelSigaction* saved) {
  for (int sig = 1; sig <= kMaxSignal; sig++)
    if (Settable(sig)) syscall(SYS_rt_sigaction, sig, nullptr, &saved[sig], kKernelSigsetSize);
}

void RestoreDispositions(const KernelSigaction* saved) {
  for (int sig = 1; sig <= kMaxSignal; sig++)
    if (Settable(sig)) syscall(SYS_rt_sigaction, sig, &saved[sig], nullptr, kKernelSigsetSize);
}

// setSignalDispositions(defaulted, ignored): each listed signal to SIG_DFL, then each to SIG_IGN.
static Napi::Value SetSignalDispositions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t masks[2] = {0, 0};
  for (int i = 0; i < 2; i++) {
    if (!info[i].IsArray()) {
      Napi::TypeError::New(env, "setSignalDispositions expects two arrays of signal numbers").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array list = info[i].As<Napi::Array>();
    for (uint32_t j = 0; j < list.Length(); j++) {
      int sig = list.Get(j).As<Napi::Number>().Int32Value();
      if (sig < 1 || sig > kMaxSignal || !Settable(sig)) return ThrowErrno(env, EINVAL, "rt_sigaction");
      masks[i] |= SignalBit(sig);
    }
  }
  SetDispositions(masks[0], false);
  SetDispositions(masks[1], true);
  return env.Undefined();
}

// signalDisposition(sig) -> 'default' | 'ignore' | 'handler'
static Napi::Value SignalDisposition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int sig = info[0].As<Napi::Number>().Int32Value();
  KernelSigaction current;
  if (syscall(SYS_rt_sigaction, sig, nullptr, &current, kKernelSigsetSize) < 0) return ThrowErrno(env, errno, "rt_sigaction");
  void* handler = reinterpret_cast<void*>(current.words[0]);
  const char* name = handler == reinterpret_cast<void*>(SIG_DFL) ? "default"
                     : handler == reinterpret_cast<void*>(SIG_IGN) ? "ignore"
                                                                   : "handler";
  return Napi::String::New(env, name);
}

void RegisterSignals(Napi::Env env, Napi::Object exports) {
  exports.Set("setSignalDispositions", Napi::Function::New(env, SetSignalDispositions, "setSignalDispositions"));
  exports.Set("signalDisposition", Napi::Function::New(env, SignalDisposition, "signalDisposition"));
}

}  // namespace runit_native
