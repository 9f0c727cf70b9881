// socket.io v4 over a bare WebSocket (engine.io v4): "0{sid…}" open, "40" namespace connect
// answered by "40{sid}", events as 42[name, arg], server ping "2" answered with pong "3".
// The relay it talks to is bench/socketio_relay.mjs (join, joined, peer-joined, signal).
#include <nlohmann/json.hpp>

#include "protocol_client.hpp"

namespace vroom::bench {
namespace {

class SocketIoClient final : public ProtocolClient {
 public:
  SocketIoClient(std::size_t index, std::size_t roomSize, const std::string& roomPrefix)
      : roomSize_(roomSize), room_(roomPrefix + std::to_string(index / roomSize)) {}

  std::string target() const override { return "/socket.io/?EIO=4&transport=websocket"; }

  void onOpen(std::vector<std::string>&) override {}

  FrameKind onFrame(std::string_view frame, std::vector<std::string>& out) override {
    if (frame.starts_with(R"(42["signal")")) return FrameKind::Signal;
    if (frame == "2") {  // engine.io ping: an unanswered one closes the socket
      out.emplace_back("3");
      return FrameKind::Setup;
    }
    if (frame.starts_with("0{")) {  // engine.io open: connect to the main namespace
      out.emplace_back("40");
      return FrameKind::Setup;
    }
    if (frame.starts_with("40")) {  // namespace connected: the socket id is ours
      const auto body = nlohmann::json::parse(frame.substr(2), nullptr, false);
      if (!body.is_object() || !body.contains("sid") || !body["sid"].is_string()) {
        error_ = frame;
        return FrameKind::Error;
      }
      self_ = body["sid"].get<std::string>();
      out.push_back("42" + nlohmann::json::array({"join", room_}).dump());
      return FrameKind::Setup;
    }
    if (frame.starts_with("44")) {  // namespace connect error
      error_ = frame;
      return FrameKind::Error;
    }
    if (frame.starts_with("42")) {
      const auto event = nlohmann::json::parse(frame.substr(2), nullptr, false);
      if (!event.is_array() || event.size() < 2 || !event[0].is_string()) return FrameKind::Ignored;
      const std::string name = event[0].get<std::string>();
      if (name == "joined" && event[1].is_array()) {
        for (const auto& id : event[1])
          if (id.is_string()) mates_.push_back(id.get<std::string>());
        return FrameKind::Setup;
      }
      if (name == "peer-joined" && event[1].is_string()) {
        mates_.push_back(event[1].get<std::string>());
        return FrameKind::Setup;
      }
    }
    return FrameKind::Ignored;
  }

  bool ready() const override { return !self_.empty() && mates_.size() + 1 >= roomSize_; }
  std::size_t mateCount() const override { return mates_.size(); }

  std::string signalFrame(std::size_t mate, std::string_view payload) const override {
    return R"(42["signal",{"to":")" + mates_.at(mate) + R"(","data":)" + std::string(payload) +
           "}]";
  }

  std::string lastError() const override { return error_; }

 private:
  std::size_t roomSize_;
  std::string room_;
  std::string self_;
  std::vector<std::string> mates_;
  std::string error_;
};

}  // namespace

std::unique_ptr<ProtocolClient> makeSocketIoClient(std::size_t index, std::size_t roomSize,
                                                   const std::string& roomPrefix) {
  return std::make_unique<SocketIoClient>(index, roomSize, roomPrefix);
}

}  // namespace vroom::bench
