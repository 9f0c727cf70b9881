// ImGui's draw lists rasterised on the CPU into the page's region pixels (soft_renderer.hpp).
// Most of what ImGui draws is axis-aligned rectangles of one colour (frames, bars, buttons) or
// of one colour over a texture mapped along the axes (text, images): those are filled directly.
// Everything else (anti-aliased fringes, rounded corners, icons) goes through a triangle
// rasteriser with the same coverage rule as the GPU's, so the two paths meet without seams.
#include "soft_renderer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include <imgui.h>

namespace vroom::ui {
namespace {

struct Color {
  float r, g, b, a;
};

Color unpack(std::uint32_t c) {  // ImGui's IM_COL32 order: R in the lowest byte
  constexpr float k = 1.0f / 255.0f;
  return {float(c & 0xff) * k, float((c >> 8) & 0xff) * k, float((c >> 16) & 0xff) * k,
          float(c >> 24) * k};
}

Color times(const Color& x, const Color& y) { return {x.r * y.r, x.g * y.g, x.b * y.b, x.a * y.a}; }

// GL_LINEAR with GL_CLAMP_TO_EDGE: texel centres at (i + 0.5) / size.
Color sample(const SoftRenderer::Texture& t, float u, float v) {
  const float x = u * float(t.width) - 0.5f;
  const float y = v * float(t.height) - 0.5f;
  const float fx = std::floor(x);
  const float fy = std::floor(y);
  const float ax = x - fx;
  const float ay = y - fy;
  const int x0 = std::clamp(int(fx), 0, t.width - 1);
  const int x1 = std::clamp(int(fx) + 1, 0, t.width - 1);
  const int y0 = std::clamp(int(fy), 0, t.height - 1);
  const int y1 = std::clamp(int(fy) + 1, 0, t.height - 1);
  const std::uint32_t* row0 = t.pixels + std::size_t(y0) * std::size_t(t.width);
  const std::uint32_t* row1 = t.pixels + std::size_t(y1) * std::size_t(t.width);
  const std::uint32_t p00 = row0[x0], p10 = row0[x1], p01 = row1[x0], p11 = row1[x1];
  if (p00 == p10 && p00 == p01 && p00 == p11) return unpack(p00);  // inside a glyph or a fill
  const Color c00 = unpack(p00), c10 = unpack(p10), c01 = unpack(p01), c11 = unpack(p11);
  const auto mix = [&](float a, float b, float c, float d) {
    const float top = a + (b - a) * ax;
    const float bottom = c + (d - c) * ax;
    return top + (bottom - top) * ay;
  };
  return {mix(c00.r, c10.r, c01.r, c11.r), mix(c00.g, c10.g, c01.g, c11.g),
          mix(c00.b, c10.b, c01.b, c11.b), mix(c00.a, c10.a, c01.a, c11.a)};
}

// A colour ready to blend: premultiplied, 0..255 per channel.
struct Source {
  unsigned r, g, b, a;
};

// Interpolated colours may stray a rounding error outside 0..1: clamped, so "over" never
// underflows.
Source premultiply(const Color& c) {
  const auto byte = [](float f) { return f <= 0.0f ? 0u : f >= 255.0f ? 255u : unsigned(f + 0.5f); };
  const float scale = 255.0f * c.a;
  return {byte(c.r * scale), byte(c.g * scale), byte(c.b * scale), byte(scale)};
}

// x / 255, rounded, for x in 0..65535.
inline unsigned div255(unsigned x) {
  x += 128;
  return (x + (x >> 8)) >> 8;
}

// Premultiplied "over" onto a premultiplied RGBA8 pixel: the blend WebGL did with ONE,
// ONE_MINUS_SRC_ALPHA.
inline void blend(unsigned char* p, const Source& s) {
  if (s.a == 0) return;
  if (s.a == 255) {
    p[0] = static_cast<unsigned char>(s.r);
    p[1] = static_cast<unsigned char>(s.g);
    p[2] = static_cast<unsigned char>(s.b);
    p[3] = 255;
    return;
  }
  const unsigned keep = 255 - s.a;
  p[0] = static_cast<unsigned char>(s.r + div255(p[0] * keep));
  p[1] = static_cast<unsigned char>(s.g + div255(p[1] * keep));
  p[2] = static_cast<unsigned char>(s.b + div255(p[2] * keep));
  p[3] = static_cast<unsigned char>(s.a + div255(p[3] * keep));
}

// Where one draw command may write: its clip rect within one area, in framebuffer pixels.
struct Target {
  unsigned char* pixels;  // the area's first pixel
  int areaX, areaY, areaWidth;
  int x0, y0, x1, y1;  // half-open
  unsigned char* at(int x, int y) const {
    return pixels + (std::size_t(y - areaY) * std::size_t(areaWidth) + std::size_t(x - areaX)) * 4;
  }
};

struct Vertex {
  float x, y, u, v;
  Color color;
};

Vertex place(const ImDrawVert& v, const ImVec2& origin, const ImVec2& scale) {
  return {(v.pos.x - origin.x) * scale.x, (v.pos.y - origin.y) * scale.y, v.uv.x, v.uv.y,
          unpack(v.col)};
}

// The first pixel whose centre is at or past `edge`: pixels [first(a), first(b)) have their
// centres in [a, b).
int first(float edge) { return int(std::ceil(edge - 0.5f)); }

// Pixel coordinates are kept within this many pixels of the origin before they become ints:
// whatever ImGui or a bad vertex hands over (FLT_MAX clip rects, NaN), no conversion overflows.
constexpr float kFar = 1.0e6f;
float bounded(float f) { return f > -kFar ? (f < kFar ? f : kFar) : -kFar; }  // NaN -> -kFar

bool finite(const Vertex& v) {
  return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.u) && std::isfinite(v.v);
}

// ImGui's PrimRect / PrimRectUV: indices a b c a c d over an axis-aligned rectangle of one
// colour whose texture coordinates run along the same axes.
bool isAxisRect(const ImDrawVert* v, const ImDrawIdx* idx) {
  if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
  const ImDrawVert& a = v[idx[0]];
  const ImDrawVert& b = v[idx[1]];
  const ImDrawVert& c = v[idx[2]];
  const ImDrawVert& d = v[idx[5]];
  return a.col == b.col && a.col == c.col && a.col == d.col && a.pos.y == b.pos.y &&
         b.pos.x == c.pos.x && c.pos.y == d.pos.y && d.pos.x == a.pos.x && a.uv.y == b.uv.y &&
         b.uv.x == c.uv.x && c.uv.y == d.uv.y && d.uv.x == a.uv.x;
}

void fillRect(const Target& t, const SoftRenderer::Texture& tex, const Vertex& a,
              const Vertex& c) {
  if (!finite(a) || !finite(c)) return;
  const float left = bounded(std::min(a.x, c.x)), right = bounded(std::max(a.x, c.x));
  const float top = bounded(std::min(a.y, c.y)), bottom = bounded(std::max(a.y, c.y));
  const int x0 = std::max(first(left), t.x0), x1 = std::min(first(right), t.x1);
  const int y0 = std::max(first(top), t.y0), y1 = std::min(first(bottom), t.y1);
  if (x0 >= x1 || y0 >= y1) return;
  if (a.u == c.u && a.v == c.v) {  // one texel: one colour for the whole rectangle
    const Source color = premultiply(times(a.color, sample(tex, a.u, a.v)));
    if (color.a == 0) return;
    for (int y = y0; y < y1; ++y) {
      unsigned char* p = t.at(x0, y);
      for (int x = x0; x < x1; ++x, p += 4) blend(p, color);
    }
    return;
  }
  // Texture coordinates are affine along each axis: step them per pixel.
  const float du = (c.u - a.u) / (c.x - a.x);
  const float dv = (c.v - a.v) / (c.y - a.y);
  // One texel per pixel with texel centres on pixel centres (text drawn at whole pixels):
  // bilinear filtering returns the texel itself, so read it directly.
  const float tx = (a.u + (float(x0) + 0.5f - a.x) * du) * float(tex.width) - 0.5f;
  const float ty = (a.v + (float(y0) + 0.5f - a.y) * dv) * float(tex.height) - 0.5f;
  const auto whole = [](float f) { return std::fabs(f - std::round(f)) < 1e-3f; };
  if (std::fabs(du * float(tex.width) - 1.0f) < 1e-4f &&
      std::fabs(dv * float(tex.height) - 1.0f) < 1e-4f && whole(tx) && whole(ty) &&
      std::round(tx) >= 0.0f && std::round(ty) >= 0.0f &&
      int(std::round(tx)) + (x1 - x0) <= tex.width && int(std::round(ty)) + (y1 - y0) <= tex.height) {
    const int column = int(std::round(tx)), row = int(std::round(ty));
    for (int y = y0; y < y1; ++y) {
      const std::uint32_t* texel =
          tex.pixels + std::size_t(row + y - y0) * std::size_t(tex.width) + std::size_t(column);
      unsigned char* p = t.at(x0, y);
      for (int x = x0; x < x1; ++x, p += 4, ++texel) {
        if ((*texel >> 24) == 0) continue;
        blend(p, premultiply(times(a.color, unpack(*texel))));
      }
    }
    return;
  }
  for (int y = y0; y < y1; ++y) {
    const float v = a.v + (float(y) + 0.5f - a.y) * dv;
    unsigned char* p = t.at(x0, y);
    for (int x = x0; x < x1; ++x, p += 4) {
      const float u = a.u + (float(x) + 0.5f - a.x) * du;
      blend(p, premultiply(times(a.color, sample(tex, u, v))));
    }
  }
}

// Pixel centres inside the triangle, or on an edge the neighbouring triangle does not take: of
// two triangles sharing an edge (wound the same way), exactly one includes the pixels on it.
// Positions are snapped to 1/256 pixel and the edge functions are exact integers: in floats a
// centre on a shared edge came out a hair inside both triangles or outside both, which left
// dotted seams along the edges of rounded buttons.
constexpr int kSubpixelBits = 8;
constexpr float kSubpixels = float(1 << kSubpixelBits);

void fillTriangle(const Target& t, const SoftRenderer::Texture& tex, Vertex p0, Vertex p1,
                  Vertex p2) {
  if (!finite(p0) || !finite(p1) || !finite(p2)) return;
  const auto snap = [](float f) -> std::int64_t { return std::llround(bounded(f) * kSubpixels); };
  std::int64_t X[3] = {snap(p0.x), snap(p1.x), snap(p2.x)};
  std::int64_t Y[3] = {snap(p0.y), snap(p1.y), snap(p2.y)};
  std::int64_t area = (X[1] - X[0]) * (Y[2] - Y[0]) - (Y[1] - Y[0]) * (X[2] - X[0]);
  if (area == 0) return;
  if (area < 0) {
    std::swap(p1, p2);
    std::swap(X[1], X[2]);
    std::swap(Y[1], Y[2]);
    area = -area;
  }
  const float minX = bounded(std::min({p0.x, p1.x, p2.x}));
  const float maxX = bounded(std::max({p0.x, p1.x, p2.x}));
  const float minY = bounded(std::min({p0.y, p1.y, p2.y}));
  const float maxY = bounded(std::max({p0.y, p1.y, p2.y}));
  const int x0 = std::max(int(std::floor(minX)), t.x0), x1 = std::min(int(std::ceil(maxX)), t.x1);
  const int y0 = std::max(int(std::floor(minY)), t.y0), y1 = std::min(int(std::ceil(maxY)), t.y1);
  if (x0 >= x1 || y0 >= y1) return;

  // Edge i faces vertex i; its function is the weight of vertex i times the area, at a pixel
  // centre (X, Y) in subpixels: w = a X + b Y + c.
  struct Edge {
    std::int64_t a, b, c;
    bool takesTies;
  };
  const auto edge = [&](int from, int to) {
    const std::int64_t dx = X[to] - X[from], dy = Y[to] - Y[from];
    return Edge{-dy, dx, dy * X[from] - dx * Y[from], dy > 0 || (dy == 0 && dx < 0)};
  };
  const Edge e[3] = {edge(1, 2), edge(2, 0), edge(0, 1)};
  const float inv = 1.0f / float(area);

  const bool flat = p0.u == p1.u && p0.u == p2.u && p0.v == p1.v && p0.v == p2.v;
  const bool oneColor = flat && std::memcmp(&p0.color, &p1.color, sizeof(Color)) == 0 &&
                        std::memcmp(&p0.color, &p2.color, sizeof(Color)) == 0;
  const Color texel = flat ? sample(tex, p0.u, p0.v) : Color{1, 1, 1, 1};
  const Source solid = premultiply(times(p0.color, texel));
  if (oneColor && solid.a == 0) return;

  const auto covers = [&](const std::int64_t* w) {
    return (w[0] > 0 || (w[0] == 0 && e[0].takesTies)) &&
           (w[1] > 0 || (w[1] == 0 && e[1].takesTies)) &&
           (w[2] > 0 || (w[2] == 0 && e[2].takesTies));
  };
  constexpr std::int64_t kHalf = 1 << (kSubpixelBits - 1);
  for (int y = y0; y < y1; ++y) {
    const std::int64_t cy = (std::int64_t(y) << kSubpixelBits) + kHalf;
    // The row's span: where each edge function is not negative, solved for x (in floats, a
    // pixel wider each way). A fan's thin triangles (rounded windows) have wide boxes and
    // short spans; the exact test below still decides each pixel.
    float lo = float(x0), hi = float(x1);
    bool empty = false;
    for (const Edge& edge : e) {
      const std::int64_t k = edge.b * cy + edge.c;
      if (edge.a > 0) {
        lo = std::max(lo, (-float(k) / float(edge.a)) / kSubpixels - 1.5f);
      } else if (edge.a < 0) {
        hi = std::min(hi, (-float(k) / float(edge.a)) / kSubpixels + 1.5f);
      } else if (k < 0) {
        empty = true;
      }
    }
    if (empty || !(lo < hi)) continue;
    const int start = std::max(x0, int(std::floor(lo)));
    const int end = std::min(x1, int(std::ceil(hi)));
    const std::int64_t cx0 = (std::int64_t(start) << kSubpixelBits) + kHalf;
    std::int64_t w[3];
    std::int64_t step[3];
    for (int i = 0; i < 3; ++i) {
      w[i] = e[i].a * cx0 + e[i].b * cy + e[i].c;
      step[i] = e[i].a << kSubpixelBits;
    }
    unsigned char* p = t.at(start, y);
    for (int x = start; x < end; ++x, p += 4) {
      if (covers(w)) {
        if (oneColor) {
          blend(p, solid);
        } else {
          const float l0 = float(w[0]) * inv, l1 = float(w[1]) * inv, l2 = float(w[2]) * inv;
          const Color color{
              l0 * p0.color.r + l1 * p1.color.r + l2 * p2.color.r,
              l0 * p0.color.g + l1 * p1.color.g + l2 * p2.color.g,
              l0 * p0.color.b + l1 * p1.color.b + l2 * p2.color.b,
              l0 * p0.color.a + l1 * p1.color.a + l2 * p2.color.a,
          };
          const Color tx = flat ? texel
                                : sample(tex, l0 * p0.u + l1 * p1.u + l2 * p2.u,
                                         l0 * p0.v + l1 * p1.v + l2 * p2.v);
          blend(p, premultiply(times(color, tx)));
        }
      }
      for (int i = 0; i < 3; ++i) w[i] += step[i];
    }
  }
}

// Premultiplied to straight alpha, what putImageData takes. Runs of equal pixels (most of a
// panel) are converted once; the division is a multiplication by 255 / alpha in 16.16.
void unpremultiply(unsigned char* pixels, std::size_t bytes) {
  static const auto reciprocals = [] {
    std::array<std::uint32_t, 256> r{};
    for (unsigned a = 1; a < 256; ++a) r[a] = ((255u << 16) + a / 2) / a;
    return r;
  }();
  std::uint32_t before = 0, after = 0;  // the last pixel converted, as read and as written
  for (std::size_t i = 0; i < bytes; i += 4) {
    std::uint32_t word;
    std::memcpy(&word, pixels + i, 4);
    const unsigned alpha = pixels[i + 3];
    if (alpha == 0 || alpha == 255) continue;
    if (word != before) {
      before = word;
      const std::uint32_t k = reciprocals[alpha];
      for (std::size_t c = 0; c < 3; ++c) {
        const std::uint32_t straight = (pixels[i + c] * k + 0x8000u) >> 16;
        pixels[i + c] = static_cast<unsigned char>(straight > 255u ? 255u : straight);
      }
      std::memcpy(&after, pixels + i, 4);
    } else {
      std::memcpy(pixels + i, &after, 4);
    }
  }
}

}  // namespace

