// An ImGui font builder (ImFontBuilderIO) for atlases made only of custom rectangles: it parses
// no font file. It packs every custom rect (glyphs registered with AddCustomRectFontGlyph,
// ImGui's cursor and line data), allocates a cleared RGBA32 texture, sets each font up with
// the Ascent and Descent its owner gave it, and finishes (ImGui's own data, glyphs, lookup
// tables). The owner then copies each glyph's pixels into its rect (GlyphAtlas does).
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

namespace vroom::ui {

const ImFontBuilderIO* customRectFontBuilder();

// What the builder runs. Called directly rather than through ImFontAtlas::Build(), which
// would add ImGui's embedded ProggyClean font to an atlas without fonts and link
// stb_truetype into the wasm.
bool buildCustomRectAtlas(ImFontAtlas* atlas);

}  // namespace vroom::ui
