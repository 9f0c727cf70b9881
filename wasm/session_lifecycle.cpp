// The lifecycle's transitions, all of them, and how a lifecycle state reads as the public
// SessionState and Recovery.
#include "session_lifecycle.hpp"

namespace vroom {

std::optional<SessionLifecycle> SessionLifecycle::next(LifecycleEvent event) const {
  using E = LifecycleEvent;
  const bool live = !ended();
  switch (event) {
    case E::Begin:
      if (live) return std::nullopt;  // already in (or on the way into) a room
      return SessionLifecycle{Stage::Opening, Entry::First};
    case E::SocketOpened:
      if (stage != Stage::Opening) return std::nullopt;
      return SessionLifecycle{Stage::Hello, entry};
    case E::Dropped:
      if (!live) return std::nullopt;
      // Dropped while in the room: what follows is a resume (a full rejoin stays one).
      return SessionLifecycle{Stage::Backoff, stage == Stage::Joined ? Entry::Resume : entry};
    case E::RetryDue:
      if (stage != Stage::Backoff) return std::nullopt;
      return SessionLifecycle{Stage::Opening, entry};
    case E::Welcomed:
      if (stage != Stage::Hello) return std::nullopt;
      // The server no longer knows us: a return becomes a full rejoin.
      return SessionLifecycle{Stage::Entering,
                              entry == Entry::First ? Entry::First : Entry::Rejoin};
    case E::WelcomedResumed:
      if (stage != Stage::Hello) return std::nullopt;
      return SessionLifecycle{Stage::Entering, entry};
    case E::Waiting:
      if (stage != Stage::Entering) return std::nullopt;
      return SessionLifecycle{Stage::Waiting, entry};
    case E::Joined:
      if (stage != Stage::Entering && stage != Stage::Waiting) return std::nullopt;
      return SessionLifecycle{Stage::Joined, Entry::First};
    case E::Left:
      if (!live) return std::nullopt;
      return SessionLifecycle{Stage::Left, Entry::First};
    case E::Failed:
      if (!live) return std::nullopt;
      return SessionLifecycle{Stage::Failed, Entry::First};
  }
  return std::nullopt;
}

SessionState SessionLifecycle::state() const {
  const bool first = entry == Entry::First;
  switch (stage) {
    case Stage::Idle:
      return SessionState::Idle;
    case Stage::Backoff:
    case Stage::Opening:
      return first ? SessionState::Connecting : SessionState::Reconnecting;
    case Stage::Hello:
      return first ? SessionState::Hello : SessionState::Reconnecting;
    case Stage::Entering:
      return first ? SessionState::Joining : SessionState::Reconnecting;
    case Stage::Waiting:
      return SessionState::Waiting;
    case Stage::Joined:
      return SessionState::Joined;
    case Stage::Left:
      return SessionState::Left;
    case Stage::Failed:
      return SessionState::Failed;
  }
  return SessionState::Idle;
}

Recovery SessionLifecycle::recovery(bool linksRestarting) const {
  if (stage == Stage::Joined) return linksRestarting ? Recovery::IceRestart : Recovery::None;
  if (ended()) return Recovery::None;
  switch (entry) {
    case Entry::First:
      return Recovery::None;
    case Entry::Resume:
      return Recovery::SignalingReconnect;
    case Entry::Rejoin:
      return Recovery::FullRejoin;
  }
  return Recovery::None;
}

bool SessionLifecycle::socketUp() const {
  return stage == Stage::Hello || stage == Stage::Entering || stage == Stage::Waiting ||
         stage == Stage::Joined;
}

}  // namespace vroom
