// LocalMediaState: this page's own media (microphone, camera, screen share, the chosen devices)
// and the rules on it: what is captured, on or off, what the video sender carries. It owns the
// tracks it was handed and gives them back; it knows no room and no link (RoomSession decides
// when to capture; the PeerLinks put what `videoTrack()` says on each connection).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lifetime.hpp"
#include "media_devices.hpp"
#include "result.hpp"
#include "session_snapshot.hpp"

namespace vroom {

class LocalMediaState {
 public:
  using Captured = std::function<void(Result<LocalMedia, MediaError>)>;
  // How a screen share is sent: on the camera's sender (no renegotiation), or added as a
  // sender of its own when there is no camera.
  enum class ScreenMode { None, Replace, Add };
  // Which of our tracks a `trackended` event was about.
  enum class Ended { Other, Microphone, Camera, Screen };

  explicit LocalMediaState(MediaDevices& media) : media_(media) {}
  ~LocalMediaState();
  LocalMediaState(const LocalMediaState&) = delete;
  LocalMediaState& operator=(const LocalMediaState&) = delete;

  // ---- capture ----
  // Asks the browser for the microphone and/or camera (the chosen devices); `done` runs
  // once, unless this object is gone by then.
  void capture(bool audio, bool video, Captured done);
  bool acquiring() const { return acquiring_ > 0; }
  // Takes the tracks of a capture (each keeps its on/off state). Returns the tracks they
  // replace: the caller stops them with stopTracks() once no link sends them any more.
  std::vector<std::string> adopt(const LocalMedia& got);
  void stopTracks(const std::vector<std::string>& tracks);
  // Gives back a capture that is not wanted (it came for a viewer, or after leaving).
  void giveBack(const LocalMedia& got);

  // ---- on and off ----
  // Records the choice and applies it to the track. True when there is no track yet and
  // none is being captured: the caller captures one.
  bool setMicrophone(bool on);
  bool setCamera(bool on);
  bool microphoneOn() const { return microphoneOn_; }
  bool cameraOn() const { return cameraOn_; }

  // ---- screen share ----
  bool screenBusy() const { return screenMode_ != ScreenMode::None || screenPending_; }
  bool screenPending() const { return screenPending_; }
  void captureScreen(Captured done);
  // Shares `got`'s video: in place of the camera when there is one, else added.
  void adoptScreen(const LocalMedia& got);
  // Ends the share; returns its track (stop it with stopTracks() once links let it go), or
  // empty when nothing was shared.
  std::string endScreen();
  ScreenMode screenMode() const { return screenMode_; }

  // ---- what the links send ----
  const std::string& microphoneTrack() const { return microphoneTrack_; }
  const std::string& microphoneStream() const { return microphoneStream_; }
  const std::string& cameraTrack() const { return cameraTrack_; }
  // The video sender's track and stream: the screen when it replaces the camera, else the
  // camera; nothing in an audio-only room.
  std::string videoTrack(bool audioOnly) const;
  std::string videoStream() const;
  // The screen's own sender, when it is added next to the camera's.
  std::string addedScreenTrack() const;
  const std::string& screenStream() const { return screen_.streamId; }
  const std::string& screenTrack() const { return screen_.videoTrackId; }

  // ---- losing and releasing ----
  // A track ended on its own (unplugged, the browser's "stop sharing"). A microphone or
  // camera track is forgotten; the screen is left for the caller to end.
  Ended trackEnded(const std::string& trackId);
  void dropCamera();  // audio-only rooms send no video
  // Stops the microphone and camera (not the screen: see endScreen()).
  void releaseTracks();

  // ---- devices ----
  // Input devices take effect with the next capture; the speaker once the browser moved
  // the sound (RoomSession::selectDevice).
  void chooseDevice(DeviceKind kind, const std::string& deviceId);
  void setDevices(std::vector<DeviceInfo> devices) { devices_ = std::move(devices); }

  // The snapshot's local section, but for `speaking` (the session measures it).
  void fill(LocalMediaSnapshot& local) const;

 private:
  // setMicrophone and setCamera: records `on` in `choice` and applies it to `track`.
  bool switchTrack(bool& choice, const std::string& track, bool on);

  MediaDevices& media_;
  Lifetime lifetime_;  // capture promises can settle after this object is gone
  std::string microphoneTrack_, microphoneStream_, cameraTrack_, cameraStream_;
  bool microphoneOn_ = true, cameraOn_ = true;
  int acquiring_ = 0;
  LocalMedia screen_;
  ScreenMode screenMode_ = ScreenMode::None;
  bool screenPending_ = false;
  std::string audioInputId_, videoInputId_, audioOutputId_;
  std::vector<DeviceInfo> devices_;
};

}  // namespace vroom
