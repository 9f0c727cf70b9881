// The simulated signaling network: the RoomRegistry in process and per-client sockets with
// seeded latency (FIFO per direction, as TCP), droppable with frames in flight lost both ways
// and the server noticing late (a half-dead link). Time is the FakeClock's.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "fake_clock.hpp"
#include "room_registry.hpp"
#include "signaling_channel.hpp"

namespace vroom::sim {

using fakes::FakeClock;

struct LatencyModel {
  std::int64_t minMs = 1;
  std::int64_t maxMs = 40;
};

class SimServer {
 public:
  SimServer(FakeClock& clock, std::mt19937_64& rng, server::RegistryConfig config)
      : clock_(clock), rng_(rng), registry_(std::move(config), [this] { return newId(); }) {}

  server::RoomRegistry& registry() { return registry_; }
  server::TimePoint now() const {
    return server::TimePoint{} + std::chrono::milliseconds(clock_.now());
  }
  // The server runs expire() every 250 ms; the simulation calls this on its own ticks.
  void expire() { registry_.expire(now()); }
  std::mt19937_64& rng() { return rng_; }
  FakeClock& clock() { return clock_; }

 private:
  std::string newId() {
    static const char* kHex = "0123456789abcdef";
    std::string id;
    std::uint64_t bits = rng_();
    for (int i = 0; i < 12; ++i, bits >>= 4) id += kHex[bits & 15];
    return id;
  }

  FakeClock& clock_;
  std::mt19937_64& rng_;
  server::RoomRegistry registry_;
};

// One client's socket. Each open() is a new connection ("generation"); anything belonging
// to an older generation is dropped on arrival.
class SimSocket : public SignalingChannel {
 public:
  SimSocket(SimServer& server, LatencyModel latency) : server_(server), latency_(latency) {}
  ~SimSocket() override { *alive_ = false; }

  void open(const std::string&) override {
    abandon();
    const int gen = ++generation_;
    if (server_.clock().now() < blockedUntil_) {  // no route to the server
      std::weak_ptr<bool> alive = alive_;
      server_.clock().setTimeout(latency(), [this, alive, gen] {
        if (!alive.expired() && gen == generation_) triggerClosed(1006, "unreachable");
      });
      return;
    }
    auto conn = std::make_unique<Conn>(*this, gen);
    Conn* c = conn.get();
    conns_.push_back(std::move(conn));
    current_ = c;
    toServer(gen, [this, c, gen] {
      if (gen != generation_) return;
      c->id = server_.registry().connect(*c, server_.now());
      c->registered = true;
      toClient(gen, [this, gen] {
        if (gen != generation_ || !current_) return;
        open_ = true;
        triggerOpen();
      });
    });
  }

  void send(const std::string& text) override {
    if (!open_ || !current_) return;
    ++sentFrames;
    Conn* c = current_;
    toServer(generation_, [this, c, text] {
      if (c->registered && !c->gone) server_.registry().receive(c->id, text, server_.now());
    });
  }

  // The client closes: the server learns after the latency; nothing more reaches the client.
  void close(int, std::string_view) override {
    if (!current_) return;
    Conn* c = current_;
    abandon();
    ++generation_;
    toServerAnyGen([this, c] { disconnectServerSide(c); });
  }

  // The network drops the connection. The client notices after its latency; the server
  // after `serverNoticesAfterMs` (long: a half-dead link). Frames in flight are lost.
  void drop(std::int64_t serverNoticesAfterMs) {
    if (!current_) return;
    Conn* c = current_;
    const bool wasOpen = open_;
    abandon();
    const int gen = ++generation_;
    std::weak_ptr<bool> alive = alive_;
    server_.clock().setTimeout(serverNoticesAfterMs, [this, alive, c] {
      if (!alive.expired()) disconnectServerSide(c);
    });
    server_.clock().setTimeout(latency(), [this, alive, gen, wasOpen] {
      if (alive.expired() || gen != generation_) return;
      (void)wasOpen;
      triggerClosed(1006, "network lost");
    });
  }

  // Connection attempts fail until then (an outage longer than the resume window).
  void blockUntil(std::int64_t ms) { blockedUntil_ = ms; }
  bool isOpen() const { return open_; }
  int generation() const { return generation_; }
  std::uint64_t sentFrames = 0, receivedFrames = 0;

 private:
  struct Conn : server::ClientSink {
    Conn(SimSocket& s, int g) : socket(s), gen(g) {}
    void send(const std::string& frame) override {
      if (gone) return;
      socket.toClient(gen, [this, frame] {
        if (gen != socket.generation_ || !socket.open_) return;
        ++socket.receivedFrames;
        socket.triggerMessage(frame);
      });
    }
    void close(int code, std::string_view reason) override {
      if (gone) return;
      gone = true;  // the registry never touches this sink again
      socket.toClient(gen, [this, code, r = std::string(reason)] {
        if (gen != socket.generation_) return;
        socket.open_ = false;
        socket.current_ = nullptr;
        ++socket.generation_;
        socket.triggerClosed(code, r);
      });
    }
    SimSocket& socket;
    int gen;
    server::ConnectionId id = 0;
    bool registered = false;
    bool gone = false;
  };

  std::int64_t latency() {
    std::uniform_int_distribution<std::int64_t> d(latency_.minMs, latency_.maxMs);
    return d(server_.rng());
  }
  // FIFO per direction: a frame is never due before the one sent ahead of it.
  void toServer(int gen, std::function<void()> f) { schedule(upDue_, std::move(f)); }
  void toServerAnyGen(std::function<void()> f) { schedule(upDue_, std::move(f)); }
  void toClient(int gen, std::function<void()> f) { schedule(downDue_, std::move(f)); }
  void schedule(std::int64_t& lastDue, std::function<void()> f) {
    const std::int64_t due = std::max(server_.clock().now() + latency(), lastDue);
    lastDue = due;
    std::weak_ptr<bool> alive = alive_;
    server_.clock().setTimeout(due - server_.clock().now(), [alive, f = std::move(f)] {
      if (!alive.expired()) f();
    });
  }
  void abandon() {
    open_ = false;
    current_ = nullptr;
  }
  void disconnectServerSide(Conn* c) {
    if (!c->registered || c->gone) return;
    c->gone = true;
    server_.registry().disconnect(c->id, server_.now());
  }

  SimServer& server_;
  LatencyModel latency_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::deque<std::unique_ptr<Conn>> conns_;  // sinks outlive their registry connections
  Conn* current_ = nullptr;
  int generation_ = 0;
  bool open_ = false;
  std::int64_t upDue_ = 0, downDue_ = 0;
  std::int64_t blockedUntil_ = 0;
};

}  // namespace vroom::sim
