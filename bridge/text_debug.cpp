// The glyph atlas's and run cache's figures as a plain JS object, and a glyph's ink count.
#include "text_debug.hpp"

namespace vroom::bridge {

using emscripten::val;

val textDebugToJs(const ui::TextRenderer& text) {
  const ui::GlyphAtlas& glyphs = text.glyphs();
  const ui::GlyphAtlasStats& stats = glyphs.stats();
  val out = val::object();
  out.set("glyphs", double(glyphs.size()));
  out.set("capacity", double(glyphs.capacity()));
  const ImFontAtlas* atlas = glyphs.font() ? glyphs.font()->ContainerAtlas : nullptr;
  out.set("atlasWidth", atlas ? atlas->TexWidth : 0);
  out.set("atlasHeight", atlas ? atlas->TexHeight : 0);
  out.set("batches", double(stats.batches));
  out.set("rebuilds", double(stats.rebuilds));
  out.set("refused", double(stats.refused));
  out.set("lastBatchMs", stats.lastBatchMs);
  out.set("lastRebuildMs", stats.lastRebuildMs);
  out.set("runs", double(text.runs().size()));
  val drawn = val::array();
  for (const std::string& t : text.runs().drawnLastFrame()) drawn.call<void>("push", t);
  out.set("runsDrawn", drawn);
  return out;
}

int glyphInkOf(const ui::TextRenderer& text, int codePoint) {
  const ui::GlyphAtlas& glyphs = text.glyphs();
  const ImFont* font = glyphs.font();
  const ui::GlyphBitmap* bitmap = glyphs.glyph(static_cast<char32_t>(codePoint));
  if (!font || !bitmap || !font->FindGlyphNoFallback(static_cast<ImWchar>(codePoint))) return -1;
  int ink = 0;
  for (const std::uint32_t p : bitmap->pixels) ink += (p >> 24) != 0;
  return ink;
}

}  // namespace vroom::bridge
