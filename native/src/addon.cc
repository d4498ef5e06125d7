// Module entry point: registers each syscall group on the exports object.
#include "native.h"

namespace runit_native {

bool CStringArray::Load(Napi::Array arr) {
  uint32_t n = arr.Length();
  storage.clear();
  storage.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) return false;
    storage.push_back(v.As<Napi::String>().Utf8Value());
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
  RegisterSignals(env, exports);
  return exports;
}

}  // namespace runit_native

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return runit_native::Init(env, exports); }

NODE_API_MODULE(runit_native, InitModule)
