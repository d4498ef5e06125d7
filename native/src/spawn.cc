// spawn: vfork + execve with an fd map, cwd, session/process group, user and umask, and default signal
// state. A failure is thrown as an errno error whose `syscall` names the step that failed: vfork in the
// parent, or setsid, setpgid, setuid, chdir, dup2 or execve in the child (chdir and execve with their
// `path`).
//
// Not posix_spawn: glibc's posix_spawn sets its internal signals (32, 33) to SIG_IGN in the child
// when the parent has handlers for them (every threaded process does), and an ignored disposition
// survives execve. Services must start with every signal at its default, so the child resets all
// dispositions itself with the raw syscall (signals.cc; glibc's sigaction refuses those two signals).
#include "native.h"

#include <algorithm>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace runit_native {

struct SpawnPlan {
  const char* file;
  char* const* argv;
  char* const* envp;
  const char* cwd;          // nullptr: stay in the parent's cwd
  const int* fds;           // fds[i] -> child fd i, -1: closed
  int nfds;
  const int* keep;          // the sources of 3 and above, sorted, each once: kept while the rest close
  int nkeep;
  int* parked;              // nfds slots: where each source is parked above every target
  bool setsid;
  int pgid;                 // -1: leave the group alone
  long uid;                 // -1: keep this process's ids; else setgroups(groups), setgid(gid), setuid(uid)
  long gid;
  const gid_t* groups;
  int ngroups;
  int umask;                // -1: inherited
  const char* path;         // PATH to search when file has no '/', or nullptr
  char* scratch;            // buffer for PATH candidates, sized by the parent
  long openMax;             // sysconf(_SC_OPEN_MAX), taken by the parent: sysconf is not async-signal-safe
  const char* oomScoreAdj;  // written to /proc/self/oom_score_adj before the exec, or nullptr
  long fileLimit;           // the child's soft RLIMIT_NOFILE, or -1 to keep the parent's
};

// What failed, in the order the child does it; the parent turns it into the error's syscall.
enum Step { STEP_VFORK, STEP_SETSID, STEP_SETPGID, STEP_SETUID, STEP_CHDIR, STEP_DUP2, STEP_EXECVE };

// Written by the vfork child before it exits (the two share memory until then); err 0: it exec'd.
struct Failure {
  int err;
  Step step;
};

// Raw syscalls in the child: glibc's set*id wrappers signal every thread of the process, which a vfork
// child (sharing the parent's memory) must not do. 32-bit ids need the *32 syscalls where both exist.
#ifdef SYS_setresuid32
static const long kSetresuid = SYS_setresuid32, kSetresgid = SYS_setresgid32, kSetgroups = SYS_setgroups32;
#else
static const long kSetresuid = SYS_setresuid, kSetresgid = SYS_setresgid, kSetgroups = SYS_setgroups;
#endif

static bool SwitchUser(const SpawnPlan* p) {
  return syscall(kSetgroups, p->ngroups, p->groups) == 0 && syscall(kSetresgid, p->gid, p->gid, p->gid) == 0 &&
         syscall(kSetresuid, p->uid, p->uid, p->uid) == 0;
}

// The child's own OOM score adjustment (the parent's is inherited and may be lower): written once the
// fd table is small, so that the open cannot fail for want of an fd. A failure is ignored: the
// service starts with the inherited value rather than not at all.
static void SetOomScoreAdj(const char* value) {
  int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t ignored = write(fd, value, strlen(value));
  (void)ignored;
  close(fd);
}

static void CloseRange(int lowest, unsigned highest, long openMax) {
  if (syscall(SYS_close_range, lowest, highest, 0) == 0) return;
  for (long fd = lowest; fd < openMax && fd <= static_cast<long>(highest); fd++) close(static_cast<int>(fd));
}

static void CloseFrom(int lowest, long openMax) { CloseRange(lowest, ~0U, openMax); }

// Closes every fd from 3 up that is not a source: a parent near its fd limit leaves the child no free
// slot to park the sources in otherwise (runsvdir's service host holds thousands).
static void CloseAllBut(const int* keep, int nkeep, long openMax) {
  int from = 3;
  for (int k = 0; k < nkeep; k++) {
    if (keep[k] > from) CloseRange(from, static_cast<unsigned>(keep[k] - 1), openMax);
    from = keep[k] + 1;
  }
  CloseFrom(from, openMax);
}