SoftRenderer::SoftRenderer() = default;
SoftRenderer::~SoftRenderer() = default;

bool SoftRenderer::newFrame() {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (!atlas->TexPixelsRGBA32) return false;
  font_.width = atlas->TexWidth;
  font_.height = atlas->TexHeight;
  font_.pixels = reinterpret_cast<const std::uint32_t*>(atlas->TexPixelsRGBA32);
  if (atlas->TexID == static_cast<ImTextureID>(&font_)) return false;
  atlas->SetTexID(static_cast<ImTextureID>(&font_));
  return true;
}

void SoftRenderer::invalidateFontTexture() {
  font_ = Texture{};
  if (ImGui::GetCurrentContext()) ImGui::GetIO().Fonts->SetTexID(nullptr);
}

ImTextureID SoftRenderer::createTexture(int width, int height, const std::uint32_t* pixels) {
  if (width <= 0 || height <= 0 || !pixels) return nullptr;
  auto texture = std::make_unique<Texture>();
  texture->width = width;
  texture->height = height;
  texture->owned.assign(pixels, pixels + std::size_t(width) * std::size_t(height));
  texture->pixels = texture->owned.data();
  textures_.push_back(std::move(texture));
  return static_cast<ImTextureID>(textures_.back().get());
}

void SoftRenderer::destroyTexture(ImTextureID texture) {
  const auto it = std::find_if(textures_.begin(), textures_.end(),
                               [&](const auto& t) { return t.get() == texture; });
  if (it != textures_.end()) textures_.erase(it);
}

