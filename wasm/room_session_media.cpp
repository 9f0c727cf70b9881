// RoomSession's side of local media (LocalMediaState holds the tracks and their rules): when to
// capture for preview and call, mute, device switch and screen sharing; the PeerLinks follow
// the tracks.
#include "room_session.hpp"

namespace vroom {

void RoomSession::startPreview(bool audio, bool video) {
  if (!audio && !video) return;
  acquireUserMedia(audio, video && !audioOnly_);
  refreshDevices();
}

void RoomSession::stopPreview() {
  releaseMedia();
  tracksChanged();
  publishMedia();
  changed();
}

void RoomSession::refreshDevices() {
  media_.enumerateDevices(
      lifetime_.guard([this](Result<std::vector<DeviceInfo>, MediaError> result) {
        if (!result) return;
        local_.setDevices(result.value());
        changed();
      }));
}

void RoomSession::acquireUserMedia(bool audio, bool video) {
  local_.capture(audio, video,
                 lifetime_.guard([this, audio, video](Result<LocalMedia, MediaError> result) {
                   onUserMedia(std::move(result), audio, video);
                 }));
  changed();
}

void RoomSession::onUserMedia(Result<LocalMedia, MediaError> result, bool audio, bool video) {
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
  const bool unwanted =
      (inRoom() && !sendsMedia()) || (lifecycle_.stage == Stage::Left && !intent_);
  if (unwanted) {
    local_.giveBack(got);
    changed();
    return;
  }
  const std::vector<std::string> replaced = local_.adopt(got);
  if (audioOnly_ && inRoom()) local_.dropCamera();
  tracksChanged();
  local_.stopTracks(replaced);  // no link sends them any more
  publishMedia();
  changed();
}

CommandResult RoomSession::setMicrophone(bool on) {
  if (inRoom() && !sendsMedia()) return vroom::fail(makeError(SessionErrorCode::NotAllowed));
  if (local_.setMicrophone(on)) acquireUserMedia(true, false);
  publishMedia();
  changed();
  return std::monostate{};
}

CommandResult RoomSession::setCamera(bool on) {
  if (inRoom() && !sendsMedia()) return vroom::fail(makeError(SessionErrorCode::NotAllowed));
  if (on && audioOnly_)
    return vroom::fail(SessionError{SessionErrorCode::NotAllowed, "This room is audio-only."});
  if (local_.setCamera(on)) acquireUserMedia(false, true);
  publishMedia();
  changed();
  return std::monostate{};
}

CommandResult RoomSession::startScreenShare() {
  if (!inRoom()) return vroom::fail(makeError(SessionErrorCode::NotConnected));
  if (audioOnly_ || !sendsMedia())
    return vroom::fail(makeError(SessionErrorCode::ScreenShareUnavailable));
  if (local_.screenBusy()) return std::monostate{};
  // A new attempt makes the notice of the last one that failed out of date (other notices
  // stay); if this one fails too, its own notice follows.
  if (error_ == screenError_) clearError();
  local_.captureScreen(lifetime_.guard(
      [this](Result<LocalMedia, MediaError> result) { onScreen(std::move(result)); }));
  return std::monostate{};
}

void RoomSession::onScreen(Result<LocalMedia, MediaError> result) {
  if (!result) {
    screenError_ = makeError(fromMedia(result.error().code), "", true);
    setError(screenError_);
    return;
  }
  if (!inRoom() || result.value().videoTrackId.empty()) {
    if (!result.value().videoTrackId.empty()) media_.stopTrack(result.value().videoTrackId);
    return;
  }
  // With a camera sender the screen takes its place (no renegotiation); without one it is
  // added as a new track.
  local_.adoptScreen(result.value());
  tracksChanged();
  publishMedia();
  changed();
}

void RoomSession::stopScreenShare() {
  const std::string track = local_.endScreen();
  if (track.empty()) return;
  tracksChanged();  // the camera goes back on its sender, or the added screen sender goes
  local_.stopTracks({track});
  publishMedia();
  changed();
}

void RoomSession::onTrackEnded(const std::string& trackId) {
  const LocalMediaState::Ended ended = local_.trackEnded(trackId);
  if (ended == LocalMediaState::Ended::Screen) return stopScreenShare();  // the browser's button
  if (ended == LocalMediaState::Ended::Other) return;
  tracksChanged();
  setError(makeError(SessionErrorCode::MediaNoDevice));
  publishMedia();
  changed();
}

void RoomSession::selectDevice(DeviceKind kind, const std::string& deviceId) {
  switch (kind) {
    case DeviceKind::AudioOutput:
      // Recorded once the browser has moved the sound there; a refusal keeps the old one.
      media_.setAudioOutput(
          deviceId, lifetime_.guard([this, deviceId](Result<std::monostate, MediaError> moved) {
            if (!moved.ok()) return setError(makeError(SessionErrorCode::SpeakerUnavailable));
            local_.chooseDevice(DeviceKind::AudioOutput, deviceId);
            if (error_.code == SessionErrorCode::SpeakerUnavailable) error_ = {};
            changed();
          }));
      return;
    case DeviceKind::AudioInput:
      local_.chooseDevice(kind, deviceId);
      if (!local_.microphoneTrack().empty()) acquireUserMedia(true, false);
      break;
    case DeviceKind::VideoInput:
      local_.chooseDevice(kind, deviceId);
      if (!local_.cameraTrack().empty() && !audioOnly_) acquireUserMedia(false, true);
      break;
  }
  changed();
}

void RoomSession::releaseMedia() {
  local_.releaseTracks();
  stopScreenShare();
}

}  // namespace vroom
