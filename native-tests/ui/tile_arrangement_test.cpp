// The tile arrangement over a fake video surface, no ImGui: videos and labels at whole-pixel
// rects, only what changed is shown or removed, a new screen share switches to speaker view
// once, a pinned tile that left is unpinned, the lobby's preview replaces every tile, and a
// point maps to the tile under it.
#include "tile_arrangement.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "fake_video_surface.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

MemberSnapshot member(const std::string& id, const std::string& name) {
  MemberSnapshot m = test::member(id, name);
  m.media = {true, true, false};
  m.cameraStreamId = id + "-cam";
  return m;
}

SessionSnapshot call() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.local.streamId = "local";
  s.members = {member("p1", "Ada"), member("p2", "Cy")};
  return s;
}

bool whole(const Rect& r) {
  return r.x == std::floor(r.x) && r.y == std::floor(r.y) && r.width == std::floor(r.width) &&
         r.height == std::floor(r.height);
}

class Arrangement : public ::testing::Test {
 protected:
  void arrange() { tiles.arrangeRoom(s, 1001, 703, reserved, view, stats, surface); }

  TileArrangement tiles;
  fakes::FakeVideoSurface surface;
  RoomView view;
  StatsHistory stats;
  Insets reserved{44, 0, 72, 0};
  SessionSnapshot s = call();
};

TEST_F(Arrangement, EveryTileGetsItsVideoAndLabelInWholePixels) {
  arrange();
  ASSERT_EQ(tiles.tiles().size(), 3u);
  EXPECT_EQ(surface.shown.size(), 3u);
  EXPECT_EQ(surface.labels.size(), 3u);
  for (const auto& [stream, shown] : surface.shown) EXPECT_TRUE(whole(shown.rect)) << stream;
  EXPECT_EQ(surface.labels.at("p1").rect, surface.shown.at("p1-cam").rect);
  EXPECT_EQ(surface.labels.at("p1").label.name, "Ada");
  // Nothing overlaps the top bar or the toolbar.
  for (const auto& [stream, shown] : surface.shown) {
    EXPECT_GE(shown.rect.y, reserved.top) << stream;
    EXPECT_LE(shown.rect.y + shown.rect.height, 703 - reserved.bottom) << stream;
  }
}

TEST_F(Arrangement, OnlyWhatChangedIsRemoved) {
  arrange();
  surface.calls.clear();
  s.members.pop_back();
  arrange();
  EXPECT_EQ(surface.shown.count("p2-cam"), 0u);
  EXPECT_EQ(surface.labels.count("p2"), 0u);
  EXPECT_NE(std::find(surface.calls.begin(), surface.calls.end(), "hide(p2-cam)"),
            surface.calls.end());
  EXPECT_EQ(std::find(surface.calls.begin(), surface.calls.end(), "hide(p1-cam)"),
            surface.calls.end());
}

TEST_F(Arrangement, AVideoKeepsItsReportedAspect) {
  tiles.setVideoSize("p1-cam", 480, 640);  // a phone held upright
  EXPECT_NEAR(tiles.aspectOf("p1-cam"), 0.75f, 1e-6f);
  EXPECT_NEAR(tiles.aspectOf("unknown"), 16.0f / 9.0f, 1e-6f);
  tiles.setVideoSize("p2-cam", 0, 0);  // junk is ignored
  EXPECT_NEAR(tiles.aspectOf("p2-cam"), 16.0f / 9.0f, 1e-6f);
  arrange();
  const Rect& r = surface.shown.at("p1-cam").rect;
  EXPECT_LT(r.width, r.height);
}

TEST_F(Arrangement, ANewScreenShareSwitchesToSpeakerViewOnce) {
  arrange();
  EXPECT_FALSE(view.speakerView);
  s.members[0].screenStreamId = "p1-screen";
  arrange();
  EXPECT_TRUE(view.speakerView);
  EXPECT_TRUE(surface.labels.count("p1:screen"));
  view.speakerView = false;  // the person goes back to the grid
  arrange();
  EXPECT_FALSE(view.speakerView) << "the same share does not switch again";
}

TEST_F(Arrangement, APinnedTileThatLeftIsUnpinned) {
  view.pinned = "p2";
  arrange();
  EXPECT_TRUE(surface.labels.at("p2").label.pinned);
  s.members.pop_back();
  arrange();
  EXPECT_EQ(view.pinned, "");
}

TEST_F(Arrangement, APointFindsTheTileUnderIt) {
  arrange();
  const Rect& ada = surface.shown.at("p1-cam").rect;
  EXPECT_EQ(tiles.tileAt(ada.x + ada.width / 2, ada.y + ada.height / 2), "p1");
  EXPECT_EQ(tiles.tileAt(1, 1), "") << "the margin is no tile";
  // Each video names the tile it is shown in (the page hands a tile's picture over only
  // within the tile); the lobby's preview is in none.
  EXPECT_EQ(surface.shown.at("p1-cam").look.tile, "p1");
}

TEST_F(Arrangement, TheLobbyPreviewReplacesEveryTile) {
  arrange();
  tiles.arrangePreview("local", Rect{10.5f, 16, 320, 180}, surface);
  EXPECT_TRUE(tiles.tiles().empty());
  EXPECT_TRUE(surface.labels.empty());
  ASSERT_EQ(surface.shown.size(), 1u);
  EXPECT_TRUE(surface.shown.at("local").look.mirrored);
  EXPECT_EQ(surface.shown.at("local").look.tile, "");
  EXPECT_EQ(surface.shown.at("local").rect, (Rect{11, 16, 319, 180})) << "edges rounded inward";
  tiles.arrangePreview("", Rect{}, surface);
  EXPECT_TRUE(surface.shown.empty());
}

TEST_F(Arrangement, HiddenTilesAreCountedInACaptionThatGoesAway) {
  for (int i = 3; i < 12; ++i) s.members.push_back(member("p" + std::to_string(i), "P"));
  view.speakerView = true;
  tiles.arrangeRoom(s, 360, 740, reserved, view, stats, surface);
  ASSERT_GT(tiles.layout().hiddenCount, 0);
  EXPECT_EQ(surface.captionText, "+" + std::to_string(tiles.layout().hiddenCount) + " more");
  view.speakerView = false;
  tiles.arrangeRoom(s, 360, 740, reserved, view, stats, surface);
  EXPECT_EQ(surface.captionText, "");
}

}  // namespace
}  // namespace vroom::ui
