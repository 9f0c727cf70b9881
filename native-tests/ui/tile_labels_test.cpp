// Tile labels as plain data: the host's suffix, the muted mark (never on a screen share), the
// rings, the quality badge from live statistics (remote cameras only), the connection notice
// (remote only) and the placeholder's initials (only without video).
#include "tile_labels.hpp"

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

TileInfo remote() {
  TileInfo t;
  t.id = t.peerId = "p1";
  t.streamId = "p1-cam";
  t.name = "Ada";
  t.initials = "A";
  return t;
}

// Ten seconds of a healthy call with p1: the badge says "good".
StatsHistory healthy() {
  StatsHistory stats;
  PeerStats s;
  s.roundTripTimeMs = 35;
  s.framesPerSecond = 30;
  s.frameWidth = 1280;
  s.frameHeight = 720;
  for (int i = 0; i <= 10; ++i) {
    stats.add("p1", i * 1000.0, s);
    s.bytesReceived += 125'000;
    s.packetsReceived += 100;
  }
  return stats;
}

const StatsHistory kNoStats;

TEST(TileLabels, ARemoteCameraSaysWhoAndHowTheyAre) {
  TileInfo t = remote();
  t.speaking = true;
  const TileLabel label = labelOf(t, PlacedTile{}, "", healthy());
  EXPECT_EQ(label.name, "Ada");
  EXPECT_FALSE(label.muted);
  EXPECT_TRUE(label.speaking);
  EXPECT_FALSE(label.pinned);
  EXPECT_EQ(label.quality, "good");
  EXPECT_EQ(label.notice, "");
  EXPECT_EQ(label.initials, "") << "the video shows who it is";
  EXPECT_EQ(labelOf(t, PlacedTile{}, "", kNoStats).quality, "") << "no statistics, no badge";
}

TEST(TileLabels, HostMutedPinnedFloating) {
  TileInfo t = remote();
  t.host = true;
  t.micOn = false;
  PlacedTile placed;
  placed.floating = true;
  const TileLabel label = labelOf(t, placed, "p1", kNoStats);
  EXPECT_EQ(label.name, "Ada (host)");
  EXPECT_TRUE(label.muted);
  EXPECT_TRUE(label.pinned);
  EXPECT_TRUE(label.floating);
}

TEST(TileLabels, OurOwnTileHasNoHostSuffixBadgeOrNotice) {
  TileInfo t = remote();
  t.id = "self";
  t.local = t.host = true;
  t.name = "Bob (you)";
  t.connection = LinkState::Failed;
  const TileLabel label = labelOf(t, PlacedTile{}, "", healthy());
  EXPECT_EQ(label.name, "Bob (you)");
  EXPECT_EQ(label.quality, "");
  EXPECT_EQ(label.notice, "");
}

TEST(TileLabels, AScreenShareIsNeverMutedAndHasNoBadge) {
  TileInfo t = remote();
  t.id = "p1:screen";
  t.screen = true;
  t.micOn = false;
  const TileLabel label = labelOf(t, PlacedTile{}, "", healthy());
  EXPECT_FALSE(label.muted);
  EXPECT_EQ(label.quality, "");
}

TEST(TileLabels, WithoutVideoTheInitialsShow) {
  TileInfo t = remote();
  t.streamId.clear();
  EXPECT_EQ(labelOf(t, PlacedTile{}, "", kNoStats).initials, "A");
}

TEST(TileLabels, TheConnectionNoticeSaysWhatIsWrong) {
  EXPECT_STREQ(connectionText(LinkState::Connected), "");
  EXPECT_STREQ(connectionText(LinkState::Connecting), "Connecting...");
  EXPECT_STREQ(connectionText(LinkState::Reconnecting), "Reconnecting...");
  EXPECT_STREQ(connectionText(LinkState::Failed), "Connection lost");
  EXPECT_STREQ(connectionText(LinkState::Closed), "Disconnected");
  TileInfo t = remote();
  t.connection = LinkState::Reconnecting;
  EXPECT_EQ(labelOf(t, PlacedTile{}, "", kNoStats).notice, "Reconnecting...");
}

}  // namespace
}  // namespace vroom::ui
