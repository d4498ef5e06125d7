// errno → JS error: TypeScript registers one factory at load time; C++ only calls it.
#include "native.h"

namespace runit_native {

struct AddonData {
  Napi::FunctionReference errnoFactory;
};

Napi::Value ThrowErrno(Napi::Env env, int err, const char* syscall, const char* path, const char* detail) {
  AddonData* data = env.GetInstanceData<AddonData>();
  if (data == nullptr || data->errnoFactory.IsEmpty()) {
    std::string msg = std::string(syscall) + " failed: errno " + std::to_string(err) + (detail ? std::string(": ") + detail : "");
    Napi::Error::New(env, msg).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Value pathValue = path ? Napi::Value(Napi::String::New(env, path)) : env.Undefined();
  Napi::Value detailValue = detail ? Napi::Value(Napi::String::New(env, detail)) : env.Undefined();
  Napi::Value error = data->errnoFactory.Call(
      {Napi::Number::New(env, err), Napi::String::New(env, syscall), pathValue, detailValue});
  if (env.IsExceptionPending()) return env.Undefined();
  Napi::Error(env, error).ThrowAsJavaScriptException();
  return env.Undefined();
}

static Napi::Value SetErrnoFactory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) {
    Napi::TypeError::New(env, "setErrnoFactory expects a function").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  AddonData* data = env.GetInstanceData<AddonData>();
  data->errnoFactory = Napi::Persistent(info[0].As<Napi::Function>());
  return env.Undefined();
}

void RegisterErrors(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<AddonData>(new AddonData());
  exports.Set("setErrnoFactory", Napi::Function::New(env, SetErrnoFactory, "setErrnoFactory"));
}

}  // namespace runit_native
