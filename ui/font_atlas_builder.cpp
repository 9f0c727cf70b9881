// Packing with ImGui's stb_rect_pack copy (compiled here as static functions, as imgui_draw.cpp
// does for itself) and ImGui's build helpers from imgui_internal.h.
#include "font_atlas_builder.hpp"

#include <cmath>
#include <cstring>
#include <vector>

#define STBRP_STATIC
#define STBRP_ASSERT(x) IM_ASSERT(x)
#define STB_RECT_PACK_IMPLEMENTATION
#include <imstb_rectpack.h>

namespace vroom::ui {
namespace {

constexpr int kMaxTextureHeight = 1024 * 32;

int textureWidthFor(const ImFontAtlas& atlas) {
  if (atlas.TexDesiredWidth > 0) return atlas.TexDesiredWidth;
  double area = 0;
  for (const ImFontAtlasCustomRect& r : atlas.CustomRects) area += double(r.Width) * r.Height;
  const double side = std::sqrt(area) + 1;
  return side >= 4096 * 0.7 ? 4096 : side >= 2048 * 0.7 ? 2048 : side >= 1024 * 0.7 ? 1024 : 512;
}

}  // namespace

bool buildCustomRectAtlas(ImFontAtlas* atlas) {
  IM_ASSERT(atlas->ConfigData.Size > 0);
  atlas->ClearTexData();
  atlas->TexID = nullptr;
  ImFontAtlasBuildInit(atlas);  // ImGui's cursor and line rects

  atlas->TexWidth = textureWidthFor(*atlas);
  atlas->TexHeight = 0;
  std::vector<stbrp_node> nodes(static_cast<std::size_t>(atlas->TexWidth));
  stbrp_context pack;
  stbrp_init_target(&pack, atlas->TexWidth, kMaxTextureHeight, nodes.data(),
                    static_cast<int>(nodes.size()));
  ImFontAtlasBuildPackCustomRects(atlas, &pack);
  for (const ImFontAtlasCustomRect& r : atlas->CustomRects)
    if (!r.IsPacked()) return false;  // more than a 4096 x 32768 texture: the caller's bound failed
  atlas->TexHeight = ImUpperPowerOfTwo(atlas->TexHeight);
  atlas->TexUvScale = ImVec2(1.0f / float(atlas->TexWidth), 1.0f / float(atlas->TexHeight));
  const std::size_t pixels = std::size_t(atlas->TexWidth) * std::size_t(atlas->TexHeight);
  atlas->TexPixelsRGBA32 = static_cast<unsigned int*>(IM_ALLOC(pixels * 4));
  std::memset(atlas->TexPixelsRGBA32, 0, pixels * 4);

  for (ImFontConfig& config : atlas->ConfigData) {
    ImFont* font = config.DstFont;
    const float ascent = font->Ascent;  // set by the owner; SetupFont clears the font first
    const float descent = font->Descent;
    ImFontAtlasBuildSetupFont(atlas, font, &config, ascent, descent);
  }
  ImFontAtlasBuildFinish(atlas);
  return true;
}

const ImFontBuilderIO* customRectFontBuilder() {
  static const ImFontBuilderIO io{buildCustomRectAtlas};
  return &io;
}

}  // namespace vroom::ui
