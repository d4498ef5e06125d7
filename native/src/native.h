// Shared declarations of the addon: one registration function per syscall group, and the errno thrower.
#pragma once
#include <napi.h>
#include <cstdint>
#include <string>
#include <vector>
#include <sys/socket.h>

namespace runit_native {

// Throws the JS error built by the factory registered from TypeScript (an fs-style ErrnoException).
// `detail`, when given, ends the message (e.g. which argument was refused).
// Returns undefined so callers can `return ThrowErrno(...)`.
Napi::Value ThrowErrno(Napi::Env env, int err, const char* syscall, const char* path = nullptr,
                       const char* detail = nullptr);
void RegisterErrors(Napi::Env env, Napi::Object exports);

void RegisterSpawn(Napi::Env env, Napi::Object exports);
void RegisterWait(Napi::Env env, Napi::Object exports);
void RegisterFd(Napi::Env env, Napi::Object exports);
void RegisterLock(Napi::Env env, Napi::Object exports);
void RegisterProc(Napi::Env env, Napi::Object exports);
void RegisterExec(Napi::Env env, Napi::Object exports);
void RegisterSocket(Napi::Env env, Napi::Object exports);
void RegisterPoll(Napi::Env env, Napi::Object exports);
void RegisterPidfd(Napi::Env env, Napi::Object exports);

// Copies a JS string for C. A NUL byte inside would silently end the C string early, so it is refused
// instead: throws EINVAL for `syscall` naming `what` and returns false (also TypeError for a non-string).
bool LoadCString(Napi::Env env, Napi::Value value, const char* syscall, const char* what, std::string* out);

// Copies a JS array of strings into owned storage plus a NULL-terminated char* vector. Refuses (throws,
// returns false) what LoadCString refuses, naming the element as what[i].
struct CStringArray {
  std::vector<std::string> storage;
  std::vector<char*> pointers;
  bool Load(Napi::Env env, Napi::Value value, const char* syscall, const char* what);
};

// One message received from an AF_UNIX socket (message.cc).
struct ReceivedMessage {
  size_t size;
  std::vector<int> fds;  // close-on-exec; the caller owns them
  bool hasSender;
  struct ucred sender;   // pid, uid and gid of the sender, when hasSender
  bool truncated;        // the data or the fds did not fit
};
// recvmsg(fd) without waiting into data (size bytes), with room for maxFds fds: 0, or the errno
// (EAGAIN when nothing is queued).
int ReceiveMessage(int fd, void* data, size_t size, size_t maxFds, ReceivedMessage* out);

void RegisterSignals(Napi::Env env, Napi::Object exports);
void RegisterFdPass(Napi::Env env, Napi::Object exports);
void RegisterFsCredentials(Napi::Env env, Napi::Object exports);

// Signal dispositions, set with the raw syscall (signals.cc). Async-signal-safe: the vfork child uses them.
constexpr int kMaxSignal = 64;
constexpr uint64_t SignalBit(int sig) { return uint64_t{1} << (sig - 1); }
// Every signal but SIGKILL and SIGSTOP, glibc's internal 32 and 33 included: the state before an exec.
constexpr uint64_t kAllSignals = ~uint64_t{0};
// The kernel's struct sigaction, kept opaque (handler first; 8 words cover every layout).
struct KernelSigaction {
  unsigned long words[8];
};
// Sets each signal in `which` to SIG_DFL, or SIG_IGN when `ignore`.
void SetDispositions(uint64_t which, bool ignore);
// saved[sig] for sig 1..kMaxSignal: the array holds kMaxSignal + 1 entries.
void SaveDispositions(KernelSigaction* saved);
void RestoreDispositions(const KernelSigaction* saved);

}  // namespace runit_native
