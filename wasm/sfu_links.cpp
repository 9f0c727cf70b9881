// SfuLinks: the publisher link (our tracks up, offered by us), the subscriber link (every remote
// stream down, offered by the server, its mids mapped to members by the offer's `streams`),
// both driven by PeerNegotiator over the `sfu-*` messages instead of `signal`.
#include "sfu_links.hpp"

#include <algorithm>

namespace vroom {

namespace {

// The negotiators' peer ids. PeerNegotiator::isPolite compares ids: "~" sorts after every id
// the server makes, so the publisher (which offers) is impolite; "" sorts first, so the
// subscriber (which only answers) is polite and the server's offers always win.
constexpr const char* kPublisherPeer = "~sfu-publisher";
constexpr const char* kSubscriberPeer = "";

// The camera's simulcast layers, highest first (Janus's default rid order, "hml"): the video
// server forwards each viewer the one that fits its tile (sfu-layer: High, Medium, Low are
// substreams 2, 1, 0). A browser sends fewer where the capture is too small for three.
const std::vector<SendEncoding>& cameraLayers() {
  static const std::vector<SendEncoding> layers{
      {"h", 1, 1'200'000}, {"m", 2, 350'000}, {"l", 4, 120'000}};
  return layers;
}
// The layer each of cameraLayers() is, in the same order.
constexpr protocol::Layer kCameraLayerOf[] = {protocol::Layer::High, protocol::Layer::Medium,
                                              protocol::Layer::Low};

}  // namespace

SfuLinks::SfuLinks(Clock& clock, PeerConnectionFactory factory, NegotiatorConfig config,
                   const LocalMediaState& local, PeerLinkEvents events)
    : clock_(clock),
      factory_(std::move(factory)),
      config_(config),
      local_(local),
      events_(std::move(events)) {}

SfuLinks::~SfuLinks() {
  publisher_.reset();  // each negotiator closes its connection
  subscriber_.reset();
}

void SfuLinks::setIceServers(std::vector<protocol::IceServer> servers) {
  iceServers_ = std::move(servers);
  for (auto* negotiator : {publisher_.get(), subscriber_.get()})
    if (negotiator) negotiator->pc().setIceServers(iceServers_);
}

void SfuLinks::addMember(const protocol::PeerInfo& member, bool /*offer*/) {
  members_.insert(member.id);
  events_.changed();
}

void SfuLinks::removeMember(const std::string& memberId) {
  // Its streams leave the subscriber link with the server's next offer; until then they are
  // not shown as anyone's.
  members_.erase(memberId);
  layers_.erase(memberId);
  events_.changed();
}

void SfuLinks::clear() {
  dropLinks();
  members_.clear();
  epoch_ = -1;
  publish_ = false;
}

void SfuLinks::dropLinks() {
  dropPublisher();
  dropSubscriber();
  sendLayer_ = protocol::Layer::Low;
}

void SfuLinks::dropPublisher() {
  publisher_.reset();
  audioSender_.clear(), videoSender_.clear(), screenSender_.clear();
  audioTrack_.clear(), videoTrack_.clear(), screenTrack_.clear();
  attached_ = false;
}

void SfuLinks::dropSubscriber() {
  subscriber_.reset();
  streams_.clear();
  tracks_.clear();
  layers_.clear();
}

std::unique_ptr<PeerNegotiator> SfuLinks::makeNegotiator(protocol::SfuLink link) {
  std::unique_ptr<PeerConnection> pc = factory_ ? factory_(iceServers_) : nullptr;
  if (!pc) {
    events_.error(makeError(SessionErrorCode::PeerConnectionUnavailable));
    return nullptr;
  }
  const bool up = link == protocol::SfuLink::Publisher;
  auto send = [this, link, up](const SignalPayload& payload) {
    if (const auto* candidate = std::get_if<CandidatePayload>(&payload)) {
      protocol::SfuCandidate out{link, "", "", -1};
      if (candidate->candidate) {
        out.candidate = candidate->candidate->candidate;
        out.sdpMid = candidate->candidate->sdpMid;
        out.sdpMLineIndex = candidate->candidate->sdpMLineIndex;
      }
      events_.send(out);
      return;
    }
    const auto* description = std::get_if<SessionDescription>(&payload);
    if (!description) return;  // NewConnectionOffer: the SFU links never replace a connection
    // The publisher offers, the subscriber answers; the server takes nothing else (the
    // subscriber's ICE restarts are asked for: onAskRestart below).
    if (up && description->type == SdpType::Offer)
      events_.send(protocol::SfuOffer{description->sdp, {}});
    else if (!up && description->type == SdpType::Answer)
      events_.send(protocol::SfuAnswer{description->sdp});
  };
  auto negotiator = std::make_unique<PeerNegotiator>(
      self_.id, up ? kPublisherPeer : kSubscriberPeer, std::move(pc), clock_, config_, send);
  negotiator->onStateChange([this] { events_.changed(); });
  if (!up) {
    negotiator->onAskRestart([this] { events_.send(protocol::SfuRestart{}); });
    negotiator->onRemoteTrack([this](const RemoteTrack& track) {
      auto same = [&](const RemoteTrack& t) { return t.trackId == track.trackId; };
      auto it = std::find_if(tracks_.begin(), tracks_.end(), same);
      if (it != tracks_.end())
        *it = track;  // the same track on another mid after a renegotiation
      else
        tracks_.push_back(track);
      events_.changed();
    });
    negotiator->onRemoteTrackRemoved([this](const std::string& trackId) {
      std::erase_if(tracks_, [&](const RemoteTrack& t) { return t.trackId == trackId; });
      events_.changed();
    });
  }
  return negotiator;
}

void SfuLinks::setMediaPath(const protocol::MediaPath& path) {
  if (path.path != protocol::MediaPathKind::Sfu) return;
  if (path.epoch == epoch_ && path.publish == publish_) return;  // a resume: links kept
  // A new epoch: the video server's side was built again, nothing of the old links is there.
  dropLinks();
  epoch_ = path.epoch;
  publish_ = path.publish;
  publish();
  events_.changed();
}

void SfuLinks::publish() {
  if (!publish_ || !self_.sends || publisher_) return;
  publisher_ = makeNegotiator(protocol::SfuLink::Publisher);
  if (publisher_) attachLocal(true);  // negotiationneeded: the publisher's offer
}

void SfuLinks::handleSfu(const protocol::Message& message) {
  if (const auto* offer = std::get_if<protocol::SfuOffer>(&message)) {
    if (epoch_ < 0) return;  // no media path: not ours to answer
    if (!subscriber_) subscriber_ = makeNegotiator(protocol::SfuLink::Subscriber);
    if (!subscriber_) return;
    streams_ = offer->streams;
    subscriber_->handleSignal(SessionDescription{SdpType::Offer, offer->sdp});
    // Layers asked of members whose video is no longer carried are forgotten (asked again
    // when it comes back).
    std::erase_if(layers_, [&](const auto& entry) { return !carriesVideoOf(entry.first); });
    events_.changed();
    return;
  }
  if (const auto* answer = std::get_if<protocol::SfuAnswer>(&message)) {
    if (publisher_) publisher_->handleSignal(SessionDescription{SdpType::Answer, answer->sdp});
    return;
  }
  if (const auto* hangup = std::get_if<protocol::SfuHangup>(&message)) {
    // The video server's side of that connection is gone; an ICE restart would only meet a
    // new ICE agent there that waits for a DTLS handshake this connection will never make.
    if (epoch_ < 0) return;
    if (hangup->link == protocol::SfuLink::Publisher) {
      dropPublisher();
      publish();  // a new connection, and its offer publishes again
    } else {
      dropSubscriber();  // the server's next offer makes a new one
    }
    events_.changed();
    return;
  }
  if (const auto* send = std::get_if<protocol::SfuSendLayer>(&message)) {
    // Off (no one shows it now) keeps the lowest layer: the first viewer to look again gets
    // a picture at once instead of waiting for an encoder to start.
    const protocol::Layer layer = protocol::moreOf(send->layer, protocol::Layer::Low);
    if (layer == sendLayer_) return;
    sendLayer_ = layer;
    if (publisher_ && !videoSender_.empty())
      publisher_->pc().setEncodingsActive(videoSender_, cameraEncodings(),
                                          [](std::optional<PeerError>) {});
  }
}

std::vector<SendEncoding> SfuLinks::cameraEncodings() const {
  std::vector<SendEncoding> out = cameraLayers();
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].active = protocol::moreOf(kCameraLayerOf[i], sendLayer_) == sendLayer_;
  return out;
}

