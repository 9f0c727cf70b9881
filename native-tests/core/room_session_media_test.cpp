// RoomSession's local media with the test as the server: preview, permission failures and
// fallbacks, mute, audio-only rules, screen sharing in both modes, device switching.
#include "room_session.hpp"

#include <set>

#include <gtest/gtest.h>

#include "session_harness.hpp"

namespace vroom::testing {
namespace {

// The offer the session last sent to `peer`, parsed.
FakeSdp offerTo(const SessionHarness& h, const std::string& peerId) {
  auto d = h.lastDescriptionTo(peerId);
  EXPECT_TRUE(d);
  auto sdp = d ? FakeSdp::parse(d->sdp) : std::nullopt;
  EXPECT_TRUE(sdp);
  return sdp.value_or(FakeSdp{});
}

TEST(RoomSessionMedia, PreviewAcquiresCameraAndMicrophoneAndListsDevices) {
  SessionHarness h;
  h.session->startPreview();
  ASSERT_EQ(h.media.userMediaRequests.size(), 1u);
  EXPECT_EQ(h.media.userMediaRequests[0], (MediaConstraints{true, true, "", ""}));
  auto local = h.snap().local;
  EXPECT_TRUE(local.hasMicrophone);
  EXPECT_TRUE(local.hasCamera);
  EXPECT_EQ(local.streamId, "cam-stream-1");
  EXPECT_EQ(local.devices.size(), 4u);
  EXPECT_FALSE(local.acquiring);
  // Joining later does not ask again.
  h.joinConference();
  EXPECT_EQ(h.media.userMediaRequests.size(), 1u);
}

TEST(RoomSessionMedia, AcquiringIsVisibleWhileThePromptIsOpen) {
  SessionHarness h;
  h.media.deferCompletion = true;
  h.session->startPreview();
  EXPECT_TRUE(h.snap().local.acquiring);
  h.media.completePending();
  EXPECT_FALSE(h.snap().local.acquiring);
}

TEST(RoomSessionMedia, PermissionDeniedIsExplainedAndTheJoinGoesOnWithoutMedia) {
  SessionHarness h;
  h.media.userMediaError = MediaError{MediaErrorCode::PermissionDenied, "NotAllowedError"};
  h.joinConference({peer("m-a", "A")});
  auto s = h.snap();
  EXPECT_EQ(s.state, SessionState::Joined);
  EXPECT_EQ(s.error.code, SessionErrorCode::MediaPermissionDenied);
  EXPECT_NE(s.error.message.find("denied"), std::string::npos);
  EXPECT_FALSE(s.local.hasMicrophone);
  h.clock.runReady();
  // The offer still asks for the peer's audio and video.
  auto offer = offerTo(h, "m-a");
  ASSERT_EQ(offer.lines.size(), 2u);
  EXPECT_EQ(offer.lines[0].kind, MediaKind::Audio);
  EXPECT_EQ(offer.lines[1].kind, MediaKind::Video);
}

TEST(RoomSessionMedia, MissingCameraFallsBackToTheMicrophone) {
  for (auto code : {MediaErrorCode::NoDevice, MediaErrorCode::DeviceInUse}) {
    SessionHarness h;
    h.media.userMediaError = MediaError{code, ""};
    h.session->startPreview();
    ASSERT_EQ(h.media.userMediaRequests.size(), 2u);
    EXPECT_EQ(h.media.userMediaRequests[1], (MediaConstraints{true, false, "", ""}));
    auto s = h.snap();
    EXPECT_TRUE(s.local.hasMicrophone);
    EXPECT_FALSE(s.local.hasCamera);
    EXPECT_EQ(s.error.code, fromMedia(code));
  }
}

TEST(RoomSessionMedia, EveryMediaErrorHasItsOwnMessage) {
  std::set<std::string> messages;
  for (auto code :
       {MediaErrorCode::PermissionDenied, MediaErrorCode::NoDevice, MediaErrorCode::DeviceInUse,
        MediaErrorCode::InsecureContext, MediaErrorCode::Aborted, MediaErrorCode::NeedsUserGesture,
        MediaErrorCode::Unknown}) {
    const auto message = userMessage(fromMedia(code));
    EXPECT_FALSE(message.empty());
    messages.insert(message);
  }
  EXPECT_EQ(messages.size(), 7u);
}

TEST(RoomSessionMedia, MuteAndCameraOffAreTrackSwitchesAnnouncedToTheRoom) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runReady();
  const auto offersBefore = h.signalsTo("m-a").size();
  ASSERT_TRUE(h.session->setMicrophone(false).ok());
  EXPECT_EQ(h.media.trackEnabled("mic-track-1"), false);
  auto media = h.sentOf<proto::SetMedia>();
  ASSERT_EQ(media.size(), 1u);
  EXPECT_EQ(media[0].media, (proto::MediaState{false, true, false}));
  EXPECT_FALSE(h.snap().local.microphoneOn);
  ASSERT_TRUE(h.session->setCamera(false).ok());
  EXPECT_EQ(h.media.trackEnabled("cam-track-1"), false);
  media = h.sentOf<proto::SetMedia>();
  EXPECT_EQ(media.back().media, (proto::MediaState{false, false, false}));
  h.session->setMicrophone(true);
  EXPECT_EQ(h.media.trackEnabled("mic-track-1"), true);
  h.clock.runReady();
  EXPECT_EQ(h.signalsTo("m-a").size(), offersBefore);  // no renegotiation for a mute
}

TEST(RoomSessionMedia, AudioOnlyRoomsCarryNoVideo) {
  SessionHarness h;
  h.session->startPreview();  // the lobby had the camera on
  h.session->create("talk", "Self", proto::Mode::Conference, true);
  h.socket.accept();
  h.deliver(h.welcome());
  proto::Joined joined;
  joined.self = peer("m-self", "Self");
  joined.room = "talk";
  joined.audioOnly = true;
  joined.members = {peer("m-a", "A")};
  h.deliver(joined);
  h.clock.runReady();
  EXPECT_TRUE(h.media.isStopped("cam-track-1"));
  EXPECT_FALSE(h.snap().local.hasCamera);
  auto offer = offerTo(h, "m-a");
  ASSERT_EQ(offer.lines.size(), 1u);
  EXPECT_EQ(offer.lines[0].kind, MediaKind::Audio);
  auto camera = h.session->setCamera(true);
  ASSERT_FALSE(camera.ok());
  EXPECT_EQ(camera.error().code, SessionErrorCode::NotAllowed);
  EXPECT_EQ(h.session->startScreenShare().error().code, SessionErrorCode::ScreenShareUnavailable);
}

TEST(RoomSessionMedia, ScreenShareTakesTheCamerasPlaceAndGivesItBack) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runUntilIdle(1000);
  auto* pc = h.pcFor("m-a");
  const auto offers = pc->countCalls("setLocalDescription");
  ASSERT_TRUE(h.session->startScreenShare().ok());
  EXPECT_EQ(h.media.displayMediaRequests, 1);
  auto s = h.snap();
  EXPECT_TRUE(s.local.sharing);
  EXPECT_EQ(s.local.screenStreamId, "screen-stream-2");
  EXPECT_EQ(pc->countCalls("replaceTrack("), 1u);
  EXPECT_EQ(h.sentOf<proto::SetMedia>().back().media, (proto::MediaState{true, true, true}));
  h.clock.runUntilIdle(1000);
  auto sending = pc->sendingTracks();
  EXPECT_NE(std::find(sending.begin(), sending.end(), "screen-track-2"), sending.end());
  EXPECT_EQ(pc->countCalls("setLocalDescription"), offers);  // replaced: no renegotiation
  h.session->stopScreenShare();
  h.clock.runUntilIdle(1000);
  sending = pc->sendingTracks();
  EXPECT_NE(std::find(sending.begin(), sending.end(), "cam-track-1"), sending.end());
  EXPECT_TRUE(h.media.isStopped("screen-track-2"));
  EXPECT_FALSE(h.snap().local.sharing);
  EXPECT_EQ(h.sentOf<proto::SetMedia>().back().media, (proto::MediaState{true, true, false}));
}

