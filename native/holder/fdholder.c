/*
 * runit-ts-fdholder: holds copies of the service host's log pipes for runsvdir, so that a service's
 * log pipe still has a reader when runsvdir and the service host die together (kill -9, the OOM
 * killer). A service writing into a pipe without a reader gets SIGPIPE; with this process holding
 * the pipe it blocks once the pipe is full instead, as it would with a stopped svlogd, and the next
 * host adopts it and reads on (docs/decisions/0008-svlogd-hands-its-log-dirs-to-the-service-host.md).
 *
 * Usage: runit-ts-fdholder LINGER_SECONDS, with fd 3 a SOCK_SEQPACKET socket whose peer is runsvdir.
 * Each message is text, one command letter then ids separated by spaces:
 *   "+ID ID ..."  with one fd per id (SCM_RIGHTS): hold each, replacing what was held under its id
 *   "-ID ID ..."  close what is held under each id
 *   "."           runsvdir is ending in order: exit now
 * At end of file on fd 3 without ".", runsvdir died: everything is held LINGER_SECONDS more (time for
 * its successor to start and take the services over), then the process exits.
 *
 * Plain C, no allocation beyond one growing table, no threads; it only waits in poll().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONTROL_FD 3
#define MAX_FDS_PER_MESSAGE 64
#define MAX_MESSAGE 4096

struct held {
  unsigned long id;
  int fd;
};

static struct held *table;
static size_t used, size;

static void fail(const char *what) {
  fprintf(stderr, "runit-ts-fdholder: fatal: %s: %s\n", what, strerror(errno));
  exit(111);
}

static struct held *find(unsigned long id) {
  for (size_t i = 0; i < used; i++)
    if (table[i].id == id) return &table[i];
  return NULL;
}

static void release(unsigned long id) {
  struct held *entry = find(id);
  if (entry == NULL) return;
  close(entry->fd);
  *entry = table[--used];
}

static void hold(unsigned long id, int fd) {
  release(id);
  if (used == size) {
    size_t grown = size == 0 ? 64 : size * 2;
    struct held *bigger = realloc(table, grown * sizeof *table);
    if (bigger == NULL) {
      close(fd);
      errno = ENOMEM;
      fail("unable to hold another pipe");
    }
    table = bigger;
    size = grown;
  }
  table[used].id = id;
  table[used].fd = fd;
  used++;
}

/* Parses the next id in *text (after spaces); 0 when there is none. Ids start at 1. */
static unsigned long next_id(char **text) {
  char *end;
  while (**text == ' ') (*text)++;
  if (**text < '0' || **text > '9') return 0;
  unsigned long id = strtoul(*text, &end, 10);
  *text = end;
  return id;
}

/* Reads one message; returns 0 to go on, 1 at "." (exit now), -1 at end of file. */
static int take_message(void) {
  char data[MAX_MESSAGE + 1];
  union {
    char buffer[CMSG_SPACE(sizeof(int) * MAX_FDS_PER_MESSAGE)];
    struct cmsghdr align;
  } control;
  struct iovec iov = {data, MAX_MESSAGE};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buffer;
  msg.msg_controllen = sizeof control.buffer;
  ssize_t length = recvmsg(CONTROL_FD, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (length < 0) {
    if (errno == EINTR || errno == EAGAIN) return 0;
    fail("unable to read from runsvdir");
  }
  if (length == 0) return -1;
  data[length] = '\0';

  int fds[MAX_FDS_PER_MESSAGE];
  size_t fd_count = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n && fd_count < MAX_FDS_PER_MESSAGE; i++) memcpy(&fds[fd_count++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
  }

  char *text = data + 1;
  size_t given = 0;
  unsigned long id;
  switch (data[0]) {
    case '.':
      return 1;
    case '+':
      while ((id = next_id(&text)) != 0 && given < fd_count) hold(id, fds[given++]);
      break;
    case '-':
      while ((id = next_id(&text)) != 0) release(id);
      break;
  }
  while (given < fd_count) close(fds[given++]); /* fds without an id: not ours to keep */
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: runit-ts-fdholder linger-seconds\n");
    return 100;
  }
  int linger = atoi(argv[1]);

  /* as many pipes as the hard limit allows: one fd per hosted service */
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  /* no directory kept busy (an unmount of runsvdir's working directory must not fail for it) */
  if (chdir("/") != 0) fail("unable to change directory to /");
  /* a Ctrl-C or hangup of runsvdir's process group is runsvdir's to handle: it says "." when done */
  signal(SIGINT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);

  struct pollfd control = {CONTROL_FD, POLLIN, 0};
  for (;;) {
    int ready = poll(&control, 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      fail("poll");
    }
    int outcome = take_message();
    if (outcome == 1) return 0;
    if (outcome < 0) break;
  }
  /* runsvdir died: hold on for its successor; sleep() returns early only for a signal */
  unsigned int left = linger > 0 ? (unsigned int)linger : 0;
  while (left > 0) left = sleep(left);
  return 0;
}
