// Which code points the overlay's ImGui font holds, rasterised by the browser on demand. It
// starts with printable ASCII (all the UI's own labels use) plus the ellipsis and U+FFFD, the
// fallback; before each frame it adds what the frame's strings need, in one batch (what does
// not fit the batch comes next frame), and rebuilds ImGui's atlas. Bounded: when full, glyphs no
// string uses are evicted, least recently used first; what still does not fit is drawn as U+FFFD
// until room appears.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <imgui.h>

#include "glyph_rasterizer.hpp"

namespace vroom::ui {

struct GlyphAtlasLimits {
  std::size_t maxGlyphs = 2048;
  // Bound on the atlas's area in device pixels: at large pixel ratios fewer glyphs fit.
  std::size_t maxPixels = std::size_t(4) << 20;
  // Code points rasterised per frame; the rest wait for the next frame (pending()).
  std::size_t maxBatch = 512;
};

struct GlyphAtlasStats {
  std::size_t batches = 0;     // calls to the rasterizer
  std::size_t rasterized = 0;  // glyphs received
  std::size_t rebuilds = 0;    // ImGui atlas builds
  std::size_t evicted = 0;
  std::size_t refused = 0;   // code points turned away by a full atlas
  double lastBatchMs = 0;    // the rasterizer's last batch
  double lastRebuildMs = 0;  // packing, clearing and copying pixels into ImGui's atlas
};

class GlyphAtlas {
 public:
  // Code points above this are never glyphs (ImGui's lookup table grows with the largest).
  static constexpr char32_t kMaxCodePoint = 0x3FFFF;

  explicit GlyphAtlas(GlyphRasterizer& rasterizer, GlyphAtlasLimits limits = {});

  // Height of a line (ImGui's font size) in device pixels; a change drops every glyph.
  void setLineHeight(float devicePixels);
  float lineHeight() const { return lineHeight_; }

  // Makes `atlas` (ImGui's io.Fonts, owned from now on) hold the base set and the glyphs of
  // `texts`, earlier texts first when room is short. New code points are rasterised in one
  // batch. Returns true when `atlas` was rebuilt: its texture must be uploaded again.
  bool prepare(ImFontAtlas& atlas, const std::vector<std::string_view>& texts);
  // Code points were left for the next frame (the batch limit, the browser's time budget).
  bool pending() const { return pending_; }

  // The browser's bitmap of `c`, or null when the atlas does not hold it.
  const GlyphBitmap* glyph(char32_t c) const;
  std::size_t size() const { return glyphs_.size(); }
  // How many glyphs fit at the current line height.
  std::size_t capacity() const;
  const GlyphAtlasStats& stats() const { return stats_; }
  ImFont* font() const { return font_; }

 private:
  struct Entry {
    GlyphBitmap bitmap;
    std::uint64_t lastUsed = 0;  // frame the glyph was last known to be needed
    bool base = false;           // never evicted
  };

  void collectMissing(const std::vector<std::string_view>& texts,
                      const std::vector<std::uint64_t>& hashes, std::vector<char32_t>& missing);
  std::vector<char32_t> makeRoom(const std::vector<std::string_view>& texts);
  void rasterize(const std::vector<char32_t>& codePoints);
  void rebuild(ImFontAtlas& atlas);

  GlyphRasterizer& rasterizer_;
  GlyphAtlasLimits limits_;
  float lineHeight_ = 16.0f;
  float ascent_ = 0;
  float descent_ = 0;
  std::unordered_map<char32_t, Entry> glyphs_;
  std::unordered_set<std::uint64_t> covered_;  // hashes of texts whose glyphs are all held
  std::unordered_set<char32_t> refused_;       // turned away; retried when the texts change
  std::uint64_t refusedSignature_ = 0;
  std::uint64_t frame_ = 0;
  bool pending_ = false;
  bool dirty_ = true;  // `atlas` must be rebuilt even without new glyphs
  ImFontAtlas* atlas_ = nullptr;
  ImFont* font_ = nullptr;
  GlyphAtlasStats stats_;
};

}  // namespace vroom::ui