TEST(RoomSessionMedia, ScreenShareWithoutACameraAddsATrackAndRenegotiates) {
  SessionHarness h;
  h.media.userMediaError = MediaError{MediaErrorCode::NoDevice, ""};
  auto& remote = h.addRemote("m-a");
  std::vector<RemoteTrack> received;
  remote.negotiator->onRemoteTrack([&](const RemoteTrack& t) { received.push_back(t); });
  h.joinConference({peer("m-a", "A")});
  h.pump();
  auto* pc = h.pcFor("m-a");
  ASSERT_TRUE(h.session->negotiatorFor("m-a")->settled());
  ASSERT_TRUE(h.session->startScreenShare().ok());
  EXPECT_EQ(pc->countCalls("addTrack(screen-track"), 1u);
  h.pump();
  EXPECT_EQ(pc->countCalls("event:negotiationneeded"), 2u);  // the join, then the screen
  ASSERT_FALSE(received.empty());
  EXPECT_EQ(received.back().streamId, "screen-stream-2");
  EXPECT_TRUE(h.session->negotiatorFor("m-a")->settled());
  h.session->stopScreenShare();
  EXPECT_EQ(pc->countCalls("removeTrack("), 1u);
  h.pump();
  EXPECT_EQ(pc->countCalls("event:negotiationneeded"), 3u);
  EXPECT_TRUE(h.session->negotiatorFor("m-a")->settled());
}

