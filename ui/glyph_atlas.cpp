// GlyphAtlas: finding the code points a frame lacks (cheaply: ASCII texts and texts already
// covered are skipped by a hash), evicting by last use when full, and rebuilding ImGui's
// atlas from the held bitmaps through the custom-rect builder.
#include "glyph_atlas.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <imgui_internal.h>  // ImFormatString

#include "font_atlas_builder.hpp"
#include "utf8.hpp"

namespace vroom::ui {
namespace {

constexpr char32_t kEllipsis = 0x2026;
constexpr int kPadding = 1;  // transparent pixels around each glyph in the atlas
constexpr std::size_t kMaxCoveredTexts = 8192;

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

bool isAscii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// FNV-1a, 64 bits also in the 32-bit wasm build.
std::uint64_t hashOf(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// Whether `c` can be a glyph at all: controls are never drawn, and past kMaxCodePoint (tags,
// private use) ImGui shows the fallback.
bool drawable(char32_t c) {
  return c >= 0x20 && !(c >= 0x7F && c < 0xA0) && c <= GlyphAtlas::kMaxCodePoint &&
         !(c >= 0xD800 && c <= 0xDFFF);
}

const std::vector<char32_t>& baseSet() {
  static const std::vector<char32_t> set = [] {
    std::vector<char32_t> out;
    for (char32_t c = 0x20; c < 0x7F; ++c) out.push_back(c);
    out.push_back(kEllipsis);
    out.push_back(kReplacementCharacter);
    return out;
  }();
  return set;
}

bool inBaseSet(char32_t c) {
  return (c >= 0x20 && c < 0x7F) || c == kEllipsis || c == kReplacementCharacter;
}

}  // namespace

GlyphAtlas::GlyphAtlas(GlyphRasterizer& rasterizer, GlyphAtlasLimits limits)
    : rasterizer_(rasterizer), limits_(limits) {}

void GlyphAtlas::setLineHeight(float devicePixels) {
  if (devicePixels == lineHeight_) return;
  lineHeight_ = devicePixels;
  glyphs_.clear();
  covered_.clear();
  refused_.clear();
  dirty_ = true;
}

std::size_t GlyphAtlas::capacity() const {
  const std::size_t side = static_cast<std::size_t>(lineHeight_) + 2 + 2 * kPadding;
  return std::max<std::size_t>(baseSet().size(),
                               std::min(limits_.maxGlyphs, limits_.maxPixels / (side * side)));
}

const GlyphBitmap* GlyphAtlas::glyph(char32_t c) const {
  const auto it = glyphs_.find(c);
  return it == glyphs_.end() ? nullptr : &it->second.bitmap;
}

void GlyphAtlas::collectMissing(const std::vector<std::string_view>& texts,
                                const std::vector<std::uint64_t>& hashes,
                                std::vector<char32_t>& missing) {
  std::unordered_set<char32_t> seen;
  const auto consider = [&](char32_t c) {
    if (!drawable(c) || glyphs_.count(c) || refused_.count(c) || !seen.insert(c).second) return;
    missing.push_back(c);
  };
  for (const char32_t c : baseSet()) consider(c);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (hashes[i] == 0 || covered_.count(hashes[i])) continue;
    bool held = true;
    forEachCodePoint(texts[i], [&](char32_t c) {
      if (drawable(c) && !glyphs_.count(c)) held = false;
      consider(c);
    });
    if (held) {
      if (covered_.size() >= kMaxCoveredTexts) covered_.clear();
      covered_.insert(hashes[i]);
    }
  }
}

std::vector<char32_t> GlyphAtlas::makeRoom(const std::vector<std::string_view>& texts) {
  // What fits, in priority order: the base set, then each text's code points until full.
  // Held glyphs outside it may go; missing ones inside it come in.
  const std::size_t cap = capacity();
  std::unordered_set<char32_t> keep;
  std::vector<char32_t> admit;
  const auto visit = [&](char32_t c) {
    if (keep.size() >= cap || !drawable(c) || !keep.insert(c).second) return;
    const auto held = glyphs_.find(c);
    if (held != glyphs_.end())
      held->second.lastUsed = frame_;
    else if (!refused_.count(c))
      admit.push_back(c);
  };
  for (const char32_t c : baseSet()) visit(c);
  for (const std::string_view text : texts) {
    if (keep.size() >= cap) break;
    forEachCodePoint(text, visit);
  }
  if (admit.size() > limits_.maxBatch) {
    admit.resize(limits_.maxBatch);
    pending_ = true;
  }
  const std::size_t total = glyphs_.size() + admit.size();
  if (total > cap) {
    std::vector<std::pair<std::uint64_t, char32_t>> unkept;
    for (const auto& [c, entry] : glyphs_)
      if (!keep.count(c)) unkept.emplace_back(entry.lastUsed, c);
    std::sort(unkept.begin(), unkept.end());  // least recently needed first
    const std::size_t evict = std::min(total - cap, unkept.size());
    for (std::size_t i = 0; i < evict; ++i) glyphs_.erase(unkept[i].second);
    stats_.evicted += evict;
    covered_.clear();  // texts of other frames may have used what was evicted
    dirty_ = true;
  }
  return admit;
}

void GlyphAtlas::rasterize(const std::vector<char32_t>& codePoints) {
  const auto start = std::chrono::steady_clock::now();
  GlyphBatch batch = rasterizer_.glyphs(codePoints, lineHeight_);
  stats_.lastBatchMs = msSince(start);
  ++stats_.batches;
  std::unordered_set<char32_t> asked(codePoints.begin(), codePoints.end());
  if (!batch.glyphs.empty()) {
    ascent_ = batch.ascent;
    descent_ = batch.descent;
  }
  for (GlyphBitmap& g : batch.glyphs) {
    if (!asked.erase(g.codePoint)) continue;
    if (g.width < 0 || g.height < 0 || g.pixels.size() != std::size_t(g.width) * g.height) {
      g.width = g.height = 0;  // a bitmap that does not match its size keeps only its advance
      g.pixels.clear();
    }
    ++stats_.rasterized;
    const char32_t c = g.codePoint;
    glyphs_[c] = Entry{std::move(g), frame_, inBaseSet(c)};
  }
  if (asked.empty()) return;
  if (batch.glyphs.empty()) {
    // The browser could not draw: not asked again until the texts change.
    for (const char32_t c : asked) refused_.insert(c);
  } else {
    pending_ = true;  // out of its time budget: the rest next frame
  }
}

bool GlyphAtlas::prepare(ImFontAtlas& atlas, const std::vector<std::string_view>& texts) {
  ++frame_;
  if (&atlas != atlas_) {
    atlas_ = &atlas;
    atlas.Clear();
    font_ = IM_NEW(ImFont);
    atlas.Fonts.push_back(font_);
    dirty_ = true;
  }

  // Texts with nothing but ASCII need nothing beyond the base set: hash 0 marks them.
  std::vector<std::uint64_t> hashes(texts.size(), 0);
  std::uint64_t signature = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (isAscii(texts[i])) continue;
    hashes[i] = hashOf(texts[i]) | 1;
    signature += hashes[i];
  }
  if (!refused_.empty() && signature != refusedSignature_) refused_.clear();

