// Shaped text runs: cached by content (text, wrap width, colour) so a frame that draws the
// same run again asks the browser nothing; device pixels at the pixel ratio; eviction of runs
// not drawn lately once over the bounds, textures freed; and, through real ImGui frames, that
// the chat and people panels draw Arabic as runs (with its direction) and Cyrillic as glyphs.
#include "text_runs.hpp"

#include <gtest/gtest.h>

#include "chat_panel.hpp"
#include "fake_text.hpp"
#include "imgui_harness.hpp"
#include "people_panel.hpp"
#include "recording_actions.hpp"
#include "text_renderer.hpp"
#include "user_text.hpp"

namespace vroom::ui {
namespace {

constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);
const char* const kArabic = "مرحبا بالعالم";

class TextRunsTest : public ::testing::Test {
 protected:
  TextRunsTest() { runs.setScale(32.0f, 2.0f); }
  test::FakeGlyphRasterizer fake;
  test::FakeTextureStore textures;
  TextRunLimits limits{4, 1u << 20};
  TextRunCache runs{fake, textures, limits};
};

TEST_F(TextRunsTest, RasterisesOnceAndReusesTheRun) {
  const TextRun* run = runs.get(kArabic, 150.0f, kWhite);
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(fake.runs.size(), 1u);
  EXPECT_EQ(fake.runs[0].text, kArabic);
  EXPECT_EQ(fake.runs[0].lineHeight, 32.0f);
  EXPECT_EQ(fake.runs[0].maxWidth, 300.0f) << "wrap width in device pixels";
  EXPECT_EQ(fake.runs[0].direction, TextDirection::Rtl);
  EXPECT_EQ(run->direction, TextDirection::Rtl);
  EXPECT_EQ(run->size.y, 16.0f) << "one line of 32 device pixels is 16 UI units";
  EXPECT_EQ(textures.created, 1);

  EXPECT_EQ(runs.get(kArabic, 150.0f, kWhite), run);
  EXPECT_EQ(runs.find(kArabic, 150.0f, kWhite), run);
  EXPECT_EQ(fake.runs.size(), 1u) << "cached by content";
  runs.get(kArabic, 100.0f, kWhite);
  runs.get(kArabic, 150.0f, IM_COL32(200, 200, 255, 255));
  EXPECT_EQ(fake.runs.size(), 3u) << "another width or colour is another run";
  EXPECT_EQ(runs.find("שלום", 100.0f, kWhite), nullptr) << "find never rasterises";
  EXPECT_EQ(fake.runs.size(), 3u);
}

TEST_F(TextRunsTest, EndFrameEvictsRunsNotDrawnLatelyAndFreesTheirTextures) {
  for (int i = 0; i < 6; ++i) runs.get("سلام " + std::to_string(i), 0.0f, kWhite);
  runs.endFrame();  // all six drawn in this frame: over the bound, nothing is old yet
  EXPECT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs.drawnLastFrame().size(), 6u);
  runs.get("سلام 5", 0.0f, kWhite);
  runs.get("سلام 4", 0.0f, kWhite);
  runs.endFrame();
  EXPECT_EQ(runs.size(), 4u);
  EXPECT_NE(runs.find("سلام 5", 0.0f, kWhite), nullptr);
  EXPECT_NE(runs.find("سلام 4", 0.0f, kWhite), nullptr);
  EXPECT_EQ(textures.live.size(), 4u);
  EXPECT_EQ(textures.destroyed, 2);
  EXPECT_EQ(runs.stats().evicted, 2u);
}

TEST_F(TextRunsTest, APixelBoundEvictsToo) {
  TextRunCache small(fake, textures, TextRunLimits{100, 40 * 32 * 3});
  small.setScale(32.0f, 1.0f);
  for (int i = 0; i < 5; ++i) small.get(std::string(5, char('a' + i)), 0.0f, kWhite);  // 38x32 each
  small.endFrame();
  small.get("aaaaa", 0.0f, kWhite);
  small.endFrame();
  EXPECT_LE(small.stats().pixels, std::size_t(40 * 32 * 3));
  EXPECT_NE(small.find("aaaaa", 0.0f, kWhite), nullptr);
}

TEST_F(TextRunsTest, AScaleChangeDropsEveryRun) {
  runs.get(kArabic, 0.0f, kWhite);
  runs.setScale(16.0f, 1.0f);
  EXPECT_EQ(runs.size(), 0u);
  EXPECT_TRUE(textures.live.empty());
}

TEST_F(TextRunsTest, ARunTheBrowserCouldNotDrawIsNotAskedForAgain) {
  fake.failRuns = true;
  EXPECT_EQ(runs.get(kArabic, 0.0f, kWhite), nullptr);
  EXPECT_EQ(runs.get(kArabic, 0.0f, kWhite), nullptr);
  EXPECT_EQ(fake.runs.size(), 1u);
  EXPECT_EQ(textures.created, 0);
}

