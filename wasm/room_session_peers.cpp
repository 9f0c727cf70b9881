// RoomSession's members: who they are, who offers to whom (the connections themselves are
// the PeerLinks'), what the snapshot shows of each, and who is speaking.
#include "room_session.hpp"

#include <algorithm>

namespace vroom {

RoomSession::Member* RoomSession::findMember(const std::string& id) {
  for (auto& member : members_)
    if (member.info.id == id) return &member;
  return nullptr;
}

const RoomSession::Member* RoomSession::findMember(const std::string& id) const {
  for (const auto& member : members_)
    if (member.info.id == id) return &member;
  return nullptr;
}

bool RoomSession::sendsMedia() const {
  return self_.role != protocol::Role::Viewer;
}

void RoomSession::introduceSelf() {
  links_->setSelf(LinkSelf{self_.id, sendsMedia(), audioOnly_});
}

void RoomSession::addMember(const protocol::PeerInfo& info, bool offer) {
  if (info.id.empty() || info.id == self_.id) return;
  if (Member* existing = findMember(info.id)) {
    existing->info = info;
    return;
  }
  // Broadcast viewers see only the host and never connect to each other.
  if (self_.role == protocol::Role::Viewer && info.role != protocol::Role::Host) return;
  members_.push_back(Member{info, false});
  links_->addMember(info, offer);
}

void RoomSession::removeMember(const std::string& id) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const Member& m) { return m.info.id == id; });
  if (it == members_.end()) return;
  members_.erase(it);
  links_->removeMember(id);
  if (moving_) moving_->removeMember(id);
  changed();
}

void RoomSession::reconcileMembers(const std::vector<protocol::PeerInfo>& members) {
  std::vector<std::string> gone;
  for (const auto& member : members_)
    if (std::none_of(members.begin(), members.end(),
                     [&](const protocol::PeerInfo& p) { return p.id == member.info.id; }))
      gone.push_back(member.info.id);
  for (const auto& id : gone) removeMember(id);
  const bool host = self_.role == protocol::Role::Host;
  // Newcomers met while away offered to us (their signals were queued); a host still
  // offers to viewers itself.
  for (const auto& peer : members) addMember(peer, host && peer.role == protocol::Role::Viewer);
}

void RoomSession::clearMembers() {
  endMove();
  links_->clear();
  const bool wereMembers = !members_.empty();
  members_.clear();
  // A room entered again starts on the mesh; its `media-path` follows `joined` if not.
  if (sfu_) useLinks(protocol::MediaPathKind::Mesh);
  if (!wereMembers) return;
  changed();
}

MemberSnapshot RoomSession::memberSnapshot(const Member& member) const {
  MemberSnapshot out;
  out.id = member.info.id;
  out.name = member.info.name;
  out.role = member.info.role;
  out.media = member.info.media;
  out.speaking = member.speaking;
  const PeerLinks& links = linksFor(member.info.id);
  out.connection = links.state(member.info.id);
  std::vector<std::string> videoStreams;
  for (const auto& track : links.remoteTracks(member.info.id)) {
    if (track.kind == MediaKind::Audio) {
      if (out.audioStreamId.empty()) out.audioStreamId = track.streamId;
    } else if (std::find(videoStreams.begin(), videoStreams.end(), track.streamId) ==
               videoStreams.end()) {
      videoStreams.push_back(track.streamId);
    }
  }
  // A second video stream is a screen added next to the camera; a single one carries the
  // screen in place of the camera while the peer says it is sharing.
  if (videoStreams.size() >= 2) {
    out.cameraStreamId = videoStreams[0];
    out.screenStreamId = videoStreams[1];
  } else if (videoStreams.size() == 1) {
    (member.info.media.screen ? out.screenStreamId : out.cameraStreamId) = videoStreams[0];
  }
  return out;
}

const PeerNegotiator* RoomSession::negotiatorFor(const std::string& peerId) const {
  return linksFor(peerId).negotiatorFor(peerId);
}

std::size_t RoomSession::peerConnectionCount() const {
  return links_->connectionCount() + (moving_ ? moving_->connectionCount() : 0);
}

void RoomSession::restartIce(const std::string& peerId) {
  linksFor(peerId).restartIce(peerId);
}

void RoomSession::setAudioLevel(const std::string& peerId, double level) {
  const bool speaking = level >= config_.speakingThreshold;
  bool* flag = &selfSpeaking_;
  if (!peerId.empty()) {
    Member* member = findMember(peerId);
    if (!member) return;
    flag = &member->speaking;
  }
  if (*flag == speaking) return;  // levels move constantly; only the flag is news
  *flag = speaking;
  changed();
}

}  // namespace vroom
