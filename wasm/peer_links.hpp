// PeerLinks: the session's media connections to the other members, as one interface. MeshLinks
// (one RTCPeerConnection per member) implements it now; an SFU link (one publisher and one
// subscriber connection through the server) is the second implementation it is shaped for.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "link_state.hpp"
#include "peer_connection.hpp"
#include "protocol.hpp"
#include "session_errors.hpp"

namespace vroom {

class PeerNegotiator;

// What the links report to the session. Each may be called from inside any PeerLinks call or
// from a seam's callback; none may be left empty.
struct PeerLinkEvents {
  // A message for the server (mesh: a `signal` to one member).
  std::function<void(const protocol::Message&)> send;
  // A link's state or a member's remote tracks changed.
  std::function<void()> changed;
  // A connection could not be made; the session shows it.
  std::function<void(SessionError)> error;
};

// Who the session is in the room it entered; set on every `joined`, before any member is added.
struct LinkSelf {
  std::string id;
  bool sends = true;       // a broadcast viewer only receives
  bool audioOnly = false;  // no video sender at all
};

class PeerLinks {
 public:
  virtual ~PeerLinks() = default;

  virtual void setSelf(LinkSelf self) = 0;
  // TURN credentials from `welcome` or renewed: new connections use them at once, live ones
  // at their next ICE restart.
  virtual void setIceServers(std::vector<protocol::IceServer> servers) = 0;

  // A member to exchange media with. `offer`: this side starts the negotiation (otherwise it
  // waits for the member's offer). Adding a known member is a no-op.
  virtual void addMember(const protocol::PeerInfo& member, bool offer) = 0;
  // The member left: its connection (or its streams on a shared one) goes.
  virtual void removeMember(const std::string& memberId) = 0;
  // Every member goes and every connection closes (leaving, failing, a full rejoin).
  virtual void clear() = 0;

  // The local tracks (LocalMediaState) changed: senders follow, renegotiating where needed.
  virtual void localTracksChanged() = 0;
  // A `signal` from the server for these links.
  virtual void handleSignal(const protocol::Signal& signal) = 0;
  // The signaling socket was resumed: frames in flight were lost, so any negotiation that was
  // under way is shaken loose now rather than by its watchdog.
  virtual void resumed() = 0;
  // Restarts ICE on the connection carrying this member's media.
  virtual void restartIce(const std::string& memberId) = 0;

  // ---- observing ----
  // The member's link as the UI shows it (Connecting before any connection exists).
  virtual LinkState state(const std::string& memberId) const = 0;
  // What the member's media arrived as, in arrival order (stream and track ids).
  virtual std::vector<RemoteTrack> remoteTracks(const std::string& memberId) const = 0;
  // Some connection is restarting ICE or failed (the session's Recovery::IceRestart).
  virtual bool restarting() const = 0;
  // The negotiator carrying this member's media (mesh: its own connection; SFU: the
  // subscriber's). The bridge reads its connection's id to attribute stats; tests read it.
  virtual const PeerNegotiator* negotiatorFor(const std::string& memberId) const = 0;
  // Open peer connections.
  virtual std::size_t connectionCount() const = 0;
};

}  // namespace vroom
