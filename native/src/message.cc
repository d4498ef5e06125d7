// One message from an AF_UNIX socket, shared by the sd_notify bridge (socket.cc) and fd passing
// (fdpass.cc): recvmsg without waiting, the fds it carries (close-on-exec) and the sender's
// credentials as the kernel filled them in.
#include "native.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

namespace runit_native {

int ReceiveMessage(int fd, void* data, size_t size, size_t maxFds, ReceivedMessage* out) {
  std::vector<char> control(CMSG_SPACE(sizeof(int) * maxFds) + CMSG_SPACE(sizeof(struct ucred)));
  struct iovec iov = {data, size};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno == EWOULDBLOCK ? EAGAIN : errno;
  out->size = static_cast<size_t>(n);
  out->truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
  out->hasSender = false;
  out->fds.clear();
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_RIGHTS) {
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; i++) {
        int passed;
        memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof passed);
        out->fds.push_back(passed);
      }
    } else if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
      memcpy(&out->sender, CMSG_DATA(c), sizeof out->sender);
      out->hasSender = true;
    }
  }
  return 0;
}

}  // namespace runit_native
