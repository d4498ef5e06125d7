// Module entry point: registers each syscall group on the exports object.
#include "native.h"

#include <errno.h>

namespace runit_native {

enum class Copied { Ok, NotAString, HasNul };

// A string is encoded as UTF-8; a Buffer (any Uint8Array) is taken byte for byte, so that bytes that are
// not UTF-8 (a file name, an environment value) reach the kernel as they came.
static Copied CopyCString(Napi::Value value, std::string* out) {
  if (value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    Napi::Uint8Array bytes = value.As<Napi::Uint8Array>();
    out->assign(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  } else if (value.IsString()) {
    *out = value.As<Napi::String>().Utf8Value();
  } else {
    return Copied::NotAString;
  }
  return out->find('\0') == std::string::npos ? Copied::Ok : Copied::HasNul;
}

static bool Refuse(Napi::Env env, Copied why, const char* syscall, const std::string& what) {
  if (why == Copied::NotAString)
    Napi::TypeError::New(env, std::string(syscall) + ": " + what + " must be a string or a Buffer").ThrowAsJavaScriptException();
  else
    ThrowErrno(env, EINVAL, syscall, nullptr, (what + " contains a NUL byte").c_str());
  return false;
}

bool LoadCString(Napi::Env env, Napi::Value value, const char* syscall, const char* what, std::string* out) {
  Copied result = CopyCString(value, out);
  return result == Copied::Ok || Refuse(env, result, syscall, what);
}

bool CStringArray::Load(Napi::Env env, Napi::Value value, const char* syscall, const char* what) {
  if (!value.IsArray()) {
    Napi::TypeError::New(env, std::string(syscall) + ": " + what + " must be an array of strings or Buffers").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Array arr = value.As<Napi::Array>();
  uint32_t n = arr.Length();
  storage.assign(n, std::string());
  for (uint32_t i = 0; i < n; i++) {
    Copied result = CopyCString(arr.Get(i), &storage[i]);
    if (result != Copied::Ok) return Refuse(env, result, syscall, std::string(what) + "[" + std::to_string(i) + "]");
  }
  pointers.clear();
  for (auto& s : storage) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return true;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  RegisterErrors(env, exports);
  RegisterSpawn(env, exports);
  RegisterWait(env, exports);
  RegisterFd(env, exports);
  RegisterLock(env, exports);
  RegisterProc(env, exports);
  RegisterExec(env, exports);
  RegisterSocket(env, exports);
  RegisterPoll(env, exports);
  RegisterPidfd(env, exports);
  RegisterSignals(env, exports);
  RegisterFdPass(env, exports);
  RegisterFsCredentials(env, exports);
  return exports;
}

}  // namespace runit_native

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return runit_native::Init(env, exports); }

NODE_API_MODULE(runit_native, InitModule)
