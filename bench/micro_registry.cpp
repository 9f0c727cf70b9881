// Micro-benchmarks of RoomRegistry without sockets: signal relay, chat fan-out and join/leave
// churn, each frame landing in a ClientSink that only counts.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "room_registry.hpp"

namespace {

using namespace vroom;
using namespace vroom::server;

class CountingSink final : public ClientSink {
 public:
  void send(const std::string& frame) override {
    ++frames;
    bytes += frame.size();
  }
  void close(int, std::string_view) override { ++closes; }
  std::size_t frames = 0;
  std::size_t bytes = 0;
  std::size_t closes = 0;
};

RegistryConfig benchConfig(std::size_t maxRoomSize) {
  RegistryConfig config;
  // Both buckets unlimited: the rate limiter is not what is measured, and a single sender
  // (one room, or chat from one member) would otherwise run out of byte budget within a
  // second and be refused, which SkipWithError below reports.
  config.limits.messagesPerSecond = 0;
  config.limits.bytesPerSecond = 0;
  config.limits.maxRoomSize = maxRoomSize;
  return config;
}

// A registry holding `rooms` conference rooms of `roomSize` hello'd, joined peers.
struct Fixture {
  Fixture(std::size_t rooms, std::size_t roomSize, std::size_t maxRoomSize = 0)
      : registry(benchConfig(maxRoomSize ? maxRoomSize : roomSize)) {
    const TimePoint now = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < rooms; ++r) {
      for (std::size_t i = 0; i < roomSize; ++i) {
        sinks.push_back(std::make_unique<CountingSink>());
        const ConnectionId id = registry.connect(*sinks.back(), now);
        conns.push_back(id);
        registry.receive(id, R"({"type":"hello","version":1})", now);
        registry.receive(id,
                         R"({"type":"join","room":"r)" + std::to_string(r) + R"(","name":"p)" +
                             std::to_string(i) + R"("})",
                         now);
        ids.push_back(*registry.peerIdOf(id));
      }
    }
  }
  std::size_t delivered() const {
    std::size_t n = 0;
    for (const auto& sink : sinks) n += sink->frames;
    return n;
  }
  RoomRegistry registry;
  std::vector<std::unique_ptr<CountingSink>> sinks;
  std::vector<ConnectionId> conns;
  std::vector<std::string> ids;
};

std::string payload() {
  return R"({"t":"00000000000000000000","p":")" + std::string(165, 'x') + "\"}";
}

// One signal in, one frame out: the relay benchmark's per-message server work minus sockets.
void BM_RegistrySignal(benchmark::State& state) {
  const auto rooms = static_cast<std::size_t>(state.range(0));
  Fixture f(rooms, 4);
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < f.conns.size(); ++i) {
    const std::size_t mate = i - i % 4 + (i + 1) % 4;
    frames.push_back(R"({"type":"signal","to":")" + f.ids[mate] + R"(","data":)" + payload() + "}");
  }
  const std::size_t before = f.delivered();
  const TimePoint now = std::chrono::steady_clock::now();
  std::size_t next = 0;
  for (auto _ : state) {
    f.registry.receive(f.conns[next], frames[next], now);
    if (++next == frames.size()) next = 0;
  }
  if (f.delivered() - before != static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("a signal was not delivered exactly once");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistrySignal)->Arg(1)->Arg(2500);

// Chat goes to everyone in the room, sender included: fan-out of roomSize frames.
void BM_RegistryChatFanOut(benchmark::State& state) {
  const auto roomSize = static_cast<std::size_t>(state.range(0));
  Fixture f(1, roomSize);
  const std::string chat = R"({"type":"chat","text":"hello everyone, can you hear me?"})";
  const std::size_t before = f.delivered();
  const TimePoint now = std::chrono::steady_clock::now();
  for (auto _ : state) f.registry.receive(f.conns[0], chat, now);
  if (f.delivered() - before != roomSize * static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("chat fan-out did not reach every member");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(roomSize));
}
BENCHMARK(BM_RegistryChatFanOut)->Arg(4)->Arg(16)->Arg(64);

// media fans out to the others only (peer-media).
void BM_RegistryMediaFanOut(benchmark::State& state) {
  const auto roomSize = static_cast<std::size_t>(state.range(0));
  Fixture f(1, roomSize);
  const std::string media =
      R"({"type":"media","media":{"audio":true,"video":false,"screen":false}})";
  const std::size_t before = f.delivered();
  const TimePoint now = std::chrono::steady_clock::now();
  for (auto _ : state) f.registry.receive(f.conns[0], media, now);
  if (f.delivered() - before != (roomSize - 1) * static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("media fan-out did not reach every other member");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(roomSize - 1));
}
BENCHMARK(BM_RegistryMediaFanOut)->Arg(4)->Arg(16);

// A fifth peer joins and leaves a room of four: joined, 4 peer-joined, left, 4 peer-left.
void BM_RegistryJoinLeave(benchmark::State& state) {
  Fixture g(static_cast<std::size_t>(state.range(0)), 4, 8);  // rooms of 4 with room for more
  CountingSink sink;
  const TimePoint now = std::chrono::steady_clock::now();
  const ConnectionId id = g.registry.connect(sink, now);
  g.registry.receive(id, R"({"type":"hello","version":1})", now);
  const std::string join = R"({"type":"join","room":"r0","name":"guest"})";
  const std::string leave = R"({"type":"leave"})";
  for (auto _ : state) {
    g.registry.receive(id, join, now);
    g.registry.receive(id, leave, now);
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_RegistryJoinLeave)->Arg(1)->Arg(2500);

// hello + join + disconnect of a fresh connection (the resume window keeps nothing when the
// peer left first): the per-connection setup cost of the registry.
void BM_RegistryConnectHelloJoinLeave(benchmark::State& state) {
  RoomRegistry registry(benchConfig(8));
  CountingSink sink;
  const TimePoint now = std::chrono::steady_clock::now();
  std::size_t n = 0;
  for (auto _ : state) {
    const ConnectionId id = registry.connect(sink, now);
    registry.receive(id, R"({"type":"hello","version":1})", now);
    registry.receive(
        id, R"({"type":"join","room":"q)" + std::to_string(n++ % 64) + R"(","name":"x"})", now);
    registry.receive(id, R"({"type":"leave"})", now);
    registry.disconnect(id, now);
  }
  if (registry.peerCount() != 0) state.SkipWithError("sessions leaked");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RegistryConnectHelloJoinLeave);

}  // namespace
