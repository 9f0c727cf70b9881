// PeerJS server (npm `peer`) protocol: the client picks its id in the upgrade URL, the server
// answers {"type":"OPEN"}, and {type:"OFFER", dst, payload} is relayed with `src` added.
// There are no rooms: mates are the other ids of the same block of four.
#include "protocol_client.hpp"

namespace vroom::bench {
namespace {

class PeerJsClient final : public ProtocolClient {
 public:
  PeerJsClient(std::size_t index, std::size_t roomSize, const std::string& roomPrefix)
      : id_(roomPrefix + std::to_string(index)) {
    const std::size_t first = index - index % roomSize;
    for (std::size_t i = first; i < first + roomSize; ++i)
      if (i != index) mates_.push_back(roomPrefix + std::to_string(i));
  }

  std::string target() const override {
    return "/peerjs?key=peerjs&id=" + id_ + "&token=tok" + id_;
  }

  void onOpen(std::vector<std::string>&) override {}

  FrameKind onFrame(std::string_view frame, std::vector<std::string>&) override {
    if (frame.find(R"("type":"OFFER")") != std::string_view::npos) return FrameKind::Signal;
    if (frame.find(R"("type":"OPEN")") != std::string_view::npos) {
      open_ = true;
      return FrameKind::Setup;
    }
    if (frame.find(R"("type":"ERROR")") != std::string_view::npos ||
        frame.find(R"("type":"ID-TAKEN")") != std::string_view::npos) {
      error_ = frame;
      return FrameKind::Error;
    }
    return FrameKind::Ignored;
  }

  bool ready() const override { return open_; }
  std::size_t mateCount() const override { return mates_.size(); }

  std::string signalFrame(std::size_t mate, std::string_view payload) const override {
    return R"({"type":"OFFER","dst":")" + mates_.at(mate) + R"(","payload":)" +
           std::string(payload) + "}";
  }

  std::string lastError() const override { return error_; }

 private:
  std::string id_;
  std::vector<std::string> mates_;
  bool open_ = false;
  std::string error_;
};

}  // namespace

std::unique_ptr<ProtocolClient> makePeerJsClient(std::size_t index, std::size_t roomSize,
                                                 const std::string& roomPrefix) {
  return std::make_unique<PeerJsClient>(index, roomSize, roomPrefix);
}

}  // namespace vroom::bench