// The child's own soft limit on open files (its parent may have raised its own): at most the hard one.
static void SetFileLimit(long soft) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = static_cast<rlim_t>(soft) < limit.rlim_max ? static_cast<rlim_t>(soft) : limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

// Tries each PATH element as execvp does: ENOENT/ENOTDIR/ESTALE move on, EACCES is remembered.
static int ExecSearch(const SpawnPlan* p) {
  size_t flen = strlen(p->file);
  bool sawAccess = false;
  const char* dir = p->path;
  for (;;) {
    const char* end = strchr(dir, ':');
    size_t dlen = end ? static_cast<size_t>(end - dir) : strlen(dir);
    char* out = p->scratch;
    if (dlen == 0) {
      *out++ = '.';
    } else {
      memcpy(out, dir, dlen);
      out += dlen;
    }
    *out++ = '/';
    memcpy(out, p->file, flen + 1);
    execve(p->scratch, p->argv, p->envp);
    if (errno == EACCES) sawAccess = true;
    else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE) return errno;
    if (!end) break;
    dir = end + 1;
  }
  return sawAccess ? EACCES : ENOENT;
}

// Runs in the vfork child: async-signal-safe calls only, and it never returns. The chdir comes before
// the fds are moved: cwd may be a path through one of them (/proc/self/fd/N/log).
__attribute__((noinline)) static void Child(const SpawnPlan* p, volatile Failure* failure) {
  Step step = STEP_SETSID;
  SetDispositions(kAllSignals, false);
  if (p->setsid && setsid() < 0) goto fail;
  step = STEP_SETPGID;
  if (p->pgid >= 0 && setpgid(0, p->pgid) < 0) goto fail;
  step = STEP_SETUID;
  if (p->uid >= 0 && !SwitchUser(p)) goto fail;
  if (p->umask >= 0) umask(static_cast<mode_t>(p->umask));
  step = STEP_CHDIR;
  if (p->cwd && chdir(p->cwd) < 0) goto fail;
  step = STEP_DUP2;
  CloseAllBut(p->keep, p->nkeep, p->openMax);
  // every source is copied above the targets first, so that a source that is also a target survives
  for (int i = 0; i < p->nfds; i++)
    if (p->fds[i] >= 0 && (p->parked[i] = fcntl(p->fds[i], F_DUPFD, p->nfds)) < 0) goto fail;
  for (int i = 0; i < p->nfds; i++) {
    if (p->fds[i] < 0) close(i);
    else if (dup2(p->parked[i], i) < 0) goto fail;
  }
  CloseFrom(p->nfds, p->openMax);
  if (p->oomScoreAdj) SetOomScoreAdj(p->oomScoreAdj);
  if (p->fileLimit >= 0) SetFileLimit(p->fileLimit);
  {
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
  }
  step = STEP_EXECVE;
  if (p->path) {
    failure->step = step;
    failure->err = ExecSearch(p);
    _exit(127);
  }
  execve(p->file, p->argv, p->envp);
fail:
  failure->step = step;
  failure->err = errno;
  _exit(127);
}

// Starts the child; on failure returns what failed (err 0: *out is the child's pid).
static Failure Run(SpawnPlan* plan, pid_t* out) {
  volatile Failure failure = {0, STEP_VFORK};
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = vfork();
  if (pid == 0) Child(plan, &failure);
  int forkErr = pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (forkErr) return {forkErr, STEP_VFORK};
  if (failure.err != 0) {
    // The child reported its failure and exited: reap it here, before any SIGCHLD listener runs.
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return {failure.err, failure.step};
  }
  *out = pid;
  return {0, STEP_VFORK};
}

static const char* StepName(Step step) {
  switch (step) {
    case STEP_VFORK: return "vfork";
    case STEP_SETSID: return "setsid";
    case STEP_SETPGID: return "setpgid";
    case STEP_SETUID: return "setuid";
    case STEP_CHDIR: return "chdir";
    case STEP_DUP2: return "dup2";
    case STEP_EXECVE: return "execve";
  }
  return "spawn";
}

