// libFuzzer entry for RoomRegistry: bytes become a script of connects, messages, drops,
// resumes, clock steps and drains from several clients; the registry must never crash, never
// talk to a sink it closed or disconnected, and never hold more queued bytes than its caps.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "room_registry.hpp"

using namespace vroom::server;

namespace {

constexpr int kClients = 6;

struct FuzzSink : ClientSink {
  bool open = false;  // between connect() and disconnect()/close()
  std::size_t backlog = 0;
  std::vector<std::string> tokens;  // resume tokens seen in welcome frames
  void send(const std::string& frame) override {
    if (!open) std::abort();  // the registry spoke to a sink it had let go
    backlog += frame.size();
    const auto at = frame.find("\"resumeToken\":\"");
    if (at != std::string::npos) {
      const auto start = at + 15;
      tokens.push_back(frame.substr(start, frame.find('"', start) - start));
    }
  }
  void close(int, std::string_view) override {
    if (!open) std::abort();
    open = false;
  }
  std::size_t backlogBytes() const override { return backlog; }
};

// Message templates: the fuzzer picks one and the peer it is about.
std::string message(std::uint8_t kind, const std::string& peer, const std::string& token,
                    std::uint8_t size) {
  const std::string room = "r" + std::to_string(kind % 3);
  const std::string blob(static_cast<std::size_t>(size) * 256, 'x');
  switch (kind % 12) {
    case 0:
      return R"({"type":"hello","version":1})";
    case 1:
      return R"({"type":"hello","version":1,"resumeToken":")" + token + "\"}";
    case 2:
      return R"({"type":"create","room":")" + room + R"(","name":"n","mode":"conference"})";
    case 3:
      return R"({"type":"create","room":")" + room + R"(","name":"n","mode":"broadcast"})";
    case 4:
      return R"({"type":"join","room":")" + room + R"(","name":"n"})";
    case 5:
      return R"({"type":"join","room":")" + room + R"(","name":"n","role":"viewer"})";
    case 6:
      return R"({"type":"signal","to":")" + peer + R"(","data":{"b":")" + blob + "\"}}";
    case 7:
      return R"({"type":"chat","text":"hi"})";
    case 8:
      return R"({"type":"media","media":{"audio":true,"video":false,"screen":false}})";
    case 9:
      return R"({"type":"leave"})";
    case 10:
      return R"({"type":"ping","ts":1})";
    default:
      return "{";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  RegistryConfig config;
  config.limits.messagesPerSecond = 20;
  config.burst = 10;
  config.floodCloseAfter = 15;
  config.maxQueuedWhileAway = 8;
  config.maxQueuedBytesPerPeer = 4096;
  config.maxQueuedBytesTotal = 10000;
  config.resumeWindow = std::chrono::milliseconds(2000);
  config.handshakeTimeout = std::chrono::milliseconds(1000);
  int nextId = 0;
  RoomRegistry registry(config, [&] { return "p" + std::to_string(nextId++ % 5); });
  std::array<FuzzSink, kClients> sinks;
  std::array<ConnectionId, kClients> conns{};
  std::vector<std::string> peers;
  TimePoint now{std::chrono::seconds(100)};

  for (std::size_t i = 0; i + 3 <= size; i += 3) {
    const std::uint8_t op = data[i], arg = data[i + 1], extra = data[i + 2];
    const int c = op % kClients;
    FuzzSink& sink = sinks[c];
    switch ((op / kClients) % 6) {
      case 0:  // (re)connect client c
        if (!sink.open) {
          sink.open = true;
          sink.backlog = 0;
          conns[c] = registry.connect(sink, now);
        }
        break;
      case 1:
      case 2: {  // a message
        if (!sink.open) break;
        const std::string peer = peers.empty() ? "p0" : peers[arg % peers.size()];
        std::string token;
        for (const auto& s : sinks)
          if (!s.tokens.empty()) token = s.tokens[(arg + extra) % s.tokens.size()];
        registry.receive(conns[c], message(arg, peer, token, extra), now);
        if (const auto id = registry.peerIdOf(conns[c])) peers.push_back(*id);
        break;
      }
      case 3:  // the socket drops
        if (sink.open) {
          sink.open = false;
          registry.disconnect(conns[c], now);
        }
        break;
      case 4:  // the reader catches up
        if (sink.open) {
          sink.backlog = 0;
          registry.drain(conns[c]);
        }
        break;
      default:  // time passes
        now += std::chrono::milliseconds(arg * 20);
        registry.expire(now);
        break;
    }
    if (registry.queuedBytes() > config.maxQueuedBytesTotal) std::abort();
    if (peers.size() > 64) peers.erase(peers.begin(), peers.begin() + 32);
  }
  for (std::size_t c = 0; c < kClients; ++c)
    if (sinks[c].open) registry.disconnect(conns[c], now);
  return 0;
}
