// What ImGui draws from a snapshot, as one comparable value.
#include "frame_difference.hpp"

#include <algorithm>

namespace vroom::ui {
namespace {

// The tiles (speaking rings, connection notices, muted marks) are the page's, so they are left
// out unless a panel lists them.
struct Drawn {
  SessionState state;
  std::string reason;
  Recovery recovery;
  std::string room;
  protocol::Mode mode;
  bool audioOnly;
  SelfSnapshot self;
  SessionError error;
  SessionError notice;
  bool locked;
  LocalMediaSnapshot local;
  std::size_t people;
  std::size_t viewers;
  std::vector<MemberSnapshot> members;  // only while a panel lists them
  std::size_t chat;
  const ChatEntry* lastChat;
  bool operator==(const Drawn& o) const {
    return state == o.state && reason == o.reason && recovery == o.recovery && room == o.room &&
           mode == o.mode && audioOnly == o.audioOnly && self == o.self && error == o.error &&
           notice == o.notice && locked == o.locked && local == o.local && people == o.people &&
           viewers == o.viewers && members == o.members && chat == o.chat &&
           (lastChat == o.lastChat || (lastChat && o.lastChat && *lastChat == *o.lastChat));
  }
};

Drawn drawnPart(const SessionSnapshot& s, bool listsMembers, bool listsSpeaking) {
  Drawn d{s.state,  s.reason,    s.recovery,    s.room,
          s.mode,   s.audioOnly, s.self,        s.error,
          s.notice, s.locked,    s.local,       s.members.size(),
          0,        {},          s.chat.size(), s.chat.empty() ? nullptr : &s.chat.back()};
  d.local.speaking = listsSpeaking && d.local.speaking;
  for (const MemberSnapshot& m : s.members) d.viewers += m.role == protocol::Role::Viewer;
  if (listsMembers) {
    d.members = s.members;
    if (!listsSpeaking)
      for (MemberSnapshot& m : d.members) m.speaking = false;
  }
  return d;
}

}  // namespace

bool roomDrawsDifference(const SessionSnapshot& before, const SessionSnapshot& after, Panel open) {
  const bool lists = open == Panel::People || open == Panel::Stats;
  const bool speaking = open == Panel::People;
  return !(drawnPart(before, lists, speaking) == drawnPart(after, lists, speaking));
}

bool settingUpCall(const SessionSnapshot& s, double msInRoom) {
  if (s.state == SessionState::Connecting || s.state == SessionState::Hello ||
      s.state == SessionState::Joining)
    return true;
  if (s.state != SessionState::Joined || msInRoom >= kCallSetupMs) return false;
  return std::any_of(s.members.begin(), s.members.end(), [](const MemberSnapshot& m) {
    return m.connection == LinkState::Connecting;
  });
}

}  // namespace vroom::ui
