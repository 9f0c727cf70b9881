// The media devices seam (navigator.mediaDevices): camera, microphone, screen and the device
// list. Tracks and streams cross it only as ids; failures are typed MediaErrors.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "enum_names.hpp"
#include "result.hpp"

namespace vroom {

struct MediaConstraints {
  bool audio = true;
  bool video = true;
  std::string audioDeviceId;  // empty: the browser's default
  std::string videoDeviceId;
  bool operator==(const MediaConstraints&) const = default;
};

// One captured stream. A track id is empty when that kind was not requested or not granted.
struct LocalMedia {
  std::string streamId;
  std::string audioTrackId;
  std::string videoTrackId;
  bool operator==(const LocalMedia&) const = default;
};

// Mirrors the DOMException names getUserMedia rejects with.
enum class MediaErrorCode {
  PermissionDenied,  // NotAllowedError
  NoDevice,          // NotFoundError / OverconstrainedError
  DeviceInUse,       // NotReadableError
  InsecureContext,   // no navigator.mediaDevices (http:)
  Aborted,           // AbortError, or the person closed the screen picker
  NeedsUserGesture,  // screen capture asked for outside a click or key press: Firefox's
                     // InvalidStateError ("requires transient activation"), Safari's
                     // InvalidAccessError
  Unknown,
};

struct MediaError {
  MediaErrorCode code = MediaErrorCode::Unknown;
  std::string message;  // the browser's text, for logs
};

enum class DeviceKind { AudioInput, VideoInput, AudioOutput };
// The browser's MediaDeviceInfo.kind spellings (also what the JS API's state lists).
inline constexpr EnumName<DeviceKind> kDeviceKindNames[] = {
    {DeviceKind::AudioInput, "audioinput"},
    {DeviceKind::VideoInput, "videoinput"},
    {DeviceKind::AudioOutput, "audiooutput"}};
constexpr std::string_view toString(DeviceKind kind) {
  return nameOf(kDeviceKindNames, kind, "audioinput");
}

struct DeviceInfo {
  std::string deviceId;
  DeviceKind kind = DeviceKind::AudioInput;
  std::string label;
  bool operator==(const DeviceInfo&) const = default;
};

using MediaCallback = std::function<void(Result<LocalMedia, MediaError>)>;

class MediaDevices {
 public:
  virtual ~MediaDevices() = default;

  virtual void getUserMedia(const MediaConstraints& constraints, MediaCallback done) = 0;
  virtual void getDisplayMedia(MediaCallback done) = 0;
  virtual void enumerateDevices(
      std::function<void(Result<std::vector<DeviceInfo>, MediaError>)> done) = 0;
  // track.enabled: a disabled track sends silence / black frames, no renegotiation needed.
  virtual void setTrackEnabled(const std::string& trackId, bool enabled) = 0;
  virtual void stopTrack(const std::string& trackId) = 0;
  // Where remote sound plays (every remote <audio>, present and future); empty id: the
  // system default. Fails (NoDevice, PermissionDenied, Unknown where the browser cannot
  // choose) with the previous speaker still in use.
  virtual void setAudioOutput(const std::string& deviceId,
                              std::function<void(Result<std::monostate, MediaError>)> done) = 0;

  void onDeviceChange(std::function<void()> callback) { deviceChange_ = std::move(callback); }
  // A track ended without the core asking: the browser's own "Stop sharing" button, or a
  // device unplugged.
  void onTrackEnded(std::function<void(const std::string& trackId)> callback) {
    trackEnded_ = std::move(callback);
  }

 protected:
  void triggerDeviceChange() {
    if (deviceChange_) deviceChange_();
  }
  void triggerTrackEnded(const std::string& trackId) {
    if (trackEnded_) trackEnded_(trackId);
  }

 private:
  std::function<void()> deviceChange_;
  std::function<void(const std::string&)> trackEnded_;
};

}  // namespace vroom
