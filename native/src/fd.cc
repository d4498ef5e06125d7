// File descriptors: pipe2, mkfifo, dup2, O_NONBLOCK and FD_CLOEXEC, and O_PATH (absent from Node's constants).
#include "native.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace runit_native {

static Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ThrowErrno(env, errno, "pipe2");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, fds[0]));
  out.Set(1u, Napi::Number::New(env, fds[1]));
  return out;
}

static Napi::Value Mkfifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!LoadCString(env, info[0], "mkfifo", "path", &path)) return env.Undefined();
  mode_t mode = info[1].As<Napi::Number>().Uint32Value();
  if (mkfifo(path.c_str(), mode) != 0) return ThrowErrno(env, errno, "mkfifo", path.c_str());
  return env.Undefined();
}

// dup2 leaves the new fd without FD_CLOEXEC, as the syscall does.
static Napi::Value Dup2(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int from = info[0].As<Napi::Number>().Int32Value();
  int to = info[1].As<Napi::Number>().Int32Value();
  if (dup2(from, to) < 0) return ThrowErrno(env, errno, "dup2");
  return env.Undefined();
}

static Napi::Value FlagChange(const Napi::CallbackInfo& info, int getCmd, int setCmd, int bit) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  int flags = fcntl(fd, getCmd);
  if (flags < 0) return ThrowErrno(env, errno, "fcntl");
  if (info.Length() < 2) return Napi::Boolean::New(env, (flags & bit) != 0);
  int next = info[1].ToBoolean().Value() ? (flags | bit) : (flags & ~bit);
  if (next != flags && fcntl(fd, setCmd, next) < 0) return ThrowErrno(env, errno, "fcntl");
  return Napi::Boolean::New(env, (next & bit) != 0);
}

// nonBlock(fd) reads O_NONBLOCK; nonBlock(fd, on) sets it. Same shape for cloexec.
static Napi::Value NonBlock(const Napi::CallbackInfo& info) { return FlagChange(info, F_GETFL, F_SETFL, O_NONBLOCK); }
static Napi::Value Cloexec(const Napi::CallbackInfo& info) { return FlagChange(info, F_GETFD, F_SETFD, FD_CLOEXEC); }

void RegisterFd(Napi::Env env, Napi::Object exports) {
  exports.Set("pipe", Napi::Function::New(env, Pipe, "pipe"));
  exports.Set("mkfifo", Napi::Function::New(env, Mkfifo, "mkfifo"));
  exports.Set("dup2", Napi::Function::New(env, Dup2, "dup2"));
  exports.Set("nonBlock", Napi::Function::New(env, NonBlock, "nonBlock"));
  exports.Set("cloexec", Napi::Function::New(env, Cloexec, "cloexec"));
  exports.Set("O_PATH", Napi::Number::New(env, O_PATH));
}

}  // namespace runit_native
