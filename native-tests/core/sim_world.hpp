// A world of simulated clients: RoomSessions on fake media and fake peer connections,
// talking to the in-process RoomRegistry over SimSockets, all on one FakeClock and one
// seed. checkInvariants() states what "settled" must mean for every pair of peers.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fake_clock.hpp"
#include "fake_media_devices.hpp"
#include "fake_peer_connection.hpp"
#include "room_session.hpp"
#include "sim_network.hpp"

namespace vroom::sim {

struct SimClient {
  std::string label;
  fakes::FakeMediaDevices media;
  std::unique_ptr<SimSocket> socket;
  std::unique_ptr<fakes::SeededRandom> random;
  std::unique_ptr<RoomSession> session;
  bool expectJoined = false;  // the scenario wants it in the room at the end
};

struct WorldOptions {
  LatencyModel latency{1, 40};
  std::int64_t maxPcOperationMs = 15;
  std::chrono::milliseconds resumeWindow{3000};
};

class SimWorld {
 public:
  SimWorld(std::uint64_t seed, WorldOptions options = {})
      : rng(seed),
        pcRandom(seed ^ 0x9e3779b97f4a7c15ULL),
        server(clock, rng, registryConfig(options)),
        pcs(clock, &pcRandom, {options.maxPcOperationMs, 10000, 15000}),
        options_(options) {
    scheduleExpire();
  }

  static server::RegistryConfig registryConfig(const WorldOptions& options) {
    server::RegistryConfig config;
    config.resumeWindow = options.resumeWindow;
    config.iceServers = {protocol::IceServer{{"stun:sim"}, "", ""}};
    config.burst = 1000;
    config.limits.messagesPerSecond = 1000;
    return config;
  }

  SimClient& addClient(const std::string& label) {
    auto client = std::make_unique<SimClient>();
    client->label = label;
    client->socket = std::make_unique<SimSocket>(server, options_.latency);
    client->random = std::make_unique<fakes::SeededRandom>(rng());
    SessionConfig config;
    config.serverUrl = "wss://sim/ws";
    config.reconnect.maxAttempts = 0;  // keep trying: outages end
    client->session = std::make_unique<RoomSession>(
        SessionSeams{*client->socket, client->media, clock, *client->random, pcs.factory(label)},
        config);
    clients.push_back(std::move(client));
    return *clients.back();
  }

  void runFor(std::int64_t ms) { clock.advance(ms); }

  // Runs until checkInvariants() is empty (checked every 100 ms) or `limitMs` passes.
  std::vector<std::string> settle(std::int64_t limitMs) {
    std::vector<std::string> problems;
    for (std::int64_t waited = 0; waited <= limitMs; waited += 100) {
      problems = checkInvariants();
      if (problems.empty()) return problems;
      clock.advance(100);
    }
    return problems;
  }

  SimClient* byPeerId(const std::string& id) {
    for (auto& c : clients)
      if (c->session->state() == SessionState::Joined && c->session->snapshot().self.id == id)
        return c.get();
    return nullptr;
  }