  std::vector<char32_t> missing;
  collectMissing(texts, hashes, missing);
  pending_ = false;
  if (!missing.empty()) {
    std::vector<char32_t> admit;
    if (glyphs_.size() + std::min(missing.size(), limits_.maxBatch) <= capacity()) {
      admit = std::move(missing);
      if (admit.size() > limits_.maxBatch) {
        admit.resize(limits_.maxBatch);
        pending_ = true;  // the rest next frame
      }
    } else {
      // Full: what does not fit is drawn as U+FFFD until the texts change.
      admit = makeRoom(texts);
      const std::unordered_set<char32_t> admitted(admit.begin(), admit.end());
      for (const char32_t c : missing)
        if (!admitted.count(c) && !pending_ && refused_.insert(c).second) ++stats_.refused;
      refusedSignature_ = signature;
    }
    if (!admit.empty()) {
      rasterize(admit);
      dirty_ = true;
    }
  }
  if (!dirty_) return false;
  rebuild(atlas);
  dirty_ = false;
  return true;
}

void GlyphAtlas::rebuild(ImFontAtlas& atlas) {
  const auto start = std::chrono::steady_clock::now();
  atlas.ClearInputData();
  ImFontConfig config;
  config.SizePixels = lineHeight_;
  config.DstFont = font_;
  config.FontDataOwnedByAtlas = false;  // there is no font file
  ImFormatString(config.Name, IM_ARRAYSIZE(config.Name), "browser system-ui, %.0fpx", lineHeight_);
  atlas.ConfigData.push_back(config);
  font_->Ascent = ascent_;
  font_->Descent = -descent_;  // ImGui's convention: below the baseline is negative
  for (const auto& [c, entry] : glyphs_) {
    const GlyphBitmap& g = entry.bitmap;
    atlas.AddCustomRectFontGlyph(font_, static_cast<ImWchar>(c), g.width + 2 * kPadding,
                                 g.height + 2 * kPadding, g.advance,
                                 ImVec2(g.offsetX - kPadding, g.offsetY - kPadding));
  }
  if (!glyphs_.count(U' ')) {
    // The browser answered nothing (yet): ImGui needs one glyph to fall back to.
    atlas.AddCustomRectFontGlyph(font_, ' ', 2 * kPadding, 2 * kPadding, lineHeight_ * 0.3f);
  }
  atlas.FontBuilderIO = customRectFontBuilder();
  const bool built = buildCustomRectAtlas(&atlas);
  IM_ASSERT(built && "GlyphAtlas's bound keeps the atlas within 4096 x 32768");
  (void)built;

  bool colour = false;
  for (const ImFontAtlasCustomRect& r : atlas.CustomRects) {
    if (r.Font != font_ || r.GlyphID == 0) continue;
    const auto held = glyphs_.find(static_cast<char32_t>(r.GlyphID));
    if (held == glyphs_.end()) continue;
    const GlyphBitmap& g = held->second.bitmap;
    for (int y = 0; y < g.height; ++y) {
      unsigned int* row =
          atlas.TexPixelsRGBA32 + (r.Y + kPadding + y) * atlas.TexWidth + r.X + kPadding;
      std::memcpy(row, g.pixels.data() + std::size_t(y) * g.width,
                  std::size_t(g.width) * sizeof(std::uint32_t));
    }
    if (!colour)
      for (const std::uint32_t p : g.pixels)
        if ((p >> 24) != 0 && (p & 0x00FFFFFFu) != 0x00FFFFFFu) {
          colour = true;
          break;
        }
  }
  atlas.TexPixelsUseColors = colour;
  ++stats_.rebuilds;
  stats_.lastRebuildMs = msSince(start);
}

}  // namespace vroom::ui