// spawn({ file, argv, env, cwd, fds, setsid, pgid, search, uid, gid, groups, umask, oomScoreAdj, fileLimit }) -> pid
static Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "spawn expects an options object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  std::string file, cwd;
  CStringArray argv, envp;
  Napi::Value cwdValue = o.Get("cwd");
  bool hasCwd = !cwdValue.IsNull() && !cwdValue.IsUndefined();
  if (!LoadCString(env, o.Get("file"), "execve", "file", &file) || !argv.Load(env, o.Get("argv"), "execve", "argv") ||
      !envp.Load(env, o.Get("env"), "execve", "env") ||
      (hasCwd && !LoadCString(env, cwdValue, "chdir", "cwd", &cwd)))
    return env.Undefined();
  Napi::Array fdArray = o.Get("fds").As<Napi::Array>();
  std::vector<int> fds;
  for (uint32_t i = 0; i < fdArray.Length(); i++) fds.push_back(fdArray.Get(i).As<Napi::Number>().Int32Value());

  SpawnPlan plan;
  plan.file = file.c_str();
  plan.argv = argv.pointers.data();
  plan.envp = envp.pointers.data();
  plan.cwd = hasCwd ? cwd.c_str() : nullptr;
  plan.fds = fds.data();
  plan.nfds = static_cast<int>(fds.size());
  std::vector<int> keep;
  for (int fd : fds)
    if (fd >= 3) keep.push_back(fd);
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  plan.keep = keep.data();
  plan.nkeep = static_cast<int>(keep.size());
  std::vector<int> parked(fds.size(), -1);
  plan.parked = parked.data();
  plan.setsid = o.Get("setsid").ToBoolean().Value();
  plan.pgid = o.Get("pgid").As<Napi::Number>().Int32Value();
  std::vector<gid_t> groups;
  plan.uid = -1;
  plan.gid = -1;
  if (o.Get("uid").IsNumber()) {
    plan.uid = o.Get("uid").As<Napi::Number>().Uint32Value();
    plan.gid = o.Get("gid").As<Napi::Number>().Uint32Value();
    Napi::Array list = o.Get("groups").As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) groups.push_back(list.Get(i).As<Napi::Number>().Uint32Value());
  }
  plan.groups = groups.data();
  plan.ngroups = static_cast<int>(groups.size());
  plan.umask = o.Get("umask").IsNumber() ? static_cast<int>(o.Get("umask").As<Napi::Number>().Uint32Value() & 0777) : -1;
  plan.openMax = sysconf(_SC_OPEN_MAX);
  std::string oom;
  Napi::Value oomValue = o.Get("oomScoreAdj");
  if (oomValue.IsNumber()) oom = std::to_string(oomValue.As<Napi::Number>().Int32Value());
  plan.oomScoreAdj = oom.empty() ? nullptr : oom.c_str();
  Napi::Value fileLimit = o.Get("fileLimit");
  plan.fileLimit = fileLimit.IsNumber() ? static_cast<long>(fileLimit.As<Napi::Number>().DoubleValue()) : -1;

  std::string path, scratch;
  plan.path = nullptr;
  if (o.Get("search").ToBoolean().Value() && strchr(file.c_str(), '/') == nullptr) {
    const char* envPath = getenv("PATH");
    path = envPath ? envPath : "/bin:/usr/bin";
    scratch.resize(path.size() + file.size() + 3);
    plan.path = path.c_str();
  }
  plan.scratch = scratch.empty() ? nullptr : &scratch[0];

  pid_t pid = -1;
  Failure failure = Run(&plan, &pid);
  if (failure.err != 0) {
    const char* path = failure.step == STEP_CHDIR ? plan.cwd : failure.step == STEP_EXECVE ? plan.file : nullptr;
    return ThrowErrno(env, failure.err, StepName(failure.step), path);
  }
  return Napi::Number::New(env, pid);
}

void RegisterSpawn(Napi::Env env, Napi::Object exports) {
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
}

}  // namespace runit_native
