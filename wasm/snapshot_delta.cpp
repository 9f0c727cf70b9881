// Sections of the snapshot as the JS API names them, and the chat history as a delta (the
// session keeps the newest maxChatEntries, so entries also leave from the front).
#include "snapshot_delta.hpp"

#include <nlohmann/json.hpp>

namespace vroom {
namespace {

using json = nlohmann::json;

std::string_view codeName(const SessionError& error) {
  return error.code == SessionErrorCode::None ? std::string_view() : toString(error.code);
}

bool sameSession(const SessionSnapshot& a, const SessionSnapshot& b) {
  return a.state == b.state && a.reason == b.reason && a.recovery == b.recovery &&
         a.reconnectAttempt == b.reconnectAttempt && a.room == b.room && a.mode == b.mode &&
         a.audioOnly == b.audioOnly && a.self == b.self && a.error == b.error &&
         a.notice == b.notice && a.locked == b.locked && a.moderation == b.moderation;
}

json sessionJson(const SessionSnapshot& s) {
  return {
      {"state", toString(s.state)},
      {"reason", s.reason},
      {"recovery", toString(s.recovery)},
      {"reconnectAttempt", s.reconnectAttempt},
      {"room", s.room},
      {"mode", protocol::toString(s.mode)},
      {"audioOnly", s.audioOnly},
      {"self",
       {{"id", s.self.id},
        {"name", s.self.name},
        {"role", protocol::toString(s.self.role)},
        {"moderator", s.self.moderator}}},
      {"locked", s.locked},
      {"errorCode", codeName(s.error)},
      {"error", s.error.message},
      {"noticeCode", codeName(s.notice)},
      {"notice", s.notice.message},
      {"moderation",
       {{"seq", s.moderation.seq},
        {"action", s.moderation.action},
        {"peer", s.moderation.peer},
        {"peerName", s.moderation.peerName},
        {"by", s.moderation.by},
        {"byName", s.moderation.byName},
        {"ban", s.moderation.ban}}},
  };
}

json membersJson(const std::vector<MemberSnapshot>& members) {
  json out = json::array();
  for (const MemberSnapshot& m : members) {
    out.push_back({
        {"id", m.id},
        {"name", m.name},
        {"role", protocol::toString(m.role)},
        {"moderator", m.moderator},
        {"connection", toString(m.connection)},
        {"media", {{"audio", m.media.audio}, {"video", m.media.video}, {"screen", m.media.screen}}},
        {"speaking", m.speaking},
        {"cameraStreamId", m.cameraStreamId},
        {"screenStreamId", m.screenStreamId},
        {"audioStreamId", m.audioStreamId},
    });
  }
  return out;
}

json localJson(const LocalMediaSnapshot& l) {
  json devices = json::array();
  for (const DeviceInfo& d : l.devices)
    devices.push_back({{"deviceId", d.deviceId}, {"kind", toString(d.kind)}, {"label", d.label}});
  return {
      {"microphone", l.microphoneOn},
      {"camera", l.cameraOn},
      {"screenSharing", l.sharing},
      {"acquiring", l.acquiring},
      {"hasAudio", l.hasMicrophone},
      {"hasVideo", l.hasCamera},
      {"streamId", l.streamId},
      {"screenStreamId", l.screenStreamId},
      {"audioInputId", l.audioInputId},
      {"videoInputId", l.videoInputId},
      {"audioOutputId", l.audioOutputId},
      {"devices", std::move(devices)},
  };
}

json chatEntryJson(const ChatEntry& c) {
  return {{"from", c.from}, {"name", c.name}, {"text", c.text}, {"ts", c.ts}, {"mine", c.mine}};
}

// How many of the oldest `before` entries are gone: the smallest k for which what is left of
// `before` is where `after` starts (checked at both ends, which is enough for a history that
// only grows at the back and shrinks at the front); before.size() when nothing is shared.
std::size_t droppedFront(const std::vector<ChatEntry>& before,
                         const std::vector<ChatEntry>& after) {
  for (std::size_t k = 0; k < before.size(); ++k) {
    const std::size_t kept = before.size() - k;
    if (kept <= after.size() && before[k] == after[0] && before.back() == after[kept - 1]) return k;
  }
  return before.size();
}

}  // namespace

std::string snapshotDelta(const SessionSnapshot* before, const SessionSnapshot& after) {
  json out = {{"revision", after.revision}};
  if (!before || !sameSession(*before, after)) out["session"] = sessionJson(after);
  if (!before || before->members != after.members) out["members"] = membersJson(after.members);
  if (!before || before->local != after.local) out["local"] = localJson(after.local);
  const std::vector<ChatEntry> none;
  const std::vector<ChatEntry>& old = before ? before->chat : none;
  const bool sameChat =
      old.size() == after.chat.size() &&
      (old.empty() || (old.front() == after.chat.front() && old.back() == after.chat.back()));
  if (!before || !sameChat) {
    const std::size_t drop = droppedFront(old, after.chat);
    json append = json::array();
    for (std::size_t i = old.size() - drop; i < after.chat.size(); ++i)
      append.push_back(chatEntryJson(after.chat[i]));
    out["chat"] = {{"drop", drop}, {"append", std::move(append)}};
  }
  // Replace, not abort, on text that is not UTF-8 (a device label with a lone surrogate).
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vroom
