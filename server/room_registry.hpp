// The room registry: every rule of docs/protocol.md (handshake, rooms, visibility, signaling,
// chat, resume, rate limits, who may enter, moderation) over a ClientSink per connection. No
// sockets, threads or clocks of its own, so it is unit-tested without a network and driven by
// seeded simulations. Entry rules live in room_access.cpp, moderation in room_moderation.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "compact_queue.hpp"
#include "join_token.hpp"
#include "message_budget.hpp"
#include "protocol.hpp"
#include "room_password.hpp"
#include "token_bucket.hpp"

namespace vroom::server {

// An encoded frame, immutable once built: one buffer shared by every member a fan-out reaches
// and by the queues that hold it.
using Frame = std::shared_ptr<const std::string>;
inline Frame makeFrame(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

class ClientSink {  // one per connection; implemented by the WebSocket session and by tests
 public:
  virtual ~ClientSink() = default;
  virtual void send(const std::string& encodedFrame) = 0;  // a text frame to deliver
  // The same frame, shared: a sink that queues it keeps the pointer instead of a copy.
  virtual void sendShared(const Frame& frame) { send(*frame); }
  virtual void close(int closeCode, std::string_view reason) = 0;  // registry wants it closed
  // Bytes handed to send() and not yet written out. Frames held for a resumed peer are
  // handed over only while this is under kHandOverBytes; the sink calls
  // RoomRegistry::drain() when it has caught up.
  virtual std::size_t backlogBytes() const { return 0; }
};

inline constexpr std::size_t kHandOverBytes = 256 * 1024;

// Told of every room's membership and handed the messages of the SFU media path (server/
// sfu_rooms.hpp implements it with Janus). Called with the registry's lock held: it must not
// call back into the registry before returning (it posts the work to its own thread).
class RoomObserver {
 public:
  virtual ~RoomObserver() = default;
  // `sfu`: the client said in its hello that it can use the video server.
  virtual void entered(const std::string& room, const protocol::PeerInfo& peer, protocol::Mode mode,
                       bool sfu) = 0;
  virtual void left(const std::string& room, const std::string& peer) = 0;
  virtual void closed(const std::string& room) = 0;  // everyone is out of it
  virtual void resumed(const std::string& room, const std::string& peer) = 0;
  // sfu-offer, sfu-answer, sfu-candidate, sfu-layer, sfu-restart from a member of `room` (viewers'
  // offers are already refused).
  virtual void received(const std::string& room, const std::string& peer,
                        protocol::Message message) = 0;
};

using ConnectionId = std::uint64_t;
using TimePoint = std::chrono::steady_clock::time_point;

struct RegistryConfig {
  protocol::Limits limits;  // announced in `welcome`; maxMessageBytes, maxChatChars,
                            // maxRoomSize, messagesPerSecond and bytesPerSecond are
                            // enforced from here
  std::vector<protocol::IceServer> iceServers;  // the same for everyone (STUN, a static TURN)
  // Per-peer ICE servers (short-lived TURN credentials, server/turn_credentials.hpp) that
  // follow the static ones in every `welcome` and are minted again and sent as `ice-servers`
  // every iceRenewEvery while the peer is connected. unixMs: Unix time in milliseconds.
  std::function<std::vector<protocol::IceServer>(const std::string& peerId, std::int64_t unixMs)>
      mintIceServers;
  std::chrono::milliseconds iceRenewEvery{0};  // 0: never renewed
  std::chrono::milliseconds resumeWindow{60000};
  std::size_t burst = 100;            // messages a connection may send at once
  // Bytes it may send at once (raised to maxMessageBytes if below): a join into a full mesh
  // sends an offer and candidates to every room mate.
  std::size_t byteBurst = 1024 * 1024;
  std::size_t floodCloseAfter = 200;  // rate-limited messages in a row -> 1008
  // Error replies (rate_limited included) are paid from a second bucket of floodCloseAfter
  // tokens refilled at this rate; a connection that empties it is closed with 1008.
  double errorsPerSecond = 1.0;
  // No `hello` by then -> closed by expire(). A page on a busy machine may take seconds to read
  // its socket's open (issue 11: 7 s in a mesh of 6 on two cores), and its hello waits for that.
  std::chrono::milliseconds handshakeTimeout{15000};
  std::size_t maxQueuedWhileAway = 256;              // frames kept for a peer in its resume window
  std::size_t maxQueuedBytesPerPeer = 1024 * 1024;   // and their bytes (the oldest go first)
  std::size_t maxQueuedBytesTotal = 64 * 1024 * 1024;  // all held queues; over it, new frames drop
  // Added to steady-clock milliseconds to stamp chat `ts` in Unix time (and to read join
  // tokens' `exp`). The server sets it once at start; simulations leave it 0 and stay replayable.
  std::int64_t epochOffsetMs = 0;
  // Join tokens (server/join_token.hpp): when set, every create and join needs a token signed
  // with it, and room passwords are not used.
  std::string tokenSecret;
  // A broadcast created with a password keeps its id for holders of that password this long
  // after it ends (while it is live, always).
  std::chrono::seconds reservationTtl{std::chrono::hours(24)};
};

struct RegistryStats {
  std::uint64_t messagesIn = 0;   // frames received
  std::uint64_t messagesOut = 0;  // frames handed to a sink (queued ones count on delivery)
  std::map<protocol::ErrorCode, std::uint64_t> errors;  // error frames sent, by code
  std::uint64_t queueDropped = 0;  // frames for an away or resuming peer dropped by the caps
};

// What a create/join turns out to be once the room is looked up (room_access.cpp).
enum class EntryAction { CreateConference, CreateBroadcast, JoinConference, WatchBroadcast };

class RoomRegistry {
 public:
  // newId makes peer ids and resume tokens; the default draws 128 bits from the CSPRNG.
  explicit RoomRegistry(RegistryConfig config, std::function<std::string()> newId = {});
  // Its maps point into each other (connection -> session, token -> session): never copied.
  RoomRegistry(const RoomRegistry&) = delete;
  RoomRegistry& operator=(const RoomRegistry&) = delete;

  // The sink must outlive the connection: until disconnect(), or until the registry has
  // called sink.close() (after which it never touches the sink again).
  // `address`: the remote IP address, for the per-address password limit and (without join
  // tokens) the bans that outlive a session.
  ConnectionId connect(ClientSink& sink, TimePoint now, std::string address = {});
  void receive(ConnectionId id, std::string_view text, TimePoint now);  // decode+rules+rate
  void disconnect(ConnectionId id, TimePoint now);  // socket gone: peer enters resume window
  // The client closed its socket with 1001 (going away): browsers do when the page navigates
  // away, reloads or its tab closes, so nothing will resume it. The peer leaves its room as
  // with `leave` (the others get `peer-left`, or `room-closed` for a host) and is forgotten.
  void goingAway(ConnectionId id, TimePoint now);
  // A WebSocket ping or pong: costs a token of the connection's rate limit like a message
  // (no reply can be refused, but a flood of them is closed like any other).
  void control(ConnectionId id, TimePoint now);
  // The sink's backlog went down: hand over more of what was held for this peer.
  void drain(ConnectionId id);
  // Removes peers whose resume window passed and closes connections that never said hello
  // within the handshake timeout, and sends renewed ICE servers (`ice-servers`) to peers
  // whose minted credentials are due. Call periodically (the server does, every 250 ms).
  void expire(TimePoint now);

  // Introspection for tests, simulations and /metrics.
  std::size_t roomCount() const { return rooms_.size(); }
  std::size_t connectionCount() const { return connections_.size(); }
  std::size_t peerCount() const { return sessions_.size(); }     // includes peers away
  std::size_t queuedBytes() const { return queuedBytesTotal_; }  // held for away/resuming peers
  std::vector<protocol::PeerInfo> members(std::string_view room) const;  // everyone, host first
  std::optional<protocol::Mode> roomMode(std::string_view room) const;
  std::optional<std::string> peerIdOf(ConnectionId id) const;  // after hello
  const RegistryStats& stats() const { return stats_; }
  const RegistryConfig& config() const { return config_; }

  // The video server's side of rooms (null: none; SFU messages are then refused).
  void setObserver(RoomObserver* observer) { observer_ = observer; }
  // A message from the observer to `peer`, delivered only while it is still in `room` (held
  // for it while it is away). False: it is not.
  bool sendToMember(const std::string& room, const std::string& peer,
                    const protocol::Message& message);

  // Durable state for a graceful restart (server/registry_state.cpp): rooms and peer
  // sessions with their resume tokens, no connections. importState() puts every peer in
  // its resume window from `now`, so clients that reconnect with their token resume as if
  // the server had never gone: same peer ids, no peer-left/peer-joined churn. Returns the
  // number of peers restored, or nullopt (and changes nothing) for malformed state.
  // `onlyRoom`: that room alone, with its members' sessions and its reservation, in the same
  // form (the cluster keeps each room's state in Redis so another node can take it over).
  nlohmann::json exportState(std::optional<std::string_view> onlyRoom = std::nullopt) const;
  std::optional<std::size_t> importState(const nlohmann::json& state, TimePoint now);

  // Cluster hand-off (server/registry_handoff.cpp, used only with --redis). A peer that said
  // hello here but whose room lives on another node moves there: release() forgets its
  // connection and session without a word to anyone (only a peer in no room and waiting for
  // nothing can move), adopt() on the room's node takes it in under the same peer id and
  // resume token and what its hello said it can use, as if its hello had been answered there.
  struct Handoff {
    std::string peerId;
    std::string resumeToken;
    std::string address;
    bool sfu = false;  // its hello said it can use the video server
  };
  std::optional<Handoff> release(ConnectionId id);
  // 0 when the peer id is already taken here (nothing changes then).
  ConnectionId adopt(ClientSink& sink, TimePoint now, const Handoff& handoff);
  // The remote address a connection was opened with ("" when unknown or gone): a resuming
  // client moves to its room's node without a hand-off, its address with it.
  std::string addressOf(ConnectionId id) const;
  // Every peer in a room, as {resume token, room}, so the cluster can tell other nodes where
  // a resuming client belongs.
  std::vector<std::pair<std::string, std::string>> resumeTokens() const;
  std::vector<std::string> roomIds() const;

 private:
  struct Session;
  struct Connection {
    ClientSink* sink = nullptr;
    TimePoint connectedAt;
    MessageBudget budget;     // messages and bytes, refilled at budgetRate_
    TokenBucket errorBudget;  // error replies, refilled at errorRate_; empty -> closed
    TimePoint lastSeen;       // the clock of the latest receive(), for error accounting
    std::uint32_t limitedInRow = 0;
    bool tooManyErrors = false;  // set by sendError(); receive() closes after the handler
    // Its peer, null until hello: a pointer into sessions_ (whose nodes never move), so a
    // message finds its sender without hashing the peer id, and no copy of the id is kept.
    Session* session = nullptr;
    std::string address;  // remote IP address ("" when unknown)
  };
  struct Session {  // a peer: outlives its socket for the resume window
    protocol::PeerInfo info;
    std::string resumeToken;
    // The token this session resumed with: still honoured until the client sends anything
    // on its new connection (proof that the welcome carrying resumeToken arrived), so a
    // welcome lost in a second drop does not cost the session.
    std::string previousToken;
    std::string room;        // empty: not in a room
    std::string waitingFor;  // a viewer's join{wait}: the broadcast id it waits for
    ConnectionId conn = 0;   // 0: away (in its resume window)
    TimePoint awaySince;
    // Frames addressed to it while away, then while a resumed socket catches up on them
    // (handed over at the reader's pace by pump()). Bytes counted in queuedBytes.
    CompactQueue<Frame> queued;
    std::size_t queuedBytes = 0;
    TimePoint iceRenewAt;  // when its minted ICE servers are sent again
    // Who it entered the room as: its token's role (none without tokens), and the identity a
    // ban follows (the token's `sub`, else its name; without tokens the remote address).
    std::optional<TokenRole> tokenRole;
    std::string identity;
    bool sfu = false;  // its hello said it can use the video server
  };
  struct Room {
    protocol::Mode mode = protocol::Mode::Conference;
    bool audioOnly = false;
    std::vector<std::string> members;      // peer ids in join order; a broadcast host is first
    std::vector<std::string> moderators;   // peer ids, in the order they became moderators
    bool locked = false;                   // new joins refused (room_locked)
    std::optional<PasswordHash> password;  // a conference's password, set by its creator
    std::set<std::string> bannedPeers;     // removed "for the room's lifetime"
    std::set<std::string> bannedIdentities;
  };
  // A broadcast id kept for the holders of its host password (room_access.cpp).
  struct Reservation {
    PasswordHash password;
    bool live = false;  // the broadcast exists; else it lapses at `until`
    TimePoint until{};
  };
  struct EntryRequest {     // room_access.cpp: what create/join asked for
    std::string_view type;  // "create" | "join", for the error's offendingType
    const std::string& room;
    const std::string& name;
    const std::string& token;
    const std::string& password;
  };
  struct Grant {
    std::string name;  // canonical, not yet made distinct
    std::optional<TokenRole> tokenRole;
    std::string identity;
  };

  void dispatch(ConnectionId id, Connection& conn, std::string_view text, TimePoint now);
  void handle(Connection& conn, Session& self, protocol::Message& message, TimePoint now);
  void onHello(ConnectionId id, Connection& conn, const protocol::Hello& hello, TimePoint now);
  void onCreate(Session& self, const protocol::Create& create, TimePoint now);
  void onJoin(Session& self, const protocol::Join& join, TimePoint now);
  bool admit(Connection& conn, Session& self, std::string_view type, bool entersRoom,
             bool needsRoom);
  void relaySignal(Connection& conn, Session& self, const std::string& to,
                   std::string_view rawData);
  void onChat(Session& self, protocol::Chat& chat, TimePoint now);
  void onMedia(Session& self, const protocol::SetMedia& media);
  void onLeave(Session& self);
  void onSfu(Connection& conn, Session& self, protocol::Message& message);

  // room_access.cpp. Step one of create/join, before the room is looked at: a valid token
  // for this room when tokens are required, and the name (the token's, or the message's, in
  // its stored form). Step two, once the action is known: the token's role, bans, the lock,
  // passwords and broadcast reservations. Both send the refusal and return nothing/false.
  std::optional<Grant> grantFor(Connection& conn, const EntryRequest& request, TimePoint now);
  bool mayEnter(Connection& conn, Session& self, const Grant& grant, const EntryRequest& request,
                EntryAction action, const Room* room, TimePoint now);
  // The first person's password: a conference's entry password, or a broadcast's reservation.
  void claimRoom(const std::string& roomId, Room& room, const EntryRequest& request,
                 EntryAction action);
  void broadcastEnded(const std::string& roomId);  // its reservation starts to lapse
  void expireAccess(TimePoint now);
  // Enters the room under a name no member has yet ("Bob (2)"), told to everyone who can see;
  // `moderates`: it becomes one of the room's moderators.
  void enterRoom(Session& self, const std::string& roomId, Room& room, protocol::Role role,
                 bool moderates);
  protocol::Joined joinedFor(const Session& self, const std::string& roomId, const Room& room,
                             bool resumed) const;
  void waitFor(Connection& conn, Session& self, const protocol::Join& join);
  void stopWaiting(Session& self);
  // A broadcast went live: the viewers waiting for it enter `room` (its Room).
  void admitWaiting(const std::string& roomId, Room& room);
  void leaveRoom(Session& self);  // fans out peer-left, or closes a broadcast its host leaves

  // room_moderation.cpp: what moderators may do, and handing the role on.
  bool isModerator(const Room& room, const std::string& peerId) const;
  bool moderatorOnly(Connection& conn, Session& self, const Room& room, std::string_view type);
  Session* targetOf(Connection& conn, Session& self, const std::string& peerId,
                    std::string_view type);
  void onRemove(Connection& conn, Session& self, const protocol::Remove& remove);
  void onRequestMute(Connection& conn, Session& self, const protocol::RequestMute& request);
  void onLock(Connection& conn, Session& self, const protocol::Lock& lock);
  void onEndRoom(Connection& conn, Session& self);
  // A moderator left: with none left in a conference, the longest-present member takes over.
  void moderatorLeft(Room& room);
  void sendRoomState(const Room& room, const std::string& by, const std::string& except = {});
  void removeSession(const std::string& peerId);
  void dropConnection(ConnectionId id, TimePoint now);  // detaches; the session goes away
  std::vector<protocol::PeerInfo> visibleTo(const Session& self, const Room& room) const;
  bool canSee(const Room& room, const Session& a, const Session& b) const;

  void sendTo(Connection& conn, const protocol::Message& message);
  void deliverFrame(Session& peer, const Frame& frame, bool queueIfAway);
  void enqueue(Session& peer, const Frame& frame);
  void popQueued(Session& peer);
  void pump(Session& peer);  // hands queued frames to the peer's sink while it has room
  bool floodStrike(ConnectionId id, Connection& conn, TimePoint now);  // true: closed
  void sendError(Connection& conn, protocol::ErrorCode code, std::string message, std::string type);
  void closeWith(ConnectionId id, protocol::ErrorCode code, std::string message, std::string type,
                 TimePoint now);
  std::string uniqueId();
  protocol::Welcome welcome(Session& session, TimePoint now);
  std::vector<protocol::IceServer> mintIceServers(Session& session, TimePoint now);
  void renewIceServers(TimePoint now);

  RegistryConfig config_;
  MessageBudget::Rate budgetRate_;  // every connection's budget, from config_
  TokenBucket::Rate errorRate_;     // and its error budget
  std::function<std::string()> newId_;
  ConnectionId nextConnection_ = 1;
  std::unordered_map<ConnectionId, Connection> connections_;
  std::unordered_map<std::string, Session> sessions_;    // by peer id
  // Resume token -> its session (nodes never move; a session's tokens go before it does).
  std::unordered_map<std::string, Session*> tokens_;
  std::map<std::string, Room, std::less<>> rooms_;
  // Viewers waiting for a broadcast that is not live yet, by its id, in arrival order
  // (at most maxRoomSize per id; a session waits for one id at a time).
  std::map<std::string, std::vector<std::string>, std::less<>> waiting_;
  RegistryStats stats_;
  std::size_t queuedBytesTotal_ = 0;
  std::map<std::string, Reservation, std::less<>> reservations_;  // broadcast ids with a password
  WrongPasswordLimit wrongPasswords_;
  TimePoint now_{};  // the clock of the latest call in (receive, expire, disconnect)
  RoomObserver* observer_ = nullptr;
};

}  // namespace vroom::server
