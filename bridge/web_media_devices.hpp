// MediaDevices over navigator.mediaDevices: getUserMedia, getDisplayMedia, enumerateDevices,
// devicechange and track ends. DOMException names become typed MediaErrors.
#pragma once

#include "js_runtime.hpp"
#include "lifetime.hpp"
#include "media_devices.hpp"

namespace vroom::bridge {

class WebMediaDevices final : public MediaDevices {
 public:
  explicit WebMediaDevices(JsRuntime& runtime);
  ~WebMediaDevices() override;

  void getUserMedia(const MediaConstraints& constraints, MediaCallback done) override;
  void getDisplayMedia(MediaCallback done) override;
  void enumerateDevices(
      std::function<void(Result<std::vector<DeviceInfo>, MediaError>)> done) override;
  void setTrackEnabled(const std::string& trackId, bool enabled) override;
  void stopTrack(const std::string& trackId) override;
  void setAudioOutput(const std::string& deviceId,
                      std::function<void(Result<std::monostate, MediaError>)> done) override;

 private:
  JsRuntime::ResultCallback mediaResult(MediaCallback done);

  JsRuntime& runtime_;
  Lifetime lifetime_;  // drops promises that settle after this object let go
};

// getUserMedia's DOMException name -> MediaErrorCode (exposed for tests of the mapping).
MediaErrorCode mediaErrorCodeFromName(const std::string& name);

}  // namespace vroom::bridge
