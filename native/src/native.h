// Shared declarations of the addon: one registration function per syscall group, and the errno thrower.
#pragma once
#include <napi.h>
#include <string>
#include <vector>

namespace runit_native {

// Throws the JS error built by the factory registered from TypeScript (an fs-style ErrnoException).
// Returns undefined so callers can `return ThrowErrno(...)`.
Napi::Value ThrowErrno(Napi::Env env, int err, const char* syscall, const char* path = nullptr);
void RegisterErrors(Napi::Env env, Napi::Object exports);

void RegisterSpawn(Napi::Env env, Napi::Object exports);
void RegisterWait(Napi::Env env, Napi::Object exports);
void RegisterFd(Napi::Env env, Napi::Object exports);
void RegisterLock(Napi::Env env, Napi::Object exports);
void RegisterProc(Napi::Env env, Napi::Object exports);
void RegisterExec(Napi::Env env, Napi::Object exports);

// Copies a JS array of strings into owned storage plus a NULL-terminated char* vector.
struct CStringArray {
  std::vector<std::string> storage;
  std::vector<char*> pointers;
  bool Load(Napi::Array arr);
};

// Puts every signal back to its default disposition and empties the signal mask. Used before execve.
void ResetSignals();

}  // namespace runit_native
