// LocalMediaState over the fake media devices: captures and what they replace, on/off before
// and after a track exists, the screen in place of the camera or added, ended tracks,
// releasing, devices, and captures that settle after the owner is gone.
#include "local_media_state.hpp"

#include <memory>
#include <optional>

#include <gtest/gtest.h>

#include "fake_media_devices.hpp"

namespace vroom {
namespace {

using fakes::FakeMediaDevices;

struct Captures {
  std::optional<Result<LocalMedia, MediaError>> last;
  LocalMediaState::Captured callback() {
    return [this](Result<LocalMedia, MediaError> r) { last = std::move(r); };
  }
};

TEST(LocalMediaState, CaptureUsesTheChosenDevicesAndAdoptsTheTracksWithTheirOnOffState) {
  FakeMediaDevices media;
  media.deferCompletion = true;
  LocalMediaState state(media);
  state.chooseDevice(DeviceKind::AudioInput, "mic-2");
  state.chooseDevice(DeviceKind::VideoInput, "cam-2");
  EXPECT_FALSE(state.setMicrophone(false));  // nothing to capture when turning it off
  Captures got;
  state.capture(true, true, got.callback());
  EXPECT_TRUE(state.acquiring());
  ASSERT_EQ(media.userMediaRequests.size(), 1u);
  EXPECT_EQ(media.userMediaRequests[0].audioDeviceId, "mic-2");
  EXPECT_EQ(media.userMediaRequests[0].videoDeviceId, "cam-2");
  media.completePending();
  EXPECT_FALSE(state.acquiring());
  ASSERT_TRUE(got.last && got.last->ok());
  EXPECT_TRUE(state.adopt(got.last->value()).empty());
  EXPECT_EQ(state.microphoneTrack(), "mic-track-1");
  EXPECT_EQ(state.cameraTrack(), "cam-track-1");
  EXPECT_EQ(media.trackEnabled("mic-track-1"), false);  // muted before the track came
  EXPECT_EQ(media.trackEnabled("cam-track-1"), true);
  LocalMediaSnapshot local;
  state.fill(local);
  EXPECT_FALSE(local.microphoneOn);
  EXPECT_TRUE(local.hasMicrophone && local.hasCamera);
  EXPECT_EQ(local.streamId, "cam-stream-1");
  EXPECT_EQ(local.audioInputId, "mic-2");
}

TEST(LocalMediaState, ANewCaptureReplacesTracksThatTheCallerThenStops) {
  FakeMediaDevices media;
  LocalMediaState state(media);
  state.adopt(LocalMedia{"s1", "mic-a", "cam-a"});
  const auto replaced = state.adopt(LocalMedia{"s2", "", "cam-b"});
  EXPECT_EQ(replaced, std::vector<std::string>{"cam-a"});
  EXPECT_EQ(state.microphoneTrack(), "mic-a");
  EXPECT_EQ(state.cameraTrack(), "cam-b");
  EXPECT_TRUE(media.stopped.empty());
  state.stopTracks(replaced);
  EXPECT_EQ(media.stopped, std::vector<std::string>{"cam-a"});
}

TEST(LocalMediaState, TurningOnWithoutATrackAsksForACaptureUnlessOneIsUnderWay) {
  FakeMediaDevices media;
  media.deferCompletion = true;
  LocalMediaState state(media);
  EXPECT_TRUE(state.setMicrophone(true));
  EXPECT_TRUE(state.setCamera(true));
  Captures got;
  state.capture(true, false, got.callback());
  EXPECT_FALSE(state.setCamera(true));  // the capture under way comes first
  media.completePending();
  state.adopt(got.last->value());
  EXPECT_FALSE(state.setMicrophone(true));  // a track exists: just enabled
  EXPECT_EQ(media.trackEnabled(state.microphoneTrack()), true);
}

TEST(LocalMediaState, TheScreenReplacesTheCameraOrIsAddedWithoutOne) {
  FakeMediaDevices media;
  LocalMediaState state(media);
  Captures got;
  state.captureScreen(got.callback());
  EXPECT_FALSE(state.screenPending());
  state.adoptScreen(got.last->value());
  EXPECT_EQ(state.screenMode(), LocalMediaState::ScreenMode::Add);  // no camera
  EXPECT_EQ(state.addedScreenTrack(), "screen-track-1");
  EXPECT_EQ(state.videoTrack(false), "");
  EXPECT_EQ(state.endScreen(), "screen-track-1");
  EXPECT_EQ(state.endScreen(), "");  // nothing shared any more

  state.adopt(LocalMedia{"cam-stream", "", "cam"});
  state.adoptScreen(LocalMedia{"screen-stream", "", "screen"});
  EXPECT_EQ(state.screenMode(), LocalMediaState::ScreenMode::Replace);
  EXPECT_EQ(state.videoTrack(false), "screen");
  EXPECT_EQ(state.videoStream(), "screen-stream");
  EXPECT_EQ(state.videoTrack(true), "");  // audio-only rooms send no video
  EXPECT_EQ(state.addedScreenTrack(), "");
  EXPECT_TRUE(state.screenBusy());
  state.endScreen();
  EXPECT_EQ(state.videoTrack(false), "cam");
  EXPECT_EQ(state.videoStream(), "cam-stream");
}

TEST(LocalMediaState, EndedTracksAreToldApart) {
  FakeMediaDevices media;
  LocalMediaState state(media);
  state.adopt(LocalMedia{"s", "mic", "cam"});
  state.adoptScreen(LocalMedia{"ss", "", "screen"});
  EXPECT_EQ(state.trackEnded("screen"), LocalMediaState::Ended::Screen);
  EXPECT_EQ(state.trackEnded("someone-else"), LocalMediaState::Ended::Other);
  EXPECT_EQ(state.trackEnded(""), LocalMediaState::Ended::Other);
  EXPECT_EQ(state.trackEnded("mic"), LocalMediaState::Ended::Microphone);
  EXPECT_EQ(state.microphoneTrack(), "");
  EXPECT_EQ(state.trackEnded("cam"), LocalMediaState::Ended::Camera);
  EXPECT_EQ(state.cameraTrack(), "");
}

TEST(LocalMediaState, ReleasingStopsMicrophoneAndCameraAndGivingBackStopsACapture) {
  FakeMediaDevices media;
  LocalMediaState state(media);
  state.adopt(LocalMedia{"s", "mic", "cam"});
  state.dropCamera();
  EXPECT_EQ(media.stopped, std::vector<std::string>{"cam"});
  state.releaseTracks();
  EXPECT_EQ(media.stopped, (std::vector<std::string>{"cam", "mic"}));
  LocalMediaSnapshot local;
  state.fill(local);
  EXPECT_FALSE(local.hasMicrophone || local.hasCamera);
  EXPECT_EQ(local.streamId, "");
  state.giveBack(LocalMedia{"late", "mic-late", ""});
  EXPECT_EQ(media.stopped.back(), "mic-late");
}

TEST(LocalMediaState, ACaptureThatSettlesAfterItsOwnerIsGoneIsDropped) {
  FakeMediaDevices media;
  media.deferCompletion = true;
  bool called = false;
  {
    LocalMediaState state(media);
    state.capture(true, true, [&](Result<LocalMedia, MediaError>) { called = true; });
    state.captureScreen([&](Result<LocalMedia, MediaError>) { called = true; });
  }
  media.completePending();
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace vroom
