// MeshLinks: PeerLinks as one RTCPeerConnection per member, each driven by its own
// PeerNegotiator; replaces connections that died, settles join-time glare, and keeps each
// connection's senders in step with the local tracks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clock.hpp"
#include "lifetime.hpp"
#include "local_media_state.hpp"
#include "peer_links.hpp"
#include "peer_negotiator.hpp"

namespace vroom {

class MeshLinks final : public PeerLinks {
 public:
  // `local` is read whenever a connection's senders are brought in step; it must outlive this.
  MeshLinks(Clock& clock, PeerConnectionFactory factory, NegotiatorConfig config,
            const LocalMediaState& local, PeerLinkEvents events);
  ~MeshLinks() override;
  MeshLinks(const MeshLinks&) = delete;
  MeshLinks& operator=(const MeshLinks&) = delete;

  void setSelf(LinkSelf self) override { self_ = std::move(self); }
  void setIceServers(std::vector<protocol::IceServer> servers) override;
  void addMember(const protocol::PeerInfo& member, bool offer) override;
  void removeMember(const std::string& memberId) override;
  void clear() override;
  void localTracksChanged() override;
  void handleSignal(const protocol::Signal& signal) override;
  void resumed() override;
  void restartIce(const std::string& memberId) override;

  LinkState state(const std::string& memberId) const override;
  std::vector<RemoteTrack> remoteTracks(const std::string& memberId) const override;
  bool restarting() const override;
  const PeerNegotiator* negotiatorFor(const std::string& memberId) const override;
  std::size_t connectionCount() const override;

  // Dead connections replaced in a row before giving up on a member (the machine itself may
  // gather nothing, e.g. relay-only with no TURN server reachable).
  static constexpr int kMaxReplacements = 3;

 private:
  struct Connection {
    std::unique_ptr<PeerNegotiator> negotiator;
    bool localAttached = false;  // local media was put on it (it sends what we send)
    SenderId audioSender, videoSender, screenSender;
    std::string audioTrack, videoTrack, screenTrack;  // what each sender carries
  };
  struct Remote {
    std::string id;
    protocol::Role role = protocol::Role::Member;
    std::unique_ptr<Connection> connection;  // made when we offer or its first signal comes
    std::vector<RemoteTrack> tracks;         // received, in arrival order
    int replacements = 0;                    // dead connections replaced since it last connected
  };

  Remote* find(const std::string& id);
  const Remote* find(const std::string& id) const;
  Connection* ensureConnection(Remote& remote);
  // Closes the remote's connection and makes a new one: `announce` offers from it with
  // "newConnection" (ours was dead); otherwise the peer's newConnection offer follows.
  Connection* replaceConnection(Remote& remote, bool announce);
  void onDead(const std::string& id, const PeerNegotiator* negotiator);
  // Puts local media on the connection: adds senders that are missing, swaps tracks that
  // changed. ensureTransceivers: also when there is nothing to send, so an offer has m-lines.
  void attachLocal(Connection& connection, bool ensureTransceivers);

  Clock& clock_;
  PeerConnectionFactory factory_;
  NegotiatorConfig config_;
  const LocalMediaState& local_;
  PeerLinkEvents events_;
  LinkSelf self_;
  std::vector<protocol::IceServer> iceServers_;
  std::vector<Remote> remotes_;
  Lifetime lifetime_;  // drops the deferred replacements once the links are gone
};

}  // namespace vroom
