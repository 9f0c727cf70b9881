// Calls runtime.text.glyphs / runtime.text.run (web_text.js) and copies their typed arrays
// into C++ memory with one TypedArray.set each. Anything malformed yields an empty answer,
// which ui/ treats as "could not draw" (fallback glyphs), never a crash.
#include "web_glyph_rasterizer.hpp"

#include <emscripten/val.h>

#include <algorithm>
#include <string>

namespace vroom::bridge {
namespace {

using emscripten::val;

constexpr int kBoxFields = 5;  // advance, offsetX, offsetY, width, height per glyph

bool isObject(const val& v) {
  return !v.isNull() && v.typeOf().as<std::string>() == "object";
}

// Copies a JS typed array into `out` (resized to `count` elements of T) with one set().
template <class T>
bool copyTyped(const val& array, std::vector<T>& out, std::size_t count) {
  if (!isObject(array) || array["length"].as<double>() != double(count)) return false;
  out.resize(count);
  if (count == 0) return true;
  val(emscripten::typed_memory_view(count, out.data())).call<void>("set", array);
  return true;
}

}  // namespace

ui::GlyphBatch WebGlyphRasterizer::glyphs(const std::vector<char32_t>& codePoints,
                                          float lineHeight) {
  ui::GlyphBatch batch;
  // A view of wasm memory: web_text.js copies it before anything can move that memory.
  static_assert(sizeof(char32_t) == sizeof(std::uint32_t));
  const val list(emscripten::typed_memory_view(
      codePoints.size(), reinterpret_cast<const std::uint32_t*>(codePoints.data())));
  const val answer = runtime_.js()["text"].call<val>("glyphs", list, lineHeight);
  if (!isObject(answer)) return batch;
  const val answered = answer["count"];
  const std::size_t count =
      answered.isNumber() ? std::min(codePoints.size(), std::size_t(answered.as<double>())) : 0;
  std::vector<float> boxes;
  if (!copyTyped(answer["boxes"], boxes, count * kBoxFields)) return batch;
  std::size_t pixelCount = 0;
  for (std::size_t i = 0; i < count; ++i)
    pixelCount += std::size_t(boxes[i * kBoxFields + 3]) * std::size_t(boxes[i * kBoxFields + 4]);
  std::vector<std::uint32_t> pixels;
  if (!copyTyped(answer["pixels"], pixels, pixelCount)) return batch;

  batch.ascent = answer["ascent"].as<float>();
  batch.descent = answer["descent"].as<float>();
  batch.glyphs.resize(count);
  std::size_t at = 0;
  for (std::size_t i = 0; i < count; ++i) {
    ui::GlyphBitmap& g = batch.glyphs[i];
    const float* box = &boxes[i * kBoxFields];
    g.codePoint = codePoints[i];
    g.advance = box[0];
    g.offsetX = box[1];
    g.offsetY = box[2];
    g.width = int(box[3]);
    g.height = int(box[4]);
    const std::size_t n = std::size_t(g.width) * std::size_t(g.height);
    g.pixels.assign(pixels.begin() + std::ptrdiff_t(at), pixels.begin() + std::ptrdiff_t(at + n));
    at += n;
  }
  return batch;
}

ui::RunBitmap WebGlyphRasterizer::run(std::string_view text, float lineHeight, float maxWidth,
                                      ui::TextDirection direction, std::uint32_t colour) {
  ui::RunBitmap bitmap;
  const val answer = runtime_.js()["text"].call<val>("run", std::string(text), lineHeight, maxWidth,
                                                     direction == ui::TextDirection::Rtl,
                                                     static_cast<double>(colour));
  if (!isObject(answer)) return bitmap;
  const int width = answer["width"].as<int>();
  const int height = answer["height"].as<int>();
  if (width <= 0 || height <= 0) return bitmap;
  if (!copyTyped(answer["pixels"], bitmap.pixels, std::size_t(width) * std::size_t(height)))
    return bitmap;
  bitmap.width = width;
  bitmap.height = height;
  return bitmap;
}

}  // namespace vroom::bridge
