// A callback each time an fd becomes readable, from libuv's own loop (uv_poll): for fds that Node's
// streams cannot take, such as an AF_UNIX datagram socket. No thread, no busy loop.
#include "native.h"

#include <uv.h>

namespace runit_native {

struct Watch {
  uv_poll_t* handle = nullptr;  // freed by uv_close's callback
  Napi::FunctionReference callback;
};

static void Freed(uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); }

static void Stop(Watch* watch) {
  if (watch->handle != nullptr) {
    uv_poll_stop(watch->handle);
    watch->handle->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(watch->handle), Freed);
    watch->handle = nullptr;
  }
  watch->callback.Reset();
}

// The callback gets 0, or a negative libuv error code (the fd is then no longer watched).
static void Readable(uv_poll_t* handle, int status, int events) {
  Watch* watch = static_cast<Watch*>(handle->data);
  if (watch == nullptr || watch->callback.IsEmpty()) return;
  Napi::Env env = watch->callback.Env();
  Napi::HandleScope scope(env);
  if (status < 0) uv_poll_stop(handle);
  watch->callback.MakeCallback(env.Global(), {Napi::Number::New(env, status)});
  if (env.IsExceptionPending()) {
    Napi::Error error = env.GetAndClearPendingException();
    napi_fatal_exception(env, error.Value());
  }
}

// watchReadable(fd, callback) -> a handle for unwatch. The fd stays the caller's to close, after unwatch.
static Napi::Value WatchReadable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) return ThrowErrno(env, EINVAL, "uv_poll_init");
  Watch* watch = new Watch();
  watch->handle = new uv_poll_t();
  int rc = uv_poll_init(loop, watch->handle, fd);
  if (rc != 0) {
    delete watch->handle;
    delete watch;
    return ThrowErrno(env, -rc, "uv_poll_init");
  }
  watch->handle->data = watch;
  watch->callback = Napi::Persistent(info[1].As<Napi::Function>());
  rc = uv_poll_start(watch->handle, UV_READABLE, Readable);
  if (rc != 0) {
    Stop(watch);
    delete watch;
    return ThrowErrno(env, -rc, "uv_poll_start");
  }
  return Napi::External<Watch>::New(env, watch, [](Napi::Env, Watch* w) {
    Stop(w);
    delete w;
  });
}

static Napi::Value Unwatch(const Napi::CallbackInfo& info) {
  Stop(info[0].As<Napi::External<Watch>>().Data());
  return info.Env().Undefined();
}

void RegisterPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("watchReadable", Napi::Function::New(env, WatchReadable, "watchReadable"));
  exports.Set("unwatch", Napi::Function::New(env, Unwatch, "unwatch"));
}

}  // namespace runit_native
