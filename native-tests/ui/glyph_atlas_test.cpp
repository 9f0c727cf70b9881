// The glyph atlas over the fake rasterizer: the base set in one batch at start, one batch per
// frame for new code points only and no rebuild without them, the glyphs' metrics and pixels
// (colour kept) in ImGui's font, the bounds (capacity by count and area, the batch limit) and
// what a full atlas keeps: the newest chat wins over the oldest, even in a 20,000-character flood.
#include "glyph_atlas.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <imgui_internal.h>

#include "fake_text.hpp"
#include "font_atlas_builder.hpp"
#include "utf8.hpp"

namespace vroom::ui {
namespace {

constexpr std::size_t kBaseSize = 95 + 2;  // printable ASCII, U+2026, U+FFFD

std::string utf8Of(char32_t c) {
  char out[5] = {};
  ImTextCharToUtf8(out, c);
  return out;
}

// `count` distinct CJK ideographs starting at U+4E00 + first.
std::string ideographs(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += utf8Of(char32_t(0x4E00 + first + i));
  return out;
}

class GlyphAtlasTest : public ::testing::Test {
 protected:
  GlyphAtlasTest() { glyphs.setLineHeight(13.0f); }

  bool prepare(std::vector<std::string_view> texts) { return glyphs.prepare(atlas, texts); }
  bool holds(char32_t c) const { return glyphs.font()->FindGlyphNoFallback(ImWchar(c)) != nullptr; }
  bool holdsAll(std::string_view text) const {
    bool all = true;
    forEachCodePoint(text, [&](char32_t c) { all = all && holds(c); });
    return all;
  }
  // The atlas pixel at the centre of `c`'s glyph.
  std::uint32_t pixelOf(char32_t c) const {
    const ImFontGlyph* g = glyphs.font()->FindGlyphNoFallback(ImWchar(c));
    const int x = int((g->U0 + g->U1) * 0.5f * float(atlas.TexWidth));
    const int y = int((g->V0 + g->V1) * 0.5f * float(atlas.TexHeight));
    return atlas.TexPixelsRGBA32[y * atlas.TexWidth + x];
  }

