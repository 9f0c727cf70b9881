// RoomSession: everything a client decides about one room visit. It speaks the signaling
// protocol, keeps the members and their PeerLinks, owns local media, recovers from drops
// (resume, ICE restart, full rejoin) and publishes a plain SessionSnapshot.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "awake_timer.hpp"
#include "clock.hpp"
#include "lifetime.hpp"
#include "local_media_state.hpp"
#include "media_devices.hpp"
#include "peer_connection.hpp"
#include "peer_links.hpp"
#include "peer_negotiator.hpp"
#include "protocol.hpp"
#include "reconnect_policy.hpp"
#include "result.hpp"
#include "session_errors.hpp"
#include "session_lifecycle.hpp"
#include "session_snapshot.hpp"
#include "sfu_links.hpp"
#include "signaling_channel.hpp"
#include "timer.hpp"

namespace vroom {

struct SessionConfig {
  std::string serverUrl;  // wss://host/ws
  ReconnectConfig reconnect;
  NegotiatorConfig negotiation;  // iceRestartTimeoutMs defaults to 5 s
  // No welcome/joined this long after the socket was opened (in time the page was free to
  // read the answer: AwakeTimer): drop it and retry.
  std::int64_t handshakeTimeoutMs = 10000;
  std::size_t maxChatEntries = 500;
  double speakingThreshold = 0.04;  // audio level (0..1) from which a person is speaking
  // Say `sfu: true` in hello: a room may then move this page's media to the server's video
  // server (`media-path`) when it has one; false keeps this page, and so its rooms, peer to peer.
  bool sfu = true;
};

// The browser (or the fakes) the session runs on. All references must outlive it.
struct SessionSeams {
  SignalingChannel& signaling;
  MediaDevices& media;
  Clock& clock;
  Random& random;
  PeerConnectionFactory peerConnections;
};

using CommandResult = Result<std::monostate, SessionError>;

// What create/join presents besides room and name: a join token (servers with a token secret)
// and a room password (the room's, or the one the first person sets). Kept for rejoins.
struct Credentials {
  std::string token;
  std::string password;
};

class RoomSession {
 public:
  RoomSession(SessionSeams seams, SessionConfig config);
  ~RoomSession();
  RoomSession(const RoomSession&) = delete;
  RoomSession& operator=(const RoomSession&) = delete;

  // ---- lobby ----
  // Acquires camera and/or microphone for the preview (and later the call).
  void startPreview(bool audio = true, bool video = true);
  void stopPreview();
  void refreshDevices();

  // ---- entering and leaving ----
  // Broadcast hosts (and explicit conference creation). Fails at once on an invalid id/name.
  CommandResult create(const std::string& room, const std::string& name, protocol::Mode mode,
                       bool audioOnly, Credentials credentials = {});
  // Conferences (created on first join) and broadcast viewers (role Viewer).
  CommandResult join(const std::string& room, const std::string& name,
                     std::optional<protocol::Role> role = std::nullopt,
                     Credentials credentials = {});
  void leave();

  // ---- moderating (room_session_moderation.cpp; moderators only, else NotAllowed) ----
  CommandResult removePeer(const std::string& peerId, bool ban);
  CommandResult requestMute(const std::string& peerId);
  CommandResult setRoomLocked(bool locked);
  CommandResult endRoom();
  void clearNotice();

  // ---- in the room ----
  CommandResult setMicrophone(bool on);
  CommandResult setCamera(bool on);
  CommandResult startScreenShare();
  void stopScreenShare();
  CommandResult sendChat(const std::string& text);
  // AudioInput/VideoInput switch the live track; AudioOutput moves every remote voice to
  // that speaker through MediaDevices::setAudioOutput (SpeakerUnavailable if it cannot).
  void selectDevice(DeviceKind kind, const std::string& deviceId);
  // Restarts ICE with one peer (a "reconnect" button; the watchdogs do it on their own).
  void restartIce(const std::string& peerId);
  void clearError();

