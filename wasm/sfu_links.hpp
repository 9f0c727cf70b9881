// SfuLinks: PeerLinks through the server's video server (SFU): one publisher connection carrying
// the local tracks up, one subscriber connection carrying every remote member's streams down,
// both negotiated with the server's `sfu-*` messages (docs/protocol.md, "Media path").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "clock.hpp"
#include "local_media_state.hpp"
#include "peer_links.hpp"
#include "peer_negotiator.hpp"

namespace vroom {

class SfuLinks final : public PeerLinks {
 public:
  // `local` is read whenever the publisher's senders are brought in step; it must outlive this.
  SfuLinks(Clock& clock, PeerConnectionFactory factory, NegotiatorConfig config,
           const LocalMediaState& local, PeerLinkEvents events);
  ~SfuLinks() override;
  SfuLinks(const SfuLinks&) = delete;
  SfuLinks& operator=(const SfuLinks&) = delete;

  void setSelf(LinkSelf self) override { self_ = std::move(self); }
  void setIceServers(std::vector<protocol::IceServer> servers) override;
  // Members are whose streams may arrive on the subscriber link; `offer` does not apply (the
  // server offers the subscriber link, this side offers the publisher link).
  void addMember(const protocol::PeerInfo& member, bool offer) override;
  void removeMember(const std::string& memberId) override;
  void clear() override;
  void localTracksChanged() override;
  // A `signal` belongs to the mesh: ignored here.
  void handleSignal(const protocol::Signal& signal) override;
  void resumed() override;
  void restartIce(const std::string& memberId) override;

  LinkState state(const std::string& memberId) const override;
  std::vector<RemoteTrack> remoteTracks(const std::string& memberId) const override;
  bool restarting() const override;
  const PeerNegotiator* negotiatorFor(const std::string& memberId) const override;
  std::size_t connectionCount() const override;

  // ---- the SFU's own messages ----
  // `media-path {sfu}`: a new epoch (the room moved, or the video server was rebuilt) drops
  // both links and publishes again (when `publish`); the same epoch again (after a resume)
  // keeps what is there.
  void setMediaPath(const protocol::MediaPath& path);
  // The server's `sfu-offer` (the subscriber link, with its streams), `sfu-answer` (the
  // publisher link), `sfu-send-layer` (the camera's layers above it stop being encoded) or
  // `sfu-hangup` (that link's connection is made anew). Other messages are ignored.
  void handleSfu(const protocol::Message& message);
  // The layer wanted of a member's video; sends `sfu-layer` when it is new or changes (and
  // only for members whose video the subscriber link carries).
  void setLayer(const std::string& memberId, protocol::Layer layer);
  protocol::Layer layer(const std::string& memberId) const;

  // The member a subscriber mid carries ("" when the last offer did not name it).
  std::string memberOf(const std::string& mid) const;
  // The subscriber mids that carry a member's streams (none when the last offer named none).
  std::vector<std::string> midsOf(const std::string& memberId) const;
  std::int64_t epoch() const { return epoch_; }
  protocol::Layer sendLayer() const { return sendLayer_; }
  const PeerNegotiator* publisher() const { return publisher_.get(); }
  const PeerNegotiator* subscriber() const { return subscriber_.get(); }

 private:
  std::unique_ptr<PeerNegotiator> makeNegotiator(protocol::SfuLink link);
  // Both connections and everything learnt on them (streams, tracks, layers, senders); the
  // members, the epoch and the publish right stay.
  void dropLinks();
  void dropPublisher();
  void dropSubscriber();
  void publish();
  void attachLocal(bool ensureTransceivers);
  bool carriesVideoOf(const std::string& memberId) const;
  // The camera's simulcast encodings, those above sendLayer_ inactive.
  std::vector<SendEncoding> cameraEncodings() const;

  Clock& clock_;
  PeerConnectionFactory factory_;
  NegotiatorConfig config_;
  const LocalMediaState& local_;
  PeerLinkEvents events_;
  LinkSelf self_;
  std::vector<protocol::IceServer> iceServers_;
  std::set<std::string> members_;

  std::int64_t epoch_ = -1;  // -1: no media path yet
  bool publish_ = false;
  std::unique_ptr<PeerNegotiator> publisher_, subscriber_;
  SenderId audioSender_, videoSender_, screenSender_;
  std::string audioTrack_, videoTrack_, screenTrack_;  // what each publisher sender carries
  bool attached_ = false;
  // The highest camera layer anyone watches (sfu-send-layer). A new upload starts at Low
  // until the server, which counts a viewer not laid out yet as Low, says more.
  protocol::Layer sendLayer_ = protocol::Layer::Low;

  std::vector<protocol::SfuStream> streams_;       // the last subscriber offer's mids
  std::vector<RemoteTrack> tracks_;                // received on the subscriber link, in order
  std::map<std::string, protocol::Layer> layers_;  // asked of each member's video
};

}  // namespace vroom
