// Micro-benchmarks of the shared protocol code: decode and encode of the frames the server
// handles most (signal above all), with the 200-byte payload of the relay benchmark.
#include <benchmark/benchmark.h>

#include <string>

#include "payload.hpp"
#include "protocol.hpp"
#include "protocol_scan.hpp"

namespace {

using namespace vroom::protocol;

const std::string kPeerId = "0123456789abcdef0123456789abcdef";

nlohmann::json signalData() {
  // An ICE candidate of typical size: ~200 bytes of JSON once encoded.
  return nlohmann::json{{"type", "candidate"},
                        {"candidate",
                         "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr "
                         "10.0.0.2 rport 46154 generation 0 ufrag sE9a network-cost 999"},
                        {"sdpMid", "0"},
                        {"sdpMLineIndex", 0}};
}

void BM_DecodeSignal(benchmark::State& state) {
  const std::string text = encode(Signal{kPeerId, "", signalData()});
  for (auto _ : state) {
    auto result = decode(text, Sender::Client);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_DecodeSignal);

void BM_EncodeSignal(benchmark::State& state) {
  const Signal signal{"", kPeerId, signalData()};
  for (auto _ : state) {
    std::string text = encode(signal);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_EncodeSignal);

// The server's whole per-signal protocol work: decode the client's frame, re-encode for the
// target with `from` stamped.
void BM_RelaySignalRoundTrip(benchmark::State& state) {
  const std::string text = encode(Signal{kPeerId, "", signalData()});
  for (auto _ : state) {
    auto decoded = decode(text, Sender::Client);
    auto& signal = std::get<Signal>(decoded.value());
    signal.from = kPeerId;
    signal.to.clear();
    std::string out = encode(signal);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RelaySignalRoundTrip);

// What the server runs on every client frame (protocol_scan.hpp): validate, find the envelope.
void BM_ScanSignal(benchmark::State& state) {
  const std::string text = encode(Signal{kPeerId, "", signalData()});
  for (auto _ : state) {
    auto result = scanClient(text, Limits{});
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanSignal);

// The abuse run's heavy signal: 64 KB of arrays nested to the depth cap, the costliest frame
// the limits let a client send (one a second, by the default byte rate).
void BM_ScanHeavySignal(benchmark::State& state) {
  const std::string text = R"({"type":"signal","to":")" + kPeerId + R"(","data":)" +
                           vroom::bench::makeHeavyData(Limits{}.maxMessageBytes - 128) + "}";
  for (auto _ : state) {
    auto result = scanClient(text, Limits{});
    if (!result.ok()) state.SkipWithError("the heavy signal was refused");
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanHeavySignal);

void BM_DecodeHello(benchmark::State& state) {
  const std::string text = R"({"type":"hello","version":1})";
  for (auto _ : state) {
    auto result = decode(text, Sender::Client);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DecodeHello);

void BM_DecodeChat(benchmark::State& state) {
  Chat chat;
  chat.text.assign(static_cast<std::size_t>(state.range(0)), 'a');
  const std::string text = encode(chat);
  for (auto _ : state) {
    auto result = decode(text, Sender::Client);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DecodeChat)->Arg(16)->Arg(1000);

void BM_EncodeJoined(benchmark::State& state) {
  Joined joined;
  joined.self = PeerInfo{kPeerId, "Ann", Role::Member, {}};
  joined.room = "standup";
  for (int i = 0; i < state.range(0); ++i)
    joined.members.push_back(PeerInfo{kPeerId, "Peer " + std::to_string(i), Role::Member, {}});
  for (auto _ : state) {
    std::string text = encode(joined);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_EncodeJoined)->Arg(3)->Arg(15);

void BM_DecodeJoinedAsClient(benchmark::State& state) {
  Joined joined;
  joined.self = PeerInfo{kPeerId, "Ann", Role::Member, {}};
  joined.room = "standup";
  for (int i = 0; i < 3; ++i)
    joined.members.push_back(PeerInfo{kPeerId, "Peer " + std::to_string(i), Role::Member, {}});
  const std::string text = encode(joined);
  for (auto _ : state) {
    auto result = decode(text, Sender::Server);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DecodeJoinedAsClient);

void BM_DecodeInvalidJson(benchmark::State& state) {
  const std::string text = R"({"type":"signal","to":"abc","data":{"x":[1,2,)";
  for (auto _ : state) {
    auto result = decode(text, Sender::Client);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DecodeInvalidJson);

}  // namespace
