// RoomSession's media path: the mesh's links until the server says `media-path {sfu}`, then the
// video server's (SfuLinks), given the same self, ICE servers and members; during the move the
// mesh stays up and shows each member until the video server carries it (make before break); a
// new epoch is the SfuLinks' to rebuild.
#include "mesh_links.hpp"
#include "room_session.hpp"
#include "sfu_links.hpp"

namespace vroom {

std::unique_ptr<PeerLinks> RoomSession::makeLinks(protocol::MediaPathKind kind) {
  PeerLinkEvents events{[this](const protocol::Message& message) { send(message); },
                        [this] { changed(); }, [this](SessionError error) { setError(error); }};
  if (kind == protocol::MediaPathKind::Sfu)
    return std::make_unique<SfuLinks>(clock_, peerConnections_, config_.negotiation, local_,
                                      std::move(events));
  return std::make_unique<MeshLinks>(clock_, peerConnections_, config_.negotiation, local_,
                                     std::move(events));
}

void RoomSession::useLinks(protocol::MediaPathKind kind) {
  endMove();
  const bool move = kind == protocol::MediaPathKind::Sfu && !sfu_ && inRoom() && !members_.empty();
  if (move)
    moving_ = std::move(links_);  // the mesh keeps every tile playing meanwhile
  else
    links_->clear();
  links_ = makeLinks(kind);  // the old links close whatever they still held
  sfu_ = kind == protocol::MediaPathKind::Sfu ? static_cast<SfuLinks*>(links_.get()) : nullptr;
  links_->setIceServers(iceServers_);
  if (move)
    moveTimer_.start(kMoveMs, [this] {
      endMove();
      changed();
    });
  if (!inRoom()) return;
  introduceSelf();
  // Who offers does not apply to the video server's links (it offers the subscriber link).
  for (const auto& member : members_) links_->addMember(member.info, false);
}

PeerLinks& RoomSession::linksFor(const std::string& memberId) const {
  if (!moving_) return *links_;
  const bool carried =
      links_->state(memberId) == LinkState::Connected && !links_->remoteTracks(memberId).empty();
  return carried ? *links_ : *moving_;
}

void RoomSession::endMove() {
  moveTimer_.cancel();
  if (!moving_) return;
  moving_->clear();
  moving_.reset();
}

void RoomSession::tracksChanged() {
  links_->localTracksChanged();
  if (moving_) moving_->localTracksChanged();
}

void RoomSession::handle(const protocol::MediaPath& path) {
  if (!inRoom()) return;
  if (path.path != mediaPath()) useLinks(path.path);  // the room moved
  if (sfu_) sfu_->setMediaPath(path);
  // On the video server (again): what said it could not be reached is no longer true.
  if (sfu_ && error_.code == SessionErrorCode::SfuUnavailable) error_ = {};
  changed();
}

void RoomSession::wantLayers(const std::map<std::string, protocol::Layer>& layers) {
  if (!sfu_ || !inRoom()) return;
  for (const auto& member : members_) {
    auto it = layers.find(member.info.id);
    sfu_->setLayer(member.info.id, it == layers.end() ? protocol::Layer::Off : it->second);
  }
}

}  // namespace vroom
