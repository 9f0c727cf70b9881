// This page's own media: captures, on/off, screen share and devices (see the header).
#include "local_media_state.hpp"

namespace vroom {

LocalMediaState::~LocalMediaState() {
  lifetime_.end();  // a capture that settles from here on is dropped
}

void LocalMediaState::capture(bool audio, bool video, Captured done) {
  ++acquiring_;
  media_.getUserMedia(
      MediaConstraints{audio, video, audioInputId_, videoInputId_},
      lifetime_.guard([this, done = std::move(done)](Result<LocalMedia, MediaError> result) {
        --acquiring_;
        done(std::move(result));
      }));
}

std::vector<std::string> LocalMediaState::adopt(const LocalMedia& got) {
  std::vector<std::string> replaced;
  if (!got.audioTrackId.empty()) {
    if (!microphoneTrack_.empty() && microphoneTrack_ != got.audioTrackId)
      replaced.push_back(microphoneTrack_);
    microphoneTrack_ = got.audioTrackId;
    microphoneStream_ = got.streamId;
    media_.setTrackEnabled(microphoneTrack_, microphoneOn_);
  }
  if (!got.videoTrackId.empty()) {
    if (!cameraTrack_.empty() && cameraTrack_ != got.videoTrackId) replaced.push_back(cameraTrack_);
    cameraTrack_ = got.videoTrackId;
    cameraStream_ = got.streamId;
    media_.setTrackEnabled(cameraTrack_, cameraOn_);
  }
  return replaced;
}

void LocalMediaState::stopTracks(const std::vector<std::string>& tracks) {
  for (const auto& track : tracks)
    if (!track.empty()) media_.stopTrack(track);
}

void LocalMediaState::giveBack(const LocalMedia& got) {
  stopTracks({got.audioTrackId, got.videoTrackId});
}

bool LocalMediaState::setMicrophone(bool on) {
  return switchTrack(microphoneOn_, microphoneTrack_, on);
}

bool LocalMediaState::setCamera(bool on) {
  return switchTrack(cameraOn_, cameraTrack_, on);
}

bool LocalMediaState::switchTrack(bool& choice, const std::string& track, bool on) {
  choice = on;
  if (!track.empty()) {
    media_.setTrackEnabled(track, on);
    return false;
  }
  return on && acquiring_ == 0;
}

void LocalMediaState::captureScreen(Captured done) {
  screenPending_ = true;
  media_.getDisplayMedia(
      lifetime_.guard([this, done = std::move(done)](Result<LocalMedia, MediaError> result) {
        screenPending_ = false;
        done(std::move(result));
      }));
}

void LocalMediaState::adoptScreen(const LocalMedia& got) {
  screen_ = got;
  screenMode_ = cameraTrack_.empty() ? ScreenMode::Add : ScreenMode::Replace;
}

std::string LocalMediaState::endScreen() {
  if (screenMode_ == ScreenMode::None) return {};
  std::string track = screen_.videoTrackId;
  screenMode_ = ScreenMode::None;
  screen_ = {};
  return track;
}

std::string LocalMediaState::videoTrack(bool audioOnly) const {
  if (audioOnly) return {};
  return screenMode_ == ScreenMode::Replace ? screen_.videoTrackId : cameraTrack_;
}

std::string LocalMediaState::videoStream() const {
  return screenMode_ == ScreenMode::Replace ? screen_.streamId : cameraStream_;
}

std::string LocalMediaState::addedScreenTrack() const {
  return screenMode_ == ScreenMode::Add ? screen_.videoTrackId : std::string();
}

LocalMediaState::Ended LocalMediaState::trackEnded(const std::string& trackId) {
  if (trackId.empty()) return Ended::Other;
  if (trackId == screen_.videoTrackId) return Ended::Screen;
  if (trackId == microphoneTrack_) {
    microphoneTrack_.clear();
    return Ended::Microphone;
  }
  if (trackId == cameraTrack_) {
    cameraTrack_.clear();
    return Ended::Camera;
  }
  return Ended::Other;
}

void LocalMediaState::dropCamera() {
  if (cameraTrack_.empty()) return;
  media_.stopTrack(cameraTrack_);
  cameraTrack_.clear();
  cameraStream_.clear();
}

void LocalMediaState::releaseTracks() {
  stopTracks({microphoneTrack_, cameraTrack_});
  microphoneTrack_.clear();
  microphoneStream_.clear();
  cameraTrack_.clear();
  cameraStream_.clear();
}

void LocalMediaState::chooseDevice(DeviceKind kind, const std::string& deviceId) {
  switch (kind) {
    case DeviceKind::AudioInput:
      audioInputId_ = deviceId;
      break;
    case DeviceKind::VideoInput:
      videoInputId_ = deviceId;
      break;
    case DeviceKind::AudioOutput:
      audioOutputId_ = deviceId;
      break;
  }
}

void LocalMediaState::fill(LocalMediaSnapshot& local) const {
  local.microphoneOn = microphoneOn_;
  local.cameraOn = cameraOn_;
  local.sharing = screenMode_ != ScreenMode::None;
  local.acquiring = acquiring_ > 0;
  local.hasMicrophone = !microphoneTrack_.empty();
  local.hasCamera = !cameraTrack_.empty();
  local.streamId = cameraStream_.empty() ? microphoneStream_ : cameraStream_;
  local.screenStreamId = screen_.streamId;
  local.audioInputId = audioInputId_;
  local.videoInputId = videoInputId_;
  local.audioOutputId = audioOutputId_;
  local.devices = devices_;
}

}  // namespace vroom