  // ---- measurements fed by the bridge ----
  // Audio level 0..1 of a remote peer's audio, or of the local microphone (empty id).
  void setAudioLevel(const std::string& peerId, double level);

  // ---- observing ----
  SessionSnapshot snapshot() const;
  std::uint64_t revision() const { return revision_; }
  SessionState state() const { return lifecycle_.state(); }
  Recovery recovery() const { return lifecycle_.recovery(links_->restarting()); }
  void onChange(std::function<void()> callback) { onChange_ = std::move(callback); }
  // For tests and diagnostics: the negotiator for a peer, if a connection exists.
  const PeerNegotiator* negotiatorFor(const std::string& peerId) const;
  std::size_t peerConnectionCount() const;
  // How the room's media travels now (mesh until the server says `media-path {sfu}`).
  protocol::MediaPathKind mediaPath() const {
    return sfu_ ? protocol::MediaPathKind::Sfu : protocol::MediaPathKind::Mesh;
  }
  // Layers follow the layout: the layer wanted of each member's video (members not named:
  // off). On the video server, each member whose layer changed is asked for it (`sfu-layer`);
  // on the mesh there are no layers and nothing is sent.
  void wantLayers(const std::map<std::string, protocol::Layer>& layers);
  // The member whose stream the subscriber link carries on `mid` ("" on the mesh or unknown).
  std::string memberOfStream(const std::string& mid) const {
    return sfu_ ? sfu_->memberOf(mid) : std::string();
  }
  // The subscriber mids carrying a member's streams (none on the mesh, where the member's
  // connection is its own).
  std::vector<std::string> streamsOfMember(const std::string& memberId) const {
    return sfu_ ? sfu_->midsOf(memberId) : std::vector<std::string>();
  }
  // The SFU links while the room is on the video server (tests read them), else null.
  const SfuLinks* sfuLinks() const { return sfu_; }

 private:
  struct Intent {
    bool create = false;
    std::string room, name;
    protocol::Mode mode = protocol::Mode::Conference;
    bool audioOnly = false;
    std::optional<protocol::Role> role;
    Credentials credentials;
  };
  struct Member {
    protocol::PeerInfo info;
    bool speaking = false;
  };

  // room_session.cpp: lifecycle, protocol, reconnection
  CommandResult begin(Intent intent);
  void connect();
  void onSocketOpen();
  void onSocketMessage(const std::string& text);
  void onSocketClosed(int code, const std::string& reason);
  void handle(const protocol::Welcome& welcome);
  void handle(const protocol::IceServersMsg& message);
  void handle(const protocol::Joined& joined);
  void handle(const protocol::Waiting& waiting);
  void handle(const protocol::ErrorMsg& error);
  void handle(const protocol::RoomClosedMsg& closed);
  void handle(const protocol::Chat& chat);
  void sendIntent();

  // room_session_moderation.cpp
  void handle(const protocol::RoomState& state);
  void handle(const protocol::Removed& removed);
  void handle(const protocol::MuteRequested& request);
  void endedByModerator(const protocol::RoomClosedMsg& closed);
  void recordModeration(std::string action, std::string peer, std::string by, std::string byName,
                        bool ban);
  bool moderates(const std::string& peerId) const;
  CommandResult mayModerate(const std::string* peerId) const;
  void send(const protocol::Message& message);
  void scheduleReconnect(const std::string& why);
  void armHandshakeTimer();
  void cancelTimers();
  // Moves the lifecycle (false: this state refuses the event) and shows `reason`.
  bool go(LifecycleEvent event, std::string reason);
  // A new reason in the same lifecycle state.
  void say(std::string reason);
  // Ends the visit (event Left or Failed): timers, members, socket, screen share go.
  void end(LifecycleEvent event, const std::string& reason);
  void endWithError(SessionError error, const std::string& reason);
  void finish(const std::string& reason);
  void setError(SessionError error);
  void changed();
  bool inRoom() const { return lifecycle_.stage == Stage::Joined; }
  protocol::MediaState localMediaState() const;
  void publishMedia();

