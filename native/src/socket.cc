// AF_UNIX datagram sockets for the sd_notify bridge: bind one (a path, or "@name" in the abstract
// namespace) with SO_PASSCRED, and receive one datagram with its sender's credentials.
#include "native.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace runit_native {

// socket(AF_UNIX, SOCK_DGRAM, non-blocking, close-on-exec), SO_PASSCRED, bind. A leading '@' names the
// abstract namespace (systemd's NOTIFY_SOCKET convention): no file, gone with the last fd.
static Napi::Value BindDatagram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!LoadCString(env, info[0], "bind", "path", &path)) return env.Undefined();
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) return ThrowErrno(env, path.empty() ? EINVAL : ENAMETOOLONG, "bind", path.c_str());
  memcpy(addr.sun_path, path.data(), path.size());
  bool abstract = path[0] == '@';
  if (abstract) addr.sun_path[0] = '\0';
  socklen_t length = offsetof(struct sockaddr_un, sun_path) + path.size() + (abstract ? 0 : 1);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ThrowErrno(env, errno, "socket");
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0) {
    int e = errno;
    close(fd);
    return ThrowErrno(env, e, "setsockopt");
  }
  if (bind(fd, reinterpret_cast<struct sockaddr*>(&addr), length) != 0) {
    int e = errno;
    close(fd);
    return ThrowErrno(env, e, "bind", path.c_str());
  }
  return Napi::Number::New(env, fd);
}

// recvmsg without waiting: [data, pid, uid, gid], or undefined when nothing is queued. A datagram
// longer than maxBytes is cut. Descriptors passed along (SCM_RIGHTS) are closed: nothing keeps them.
static Napi::Value ReceiveDatagram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  size_t max = info[1].As<Napi::Number>().Uint32Value();
  std::vector<char> data(max > 0 ? max : 1);
  ReceivedMessage got;
  int err = ReceiveMessage(fd, data.data(), max, 16, &got);
  if (err == EAGAIN) return env.Undefined();
  if (err != 0) return ThrowErrno(env, err, "recvmsg");
  for (int passed : got.fds) close(passed);
  double pid = got.hasSender ? got.sender.pid : 0;
  double uid = got.hasSender ? static_cast<double>(got.sender.uid) : -1;
  double gid = got.hasSender ? static_cast<double>(got.sender.gid) : -1;
  Napi::Array out = Napi::Array::New(env, 4);
  out.Set(0u, Napi::Buffer<char>::Copy(env, data.data(), got.size));
  out.Set(1u, Napi::Number::New(env, pid));
  out.Set(2u, Napi::Number::New(env, uid));
  out.Set(3u, Napi::Number::New(env, gid));
  return out;
}

void RegisterSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("bindDatagram", Napi::Function::New(env, BindDatagram, "bindDatagram"));
  exports.Set("receiveDatagram", Napi::Function::New(env, ReceiveDatagram, "receiveDatagram"));
}

}  // namespace runit_native