TEST(RoomSessionMedia, TheBrowsersStopSharingButtonEndsTheShare) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.session->startScreenShare();
  ASSERT_TRUE(h.snap().local.sharing);
  h.media.endTrack(h.snap().local.screenStreamId == "screen-stream-2" ? "screen-track-2" : "?");
  EXPECT_FALSE(h.snap().local.sharing);
  EXPECT_FALSE(h.sentOf<proto::SetMedia>().back().media.screen);
}

TEST(RoomSessionMedia, ScreenShareRefusalsAndFailures) {
  {
    SessionHarness h;
    EXPECT_EQ(h.session->startScreenShare().error().code, SessionErrorCode::NotConnected);
  }
  {
    SessionHarness h;
    h.joinConference();
    h.media.displayMediaError = MediaError{MediaErrorCode::PermissionDenied, ""};
    EXPECT_TRUE(h.session->startScreenShare().ok());
    auto s = h.snap();
    EXPECT_FALSE(s.local.sharing);
    EXPECT_EQ(s.error.code, SessionErrorCode::MediaPermissionDenied);
    EXPECT_NE(s.error.message.find("Screen sharing"), std::string::npos);
  }
  {
    // Asked for outside a click (a script's call): said so, and a share that then works
    // clears the notice.
    SessionHarness h;
    h.joinConference();
    h.media.displayMediaError = MediaError{MediaErrorCode::NeedsUserGesture, ""};
    EXPECT_TRUE(h.session->startScreenShare().ok());
    EXPECT_EQ(h.snap().error.code, SessionErrorCode::MediaNeedsUserGesture);
    EXPECT_NE(h.snap().error.message.find("click"), std::string::npos);
    EXPECT_TRUE(h.session->startScreenShare().ok());
    EXPECT_TRUE(h.snap().local.sharing);
    EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);
  }
  {
    // A share that works leaves other notices alone.
    SessionHarness h;
    h.joinConference();
    h.media.displayMediaError = MediaError{MediaErrorCode::NeedsUserGesture, ""};
    h.session->startScreenShare();
    h.media.endTrack("cam-track-1");  // the camera was unplugged meanwhile
    h.session->startScreenShare();
    EXPECT_TRUE(h.snap().local.sharing);
    EXPECT_EQ(h.snap().error.code, SessionErrorCode::MediaNoDevice);
  }
  {
    SessionHarness h;
    h.session->join("live", "V", proto::Role::Viewer);
    h.socket.accept();
    h.deliver(h.welcome());
    proto::Joined joined;
    joined.self = peer("v", "V", proto::Role::Viewer);
    joined.room = "live";
    joined.mode = proto::Mode::Broadcast;
    h.deliver(joined);
    EXPECT_EQ(h.session->startScreenShare().error().code, SessionErrorCode::ScreenShareUnavailable);
    EXPECT_EQ(h.session->setMicrophone(true).error().code, SessionErrorCode::NotAllowed);
  }
}

TEST(RoomSessionMedia, SwitchingTheCameraReplacesTheTrackEverywhere) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.clock.runUntilIdle(1000);
  auto* pc = h.pcFor("m-a");
  h.session->selectDevice(DeviceKind::VideoInput, "cam-2");
  ASSERT_EQ(h.media.userMediaRequests.size(), 2u);
  EXPECT_EQ(h.media.userMediaRequests[1], (MediaConstraints{false, true, "", "cam-2"}));
  h.clock.runUntilIdle(1000);
  auto sending = pc->sendingTracks();
  EXPECT_NE(std::find(sending.begin(), sending.end(), "cam-track-2"), sending.end());
  EXPECT_TRUE(h.media.isStopped("cam-track-1"));
  EXPECT_FALSE(h.media.isStopped("mic-track-1"));
  EXPECT_EQ(h.snap().local.videoInputId, "cam-2");
  h.session->selectDevice(DeviceKind::AudioOutput, "speaker-9");
  EXPECT_EQ(h.snap().local.audioOutputId, "speaker-9");
  EXPECT_EQ(h.media.userMediaRequests.size(), 2u);
}