  std::vector<std::string> checkInvariants() {
    std::vector<std::string> out;
    auto bad = [&](const SimClient& c, const std::string& what) {
      out.push_back(c.label + ": " + what);
    };
    for (auto& cp : clients) {
      SimClient& c = *cp;
      const auto s = c.session->snapshot();
      if (c.expectJoined && s.state != SessionState::Joined) {
        bad(c, "state " + std::string(toString(s.state)) + " (" + s.reason + ")");
        continue;
      }
      if (s.state != SessionState::Joined) {
        if (!pcs.openOwnedBy(c.label).empty()) bad(c, "open peer connections while not joined");
        continue;
      }
      // The member list matches the registry, seen through the visibility rules.
      const auto registry = server.registry().members(s.room);
      const bool inRegistry =
          std::any_of(registry.begin(), registry.end(), [&](auto& p) { return p.id == s.self.id; });
      if (!inRegistry) bad(c, "joined, but the registry has no " + s.self.id + " in " + s.room);
      std::set<std::string> expected, seen;
      for (const auto& p : registry) {
        if (p.id == s.self.id) continue;
        const bool visible = s.mode == protocol::Mode::Conference ||
                             s.self.role == protocol::Role::Host || p.role == protocol::Role::Host;
        if (visible) expected.insert(p.id);
      }
      for (const auto& m : s.members) seen.insert(m.id);
      if (expected != seen) bad(c, "member list disagrees with the registry");
      // One connection per visible peer, none for anyone else.
      if (c.session->peerConnectionCount() != expected.size())
        bad(c, "has " + std::to_string(c.session->peerConnectionCount()) +
                   " peer connections for " + std::to_string(expected.size()) + " peers");
      if (pcs.openOwnedBy(c.label).size() != c.session->peerConnectionCount())
        bad(c, "leaked peer connections: " + std::to_string(pcs.openOwnedBy(c.label).size()));
      for (const auto& m : s.members) checkPair(c, s, m, bad);
    }
    return out;
  }

  FakeClock clock;
  std::mt19937_64 rng;
  fakes::SeededRandom pcRandom;
  SimServer server;
  fakes::FakePcNetwork pcs;
  std::vector<std::unique_ptr<SimClient>> clients;

 private:
  template <class Bad>
  void checkPair(SimClient& c, const SessionSnapshot& s, const MemberSnapshot& m, Bad& bad) {
    const PeerNegotiator* n = c.session->negotiatorFor(m.id);
    if (!n) return bad(c, "no connection to " + m.id);
    if (!n->settled())
      return bad(c, "link to " + m.id + " not settled: " + std::string(toString(n->state())) + " " +
                        std::string(toString(n->pc().signalingState())) +
                        (n->makingOffer() ? " making-offer" : "") +
                        " ops=" + std::to_string(n->operationsInFlight()));
    const auto& pc = static_cast<const fakes::FakePeerConnection&>(n->pc());
    SimClient* other = byPeerId(m.id);
    if (!other) return bad(c, "peer " + m.id + " is not a joined client");
    const PeerNegotiator* back = other->session->negotiatorFor(s.self.id);
    if (!back) return bad(c, "peer " + m.id + " has no connection back");
    const auto& otherPc = static_cast<const fakes::FakePeerConnection&>(back->pc());
    if (!pc.currentRemote() || pc.currentRemote()->pc != otherPc.uid())
      return bad(c, "connection to " + m.id + " is not paired with the peer's connection");
    if (m.connection != LinkState::Connected) bad(c, "snapshot shows " + m.id + " not connected");
    // Media flows the way the room says.
    const bool viewer = s.self.role == protocol::Role::Viewer;
    const bool host = s.self.role == protocol::Role::Host;
    if (viewer && !pc.sendingTracks().empty()) bad(c, "a viewer sends media");
    if (host && !m.audioStreamId.empty()) bad(c, "the host receives media from a viewer");
    if (s.audioOnly && (pc.negotiatedKind(MediaKind::Video)))
      bad(c, "video negotiated in an audio-only room");
    if (!host) {
      // What the peer captures reaches us as streams.
      const auto os = other->session->snapshot();
      if (os.local.hasMicrophone && m.audioStreamId.empty()) bad(c, "no audio stream from " + m.id);
      if (os.local.hasCamera && !s.audioOnly && m.cameraStreamId.empty() && !m.media.screen)
        bad(c, "no camera stream from " + m.id);
    }
  }

  void scheduleExpire() {
    clock.setTimeout(250, [this] {
      server.expire();
      scheduleExpire();
    });
  }

  WorldOptions options_;
};

inline std::string describe(const std::vector<std::string>& problems) {
  std::ostringstream out;
  for (const auto& p : problems) out << "  " << p << "\n";
  return out.str();
}

}  // namespace vroom::sim
