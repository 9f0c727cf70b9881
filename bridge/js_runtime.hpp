// The C++ end of bridge/web_runtime.js: calls into the page's BrowserRuntime, matches promise
// results back to their callbacks by request id, and routes events to the object they name.
// An object that unlistens (closed) gets nothing more: late events and results are dropped.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace vroom::bridge {

// A JS-side failure ({name, message}) as it arrives in C++.
struct JsError {
  std::string name;
  std::string message;
};
JsError jsError(const emscripten::val& value);

class JsRuntime {
 public:
  using ResultCallback = std::function<void(bool ok, const emscripten::val& value)>;
  using EventCallback = std::function<void(const std::string& event, const emscripten::val& data)>;

  explicit JsRuntime(emscripten::val runtime) : runtime_(std::move(runtime)) {}

  emscripten::val& js() { return runtime_; }

  // A fresh id for an object ("pc7", "ws2").
  std::string newObjectId(const char* prefix) { return prefix + std::to_string(++nextObject_); }

  // Calls runtime[method](requestId, args...); `done` runs once when the promise settles.
  template <class... Args>
  void request(const char* method, ResultCallback done, Args&&... args) {
    const std::uint64_t id = ++nextRequest_;
    pending_.emplace(id, std::move(done));
    runtime_.call<void>(method, static_cast<double>(id), std::forward<Args>(args)...);
  }

  void listen(const std::string& objectId, EventCallback callback) {
    listeners_[objectId] = std::move(callback);
  }
  void unlisten(const std::string& objectId) { listeners_.erase(objectId); }

  // Entry points from JS (bound on WebApp).
  void resolve(double requestId, bool ok, const emscripten::val& value);
  void deliver(const std::string& objectId, const std::string& event, const emscripten::val& data);

 private:
  emscripten::val runtime_;
  std::uint64_t nextRequest_ = 0;
  std::uint64_t nextObject_ = 0;
  std::unordered_map<std::uint64_t, ResultCallback> pending_;
  std::unordered_map<std::string, EventCallback> listeners_;
};

}  // namespace vroom::bridge
