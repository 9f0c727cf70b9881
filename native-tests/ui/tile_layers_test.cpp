// layersFor over the real layout: speaker view asks high of the large tile and low of the
// strip's thumbnails, pauses thumbnails that got no room, a big grid asks medium or low, local
// tiles ask nothing, and a member's screen next to its camera asks for the larger of the two.
#include "tile_layers.hpp"

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

TileInfo remote(std::string peer, bool screen = false) {
  TileInfo t;
  t.peerId = peer;
  t.id = screen ? peer + ":screen" : peer;
  t.screen = screen;
  return t;
}

LayoutResult lay(const std::vector<TileInfo>& tiles, LayoutMode mode, float w, float h,
                 std::string pinned = {}) {
  LayoutInput in;
  in.width = w;
  in.height = h;
  in.mode = mode;
  in.pinnedId = std::move(pinned);
  for (const auto& t : tiles) in.tiles.push_back({t.id, 16.0f / 9.0f, t.screen, t.local});
  return computeLayout(in);
}

TEST(TileLayers, SpeakerViewAsksHighOfTheLargeTileLowOfThumbnailsAndOffOfHiddenOnes) {
  std::vector<TileInfo> tiles;
  for (int i = 0; i < 12; ++i) tiles.push_back(remote("p" + std::to_string(i)));
  TileInfo self = remote("me");
  self.local = true;
  tiles.push_back(self);
  const LayoutResult layout = lay(tiles, LayoutMode::Speaker, 1280, 720, "p3");
  ASSERT_GT(layout.hiddenCount, 0);  // a 1280 x 720 strip does not hold eleven thumbnails
  const auto layers = layersFor(tiles, layout);
  EXPECT_EQ(layers.count("me"), 0u);
  EXPECT_EQ(layers.at("p3"), protocol::Layer::High);
  int low = 0, off = 0;
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    if (tiles[i].local || tiles[i].peerId == "p3") continue;
    const protocol::Layer want =
        layout.tiles[i].hidden ? protocol::Layer::Off : protocol::Layer::Low;
    EXPECT_EQ(layers.at(tiles[i].peerId), want) << tiles[i].peerId;
    (want == protocol::Layer::Off ? off : low)++;
  }
  EXPECT_GT(low, 0);
  EXPECT_GT(off, 0);
}

TEST(TileLayers, GridTilesAskByTheirHeight) {
  std::vector<TileInfo> two{remote("a"), remote("b")};
  auto layers = layersFor(two, lay(two, LayoutMode::Grid, 1920, 1080));
  EXPECT_EQ(layers.at("a"), protocol::Layer::High);  // two side by side: about 500 px tall
  std::vector<TileInfo> nine;
  for (int i = 0; i < 9; ++i) nine.push_back(remote("p" + std::to_string(i)));
  layers = layersFor(nine, lay(nine, LayoutMode::Grid, 1280, 720));
  EXPECT_EQ(layers.at("p0"), protocol::Layer::Medium);  // 3 x 3 in 720 px: about 220 px
  layers = layersFor(nine, lay(nine, LayoutMode::Grid, 640, 360));
  EXPECT_EQ(layers.at("p0"), protocol::Layer::Low);
}

TEST(TileLayers, AMembersScreenAndCameraAskForTheLargerOfTheTwo) {
  std::vector<TileInfo> tiles{remote("a"), remote("a", true), remote("b")};
  const LayoutResult layout = lay(tiles, LayoutMode::Speaker, 1280, 720, "a:screen");
  const auto layers = layersFor(tiles, layout);
  EXPECT_EQ(layers.at("a"), protocol::Layer::High);  // the screen is the large tile
  EXPECT_EQ(layers.at("b"), protocol::Layer::Low);
}

}  // namespace
}  // namespace vroom::ui