// Through the panels in headless frames.
class RunFrames : public ::testing::Test {
 protected:
  RunFrames() {
    snapshot.state = SessionState::Joined;
    snapshot.self = {"me", "Иван", protocol::Role::Member};
    MemberSnapshot sara;
    sara.id = "p1";
    sara.name = "سارة";
    sara.connection = LinkState::Connected;
    snapshot.members = {sara};
    snapshot.chat = {{"p1", "سارة", kArabic, 0, false}, {"me", "Иван", "Привет всем", 0, true}};
    ui.setTexts({"Иван", "Привет всем", "سارة"});
  }
  bool ranAs(std::string_view text) {
    for (const auto& call : ui.rasterizer().runs)
      if (call.text == text) return true;
    return false;
  }

  test::ImGuiHarness ui{1280, 800};
  SessionSnapshot snapshot;
  ChatPanelState chat;
  RecordingActions actions;
  // The chat panel in a window at the right edge, `height` tall.
  test::ImGuiHarness::Draw chatWindow(float height) {
    return [this, height] {
      ImGui::SetNextWindowPos(ImVec2(900, 0));
      ImGui::SetNextWindowSize(ImVec2(340, height));
      ImGui::Begin("Chat", nullptr, ImGuiWindowFlags_NoSavedSettings);
      drawChatPanel(snapshot, chat, actions);
      ImGui::End();
    };
  }
};

TEST_F(RunFrames, ChatDrawsArabicAsRunsAndCyrillicAsGlyphs) {
  const auto draw = chatWindow(600);
  ui.settle(draw);
  EXPECT_TRUE(ranAs(kArabic)) << "the message";
  EXPECT_TRUE(ranAs("سارة")) << "the name in its header";
  EXPECT_FALSE(ranAs("Привет всем"));
  EXPECT_FALSE(ranAs("Иван"));
  EXPECT_TRUE(ui.has("Иван (you)  00:00")) << "a simple name keeps the glyph header";
  EXPECT_TRUE(ui.has("سارة  00:00")) << ::testing::PrintToString(ui.labels());
  // The message run is in the draw data, next to the font atlas.
  const std::set<ImTextureID> drawn = ui.texturesDrawn();
  EXPECT_EQ(drawn.size(), 3u) << "font atlas, the name's run, the message's run";
  EXPECT_TRUE(drawn.count(ImGui::GetIO().Fonts->TexID));
  for (char32_t c : {U'П', U'р', U'и', U'в', U'е', U'т', U'с', U'м', U'И', U'а', U'н'})
    EXPECT_NE(ImGui::GetFont()->FindGlyphNoFallback(c), nullptr) << std::hex << unsigned(c);

  // The Arabic message is right-aligned in the log; the run of its wrap width.
  const auto& calls = ui.rasterizer().runs;
  const auto message =
      std::find_if(calls.begin(), calls.end(), [](const auto& c) { return c.text == kArabic; });
  EXPECT_EQ(message->direction, TextDirection::Rtl);
  EXPECT_GT(message->maxWidth, 250.0f);
  const std::size_t asked = calls.size();
  ui.settle(draw);
  EXPECT_EQ(ui.rasterizer().runs.size(), asked) << "later frames reuse the runs";
}

TEST_F(RunFrames, PeoplePanelDrawsAnArabicNameAsARunThenItsDetails) {
  const auto draw = [&] {
    ImGui::SetNextWindowPos(ImVec2(900, 0));
    ImGui::SetNextWindowSize(ImVec2(340, 600));
    ImGui::Begin("People", nullptr, ImGuiWindowFlags_NoSavedSettings);
    drawPeoplePanel(snapshot, nullptr);
    ImGui::End();
  };
  ui.settle(draw);
  EXPECT_TRUE(ranAs("سارة"));
  EXPECT_FALSE(ranAs("Иван (you)")) << "Cyrillic takes glyphs";
  EXPECT_FALSE(ranAs("Иван"));
  EXPECT_TRUE(ui.has("سارة\nMember, mic on, camera on, connected"));
}

TEST_F(RunFrames, UnseenMessagesAreNotRasterised) {
  snapshot.chat.clear();
  for (int i = 0; i < 80; ++i)
    snapshot.chat.push_back({"p1", "Ada", "رسالة رقم " + std::to_string(i), 0, false});
  const auto draw = chatWindow(300);
  ui.settle(draw);
  // The first frame shows the top of the log (ImGui scrolls to the newest one frame later):
  // at most two screenfuls are rasterised, never the middle of the log.
  EXPECT_TRUE(ranAs("رسالة رقم 79")) << "the newest is in view";
  EXPECT_FALSE(ranAs("رسالة رقم 40")) << "never in view";
  EXPECT_LT(ui.rasterizer().runs.size(), 30u);
}

TEST(UserText, WithoutARendererEverythingTakesTheGlyphPath) {
  test::ImGuiHarness ui;
  ui.frame([] { EXPECT_TRUE(drawsAsRun(kArabic)); });
  EXPECT_EQ(TextRenderer::current(), nullptr) << "only between beginFrame and endFrame";
  EXPECT_FALSE(drawsAsRun(kArabic));
}

}  // namespace
}  // namespace vroom::ui