void SoftRenderer::render(const ImDrawData& data, const std::vector<PixelArea>& areas,
                          PixelBuffer& out) {
  std::size_t bytes = 0;
  for (const PixelArea& a : areas) bytes += std::size_t(a.width) * std::size_t(a.height) * 4;
  unsigned char* pixels = out.resize(bytes);
  if (bytes == 0) return;  // before memset: an empty buffer may have no storage at all
  std::memset(pixels, 0, bytes);

  std::vector<unsigned char*> starts;
  starts.reserve(areas.size());
  for (std::size_t i = 0, offset = 0; i < areas.size(); ++i) {
    starts.push_back(pixels + offset);
    offset += std::size_t(areas[i].width) * std::size_t(areas[i].height) * 4;
  }

  const ImVec2 scale = data.FramebufferScale;
  const ImVec2 origin = data.DisplayPos;
  std::vector<Target> targets;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList* list = data.CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const auto* texture = static_cast<const Texture*>(cmd.GetTexID());
      if (!texture || !texture->pixels || texture->width <= 0 || texture->height <= 0) continue;
      const int cx0 = int(bounded((cmd.ClipRect.x - origin.x) * scale.x));
      const int cy0 = int(bounded((cmd.ClipRect.y - origin.y) * scale.y));
      const int cx1 = int(std::ceil(bounded((cmd.ClipRect.z - origin.x) * scale.x)));
      const int cy1 = int(std::ceil(bounded((cmd.ClipRect.w - origin.y) * scale.y)));
      targets.clear();
      for (std::size_t i = 0; i < areas.size(); ++i) {
        const PixelArea& a = areas[i];
        Target t{starts[i],
                 a.x,
                 a.y,
                 a.width,
                 std::max(cx0, a.x),
                 std::max(cy0, a.y),
                 std::min(cx1, a.x + a.width),
                 std::min(cy1, a.y + a.height)};
        if (t.x1 > t.x0 && t.y1 > t.y0) targets.push_back(t);
      }
      if (targets.empty()) continue;

      const ImDrawVert* vertices = list->VtxBuffer.Data + cmd.VtxOffset;
      const ImDrawIdx* indices = list->IdxBuffer.Data + cmd.IdxOffset;
      for (unsigned i = 0; i + 3 <= cmd.ElemCount;) {
        if (i + 6 <= cmd.ElemCount && isAxisRect(vertices, indices + i)) {
          const Vertex a = place(vertices[indices[i]], origin, scale);
          const Vertex c = place(vertices[indices[i + 2]], origin, scale);
          for (const Target& t : targets) fillRect(t, *texture, a, c);
          i += 6;
          continue;
        }
        const Vertex p0 = place(vertices[indices[i]], origin, scale);
        const Vertex p1 = place(vertices[indices[i + 1]], origin, scale);
        const Vertex p2 = place(vertices[indices[i + 2]], origin, scale);
        for (const Target& t : targets) fillTriangle(t, *texture, p0, p1, p2);
        i += 3;
      }
    }
  }
  unpremultiply(pixels, bytes);
}

}  // namespace vroom::ui
