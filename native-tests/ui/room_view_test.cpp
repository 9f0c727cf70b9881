// The view rules as plain data: a panel request opens its panel or closes it (and says when the
// chat opened), the view request switches grid and speaker view, Esc unpins before it closes,
// and a tile click pins or unpins.
#include "room_view.hpp"

#include <gtest/gtest.h>

namespace vroom::ui {
namespace {

TEST(RoomView, APanelRequestOpensItsPanelOrClosesIt) {
  RoomView view;
  EXPECT_TRUE(view.apply(ViewRequest::ToggleChat)) << "the chat opened: its input takes focus";
  EXPECT_EQ(view.panel, Panel::Chat);
  EXPECT_FALSE(view.apply(ViewRequest::TogglePeople)) << "another panel replaces it";
  EXPECT_EQ(view.panel, Panel::People);
  EXPECT_FALSE(view.apply(ViewRequest::TogglePeople));
  EXPECT_EQ(view.panel, Panel::None);
  EXPECT_FALSE(view.apply(ViewRequest::ToggleStats));
  EXPECT_EQ(view.panel, Panel::Stats);
  EXPECT_TRUE(view.apply(ViewRequest::ToggleChat));
  EXPECT_FALSE(view.apply(ViewRequest::ToggleChat)) << "closing the chat focuses nothing";
  EXPECT_EQ(view.panel, Panel::None);
}

TEST(RoomView, TheViewRequestSwitchesGridAndSpeaker) {
  RoomView view;
  view.apply(ViewRequest::ToggleSpeakerView);
  EXPECT_TRUE(view.speakerView);
  view.apply(ViewRequest::ToggleSpeakerView);
  EXPECT_FALSE(view.speakerView);
  view.apply(ViewRequest::None);
  EXPECT_EQ(view.panel, Panel::None);
  EXPECT_FALSE(view.speakerView);
}

TEST(RoomView, EscUnpinsFirstThenClosesThePanel) {
  RoomView view;
  view.apply(ViewRequest::TogglePeople);
  view.clickTile("p1");
  view.apply(ViewRequest::Back);
  EXPECT_EQ(view.pinned, "");
  EXPECT_EQ(view.panel, Panel::People);
  view.apply(ViewRequest::Back);
  EXPECT_EQ(view.panel, Panel::None);
  EXPECT_TRUE(view.speakerView) << "Esc leaves the view as it is";
}

TEST(RoomView, AClickPinsInSpeakerViewAndASecondClickUnpins) {
  RoomView view;
  view.clickTile("p1");
  EXPECT_EQ(view.pinned, "p1");
  EXPECT_TRUE(view.speakerView);
  view.clickTile("p2");
  EXPECT_EQ(view.pinned, "p2") << "another tile moves the pin";
  view.clickTile("p2");
  EXPECT_EQ(view.pinned, "");
  EXPECT_TRUE(view.speakerView);
}

}  // namespace
}  // namespace vroom::ui
