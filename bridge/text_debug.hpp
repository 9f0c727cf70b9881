// What tests (browser-tests/text.test.js) and a person debugging read of the overlay's text
// through WebApp.textDebug() and WebApp.glyphInk(): not part of the JS API (vroom.d.ts).
#pragma once

#include <emscripten/val.h>

#include "text_renderer.hpp"

namespace vroom::bridge {

// {glyphs, capacity, atlasWidth, atlasHeight, batches, rebuilds, refused, lastBatchMs,
// lastRebuildMs, runs, runsDrawn: the texts drawn as shaped runs in the last frame}.
emscripten::val textDebugToJs(const ui::TextRenderer& text);

// Pixels of ink of the atlas's glyph of `codePoint`; -1 when ImGui's font has no glyph for
// it (it would draw the U+FFFD fallback).
int glyphInkOf(const ui::TextRenderer& text, int codePoint);

}  // namespace vroom::bridge
