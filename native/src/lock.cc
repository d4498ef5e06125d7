// flock: synchronous, and a blocking variant that waits on a libuv worker thread.
#include "native.h"

#include <errno.h>
#include <sys/file.h>

namespace runit_native {

static Napi::Value Flock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = info[0].As<Napi::Number>().Int32Value();
  int op = info[1].As<Napi::Number>().Int32Value();
  int rc;
  do {
    rc = flock(fd, op);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return ThrowErrno(env, errno, "flock");
  return env.Undefined();
}

class FlockWorker : public Napi::AsyncWorker {
 public:
  FlockWorker(Napi::Function cb, int fd, int op) : Napi::AsyncWorker(cb), fd_(fd), op_(op) {}
  void Execute() override {
    int rc;
    do {
      rc = flock(fd_, op_);
    } while (rc != 0 && errno == EINTR);
    err_ = rc == 0 ? 0 : errno;
  }
  void OnOK() override {
    Napi::Env env = Env();
    if (err_ == 0) {
      Callback().Call({env.Null()});
      return;
    }
    ThrowErrno(env, err_, "flock");
    Napi::Value error = env.GetAndClearPendingException().Value();
    Callback().Call({error});
  }

 private:
  int fd_, op_, err_ = 0;
};

// flockAsync(fd, op, callback(err))
static Napi::Value FlockAsync(const Napi::CallbackInfo& info) {
  int fd = info[0].As<Napi::Number>().Int32Value();
  int op = info[1].As<Napi::Number>().Int32Value();
  auto* worker = new FlockWorker(info[2].As<Napi::Function>(), fd, op);
  worker->Queue();
  return info.Env().Undefined();
}

void RegisterLock(Napi::Env env, Napi::Object exports) {
  exports.Set("flock", Napi::Function::New(env, Flock, "flock"));
  exports.Set("flockAsync", Napi::Function::New(env, FlockAsync, "flockAsync"));
  exports.Set("LOCK_SH", Napi::Number::New(env, LOCK_SH));
  exports.Set("LOCK_EX", Napi::Number::New(env, LOCK_EX));
  exports.Set("LOCK_NB", Napi::Number::New(env, LOCK_NB));
  exports.Set("LOCK_UN", Napi::Number::New(env, LOCK_UN));
}

}  // namespace runit_native
