// The plain snapshot of a room session the UI and the JS API render: values only, no
// pointers into the session, a revision that moves on every change.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "enum_names.hpp"
#include "link_state.hpp"
#include "media_devices.hpp"
#include "protocol.hpp"
#include "session_errors.hpp"

namespace vroom {

// Waiting: a viewer whose broadcast is not live yet; the server lets it in when it is.
enum class SessionState {
  Idle,
  Connecting,
  Hello,
  Joining,
  Waiting,
  Joined,
  Reconnecting,
  Left,
  Failed
};
inline constexpr EnumName<SessionState> kSessionStateNames[] = {
    {SessionState::Idle, "idle"},
    {SessionState::Connecting, "connecting"},
    {SessionState::Hello, "hello"},
    {SessionState::Joining, "joining"},
    {SessionState::Waiting, "waiting"},
    {SessionState::Joined, "joined"},
    {SessionState::Reconnecting, "reconnecting"},
    {SessionState::Left, "left"},
    {SessionState::Failed, "failed"}};
constexpr std::string_view toString(SessionState state) {
  return nameOf(kSessionStateNames, state, "idle");
}

// What recovery is under way, in the order the session escalates.
enum class Recovery {
  None,
  SignalingReconnect,  // socket dropped: reconnecting and resuming, peers stay up
  IceRestart,          // at least one peer connection is restarting ICE
  FullRejoin,          // resume refused or expired: joining again, rebuilding peers
};
inline constexpr EnumName<Recovery> kRecoveryNames[] = {
    {Recovery::None, "none"},
    {Recovery::SignalingReconnect, "signaling_reconnect"},
    {Recovery::IceRestart, "ice_restart"},
    {Recovery::FullRejoin, "full_rejoin"}};
constexpr std::string_view toString(Recovery recovery) {
  return nameOf(kRecoveryNames, recovery, "none");
}

struct MemberSnapshot {
  std::string id;
  std::string name;  // as the server assigned it ("Bob (2)")
  protocol::Role role = protocol::Role::Member;
  bool moderator = false;
  LinkState connection = LinkState::Connecting;
  protocol::MediaState media;
  bool speaking = false;
  std::string audioStreamId;
  std::string cameraStreamId;
  std::string screenStreamId;
  bool operator==(const MemberSnapshot&) const = default;
};

struct ChatEntry {
  std::string from;  // peer id
  std::string name;
  std::string text;
  std::int64_t ts = 0;  // server time, ms since the Unix epoch
  bool mine = false;
  bool operator==(const ChatEntry&) const = default;
};

struct LocalMediaSnapshot {
  bool microphoneOn = true;
  bool cameraOn = true;
  bool sharing = false;
  bool acquiring = false;      // getUserMedia in flight
  bool hasMicrophone = false;  // a microphone track exists
  bool hasCamera = false;      // a camera track exists
  bool speaking = false;
  std::string streamId;  // preview stream (camera, else microphone)
  std::string screenStreamId;
  std::string audioInputId, videoInputId, audioOutputId;  // selected devices
  std::vector<DeviceInfo> devices;
  bool operator==(const LocalMediaSnapshot&) const = default;
};

struct SelfSnapshot {
  std::string id;
  std::string name;  // as the server assigned it, which may differ from the one typed
  protocol::Role role = protocol::Role::Member;
  bool moderator = false;  // may remove people, ask them to mute, lock and end the room
  bool operator==(const SelfSnapshot&) const = default;
};

// The latest moderation this client saw: done to it, or done by it (the server's
// acknowledgement). `seq` moves on with each one, so the JS API can tell one from the next.
struct ModerationEvent {
  std::uint64_t seq = 0;  // 0: none yet
  std::string action;     // "remove" | "request-mute" | "lock" | "unlock" | "end-room"
  std::string peer;       // whom it was about (remove, request-mute)
  std::string peerName;
  std::string by;  // the moderator
  std::string byName;
  bool ban = false;  // remove: for the room's lifetime
  bool operator==(const ModerationEvent&) const = default;
};

struct SessionSnapshot {
  SessionState state = SessionState::Idle;
  std::string reason;  // why the session is in this state, for people
  Recovery recovery = Recovery::None;
  int reconnectAttempt = 0;  // 0 unless reconnecting
  std::string room;
  protocol::Mode mode = protocol::Mode::Conference;
  bool audioOnly = false;
  SelfSnapshot self;
  std::vector<MemberSnapshot> members;  // everyone but self, in join order
  std::vector<ChatEntry> chat;
  LocalMediaSnapshot local;
  SessionError error;   // the last error a person should see; code None when none
  SessionError notice;  // a neutral notice (a moderator's mute request); code None when none
  bool locked = false;  // a moderator locked the room to new joins
  ModerationEvent moderation;
  std::uint64_t revision = 0;
};

}  // namespace vroom
