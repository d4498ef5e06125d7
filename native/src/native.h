// Shared declarations of the addon: one registration function per syscall group, and the errno thrower.
#pragma once
#include <napi.h>
#include <string>
#include <vector>

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

// Puts every signal back to its default disposition and empties the signal mask. Used before execve.
void ResetSignals();

}  // namespace runit_native
