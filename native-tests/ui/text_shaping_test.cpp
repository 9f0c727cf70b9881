// needsShaping and paragraphDirection as tables: scripts drawn glyph by glyph stay simple
// (Latin, Greek, Cyrillic, CJK, single emoji), and everything that joins, reorders, stacks
// or combines is sent to the browser's shaping.
#include "text_shaping.hpp"

#include <gtest/gtest.h>

#include "utf8.hpp"

namespace vroom::ui {
namespace {

struct ShapingCase {
  const char* what;
  const char* text;
  bool shaping;
};

class NeedsShaping : public ::testing::TestWithParam<ShapingCase> {};

TEST_P(NeedsShaping, ByCodePointRange) {
  const ShapingCase& c = GetParam();
  EXPECT_EQ(needsShaping(c.text), c.shaping) << c.what << ": " << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NeedsShaping,
    ::testing::Values(
        ShapingCase{"empty", "", false}, ShapingCase{"ASCII", "Hello, world! 123", false},
        ShapingCase{"Latin-1 and Extended-A", "Ærøskøbing Łódź naïve", false},
        ShapingCase{"Greek", "Καλημέρα κόσμε", false},
        ShapingCase{"Cyrillic", "Привет, как дела?", false},
        ShapingCase{"Chinese", "你好，世界", false},
        ShapingCase{"Japanese kana", "こんにちは カタカナ", false},
        ShapingCase{"Korean syllables", "안녕하세요", false},
        ShapingCase{"single emoji", "\xF0\x9F\x98\x80 \xF0\x9F\x8E\x89", false},  // 😀 🎉
        ShapingCase{"symbols", "\xE2\x9C\x93 \xE2\x86\x92 \xE2\x82\xAC", false},  // ✓ → €
        ShapingCase{"Arabic", "مرحبا بالعالم", true}, ShapingCase{"Hebrew", "שלום עולם", true},
        ShapingCase{"Arabic word in Latin text", "say مرحبا", true},
        ShapingCase{"Persian", "سلام دنیا", true}, ShapingCase{"Devanagari", "नमस्ते", true},
        ShapingCase{"Bengali", "নমস্কার", true}, ShapingCase{"Tamil", "வணக்கம்", true},
        ShapingCase{"Thai", "สวัสดี", true}, ShapingCase{"Khmer", "សួស្តី", true},
        ShapingCase{"Myanmar", "မင်္ဂလာပါ", true},
        ShapingCase{"combining acute", "e\xCC\x81", true},            // e + U+0301
        ShapingCase{"Cyrillic combining", "\xD0\xB0\xD2\x83", true},  // а + U+0483
        ShapingCase{"ZWJ family", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", true},
        ShapingCase{"flag", "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7", true},        // 🇫🇷
        ShapingCase{"skin tone", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", true},   // 👍🏽
        ShapingCase{"variation selector", "\xE2\x9D\xA4\xEF\xB8\x8F", true},  // ❤️
        ShapingCase{"keycap", "1\xEF\xB8\x8F\xE2\x83\xA3", true},             // 1️⃣
        ShapingCase{"bidi isolate",
                    "a\xE2\x81\xA8"
                    "b",
                    true},                                              // U+2068
        ShapingCase{"tag sequence", "\xF3\xA0\x81\xA7", true},          // U+E0067
        ShapingCase{"Arabic presentation form", "\xEF\xBB\xB7", true},  // U+FEF7
        ShapingCase{"Adlam", "\xF0\x9E\xA4\x80", true}),                // U+1E900
    [](const ::testing::TestParamInfo<ShapingCase>& info) {
      std::string name;
      for (const char c : std::string(info.param.what)) name += std::isalnum(c) ? c : '_';
      return name;
    });

struct DirectionCase {
  const char* text;
  TextDirection direction;
};

class Direction : public ::testing::TestWithParam<DirectionCase> {};

TEST_P(Direction, FromTheFirstStrongCharacter) {
  EXPECT_EQ(paragraphDirection(GetParam().text), GetParam().direction) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Direction,
    ::testing::Values(DirectionCase{"", TextDirection::Ltr},
                      DirectionCase{"123 !?", TextDirection::Ltr},  // no strong character
                      DirectionCase{"Hello مرحبا", TextDirection::Ltr},
                      DirectionCase{"مرحبا Hello", TextDirection::Rtl},
                      DirectionCase{"123 مرحبا", TextDirection::Rtl},  // digits are neutral
                      DirectionCase{"\xF0\x9F\x98\x80 שלום", TextDirection::Rtl},  // emoji too
                      DirectionCase{"«שלום»", TextDirection::Rtl},
                      DirectionCase{"(Привет) مرحبا", TextDirection::Ltr},
                      DirectionCase{"你好 مرحبا", TextDirection::Ltr},
                      DirectionCase{"\xE2\x80\x8F"
                                    "abc",
                                    TextDirection::Rtl},  // RLM is strong
                      DirectionCase{"\xE2\x80\x8E"
                                    "אבג",
                                    TextDirection::Ltr}));  // and LRM

TEST(Utf8, DecodesValidTextAndReplacesEachBadByte) {
  const auto decode = [](std::string_view text) {
    std::u32string out;
    forEachCodePoint(text, [&](char32_t c) { out += c; });
    return out;
  };
  EXPECT_EQ(decode("aЖ你\xF0\x9F\x98\x80"), U"aЖ你\U0001F600");
  EXPECT_EQ(decode("\xC0\xAF"), U"\uFFFD\uFFFD") << "overlong";
  EXPECT_EQ(decode("\xED\xA0\x80"), U"\uFFFD\uFFFD\uFFFD") << "surrogate";
  EXPECT_EQ(decode("\xF4\x90\x80\x80"), U"\uFFFD\uFFFD\uFFFD\uFFFD") << "past U+10FFFF";
  EXPECT_EQ(decode("\xF5\x80"), U"\uFFFD\uFFFD");
  EXPECT_EQ(decode("a\xE4\xBD"), U"a\uFFFD\uFFFD") << "truncated";
  EXPECT_EQ(decode("\xE4x"), U"\uFFFDx");
  std::u32string firstTwo;
  forEachCodePoint("abc", [&](char32_t c) {
    firstTwo += c;
    return firstTwo.size() < 2;
  });
  EXPECT_EQ(firstTwo, U"ab");
}

}  // namespace
}  // namespace vroom::ui
