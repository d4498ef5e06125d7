// execve: replaces the Node process with another program (same pid), with default signal state.
#include "native.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace runit_native {

// execve(file, argv, env): only returns by throwing. Node's handlers and mask are saved first and
// restored when the exec fails, so a failed exec leaves the process as it was. Node marks fds 0-2
// close-on-exec; the program must get them, so that flag is cleared for the exec (and restored).
static Napi::Value Execve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file;
  CStringArray argv, envp;
  if (!LoadCString(env, info[0], "execve", "file", &file) || !argv.Load(env, info[1], "execve", "argv") ||
      !envp.Load(env, info[2], "execve", "env"))
    return env.Undefined();
  sigset_t all, savedMask;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &savedMask);
  std::vector<KernelSigaction> saved(kMaxSignal + 1);
  SaveDispositions(saved.data());
  int stdioFlags[3];
  for (int fd = 0; fd < 3; fd++) {
    stdioFlags[fd] = fcntl(fd, F_GETFD);
    if (stdioFlags[fd] > 0) fcntl(fd, F_SETFD, stdioFlags[fd] & ~FD_CLOEXEC);
  }
  SetDispositions(kAllSignals, false);
  sigset_t empty;
  sigemptyset(&empty);
  pthread_sigmask(SIG_SETMASK, &empty, nullptr);
  execve(file.c_str(), argv.pointers.data(), envp.pointers.data());
  int err = errno;
  for (int fd = 0; fd < 3; fd++)
    if (stdioFlags[fd] > 0) fcntl(fd, F_SETFD, stdioFlags[fd]);
  pthread_sigmask(SIG_SETMASK, &all, nullptr);
  RestoreDispositions(saved.data());
  pthread_sigmask(SIG_SETMASK, &savedMask, nullptr);
  return ThrowErrno(env, err, "execve", file.c_str());
}

void RegisterExec(Napi::Env env, Napi::Object exports) {
  exports.Set("execve", Napi::Function::New(env, Execve, "execve"));
}

}  // namespace runit_native
