// A RoomSession on fakes with the test playing the server: helpers to accept the socket,
// deliver protocol messages and read what the client sent.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "fake_media_devices.hpp"
#include "fake_peer_connection.hpp"
#include "fake_signaling_channel.hpp"
#include "room_session.hpp"
#include "signal_payload.hpp"

namespace vroom::testing {

using namespace vroom::fakes;
namespace proto = vroom::protocol;

inline proto::PeerInfo peer(std::string id, std::string name,
                            proto::Role role = proto::Role::Member) {
  proto::PeerInfo info;
  info.id = std::move(id);
  info.name = std::move(name);
  info.role = role;
  return info;
}

struct SessionHarness {
  explicit SessionHarness(SessionConfig config = defaultConfig()) {
    session = std::make_unique<RoomSession>(
        SessionSeams{socket, media, clock, random, net.factory("self")}, std::move(config));
    session->onChange([this] { ++changes; });
  }
  static SessionConfig defaultConfig() {
    SessionConfig config;
    config.serverUrl = "wss://vroom.test/ws";
    return config;
  }

  FakeClock clock;
  FixedRandom random{0.0};  // jitter pinned: delays are at their ceiling
  FakeSignalingChannel socket;
  FakeMediaDevices media;
  FakePcNetwork net{clock};
  std::unique_ptr<RoomSession> session;
  int changes = 0;

  void deliver(const proto::Message& message) { socket.deliver(proto::encode(message)); }

  std::vector<proto::Message> sent() const {
    std::vector<proto::Message> out;
    for (const auto& text : socket.sent) {
      auto decoded = proto::decode(text, proto::Sender::Client);
      EXPECT_TRUE(decoded.ok()) << text;
      if (decoded) out.push_back(decoded.value());
    }
    return out;
  }
  template <class T>
  std::vector<T> sentOf() const {
    std::vector<T> out;
    for (const auto& m : sent())
      if (const auto* t = std::get_if<T>(&m)) out.push_back(*t);
    return out;
  }
  // Signals the client sent to `to`, decoded.
  std::vector<SignalPayload> signalsTo(const std::string& to) const {
    std::vector<SignalPayload> out;
    for (const auto& s : sentOf<proto::Signal>())
      if (s.to == to)
        if (auto p = decodeSignal(s.data)) out.push_back(*p);
    return out;
  }
  std::optional<SessionDescription> lastDescriptionTo(const std::string& to) const {
    std::optional<SessionDescription> out;
    for (const auto& s : signalsTo(to))
      if (const auto* d = std::get_if<SessionDescription>(&s)) out = *d;
    return out;
  }

  proto::Welcome welcome(std::string token = "tok-1", bool resumed = false) const {
    proto::Welcome w;
    w.resumeToken = std::move(token);
    w.resumed = resumed;
    w.iceServers = {proto::IceServer{{"stun:stun.test:3478"}, "", ""}};
    return w;
  }

  // Joins `room` as "self" (peer id "m-self") with `members` already there.
  void joinConference(std::vector<proto::PeerInfo> members = {}, std::string room = "room-1") {
    ASSERT_TRUE(session->join(room, "Self").ok());
    socket.accept();
    deliver(welcome());
    proto::Joined joined;
    joined.self = peer("m-self", "Self");
    joined.room = room;
    joined.members = std::move(members);
    deliver(joined);
    clock.runReady();
  }

  // Creates broadcast `room` as its host (peer id "host"), nobody watching yet.
  void goLive(std::string room = "live") {
    ASSERT_TRUE(session->create(room, "Host", proto::Mode::Broadcast, false).ok());
    socket.accept();
    deliver(welcome());
    proto::Joined joined;
    joined.self = peer("host", "Host", proto::Role::Host);
    joined.room = std::move(room);
    joined.mode = proto::Mode::Broadcast;
    deliver(joined);
  }

  // What the server sends a broadcast viewer ("v-1") let into `room`, whose host is "host".
  static proto::Joined viewerJoined(std::string room) {
    proto::Joined joined;
    joined.self = peer("v-1", "V", proto::Role::Viewer);
    joined.room = std::move(room);
    joined.mode = proto::Mode::Broadcast;
    joined.members = {peer("host", "H", proto::Role::Host)};
    return joined;
  }

  // ---- remote peers played by real negotiators over fake connections ----
  struct Remote {
    std::unique_ptr<PeerNegotiator> negotiator;
    FakePeerConnection* pc = nullptr;
  };
  std::map<std::string, Remote> remotes;
  std::size_t forwarded = 0;

  // Peer `id` answers (and offers) for real; `selfId` is the session's peer id.
  Remote& addRemote(const std::string& id, const std::string& selfId = "m-self") {
    auto pc = net.create("remote-" + id);
    Remote& r = remotes[id];
    r.pc = pc.get();
    r.negotiator = std::make_unique<PeerNegotiator>(
        id, selfId, std::move(pc), clock, NegotiatorConfig{}, [this, id](const SignalPayload& p) {
          deliver(proto::Signal{"", id, encodeSignal(p)});
        });
    return r;
  }
  // Carries the session's signals to the remotes and runs time until all is quiet.
  void pump(std::int64_t limitMs = 2000) {
    const auto end = clock.now() + limitMs;
    for (;;) {
      while (forwarded < socket.sent.size()) {
        auto decoded = proto::decode(socket.sent[forwarded++], proto::Sender::Client);
        if (!decoded) continue;
        const auto* signal = std::get_if<proto::Signal>(&decoded.value());
        if (!signal) continue;
        auto it = remotes.find(signal->to);
        auto payload = decodeSignal(signal->data);
        if (it != remotes.end() && payload) it->second.negotiator->handleSignal(*payload);
      }
      if (clock.pendingTimers() == 0 || clock.nextDueMs() > end) break;
      clock.runOne();
    }
  }

  SessionSnapshot snap() const { return session->snapshot(); }
  FakePeerConnection* pcFor(const std::string& peerId) const {
    const auto* n = session->negotiatorFor(peerId);
    return n ? const_cast<FakePeerConnection*>(static_cast<const FakePeerConnection*>(&n->pc()))
             : nullptr;
  }
  const MemberSnapshot* member(const std::string& id) const {
    static SessionSnapshot keep;
    keep = snap();
    for (const auto& m : keep.members)
      if (m.id == id) return &m;
    return nullptr;
  }
};

}  // namespace vroom::testing