TEST(RoomSessionMedia, ChoosingASpeakerMovesTheSoundBeforeItIsShownAsChosen) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.media.deferCompletion = true;
  h.session->selectDevice(DeviceKind::AudioOutput, "speaker-2");
  EXPECT_EQ(h.media.audioOutputRequests, std::vector<std::string>{"speaker-2"});
  EXPECT_EQ(h.snap().local.audioOutputId, "") << "not chosen until the browser moved the sound";
  h.media.completePending();
  EXPECT_EQ(h.media.audioOutput, "speaker-2");
  EXPECT_EQ(h.snap().local.audioOutputId, "speaker-2");
  EXPECT_EQ(h.snap().error.code, SessionErrorCode::None);
}

TEST(RoomSessionMedia, ARefusedSpeakerKeepsTheSoundWhereItWasAndSaysSo) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.session->selectDevice(DeviceKind::AudioOutput, "speaker-2");
  h.media.audioOutputError = MediaError{MediaErrorCode::NoDevice, "Requested device not found"};
  h.session->selectDevice(DeviceKind::AudioOutput, "gone");
  auto s = h.snap();
  EXPECT_EQ(s.local.audioOutputId, "speaker-2");
  EXPECT_EQ(h.media.audioOutput, "speaker-2");
  EXPECT_EQ(s.error.code, SessionErrorCode::SpeakerUnavailable);
  EXPECT_NE(s.error.message.find("Sound keeps playing"), std::string::npos) << s.error.message;
  // A later choice that works clears the notice.
  h.session->selectDevice(DeviceKind::AudioOutput, "");
  s = h.snap();
  EXPECT_EQ(s.local.audioOutputId, "");
  EXPECT_EQ(s.error.code, SessionErrorCode::None);
}

TEST(RoomSessionMedia, DeviceChangesRefreshTheList) {
  SessionHarness h;
  h.session->refreshDevices();
  EXPECT_EQ(h.snap().local.devices.size(), 4u);
  h.media.changeDevices({{"mic-9", DeviceKind::AudioInput, "New mic"}});
  ASSERT_EQ(h.snap().local.devices.size(), 1u);
  EXPECT_EQ(h.snap().local.devices[0].label, "New mic");
}

TEST(RoomSessionMedia, DevicesAreListedAgainWhenPermissionArrives) {
  // The list is asked for while the permission prompt is still open (Firefox answers first,
  // with blank entries); the pickers must not stay blank once the camera is granted.
  SessionHarness h;
  h.media.namesNeedPermission = true;
  h.media.deferCompletion = true;
  h.session->startPreview();
  h.media.completePending();
  const auto devices = h.snap().local.devices;
  ASSERT_EQ(devices.size(), 4u);
  for (const auto& device : devices) {
    EXPECT_FALSE(device.deviceId.empty());
    EXPECT_FALSE(device.label.empty());
  }
}

TEST(RoomSessionMedia, UnpluggedCameraIsReported) {
  SessionHarness h;
  h.joinConference({peer("m-a", "A")});
  h.media.endTrack("cam-track-1");
  auto s = h.snap();
  EXPECT_FALSE(s.local.hasCamera);
  EXPECT_EQ(s.error.code, SessionErrorCode::MediaNoDevice);
  EXPECT_FALSE(h.sentOf<proto::SetMedia>().back().media.video);
}

TEST(RoomSessionMedia, MediaGrantedAfterJoiningIsSentOnTheWaitingSenders) {
  SessionHarness h;
  h.media.deferCompletion = true;
  h.joinConference({peer("m-a", "A")});
  h.clock.runUntilIdle(1000);
  auto* pc = h.pcFor("m-a");
  EXPECT_TRUE(pc->sendingTracks().empty());
  h.media.completePending();
  h.clock.runUntilIdle(1000);
  auto sending = pc->sendingTracks();
  EXPECT_EQ(sending.size(), 2u);
  EXPECT_EQ(pc->countCalls("replaceTrack("), 2u);
}

TEST(RoomSessionMedia, LeavingStopsEveryTrack) {
  SessionHarness h;
  h.joinConference();
  h.session->startScreenShare();
  h.session->leave();
  for (const char* track : {"mic-track-1", "cam-track-1", "screen-track-2"})
    EXPECT_TRUE(h.media.isStopped(track)) << track;
}

}  // namespace
}  // namespace vroom::testing
