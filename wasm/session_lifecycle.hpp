// SessionLifecycle: where a RoomSession is in one visit to a room, as one value, and the one
// table of how each event moves it. The snapshot's SessionState and Recovery are read from it.
#pragma once

#include <optional>
#include <string_view>

#include "enum_names.hpp"
#include "session_snapshot.hpp"

namespace vroom {

// What the session's conversation with the server is at.
enum class Stage {
  Idle,      // nothing asked yet
  Backoff,   // no socket: waiting before the next attempt
  Opening,   // the socket is opening
  Hello,     // `hello` sent, waiting for `welcome`
  Entering,  // create/join sent (or a resume announced), waiting for `joined`
  Waiting,   // a viewer's broadcast is not live yet: `joined` comes when it is
  Joined,    // in the room
  Left,      // the person left, or the room ended or removed them
  Failed,    // ended with an error
};

// Which entry into the room the stages before Joined are for.
enum class Entry {
  First,   // the first of this visit
  Resume,  // back after a signaling drop: the server may still hold our session, links stay
  Rejoin,  // the server forgot us: joining again from scratch, links rebuilt
};

enum class LifecycleEvent {
  Begin,            // create or join accepted
  SocketOpened,     // the socket is open
  Dropped,          // the socket closed or the handshake timed out: wait, then retry
  RetryDue,         // the backoff is over: open again
  Welcomed,         // `welcome`, our old session not resumed
  WelcomedResumed,  // `welcome{resumed}`: `joined{resumed}` follows
  Waiting,          // `waiting`
  Joined,           // `joined`
  Left,             // leave, the room closed, or we were removed
  Failed,           // an error that ends the visit
};

inline constexpr EnumName<Stage> kStageNames[] = {
    {Stage::Idle, "idle"},     {Stage::Backoff, "backoff"},   {Stage::Opening, "opening"},
    {Stage::Hello, "hello"},   {Stage::Entering, "entering"}, {Stage::Waiting, "waiting"},
    {Stage::Joined, "joined"}, {Stage::Left, "left"},         {Stage::Failed, "failed"}};
inline constexpr EnumName<Entry> kEntryNames[] = {
    {Entry::First, "first"}, {Entry::Resume, "resume"}, {Entry::Rejoin, "rejoin"}};
inline constexpr EnumName<LifecycleEvent> kLifecycleEventNames[] = {
    {LifecycleEvent::Begin, "begin"},       {LifecycleEvent::SocketOpened, "socket_opened"},
    {LifecycleEvent::Dropped, "dropped"},   {LifecycleEvent::RetryDue, "retry_due"},
    {LifecycleEvent::Welcomed, "welcomed"}, {LifecycleEvent::WelcomedResumed, "welcomed_resumed"},
    {LifecycleEvent::Waiting, "waiting"},   {LifecycleEvent::Joined, "joined"},
    {LifecycleEvent::Left, "left"},         {LifecycleEvent::Failed, "failed"}};
constexpr std::string_view toString(Stage stage) {
  return nameOf(kStageNames, stage, "idle");
}
constexpr std::string_view toString(Entry entry) {
  return nameOf(kEntryNames, entry, "first");
}
constexpr std::string_view toString(LifecycleEvent event) {
  return nameOf(kLifecycleEventNames, event, "begin");
}

struct SessionLifecycle {
  Stage stage = Stage::Idle;
  Entry entry = Entry::First;  // meaningful from Backoff to Waiting; First elsewhere

  // The state after `event`, or nothing when this state refuses it.
  std::optional<SessionLifecycle> next(LifecycleEvent event) const;

  // What the snapshot and the JS API show.
  SessionState state() const;
  // `linksRestarting`: some peer link is restarting ICE (only counts while joined).
  Recovery recovery(bool linksRestarting) const;
  // The socket is open (messages may be sent and are read).
  bool socketUp() const;
  // The socket is open or opening: ending the visit closes it.
  bool socketOpen() const { return socketUp() || stage == Stage::Opening; }
  // Nothing under way: a create or join may begin.
  bool ended() const {
    return stage == Stage::Idle || stage == Stage::Left || stage == Stage::Failed;
  }
  // Joined before in this visit: a drop is a reconnect, not a failed first attempt.
  bool returning() const { return stage == Stage::Joined || entry != Entry::First; }

  bool operator==(const SessionLifecycle&) const = default;
};

}  // namespace vroom