void SfuLinks::handleSignal(const protocol::Signal& /*signal*/) {}

void SfuLinks::localTracksChanged() {
  if (publisher_ && attached_) attachLocal(false);
}

void SfuLinks::attachLocal(bool ensureTransceivers) {
  PeerConnection& pc = publisher_->pc();
  const bool audioOnly = self_.audioOnly;
  const bool wasAttached = attached_;
  attached_ = true;
  auto sync = [&](MediaKind kind, SenderId& sender, std::string& carried,
                  const std::string& desired, const std::string& stream,
                  const std::vector<SendEncoding>& encodings) {
    if (sender.empty()) {
      if (!desired.empty()) {
        if (auto added = pc.addTrack(desired, kind, stream, encodings)) {
          sender = added.value();
          carried = desired;
        }
      } else if (ensureTransceivers && !wasAttached) {
        // Nothing to send yet: a send-only m-line keeps a sender ready for a later track.
        if (auto added = pc.addTransceiver(kind, Direction::SendOnly, encodings))
          sender = added.value();
      }
      return;
    }
    if (carried == desired) return;
    carried = desired;
    pc.replaceTrack(sender, desired, [](std::optional<PeerError>) {});
  };
  sync(MediaKind::Audio, audioSender_, audioTrack_, local_.microphoneTrack(),
       local_.microphoneStream(), {});
  if (audioOnly) return;
  sync(MediaKind::Video, videoSender_, videoTrack_, local_.videoTrack(audioOnly),
       local_.videoStream(), cameraEncodings());
  // A screen next to the camera rides on the same upload with its own sender, in one layer
  // (text stays sharp; viewers get it whole).
  const std::string screen = local_.addedScreenTrack();
  if (screenSender_.empty() && !screen.empty()) {
    if (auto added = pc.addTrack(screen, MediaKind::Video, local_.screenStream())) {
      screenSender_ = added.value();
      screenTrack_ = screen;
    }
  } else if (!screenSender_.empty() && screen.empty()) {
    pc.removeTrack(screenSender_);
    screenSender_.clear();
    screenTrack_.clear();
  }
}

