// Text runs: strings that need shaping (text_shaping.hpp) drawn whole by the browser into a
// bitmap, uploaded as a texture and drawn with ImGui's AddImage. Cached by content (text,
// wrap width, colour); bounded in count and pixels, evicting runs no frame drew lately.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "glyph_rasterizer.hpp"
#include "texture_store.hpp"

namespace vroom::ui {

struct TextRunLimits {
  std::size_t maxRuns = 256;
  std::size_t maxPixels = std::size_t(8) << 20;  // device pixels of all runs' textures
};

struct TextRun {
  ImTextureID texture = nullptr;
  ImVec2 size;  // in UI units (device pixels / pixel ratio)
  TextDirection direction = TextDirection::Ltr;
};

struct TextRunStats {
  std::size_t rasterized = 0;
  std::size_t evicted = 0;
  std::size_t pixels = 0;  // held now
};

class TextRunCache {
 public:
  TextRunCache(GlyphRasterizer& rasterizer, TextureStore& textures, TextRunLimits limits = {});
  ~TextRunCache();
  TextRunCache(const TextRunCache&) = delete;
  TextRunCache& operator=(const TextRunCache&) = delete;

  // Lines `lineHeight` device pixels tall, shown at 1 / `pixelRatio`; a change drops every run.
  void setScale(float lineHeight, float pixelRatio);

  // The run of `text` wrapped at `wrapWidth` UI units (0: only at line breaks) in `colour`,
  // rasterised now if it is not cached; null when the browser could not draw it.
  const TextRun* get(std::string_view text, float wrapWidth, ImU32 colour);
  // The same without rasterising: null when not cached.
  const TextRun* find(std::string_view text, float wrapWidth, ImU32 colour);

  // After a frame: evicts runs not drawn in it, least recently drawn first, while over the
  // limits. The texts drawn as runs in the frame that ended stay readable in drawnLastFrame().
  void endFrame();
  void clear();

  std::size_t size() const { return runs_.size(); }
  const TextRunStats& stats() const { return stats_; }
  const std::vector<std::string>& drawnLastFrame() const { return drawnLastFrame_; }

 private:
  struct Entry {
    TextRun run;
    std::string text;
    std::size_t pixels = 0;
    std::uint64_t lastUsed = 0;
  };
  std::string keyOf(std::string_view text, float wrapWidth, ImU32 colour) const;
  const TextRun* use(Entry& entry);
  void evict(std::unordered_map<std::string, Entry>::iterator it);

  GlyphRasterizer& rasterizer_;
  TextureStore& textures_;
  TextRunLimits limits_;
  float lineHeight_ = 16.0f;
  float pixelRatio_ = 1.0f;
  std::unordered_map<std::string, Entry> runs_;
  std::uint64_t frame_ = 1;
  std::vector<std::string> drawnThisFrame_;
  std::vector<std::string> drawnLastFrame_;
  TextRunStats stats_;
};

}  // namespace vroom::ui
