// spawn: vfork + execve with an fd map, cwd, session/process group and default signal state.
//
// Not posix_spawn: glibc's posix_spawn sets its internal signals (32, 33) to SIG_IGN in the child
// when the parent has handlers for them (every threaded process does), and an ignored disposition
// survives execve. Services must start with every signal at its default, so the child resets all
// dispositions itself with the raw syscall (signals.cc; glibc's sigaction refuses those two signals).
#include "native.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
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
  int park;                 // first fd above every source and target, used to park sources
  bool setsid;
  int pgid;                 // -1: leave the group alone
  const char* path;         // PATH to search when file has no '/', or nullptr
  char* scratch;            // buffer for PATH candidates, sized by the parent
};

static void CloseFrom(int lowest) {
  if (syscall(SYS_close_range, lowest, ~0U, 0) == 0) return;
  long max = sysconf(_SC_OPEN_MAX);
  for (int fd = lowest; fd < max; fd++) close(fd);
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

// Runs in the vfork child: async-signal-safe calls only, and it never returns.
__attribute__((noinline)) static void Child(const SpawnPlan* p, volatile int* err) {
  SetDispositions(kAllSignals, false);
  if (p->setsid && setsid() < 0) goto fail;
  if (p->pgid >= 0 && setpgid(0, p->pgid) < 0) goto fail;
  if (p->cwd && chdir(p->cwd) < 0) goto fail;
  for (int i = 0; i < p->nfds; i++)
    if (p->fds[i] >= 0 && dup2(p->fds[i], p->park + i) < 0) goto fail;
  for (int i = 0; i < p->nfds; i++) {
    if (p->fds[i] < 0) close(i);
    else if (dup2(p->park + i, i) < 0) goto fail;
  }
  CloseFrom(p->nfds);
  {
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
  }
  if (p->path) {
    *err = ExecSearch(p);
    _exit(127);
  }
  execve(p->file, p->argv, p->envp);
fail:
  *err = errno;
  _exit(127);
}

static int Run(SpawnPlan* plan, pid_t* out) {
  volatile int childErr = 0;
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = vfork();
  if (pid == 0) Child(plan, &childErr);
  int forkErr = pid < 0 ? errno : 0;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  if (forkErr) return forkErr;
  if (childErr != 0) {
    // The child reported its failure and exited: reap it here, before any SIGCHLD listener runs.
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return childErr;
  }
  *out = pid;
  return 0;
}

// spawn({ file, argv, env, cwd, fds, setsid, pgid, search }) -> pid
static Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "spawn expects an options object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  std::string file = o.Get("file").As<Napi::String>().Utf8Value();
  CStringArray argv, envp;
  if (!argv.Load(o.Get("argv").As<Napi::Array>()) || !envp.Load(o.Get("env").As<Napi::Array>())) {
    Napi::TypeError::New(env, "spawn: argv and env must be arrays of strings").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array fdArray = o.Get("fds").As<Napi::Array>();
  std::vector<int> fds;
  for (uint32_t i = 0; i < fdArray.Length(); i++) fds.push_back(fdArray.Get(i).As<Napi::Number>().Int32Value());
  Napi::Value cwdValue = o.Get("cwd");
  std::string cwd = cwdValue.IsString() ? cwdValue.As<Napi::String>().Utf8Value() : "";

  SpawnPlan plan;
  plan.file = file.c_str();
  plan.argv = argv.pointers.data();
  plan.envp = envp.pointers.data();
  plan.cwd = cwdValue.IsString() ? cwd.c_str() : nullptr;
  plan.fds = fds.data();
  plan.nfds = static_cast<int>(fds.size());
  plan.park = plan.nfds > 3 ? plan.nfds : 3;
  for (int fd : fds)
    if (fd >= plan.park) plan.park = fd + 1;
  plan.setsid = o.Get("setsid").ToBoolean().Value();
  plan.pgid = o.Get("pgid").As<Napi::Number>().Int32Value();

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
  int rc = Run(&plan, &pid);
  if (rc != 0) return ThrowErrno(env, rc, plan.path ? "spawnp" : "spawn", file.c_str());
  return Napi::Number::New(env, pid);
}

void RegisterSpawn(Napi::Env env, Napi::Object exports) {
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
}

}  // namespace runit_native