  test::FakeGlyphRasterizer fake;
  ImFontAtlas atlas;
  GlyphAtlasLimits limits;
  GlyphAtlas glyphs{fake, limits};
};

TEST_F(GlyphAtlasTest, StartsWithTheBaseSetInOneBatch) {
  EXPECT_TRUE(prepare({}));
  ASSERT_EQ(fake.batches.size(), 1u);
  EXPECT_EQ(fake.batches[0].size(), kBaseSize);
  EXPECT_EQ(fake.batchLineHeights[0], 13.0f);
  EXPECT_EQ(glyphs.size(), kBaseSize);
  for (char32_t c = 0x20; c < 0x7F; ++c) EXPECT_TRUE(holds(c)) << std::hex << unsigned(c);
  EXPECT_TRUE(holds(0x2026));
  EXPECT_EQ(glyphs.font()->FallbackChar, ImWchar(0xFFFD)) << "unknown code points show U+FFFD";
  EXPECT_EQ(glyphs.font()->FontSize, 13.0f);
  EXPECT_TRUE(atlas.IsBuilt());
  EXPECT_NE(atlas.TexPixelsRGBA32, nullptr);
  EXPECT_EQ(atlas.TexPixelsAlpha8, nullptr) << "built in RGBA32 directly";
  EXPECT_EQ(atlas.FontBuilderIO, customRectFontBuilder());
  EXPECT_EQ(glyphs.stats().rebuilds, 1u);
}

TEST_F(GlyphAtlasTest, AsksOnlyForNewCodePointsAndRebuildsOnlyThen) {
  prepare({});
  EXPECT_TRUE(prepare({"Привет, Ada"}));
  ASSERT_EQ(fake.batches.size(), 2u);
  EXPECT_EQ(fake.batches[1], (std::vector<char32_t>{U'П', U'р', U'и', U'в', U'е', U'т'}));
  EXPECT_TRUE(holdsAll("Привет"));

  for (int i = 0; i < 5; ++i) EXPECT_FALSE(prepare({"Привет, Ada", "plain ASCII"}));
  EXPECT_EQ(fake.batches.size(), 2u) << "nothing new: no rasterizing";
  EXPECT_EQ(glyphs.stats().rebuilds, 2u) << "and no rebuild";

  EXPECT_TRUE(prepare({"Привет мир", "Γειά σου", "你好"}));
  ASSERT_EQ(fake.batches.size(), 3u) << "one batch for all of a frame's strings";
  EXPECT_EQ(fake.batches[2],
            (std::vector<char32_t>{U'м', U'Γ', U'ε', U'ι', U'ά', U'σ', U'ο', U'υ', U'你', U'好'}));
}

TEST_F(GlyphAtlasTest, GlyphsKeepTheirMetricsAndPixels) {
  prepare({"Ж你\xF0\x9F\x98\x80"});  // Ж 你 😀 (past U+FFFF: ImWchar is 32-bit)
  const ImFontGlyph* narrow = glyphs.font()->FindGlyphNoFallback(U'Ж');
  const ImFontGlyph* wide = glyphs.font()->FindGlyphNoFallback(U'你');
  const ImFontGlyph* emoji = glyphs.font()->FindGlyphNoFallback(ImWchar(0x1F600));
  ASSERT_TRUE(narrow && wide && emoji);
  EXPECT_EQ(narrow->AdvanceX, 7.0f);
  EXPECT_EQ(wide->AdvanceX, 13.0f);
  // The fake's ink box (advance - 1 wide, ascent 10 tall, one pixel down) plus the padding.
  EXPECT_EQ(narrow->X1 - narrow->X0, 6.0f + 2.0f);
  EXPECT_EQ(narrow->Y0, 1.0f - 1.0f);
  EXPECT_EQ(narrow->Y1 - narrow->Y0, 10.0f + 2.0f);
  EXPECT_EQ(pixelOf(U'Ж'), 0xFFFFFFFFu) << "text glyphs: white, coverage in alpha";
  EXPECT_EQ(pixelOf(0x1F600), test::FakeGlyphRasterizer::kEmojiColour) << "emoji keep colour";
  EXPECT_TRUE(atlas.TexPixelsUseColors);
  EXPECT_EQ(glyphs.font()->Ascent, 10.0f);
  EXPECT_EQ(glyphs.font()->Descent, -3.0f);
  ASSERT_NE(glyphs.glyph(U'Ж'), nullptr);
  EXPECT_EQ(glyphs.glyph(U'Ж')->width, 6);
}

TEST_F(GlyphAtlasTest, CodePointsThatCannotBeGlyphsAreNotAskedFor) {
  prepare({});
  EXPECT_FALSE(prepare({"a\tb\nc\x7f", "\xF3\xA0\x81\xA7", "\xF3\xB0\x80\x80"}));  // tag, plane 15
  EXPECT_EQ(fake.batches.size(), 1u);
}

TEST_F(GlyphAtlasTest, ALineHeightChangeRasterisesEverythingAgain) {
  prepare({"Привет"});
  ASSERT_EQ(fake.batches.size(), 1u);
  EXPECT_EQ(fake.batches[0].size(), kBaseSize + 6) << "base set and the text in one batch";
  glyphs.setLineHeight(26.0f);
  EXPECT_TRUE(prepare({"Привет"}));
  ASSERT_EQ(fake.batches.size(), 2u);
  EXPECT_EQ(fake.batchLineHeights[1], 26.0f);
  EXPECT_EQ(fake.batches[1].size(), kBaseSize + 6);
  EXPECT_EQ(glyphs.font()->FindGlyphNoFallback(U'П')->AdvanceX, 14.0f);
}

TEST_F(GlyphAtlasTest, ABatchIsCappedAndTheRestComesNextFrame) {
  prepare({});
  const std::string many = ideographs(0, limits.maxBatch + 88);
  EXPECT_TRUE(prepare({many}));
  EXPECT_EQ(fake.batches.back().size(), limits.maxBatch);
  EXPECT_TRUE(glyphs.pending());
  EXPECT_TRUE(prepare({many}));
  EXPECT_EQ(fake.batches.back().size(), 88u);
  EXPECT_FALSE(glyphs.pending());
  EXPECT_TRUE(holdsAll(many));
}

TEST_F(GlyphAtlasTest, ABrowserOutOfTimeAnswersAPrefixAndGetsTheRestNextFrame) {
  prepare({});
  fake.answerAtMost = 40;
  const std::string text = ideographs(0, 100);
  EXPECT_TRUE(prepare({text}));
  EXPECT_TRUE(glyphs.pending());
  EXPECT_TRUE(holdsAll(ideographs(0, 40)));
  EXPECT_TRUE(prepare({text}));
  EXPECT_EQ(fake.batches.back().front(), char32_t(0x4E00 + 40)) << "asks from where it stopped";
  EXPECT_TRUE(prepare({text}));
  EXPECT_FALSE(glyphs.pending());
  EXPECT_TRUE(holdsAll(text));
  EXPECT_EQ(glyphs.stats().refused, 0u);
}

TEST_F(GlyphAtlasTest, CapacityShrinksWithTheAreaOfAGlyph) {
  EXPECT_EQ(glyphs.capacity(), limits.maxGlyphs);
  glyphs.setLineHeight(16.0f * 3);  // a phone at pixel ratio 3
  EXPECT_LT(glyphs.capacity(), limits.maxGlyphs);
  EXPECT_LE(glyphs.capacity() * 52 * 52, limits.maxPixels);
}

TEST_F(GlyphAtlasTest, WhenFullTheFirstTextsWinAndTheRestShowsTheFallbackUntilTextsChange) {
  GlyphAtlasLimits small;
  small.maxGlyphs = kBaseSize + 100;
  GlyphAtlas full(fake, small);
  full.setLineHeight(13.0f);
  ImFontAtlas target;
  const std::string newest = ideographs(0, 60);
  const std::string older = ideographs(1000, 60);
  full.prepare(target, {newest, older});
  EXPECT_EQ(full.size(), kBaseSize + 100);
  EXPECT_EQ(full.stats().refused, 20u);
  const auto held = [&](std::string_view t) {
    bool all = true;
    forEachCodePoint(
        t, [&](char32_t c) { all = all && full.font()->FindGlyphNoFallback(ImWchar(c)); });
    return all;
  };
  EXPECT_TRUE(held(newest));
  EXPECT_FALSE(held(older));
  const std::size_t batches = fake.batches.size();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(full.prepare(target, {newest, older}));
  EXPECT_EQ(fake.batches.size(), batches) << "refused code points are not asked for every frame";

  // A newer message arrives: it takes the glyphs of the oldest text.
  const std::string newer = ideographs(2000, 50);
  EXPECT_TRUE(full.prepare(target, {newer, newest, older}));
  EXPECT_TRUE(held(newer));
  EXPECT_TRUE(held(ideographs(0, 50))) << "the first 50 of the next text still fit";
  EXPECT_EQ(full.size(), kBaseSize + 100);
  EXPECT_GT(full.stats().evicted, 0u);
  for (char32_t c = 0x20; c < 0x7F; ++c) EXPECT_TRUE(full.font()->FindGlyphNoFallback(c));
}

TEST_F(GlyphAtlasTest, AFloodOfTwentyThousandDistinctCharactersStaysBounded) {
  // 500 chat messages of 40 distinct ideographs each, arriving one per frame, drawn newest
  // first (frameText's order) with the whole history on screen.
  std::vector<std::string> chat;
  std::size_t maxPixels = 0;
  for (std::size_t m = 0; m < 500; ++m) {
    chat.push_back(ideographs(m * 40, 40));
    std::vector<std::string_view> texts(chat.rbegin(), chat.rend());
    while (glyphs.prepare(atlas, texts) && glyphs.pending()) {
    }
    ASSERT_LE(glyphs.size(), glyphs.capacity());
    ASSERT_TRUE(holdsAll(chat.back())) << "message " << m;
    maxPixels = std::max(maxPixels, std::size_t(atlas.TexWidth) * std::size_t(atlas.TexHeight));
  }
  EXPECT_EQ(glyphs.size(), glyphs.capacity());
  // The newest messages that fit are whole.
  const std::size_t whole = (glyphs.capacity() - kBaseSize) / 40;
  for (std::size_t i = 0; i < whole; ++i) EXPECT_TRUE(holdsAll(chat[chat.size() - 1 - i])) << i;
  EXPECT_FALSE(holdsAll(chat.front()));
  EXPECT_LE(fake.batches.size(), 501u) << "at most one batch per frame";
  EXPECT_LE(maxPixels, std::size_t(2048) * 2048) << "the atlas texture stays small";
  for (char32_t c = 0x20; c < 0x7F; ++c) EXPECT_TRUE(holds(c));
}

TEST_F(GlyphAtlasTest, ABrowserThatAnswersNothingLeavesAUsableFontAndIsNotAskedAgain) {
  fake.answerNothing = true;
  EXPECT_TRUE(prepare({"Hi"}));
  EXPECT_TRUE(atlas.IsBuilt());
  EXPECT_NE(glyphs.font()->FindGlyph(ImWchar('A')), nullptr) << "falls back to a blank glyph";
  EXPECT_FALSE(prepare({"Hi"}));
  EXPECT_EQ(fake.batches.size(), 1u);
}

TEST_F(GlyphAtlasTest, RebuildTimeFor500NewCjkGlyphs) {
  glyphs.setLineHeight(32.0f);  // pixel ratio 2
  prepare({});
  const std::string text = ideographs(0, 500);
  const auto start = std::chrono::steady_clock::now();
  prepare({text});
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(holdsAll(text));
  RecordProperty("rebuild_ms", std::to_string(glyphs.stats().lastRebuildMs));
  std::printf(
      "500 CJK glyphs at 32 px lines: prepare %.2f ms, of which rebuild %.2f ms "
      "(%d x %d atlas)\n",
      ms, glyphs.stats().lastRebuildMs, atlas.TexWidth, atlas.TexHeight);
}

}  // namespace
}  // namespace vroom::ui
