// SignalingChannel over the browser's WebSocket (via BrowserRuntime.wsOpen/wsSend/wsClose).
#pragma once

#include "js_runtime.hpp"
#include "signaling_channel.hpp"

namespace vroom::bridge {

class WebSignalingChannel final : public SignalingChannel {
 public:
  explicit WebSignalingChannel(JsRuntime& runtime);
  ~WebSignalingChannel() override;

  void open(const std::string& url) override;
  void send(const std::string& text) override;
  void close(int code, std::string_view reason) override;

 private:
  JsRuntime& runtime_;
  std::string id_;  // one id per opened socket, so events of a replaced socket are dropped
};

}  // namespace vroom::bridge
