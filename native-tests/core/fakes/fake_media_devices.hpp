// FakeMediaDevices: grants or refuses camera, microphone and screen on the test's word,
// completes when the test says (or at once), and records every request.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "media_devices.hpp"

namespace vroom::fakes {

class FakeMediaDevices : public MediaDevices {
 public:
  // ---- configuration by the test ----
  std::optional<MediaError> userMediaError;     // the next getUserMedia fails with this
  std::optional<MediaError> displayMediaError;  // the next getDisplayMedia fails with this
  std::optional<MediaError> audioOutputError;   // the next setAudioOutput fails with this
  bool deferCompletion = false;                 // hold results until completePending()
  // Like browsers: until a getUserMedia has succeeded, devices are listed without ids and
  // names (the list is taken when enumerateDevices is called, its answer comes later).
  bool namesNeedPermission = false;
  std::vector<DeviceInfo> devices = {
      {"mic-1", DeviceKind::AudioInput, "Built-in microphone"},
      {"mic-2", DeviceKind::AudioInput, "USB headset"},
      {"cam-1", DeviceKind::VideoInput, "Built-in camera"},
      {"cam-2", DeviceKind::VideoInput, "External camera"},
  };

  void getUserMedia(const MediaConstraints& constraints, MediaCallback done) override {
    userMediaRequests.push_back(constraints);
    Result<LocalMedia, MediaError> result = LocalMedia{};
    if (userMediaError) {
      result = fail(*userMediaError);
      userMediaError.reset();
    } else {
      const int n = ++counter_;
      LocalMedia media;
      media.streamId = "cam-stream-" + std::to_string(n);
      if (constraints.audio) media.audioTrackId = "mic-track-" + std::to_string(n);
      if (constraints.video) media.videoTrackId = "cam-track-" + std::to_string(n);
      live_.insert(live_.end(), {media.audioTrackId, media.videoTrackId});
      result = media;
    }
    finish([this, done = std::move(done), result]() {
      if (result) permissionGranted_ = true;
      done(result);
    });
  }

  void getDisplayMedia(MediaCallback done) override {
    ++displayMediaRequests;
    Result<LocalMedia, MediaError> result = LocalMedia{};
    if (displayMediaError) {
      result = fail(*displayMediaError);
      displayMediaError.reset();
    } else {
      const int n = ++counter_;
      LocalMedia media{"screen-stream-" + std::to_string(n), "",
                       "screen-track-" + std::to_string(n)};
      live_.push_back(media.videoTrackId);
      result = media;
    }
    finish([done = std::move(done), result]() { done(result); });
  }

  void enumerateDevices(
      std::function<void(Result<std::vector<DeviceInfo>, MediaError>)> done) override {
    ++enumerateRequests;
    auto list = devices;
    if (namesNeedPermission && !permissionGranted_)
      for (auto& device : list) device.deviceId = device.label = "";
    finish([done = std::move(done), list]() { done(list); });
  }

  void setTrackEnabled(const std::string& trackId, bool enabled) override {
    enabled_[trackId] = enabled;
  }
  void stopTrack(const std::string& trackId) override { stopped.push_back(trackId); }
  void setAudioOutput(const std::string& deviceId,
                      std::function<void(Result<std::monostate, MediaError>)> done) override {
    audioOutputRequests.push_back(deviceId);
    Result<std::monostate, MediaError> result = std::monostate{};
    if (audioOutputError) {
      result = fail(*audioOutputError);
      audioOutputError.reset();
    } else {
      audioOutput = deviceId;
    }
    finish([done = std::move(done), result]() { done(result); });
  }

  // ---- the test's side ----
  void completePending() {
    while (!pending_.empty()) {
      auto next = std::move(pending_.front());
      pending_.pop_front();
      next();
    }
  }
  void endTrack(const std::string& trackId) { triggerTrackEnded(trackId); }
  void changeDevices(std::vector<DeviceInfo> list) {
    devices = std::move(list);
    triggerDeviceChange();
  }
  std::optional<bool> trackEnabled(const std::string& trackId) const {
    auto it = enabled_.find(trackId);
    if (it == enabled_.end()) return std::nullopt;
    return it->second;
  }
  bool isStopped(const std::string& trackId) const {
    for (const auto& s : stopped)
      if (s == trackId) return true;
    return false;
  }

  std::vector<MediaConstraints> userMediaRequests;
  int displayMediaRequests = 0;
  int enumerateRequests = 0;
  std::vector<std::string> audioOutputRequests;
  std::string audioOutput;  // where sound plays now ("" = default)
  std::vector<std::string> stopped;

 private:
  void finish(std::function<void()> completion) {
    if (deferCompletion)
      pending_.push_back(std::move(completion));
    else
      completion();
  }

  int counter_ = 0;
  bool permissionGranted_ = false;
  std::vector<std::string> live_;
  std::map<std::string, bool> enabled_;
  std::deque<std::function<void()>> pending_;
};

}  // namespace vroom::fakes
