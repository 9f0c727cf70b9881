// TextRunCache: a map from (text, wrap width in device pixels, colour) to an uploaded run,
// with last-use stamps for eviction. A run the browser could not draw is remembered as such so
// it is not asked for again every frame; the caller then falls back to glyphs.
#include "text_runs.hpp"

#include <algorithm>
#include <cmath>

namespace vroom::ui {

TextRunCache::TextRunCache(GlyphRasterizer& rasterizer, TextureStore& textures,
                           TextRunLimits limits)
    : rasterizer_(rasterizer), textures_(textures), limits_(limits) {}

TextRunCache::~TextRunCache() {
  clear();
}

void TextRunCache::setScale(float lineHeight, float pixelRatio) {
  if (lineHeight == lineHeight_ && pixelRatio == pixelRatio_) return;
  clear();
  lineHeight_ = lineHeight;
  pixelRatio_ = pixelRatio;
}

void TextRunCache::clear() {
  while (!runs_.empty()) evict(runs_.begin());
  stats_.pixels = 0;
}

std::string TextRunCache::keyOf(std::string_view text, float wrapWidth, ImU32 colour) const {
  const long wrapPixels = std::lround(std::max(0.0f, wrapWidth) * pixelRatio_);
  std::string key = std::to_string(wrapPixels) + ":" + std::to_string(colour) + ":";
  key.append(text);
  return key;
}

const TextRun* TextRunCache::use(Entry& entry) {
  if (entry.lastUsed != frame_ && entry.run.texture) drawnThisFrame_.push_back(entry.text);
  entry.lastUsed = frame_;
  return entry.run.texture ? &entry.run : nullptr;
}

const TextRun* TextRunCache::find(std::string_view text, float wrapWidth, ImU32 colour) {
  const auto it = runs_.find(keyOf(text, wrapWidth, colour));
  return it == runs_.end() ? nullptr : use(it->second);
}

const TextRun* TextRunCache::get(std::string_view text, float wrapWidth, ImU32 colour) {
  std::string key = keyOf(text, wrapWidth, colour);
  const auto found = runs_.find(key);
  if (found != runs_.end()) return use(found->second);

  Entry entry;
  entry.text = std::string(text);
  entry.run.direction = paragraphDirection(text);
  const float maxWidth = std::max(0.0f, wrapWidth) * pixelRatio_;
  RunBitmap bitmap = rasterizer_.run(text, lineHeight_, maxWidth, entry.run.direction, colour);
  ++stats_.rasterized;
  const bool drawn = bitmap.width > 0 && bitmap.height > 0 &&
                     bitmap.pixels.size() == std::size_t(bitmap.width) * bitmap.height;
  if (drawn) {
    entry.run.texture = textures_.createTexture(bitmap.width, bitmap.height, bitmap.pixels.data());
    entry.run.size = ImVec2(float(bitmap.width) / pixelRatio_, float(bitmap.height) / pixelRatio_);
    entry.pixels = bitmap.pixels.size();
    stats_.pixels += entry.pixels;
  }
  return use(runs_.emplace(std::move(key), std::move(entry)).first->second);
}

void TextRunCache::evict(std::unordered_map<std::string, Entry>::iterator it) {
  if (it->second.run.texture) textures_.destroyTexture(it->second.run.texture);
  stats_.pixels -= std::min(stats_.pixels, it->second.pixels);
  runs_.erase(it);
}

void TextRunCache::endFrame() {
  if (runs_.size() > limits_.maxRuns || stats_.pixels > limits_.maxPixels) {
    std::vector<std::pair<std::uint64_t, const std::string*>> old;
    for (const auto& [key, entry] : runs_)
      if (entry.lastUsed < frame_) old.emplace_back(entry.lastUsed, &key);
    std::sort(old.begin(), old.end());
    for (const auto& [lastUsed, key] : old) {
      if (runs_.size() <= limits_.maxRuns && stats_.pixels <= limits_.maxPixels) break;
      evict(runs_.find(*key));
      ++stats_.evicted;
    }
  }
  drawnLastFrame_ = std::move(drawnThisFrame_);
  drawnThisFrame_.clear();
  ++frame_;
}

}  // namespace vroom::ui
