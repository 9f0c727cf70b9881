// vroom's own protocol (docs/protocol.md): hello, join a room of four, learn the mates' peer
// ids from `joined` and `peer-joined`, then `signal {to, data}`.
#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "protocol_client.hpp"

namespace vroom::bench {
namespace {

class VroomClient final : public ProtocolClient {
 public:
  VroomClient(std::size_t index, std::size_t roomSize, const std::string& roomPrefix)
      : index_(index), roomSize_(roomSize), room_(roomPrefix + std::to_string(index / roomSize)) {}

  std::string target() const override { return "/ws"; }

  void onOpen(std::vector<std::string>& out) override {
    out.push_back(R"({"type":"hello","version":1})");
  }

  FrameKind onFrame(std::string_view frame, std::vector<std::string>& out) override {
    // Hot path first: the server writes keys in sorted order, so "type" comes last.
    if (frame.find(R"("type":"signal")") != std::string_view::npos) return FrameKind::Signal;
    const auto message = nlohmann::json::parse(frame, nullptr, false);
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string())
      return FrameKind::Ignored;
    const std::string type = message["type"].get<std::string>();
    if (type == "welcome") {
      const auto& limits = message.value("limits", nlohmann::json::object());
      messagesPerSecond_ = limits.value("messagesPerSecond", 0.0);
      bytesPerSecond_ = limits.value("bytesPerSecond", 0.0);
      out.push_back(nlohmann::json{
          {"type", "join"}, {"room", room_}, {"name", "bench-" + std::to_string(index_)}}
                        .dump());
    } else if (type == "joined") {
      const auto& members = message.value("members", nlohmann::json::array());
      if (members.is_array())
        for (const auto& member : members) addMate(member);
    } else if (type == "peer-joined") {
      if (message.contains("peer")) addMate(message["peer"]);
    } else if (type == "error") {
      error_ = frame;
      return FrameKind::Error;
    } else {
      return FrameKind::Ignored;
    }
    return FrameKind::Setup;
  }

  bool ready() const override { return mates_.size() + 1 >= roomSize_; }
  std::size_t mateCount() const override { return mates_.size(); }

  std::string signalFrame(std::size_t mate, std::string_view payload) const override {
    return R"({"type":"signal","to":")" + mates_.at(mate) + R"(","data":)" + std::string(payload) +
           "}";
  }

  std::string lastError() const override { return error_; }

  // What `welcome` announced; 0 is no limit.
  double allowedPerSecond(std::size_t frameBytes) const override {
    double rate = std::numeric_limits<double>::infinity();
    if (messagesPerSecond_ > 0) rate = std::min(rate, messagesPerSecond_);
    if (bytesPerSecond_ > 0 && frameBytes > 0)
      rate = std::min(rate, bytesPerSecond_ / static_cast<double>(frameBytes));
    return rate;
  }

 private:
  void addMate(const nlohmann::json& peer) {
    if (peer.is_object() && peer.contains("id") && peer["id"].is_string())
      mates_.push_back(peer["id"].get<std::string>());
  }

  std::size_t index_;
  std::size_t roomSize_;
  std::string room_;
  std::vector<std::string> mates_;
  std::string error_;
  double messagesPerSecond_ = 0;
  double bytesPerSecond_ = 0;
};

}  // namespace

std::unique_ptr<ProtocolClient> makeVroomClient(std::size_t index, std::size_t roomSize,
                                                const std::string& roomPrefix) {
  return std::make_unique<VroomClient>(index, roomSize, roomPrefix);
}

}  // namespace vroom::bench
