// Request/result and event routing between C++ seams and bridge/web_runtime.js.
#include "js_runtime.hpp"

namespace vroom::bridge {

JsError jsError(const emscripten::val& value) {
  JsError error;
  if (value.isNull() || value.isUndefined()) return {"Error", "unknown error"};
  if (value.typeOf().as<std::string>() == "object") {
    const emscripten::val name = value["name"];
    const emscripten::val message = value["message"];
    error.name = name.isString() ? name.as<std::string>() : "Error";
    error.message = message.isString() ? message.as<std::string>() : "";
  } else if (value.isString()) {
    error = {"Error", value.as<std::string>()};
  }
  return error;
}

void JsRuntime::resolve(double requestId, bool ok, const emscripten::val& value) {
  const auto it = pending_.find(static_cast<std::uint64_t>(requestId));
  if (it == pending_.end()) return;
  ResultCallback done = std::move(it->second);
  pending_.erase(it);
  done(ok, value);
}

void JsRuntime::deliver(const std::string& objectId, const std::string& event,
                        const emscripten::val& data) {
  const auto it = listeners_.find(objectId);
  if (it == listeners_.end()) return;   // closed or never registered: drop
  EventCallback callback = it->second;  // a copy: the callback may unlisten itself
  callback(event, data);
}

}  // namespace vroom::bridge
