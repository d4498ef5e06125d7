// Passing fds between processes, which Node cannot do: a SOCK_SEQPACKET socketpair, sendmsg with
// SCM_RIGHTS, and recvmsg with the sender's credentials (SCM_CREDENTIALS: filled in and checked by the
// kernel, so the receiver knows which process sent the message).
#include "native.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

namespace runit_native {

static const int kMaxFds = 64;
static const size_t kMaxMessage = 256 * 1024;

// socketPair() -> [a, b]: AF_UNIX SOCK_SEQPACKET, both close-on-exec; a receives each sender's credentials.
static Napi::Value SocketPair(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return ThrowErrno(env, errno, "socketpair");
  int on = 1;
  if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    int err = errno;
    close(sv[0]);
    close(sv[1]);
    return ThrowErrno(env, err, "setsockopt");
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, sv[0]));
  out.Set(1u, Napi::Number::New(env, sv[1]));
  return out;
}

// sendFds(fd, data, fds, peerPid): one message carrying `fds`, sent only when the socket's peer is
// the process peerPid made the pair in (SO_PEERCRED), never blocking.
static Napi::Value SendFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  Napi::Buffer<uint8_t> data = info[1].As<Napi::Buffer<uint8_t>>();
  Napi::Array list = info[2].As<Napi::Array>();
  pid_t peerPid = info[3].As<Napi::Number>().Int32Value();
  uint32_t count = list.Length();
  if (count > static_cast<uint32_t>(kMaxFds) || data.Length() == 0 || data.Length() > kMaxMessage)
    return ThrowErrno(env, EMSGSIZE, "sendmsg");
  struct ucred peer;
  socklen_t length = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) return ThrowErrno(env, errno, "getsockopt");
  if (peer.pid != peerPid) return ThrowErrno(env, EPERM, "getsockopt", nullptr, "the socket's peer is another process");

  struct iovec iov = {data.Data(), data.Length()};
  union {
    char buffer[CMSG_SPACE(sizeof(int) * kMaxFds)];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (count > 0) {
    msg.msg_control = control.buffer;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * count);
    int* fds = reinterpret_cast<int*>(CMSG_DATA(cmsg));
    for (uint32_t i = 0; i < count; i++) fds[i] = list.Get(i).As<Napi::Number>().Int32Value();
  }
  ssize_t sent;
  do {
    sent = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return ThrowErrno(env, errno, "sendmsg");
  return env.Undefined();
}

static void CloseAll(const std::vector<int>& fds) {
  for (int fd : fds) close(fd);
}

// receiveFds(fd) -> undefined when no message is waiting, null at end of file, else
// { data, fds, pid, uid, gid }: the fds arrive close-on-exec; pid, uid and gid are the sender's.
static Napi::Value ReceiveFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  std::vector<uint8_t> data(kMaxMessage);
  ReceivedMessage got;
  int err = ReceiveMessage(fd, data.data(), data.size(), kMaxFds, &got);
  if (err == EAGAIN) return env.Undefined();
  if (err != 0) return ThrowErrno(env, err, "recvmsg");
  std::vector<int>& fds = got.fds;
  if (got.truncated) {
    CloseAll(fds);
    return ThrowErrno(env, EMSGSIZE, "recvmsg");
  }
  if (got.size == 0 && fds.empty()) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("data", Napi::Buffer<uint8_t>::Copy(env, data.data(), got.size));
  Napi::Array list = Napi::Array::New(env, fds.size());
  for (size_t i = 0; i < fds.size(); i++) list.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fds[i]));
  out.Set("fds", list);
  out.Set("pid", Napi::Number::New(env, got.hasSender ? got.sender.pid : 0));
  out.Set("uid", Napi::Number::New(env, got.hasSender ? static_cast<double>(got.sender.uid) : -1));
  out.Set("gid", Napi::Number::New(env, got.hasSender ? static_cast<double>(got.sender.gid) : -1));
  return out;
}

void RegisterFdPass(Napi::Env env, Napi::Object exports) {
  exports.Set("socketPair", Napi::Function::New(env, SocketPair, "socketPair"));
  exports.Set("sendFds", Napi::Function::New(env, SendFds, "sendFds"));
  exports.Set("receiveFds", Napi::Function::New(env, ReceiveFds, "receiveFds"));
}

}  // namespace runit_native