void SfuLinks::resumed() {
  // Frames lost with the socket: an answer to our offer never came, or ours to the server's
  // offer never left. The negotiators re-send what is dangling.
  for (auto* negotiator : {publisher_.get(), subscriber_.get()})
    if (negotiator && negotiator->pc().signalingState() != SignalingState::Stable)
      negotiator->recover();
}

void SfuLinks::restartIce(const std::string& /*memberId*/) {
  // The publisher link is ours to restart (the server answers it like any publisher offer);
  // the subscriber's is asked of the server (sfu-restart), whose offer this side answers.
  if (publisher_) publisher_->restartIce();
  if (subscriber_) subscriber_->restartIce();
}

std::string SfuLinks::memberOf(const std::string& mid) const {
  for (const auto& stream : streams_)
    if (stream.mid == mid) return stream.peer;
  return {};
}

std::vector<std::string> SfuLinks::midsOf(const std::string& memberId) const {
  std::vector<std::string> out;
  for (const auto& stream : streams_)
    if (stream.peer == memberId) out.push_back(stream.mid);
  return out;
}

bool SfuLinks::carriesVideoOf(const std::string& memberId) const {
  return std::any_of(streams_.begin(), streams_.end(), [&](const protocol::SfuStream& s) {
    return s.peer == memberId && s.kind == "video";
  });
}

void SfuLinks::setLayer(const std::string& memberId, protocol::Layer layer) {
  if (!members_.count(memberId) || !carriesVideoOf(memberId)) return;
  auto it = layers_.find(memberId);
  if (it != layers_.end() && it->second == layer) return;
  // The first ask is sent too, High included: until it, the server counts this page as
  // wanting Low of that member, and the member encodes no more.
  layers_[memberId] = layer;
  events_.send(protocol::SfuLayer{memberId, layer});
}

protocol::Layer SfuLinks::layer(const std::string& memberId) const {
  auto it = layers_.find(memberId);
  return it == layers_.end() ? protocol::Layer::High : it->second;
}

LinkState SfuLinks::state(const std::string& memberId) const {
  if (!members_.count(memberId) || !subscriber_) return LinkState::Connecting;
  const bool carried =
      std::any_of(streams_.begin(), streams_.end(),
                  [&](const protocol::SfuStream& s) { return s.peer == memberId; });
  return carried ? subscriber_->state() : LinkState::Connecting;
}

std::vector<RemoteTrack> SfuLinks::remoteTracks(const std::string& memberId) const {
  std::vector<RemoteTrack> out;
  if (!members_.count(memberId)) return out;
  for (const auto& track : tracks_)
    if (memberOf(track.mid) == memberId) out.push_back(track);
  return out;
}

bool SfuLinks::restarting() const {
  for (const auto* negotiator : {publisher_.get(), subscriber_.get()}) {
    if (!negotiator) continue;
    const LinkState s = negotiator->state();
    if (s == LinkState::Reconnecting || s == LinkState::Failed) return true;
  }
  return false;
}

const PeerNegotiator* SfuLinks::negotiatorFor(const std::string& memberId) const {
  return members_.count(memberId) ? subscriber_.get() : nullptr;
}

std::size_t SfuLinks::connectionCount() const {
  return (publisher_ ? 1 : 0) + (subscriber_ ? 1 : 0);
}

}  // namespace vroom
