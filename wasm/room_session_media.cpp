// RoomSession's local media: camera/microphone for preview and call, mute, device switch,
// screen sharing (in place of the camera, or added when there is none), and what each peer
// connection sends.
#include "room_session.hpp"

namespace vroom {

void RoomSession::startPreview(bool audio, bool video) {
  if (!audio && !video) return;
  acquireUserMedia(audio, video && !audioOnly_);
  refreshDevices();
}

void RoomSession::stopPreview() {
  releaseMedia();
  attachToAll();
  publishMedia();
  changed();
}

void RoomSession::refreshDevices() {
  media_.enumerateDevices(guarded([this](Result<std::vector<DeviceInfo>, MediaError> result) {
    if (!result) return;
    devices_ = result.value();
    changed();
  }));
}

void RoomSession::acquireUserMedia(bool audio, bool video) {
  ++acquiring_;
  media_.getUserMedia(MediaConstraints{audio, video, audioInputId_, videoInputId_},
                      guarded([this, audio, video](Result<LocalMedia, MediaError> result) {
                        onUserMedia(std::move(result), audio, video);
                      }));
  changed();
}

void RoomSession::onUserMedia(Result<LocalMedia, MediaError> result, bool audio, bool video) {
  --acquiring_;
  if (!result) {
    const MediaErrorCode code = result.error().code;
    setError(makeError(fromMedia(code)));
    // No camera, or it is busy: the microphone alone may still work.
    if (audio && video && (code == MediaErrorCode::NoDevice || code == MediaErrorCode::DeviceInUse))
      acquireUserMedia(true, false);
    changed();
    return;
  }
  // Permission came with this stream: the browser now gives its devices ids and names
  // (Firefox lists them blank before, and fires no devicechange when that changes).
  refreshDevices();
  const LocalMedia& got = result.value();
  // Arrived for a viewer, or after the person left: give the devices back.
  const bool unwanted = (state_ == SessionState::Joined && !sendsMedia()) ||
                        (state_ == SessionState::Left && !intent_);
  if (unwanted) {
    if (!got.audioTrackId.empty()) media_.stopTrack(got.audioTrackId);
    if (!got.videoTrackId.empty()) media_.stopTrack(got.videoTrackId);
    changed();
    return;
  }
  std::vector<std::string> replaced;
  if (!got.audioTrackId.empty()) {
    if (!micTrack_.empty() && micTrack_ != got.audioTrackId) replaced.push_back(micTrack_);
    micTrack_ = got.audioTrackId;
    micStream_ = got.streamId;
    media_.setTrackEnabled(micTrack_, micOn_);
  }
  if (!got.videoTrackId.empty()) {
    if (!camTrack_.empty() && camTrack_ != got.videoTrackId) replaced.push_back(camTrack_);
    camTrack_ = got.videoTrackId;
    camStream_ = got.streamId;
    media_.setTrackEnabled(camTrack_, camOn_);
  }
  if (audioOnly_ && state_ == SessionState::Joined) dropVideoForAudioOnly();
  attachToAll();
  for (const auto& track : replaced) media_.stopTrack(track);
  publishMedia();
  changed();
}

std::string RoomSession::desiredVideoTrack() const {
  if (audioOnly_) return {};
  if (screenMode_ == ScreenMode::Replace) return screen_.videoTrackId;
  return camTrack_;
}

void RoomSession::attachLocal(Link& link, bool ensureTransceivers) {
  PeerConnection& pc = link.negotiator->pc();
  const bool sending = sendsMedia();
  const bool wasAttached = link.localAttached;
  link.localAttached = true;
  auto sync = [&](MediaKind kind, SenderId& sender, std::string& carried,
                  const std::string& desired, const std::string& stream) {
    if (sender.empty()) {
      if (sending && !desired.empty()) {
        auto added = pc.addTrack(desired, kind, stream);
        if (added) {
          sender = added.value();
          carried = desired;
        }
      } else if (ensureTransceivers && !wasAttached) {
        // Nothing to send yet, but the offer must still ask for the peer's media (and keep
        // a sender ready for a track that comes later).
        auto added = pc.addTransceiver(kind, sending ? Direction::SendRecv : Direction::RecvOnly);
        if (added && sending) sender = added.value();
      }
      return;
    }
    if (carried == desired) return;
    carried = desired;
    pc.replaceTrack(sender, desired, [](std::optional<PeerError>) {});
  };
  sync(MediaKind::Audio, link.audioSender, link.audioTrack, micTrack_, micStream_);
  if (!audioOnly_) {
    const std::string video = desiredVideoTrack();
    const std::string stream = screenMode_ == ScreenMode::Replace ? screen_.streamId : camStream_;
    sync(MediaKind::Video, link.videoSender, link.videoTrack, video, stream);
  }
  // A screen added next to the camera has its own sender, removed when sharing stops.
  const std::string screen = screenMode_ == ScreenMode::Add ? screen_.videoTrackId : "";
  if (!sending || audioOnly_) return;
  if (link.screenSender.empty() && !screen.empty()) {
    auto added = pc.addTrack(screen, MediaKind::Video, screen_.streamId);
    if (added) {
      link.screenSender = added.value();
      link.screenTrack = screen;
    }
  } else if (!link.screenSender.empty() && screen.empty()) {
    pc.removeTrack(link.screenSender);
    link.screenSender.clear();
    link.screenTrack.clear();
  }
}

void RoomSession::attachToAll() {
  for (auto& member : members_)
    if (member.link && member.link->localAttached) attachLocal(*member.link, false);
}

CommandResult RoomSession::setMicEnabled(bool on) {
  if (state_ == SessionState::Joined && !sendsMedia())
    return vroom::fail(makeError(SessionErrorCode::NotAllowed));
  micOn_ = on;
  if (!micTrack_.empty())
    media_.setTrackEnabled(micTrack_, on);
  else if (on && acquiring_ == 0)
    acquireUserMedia(true, false);
  publishMedia();
  changed();
  return std::monostate{};
}

CommandResult RoomSession::setCameraEnabled(bool on) {
  if (state_ == SessionState::Joined && !sendsMedia())
    return vroom::fail(makeError(SessionErrorCode::NotAllowed));
  if (on && audioOnly_)
    return vroom::fail(SessionError{SessionErrorCode::NotAllowed, "This room is audio-only."});
  camOn_ = on;
  if (!camTrack_.empty())
    media_.setTrackEnabled(camTrack_, on);
  else if (on && acquiring_ == 0)
    acquireUserMedia(false, true);
  publishMedia();
  changed();
  return std::monostate{};
}

CommandResult RoomSession::startScreenShare() {
  if (state_ != SessionState::Joined) return vroom::fail(makeError(SessionErrorCode::NotConnected));
  if (audioOnly_ || !sendsMedia())
    return vroom::fail(makeError(SessionErrorCode::ScreenShareUnavailable));
  if (screenMode_ != ScreenMode::None || screenPending_) return std::monostate{};
  screenPending_ = true;
  // A new attempt makes the notice of the last one that failed out of date (other notices
  // stay); if this one fails too, its own notice follows.
  if (error_ == screenError_) clearError();
  media_.getDisplayMedia(
      guarded([this](Result<LocalMedia, MediaError> result) { onScreen(std::move(result)); }));
  return std::monostate{};
}

void RoomSession::onScreen(Result<LocalMedia, MediaError> result) {
  screenPending_ = false;
  if (!result) {
    screenError_ = makeError(fromMedia(result.error().code), "", true);
    setError(screenError_);
    return;
  }
  if (state_ != SessionState::Joined || result.value().videoTrackId.empty()) {
    if (!result.value().videoTrackId.empty()) media_.stopTrack(result.value().videoTrackId);
    return;
  }
  screen_ = result.value();
  // With a camera sender the screen takes its place (no renegotiation); without one it is
  // added as a new track.
  screenMode_ = camTrack_.empty() ? ScreenMode::Add : ScreenMode::Replace;
  attachToAll();
  publishMedia();
  changed();
}

void RoomSession::stopScreenShare() {
  if (screenMode_ == ScreenMode::None) return;
  const std::string track = screen_.videoTrackId;
  screenMode_ = ScreenMode::None;
  attachToAll();  // the camera goes back on its sender, or the added screen sender goes
  screen_ = {};
  media_.stopTrack(track);
  publishMedia();
  changed();
}

void RoomSession::onTrackEnded(const std::string& trackId) {
  if (trackId.empty()) return;
  if (trackId == screen_.videoTrackId) return stopScreenShare();  // the browser's own button
  if (trackId != micTrack_ && trackId != camTrack_) return;
  (trackId == micTrack_ ? micTrack_ : camTrack_).clear();
  attachToAll();
  setError(makeError(SessionErrorCode::MediaNoDevice));
  publishMedia();
  changed();
}

void RoomSession::selectDevice(DeviceKind kind, const std::string& deviceId) {
  switch (kind) {
    case DeviceKind::AudioOutput:
      // Recorded once the browser has moved the sound there; a refusal keeps the old one.
      media_.setAudioOutput(
          deviceId, guarded([this, deviceId](Result<std::monostate, MediaError> moved) {
            if (!moved.ok()) return setError(makeError(SessionErrorCode::SpeakerUnavailable));
            audioOutputId_ = deviceId;
            if (error_.code == SessionErrorCode::SpeakerUnavailable) error_ = {};
            changed();
          }));
      return;
    case DeviceKind::AudioInput:
      audioInputId_ = deviceId;
      if (!micTrack_.empty()) acquireUserMedia(true, false);
      break;
    case DeviceKind::VideoInput:
      videoInputId_ = deviceId;
      if (!camTrack_.empty() && !audioOnly_) acquireUserMedia(false, true);
      break;
  }
  changed();
}

void RoomSession::dropVideoForAudioOnly() {
  if (camTrack_.empty()) return;
  media_.stopTrack(camTrack_);
  camTrack_.clear();
  camStream_.clear();
}

void RoomSession::releaseMedia() {
  for (auto* track : {&micTrack_, &camTrack_})
    if (!track->empty()) media_.stopTrack(*track);
  micTrack_.clear();
  micStream_.clear();
  camTrack_.clear();
  camStream_.clear();
  stopScreenShare();
}

}  // namespace vroom