  // room_session_peers.cpp: members, who offers to whom, what the snapshot shows of each
  Member* findMember(const std::string& id);
  const Member* findMember(const std::string& id) const;
  void addMember(const protocol::PeerInfo& info, bool offer);
  void removeMember(const std::string& id);
  void reconcileMembers(const std::vector<protocol::PeerInfo>& members);
  void clearMembers();
  bool sendsMedia() const;
  // Tells the links who we are in the room just entered.
  void introduceSelf();
  MemberSnapshot memberSnapshot(const Member& member) const;

  // room_session_media_path.cpp: which links carry the media (mesh, or the video server's)
  void handle(const protocol::MediaPath& path);
  // Replaces the links with a fresh set of `kind`, told who we are and who the members are.
  // From the mesh to the video server in a room, the mesh stays up meanwhile (moving_).
  void useLinks(protocol::MediaPathKind kind);
  std::unique_ptr<PeerLinks> makeLinks(protocol::MediaPathKind kind);
  // The links that show this member now: the mesh's during a move, until the video server
  // carries it (connected, its tracks arrived).
  PeerLinks& linksFor(const std::string& memberId) const;
  // The move is over: the mesh's connections close.
  void endMove();
  // The local tracks changed: every set of links follows.
  void tracksChanged();

  // room_session_media.cpp: local media (the links follow its tracks)
  void acquireUserMedia(bool audio, bool video);
  void onUserMedia(Result<LocalMedia, MediaError> result, bool audio, bool video);
  void onScreen(Result<LocalMedia, MediaError> result);
  void onTrackEnded(const std::string& trackId);
  void releaseMedia();

  SignalingChannel& signaling_;
  MediaDevices& media_;
  Clock& clock_;
  Random& random_;
  SessionConfig config_;
  ReconnectPolicy policy_;
  Lifetime lifetime_;  // drops callbacks that arrive after destruction (promises settle late)

  // session
  SessionLifecycle lifecycle_;
  std::string reason_;
  SessionError error_;
  std::optional<Intent> intent_;
  int attempt_ = 0;
  std::string resumeToken_;
  protocol::Limits limits_;
  Timer reconnectTimer_{clock_};
  AwakeTimer handshakeTimer_{clock_};  // a busy page must not give up on a server that answered
  Timer rejoinTimer_{clock_};
  int rejoinRetries_ = 0;
  static constexpr std::int64_t kRejoinRetryMs = 1000;

  // room
  std::string room_;
  protocol::Mode mode_ = protocol::Mode::Conference;
  bool audioOnly_ = false;
  protocol::PeerInfo self_;
  std::vector<Member> members_;
  std::vector<ChatEntry> chat_;
  protocol::MediaState published_;  // what the server believes about our media
  std::vector<std::string> moderators_;
  bool locked_ = false;
  SessionError notice_;
  ModerationEvent moderation_;

  // local media
  LocalMediaState local_{media_};
  SessionError screenError_;  // the notice the last failed share left; the next attempt clears it
  bool selfSpeaking_ = false;

  // links to the members (made after local_, which they read)
  PeerConnectionFactory peerConnections_;
  std::vector<protocol::IceServer> iceServers_;
  std::unique_ptr<PeerLinks> links_;
  SfuLinks* sfu_ = nullptr;  // links_ while the media goes through the video server
  // The mesh's links while the room moves to the video server: each member's tile keeps its
  // mesh media until the video server carries that member. They close kMoveMs after the move
  // began, not as soon as we see everyone there: the other pages may still be showing our
  // mesh media until their own subscriber carries us.
  std::unique_ptr<PeerLinks> moving_;
  Timer moveTimer_{clock_};
  static constexpr std::int64_t kMoveMs = 8000;

  std::uint64_t revision_ = 0;
  std::function<void()> onChange_;
};

}  // namespace vroom
