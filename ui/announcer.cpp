// The announcement rules: one sentence per event, chat read in full until it gets busy.
#include "announcer.hpp"

#include <unordered_map>

namespace vroom::ui {
namespace {

std::string listNames(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  if (names.size() == 1) return names[0];
  if (names.size() == 2) return names[0] + " and " + names[1];
  return names[0] + ", " + names[1] + " and " + std::to_string(names.size() - 2) + " more";
}

bool inRoom(SessionState state) {
  return state == SessionState::Joined || state == SessionState::Reconnecting;
}

}  // namespace

std::vector<std::string> Announcer::update(const SessionSnapshot* before,
                                           const SessionSnapshot& after, double nowMs) {
  std::vector<std::string> out;
  const SessionState was = before ? before->state : SessionState::Idle;
  if (after.state != was) {
    if (after.state == SessionState::Joined && was == SessionState::Reconnecting)
      out.push_back("Reconnected.");
    else if (after.state == SessionState::Joined)
      out.push_back("You joined " + after.room + ".");
    else if (after.state == SessionState::Reconnecting)
      out.push_back("Connection lost, reconnecting.");
    else if (after.state == SessionState::Left && inRoom(was))
      out.push_back("You left the room.");
  }
  // Members: only while both sides are in the room (joining lists everyone at once).
  if (before && inRoom(was) && inRoom(after.state)) {
    std::unordered_map<std::string, const MemberSnapshot*> old;
    for (const MemberSnapshot& m : before->members) old[m.id] = &m;
    for (const MemberSnapshot& m : after.members) {
      const auto it = old.find(m.id);
      if (it == old.end()) {
        out.push_back(m.name + " joined.");
        continue;
      }
      const MemberSnapshot& o = *it->second;
      if (o.media.audio != m.media.audio)
        out.push_back(m.name + (m.media.audio ? " turned their microphone on." : " muted."));
      if (o.connection != m.connection && m.connection == LinkState::Failed)
        out.push_back("Connection to " + m.name + " lost.");
      old.erase(it);
    }
    for (const MemberSnapshot& m : before->members)
      if (old.count(m.id)) out.push_back(m.name + " left.");
  }
  chat(before, after, nowMs, out);
  const SessionError none;
  const SessionError& lastError = before ? before->error : none;
  if (after.error.code != SessionErrorCode::None && !(after.error == lastError))
    out.push_back("Error: " + after.error.message);
  const SessionError& lastNotice = before ? before->notice : none;
  if (after.notice.code != SessionErrorCode::None && !(after.notice == lastNotice))
    out.push_back(after.notice.message);
  return out;
}

void Announcer::chat(const SessionSnapshot* before, const SessionSnapshot& after, double nowMs,
                     std::vector<std::string>& out) {
  // New entries: those past the last one `before` had (the history may have dropped old ones).
  std::size_t first = 0;
  if (before && !before->chat.empty()) {
    const ChatEntry& last = before->chat.back();
    first = after.chat.size();
    for (std::size_t i = after.chat.size(); i-- > 0;) {
      if (after.chat[i] == last) break;
      first = i;
    }
  } else if (!before) {
    first = after.chat.size();  // history present at start is not news
  }
  for (std::size_t i = first; i < after.chat.size(); ++i)
    if (!after.chat[i].mine && held_.size() < 1000) held_.push_back(after.chat[i]);
  if (nowMs - windowStartMs_ >= kChatWindowMs) {
    windowStartMs_ = nowMs;
    readInWindow_ = 0;
    summarisedInWindow_ = false;
  }
  if (held_.empty() || summarisedInWindow_) return;
  if (static_cast<int>(held_.size()) <= kChatPerWindow - readInWindow_) {
    for (const ChatEntry& e : held_) out.push_back(e.name + " says: " + e.text);
    readInWindow_ += static_cast<int>(held_.size());
    held_.clear();
    return;
  }
  // Busy: one sentence for everything not yet said, naming who wrote.
  std::vector<std::string> names;
  for (const ChatEntry& e : held_) {
    bool seen = false;
    for (const std::string& n : names) seen |= n == e.name;
    if (!seen) names.push_back(e.name);
  }
  out.push_back(std::to_string(held_.size()) +
                (held_.size() == 1 ? " new message from " : " new messages from ") +
                listNames(names) + ".");
  held_.clear();
  summarisedInWindow_ = true;
}

}  // namespace vroom::ui
