// A network-free harness around RoomRegistry: fake sinks that record frames and closes,
// a seeded id generator and a hand-driven clock, shared by the registry tests.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "room_registry.hpp"

namespace vroom::server::testing {

using nlohmann::json;

struct FakeSink : ClientSink {
  std::vector<std::string> frames;
  std::optional<int> closeCode;
  std::string closeReason;
  void send(const std::string& frame) override { frames.push_back(frame); }
  void close(int code, std::string_view reason) override {
    closeCode = code;
    closeReason = std::string(reason);
  }
};

struct Client {
  FakeSink sink;
  ConnectionId conn = 0;
  std::string peerId;
  std::string token;

  // Frames received since the last call, parsed.
  std::vector<json> take() {
    std::vector<json> out;
    for (const auto& f : sink.frames) out.push_back(json::parse(f, nullptr, false));
    sink.frames.clear();
    return out;
  }
  // Types of the frames received since the last call.
  std::vector<std::string> types() {
    std::vector<std::string> out;
    for (const auto& j : take()) out.push_back(j.value("type", "?"));
    return out;
  }
  json last() {
    auto all = take();
    return all.empty() ? json() : all.back();
  }
};

class Harness {
 public:
  explicit Harness(RegistryConfig config = {})
      : registry(std::move(config), [this] { return "id" + std::to_string(++ids_); }) {}

  // `address`: the remote address the server would see (passwords' limit, bans).
  Client& connect(const std::string& address = {}) {
    clients_.push_back(std::make_unique<Client>());
    Client& c = *clients_.back();
    c.conn = registry.connect(c.sink, now, address);
    return c;
  }
  Client& helloFrom(const std::string& address) {
    Client& c = connect(address);
    helloOn(c, "");
    return c;
  }
  void send(Client& c, const std::string& text) { registry.receive(c.conn, text, now); }
  void send(Client& c, const json& j) { send(c, j.dump()); }

  // Connects and says hello; returns the client with its peer id and token filled in.
  Client& hello(std::string token = "") {
    Client& c = connect();
    helloOn(c, token);
    return c;
  }
  json helloOn(Client& c, const std::string& token) {
    json h{{"type", "hello"}, {"version", 1}};
    if (!token.empty()) h["resumeToken"] = token;
    send(c, h);
    auto frames = c.take();
    EXPECT_FALSE(frames.empty());
    if (frames.empty()) return json();
    const json& welcome = frames.front();
    EXPECT_EQ(welcome.value("type", ""), "welcome");
    c.token = welcome.value("resumeToken", "");
    c.peerId = registry.peerIdOf(c.conn).value_or("");
    // Put back whatever followed welcome (joined, queued frames) for the test to inspect.
    for (std::size_t i = 1; i < frames.size(); ++i) c.sink.frames.push_back(frames[i].dump());
    return welcome;
  }
  Client& create(const std::string& room, const std::string& name,
                 const std::string& mode = "conference") {
    Client& c = hello();
    send(c, json{{"type", "create"}, {"room", room}, {"name", name}, {"mode", mode}});
    EXPECT_EQ(c.last().value("type", ""), "joined");
    return c;
  }
  Client& join(const std::string& room, const std::string& name, const char* role = nullptr) {
    Client& c = hello();
    json j{{"type", "join"}, {"room", room}, {"name", name}};
    if (role) j["role"] = role;
    send(c, j);
    EXPECT_EQ(c.last().value("type", ""), "joined");
    return c;
  }
  void drainAll() {
    for (auto& c : clients_) c->sink.frames.clear();
  }

  RoomRegistry registry;
  TimePoint now{std::chrono::seconds(1000)};

 private:
  int ids_ = 0;
  std::deque<std::unique_ptr<Client>> clients_;
};

}  // namespace vroom::server::testing
