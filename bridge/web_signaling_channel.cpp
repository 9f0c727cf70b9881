// Each open() gets a new object id; events of a socket the core replaced or closed are
// routed nowhere and so dropped.
#include "web_signaling_channel.hpp"

namespace vroom::bridge {

WebSignalingChannel::WebSignalingChannel(JsRuntime& runtime) : runtime_(runtime) {}

WebSignalingChannel::~WebSignalingChannel() {
  close(1000, "closed");
}

void WebSignalingChannel::open(const std::string& url) {
  close(1000, "replaced");
  id_ = runtime_.newObjectId("ws");
  const std::string id = id_;
  runtime_.listen(id, [this, id](const std::string& event, const emscripten::val& data) {
    if (event == "open") {
      triggerOpen();
    } else if (event == "message") {
      triggerMessage(data.as<std::string>());
    } else if (event == "close") {
      runtime_.unlisten(id);
      if (id_ == id) id_.clear();
      triggerClosed(data["code"].as<int>(), data["reason"].as<std::string>());
    }
  });
  runtime_.js().call<void>("wsOpen", id, url);
}

void WebSignalingChannel::send(const std::string& text) {
  if (!id_.empty()) runtime_.js().call<void>("wsSend", id_, text);
}

void WebSignalingChannel::close(int code, std::string_view reason) {
  if (id_.empty()) return;
  runtime_.unlisten(id_);
  runtime_.js().call<void>("wsClose", id_, code, std::string(reason));
  id_.clear();
}

}  // namespace vroom::bridge
