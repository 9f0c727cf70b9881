// The CPU rasteriser of the overlay: coverage by pixel centres, shared edges drawn once, the
// rectangle fast path equal to the triangle path, textures sampled as WebGL did, clip rects
// and areas respected, premultiplied "over" handed out as straight alpha, and a real ImGui
// window drawn in its style's colours.
#include "soft_renderer.hpp"

#include <array>
#include <cfloat>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "imgui_harness.hpp"

namespace vroom::ui {
namespace {

using Rgba = std::array<int, 4>;

constexpr std::uint32_t kWhite = 0xffffffffu;

// A draw list built vertex by vertex over one texture, and the draw data holding it.
class Scene {
 public:
  Scene(ImTextureID texture, float width, float height)
      : list_(ImGui::GetDrawListSharedData()) {
    list_._ResetForNewFrame();
    list_.PushClipRect(ImVec2(0, 0), ImVec2(width, height));
    list_.PushTextureID(texture);
    data_.Valid = true;
    data_.DisplayPos = ImVec2(0, 0);
    data_.DisplaySize = ImVec2(width, height);
    data_.FramebufferScale = ImVec2(1, 1);
  }
  ImDrawList& list() { return list_; }

  // Triangles over the given vertices, indices as given (no fast-path pattern unless asked).
  void triangles(const std::vector<ImVec2>& points, const std::vector<ImDrawIdx>& indices,
                 std::uint32_t color, ImVec2 uv = ImVec2(0.5f, 0.5f)) {
    const ImDrawIdx base = ImDrawIdx(list_._VtxCurrentIdx);
    list_.PrimReserve(int(indices.size()), int(points.size()));
    for (const ImDrawIdx i : indices) list_.PrimWriteIdx(ImDrawIdx(base + i));
    for (const ImVec2& p : points) list_.PrimWriteVtx(p, uv, color);
  }
  // ImGui's own rectangle (the fast path's pattern).
  void rect(ImVec2 a, ImVec2 c, std::uint32_t color, ImVec2 uvA = ImVec2(0.5f, 0.5f),
            ImVec2 uvC = ImVec2(0.5f, 0.5f)) {
    list_.PrimReserve(6, 4);
    list_.PrimRectUV(a, c, uvA, uvC, color);
  }

  const ImDrawData& data() {
    lists_[0] = &list_;
    data_.CmdLists = lists_;
    data_.CmdListsCount = 1;
    data_.TotalVtxCount = list_.VtxBuffer.Size;
    data_.TotalIdxCount = list_.IdxBuffer.Size;
    return data_;
  }

 private:
  ImDrawList list_;
  ImDrawList* lists_[1] = {nullptr};
  ImDrawData data_;
};

Rgba pixel(const PixelBuffer& out, const PixelArea& area, int x, int y,
           std::size_t areaOffset = 0) {
  const unsigned char* p = out.data() + areaOffset +
                           (std::size_t(y - area.y) * std::size_t(area.width) +
                            std::size_t(x - area.x)) * 4;
  return {p[0], p[1], p[2], p[3]};
}

class SoftRendering : public ::testing::Test {
 protected:
  SoftRendering() {
    const std::uint32_t white[4] = {kWhite, kWhite, kWhite, kWhite};
    white_ = renderer.createTexture(2, 2, white);
  }
  test::ImGuiHarness ui{64, 64};
  SoftRenderer renderer;
  PixelBuffer out;
  ImTextureID white_ = nullptr;
  const PixelArea whole{0, 0, 16, 16};
};

TEST_F(SoftRendering, ARectangleCoversThePixelsWhoseCentresItHolds) {
  Scene scene(white_, 16, 16);
  scene.rect(ImVec2(2, 3), ImVec2(6, 5), IM_COL32(255, 0, 0, 255));
  renderer.render(scene.data(), {whole}, out);
  ASSERT_EQ(out.size(), 16u * 16u * 4u);
  int covered = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) {
      const bool inside = x >= 2 && x < 6 && y >= 3 && y < 5;
      EXPECT_EQ(pixel(out, whole, x, y), (inside ? Rgba{255, 0, 0, 255} : Rgba{0, 0, 0, 0}))
          << x << "," << y;
      covered += inside;
    }
  EXPECT_EQ(covered, 8);
}

TEST_F(SoftRendering, TwoTrianglesSharingAnEdgeBlendEachPixelOnce) {
  // A translucent square as two triangles whose diagonal passes through pixel centres, in an
  // order that is not ImGui's rectangle: every pixel must get the colour exactly once.
  Scene scene(white_, 16, 16);
  scene.triangles({{0, 0}, {8, 0}, {8, 8}, {0, 8}}, {0, 1, 3, 1, 2, 3},
                  IM_COL32(0, 0, 255, 128));
  renderer.render(scene.data(), {whole}, out);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) EXPECT_EQ(pixel(out, whole, x, y), (Rgba{0, 0, 255, 128})) << x << "," << y;
  EXPECT_EQ(pixel(out, whole, 8, 0)[3], 0);
  EXPECT_EQ(pixel(out, whole, 0, 8)[3], 0);
}

TEST_F(SoftRendering, RoundedAntiAliasedRectanglesHaveNoSeams) {
  // ImGui's rounded fill: a fan of thin triangles inside, a fringe of quads around, meeting
  // on shared edges. Along the straight sides every row (and every column along the top and
  // bottom) must come out the same: a pixel centre counted twice or not at all shows as a
  // dotted line. Far from the origin and at fractional offsets, as a toolbar's buttons are.
  ui.frame([] {});
  for (const float offset : {0.0f, 0.25f, 0.5f, 0.6f, 1.0f / 3.0f, 0.1f, 0.7f, 0.9f}) {
    Scene scene(white_, 2000, 1000);
    scene.list().Flags = ImDrawListFlags_AntiAliasedFill;
    const ImVec2 a(1229.0f + offset, 731.0f + offset), c(1351.0f + offset, 779.0f + offset);
    scene.list().AddRectFilled(a, c, IM_COL32(200, 210, 220, 160), 6.0f);
    const PixelArea area{1220, 722, 140, 66};
    renderer.render(scene.data(), {area}, out);
    int uneven = 0;
    for (int x = area.x; x < area.x + area.width; ++x)
      for (int y = 745; y < 765; ++y) uneven += pixel(out, area, x, y) != pixel(out, area, x, 745);
    for (int y = area.y; y < area.y + area.height; ++y)
      for (int x = 1245; x < 1335; ++x) uneven += pixel(out, area, x, y) != pixel(out, area, 1245, y);
    EXPECT_EQ(uneven, 0) << "offset " << offset;
    EXPECT_NEAR(pixel(out, area, 1290, 755)[3], 160, 1);
  }
}

TEST_F(SoftRendering, TheRectangleFastPathDrawsWhatTheTrianglesWould) {
  // A texture with a gradient, stretched over a rectangle at fractional coordinates.
  std::vector<std::uint32_t> gradient(8 * 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 8; ++x)
      gradient[std::size_t(y * 8 + x)] = IM_COL32(x * 32, y * 64, 200, 55 + x * 25);
  const ImTextureID texture = renderer.createTexture(8, 4, gradient.data());
  const ImVec2 a(1.3f, 2.6f), c(13.7f, 11.2f), uvA(0.1f, 0.05f), uvC(0.9f, 0.95f);
  const std::uint32_t color = IM_COL32(250, 240, 230, 200);

  Scene fast(texture, 16, 16);
  fast.rect(a, c, color, uvA, uvC);
  renderer.render(fast.data(), {whole}, out);
  const std::vector<unsigned char> viaRect(out.data(), out.data() + out.size());

  Scene slow(texture, 16, 16);  // the same four corners, wound the other way
  const ImDrawIdx base = 0;
  slow.list().PrimReserve(6, 4);
  for (const ImDrawIdx i : {0, 2, 1, 0, 3, 2}) slow.list().PrimWriteIdx(ImDrawIdx(base + i));
  slow.list().PrimWriteVtx(a, uvA, color);
  slow.list().PrimWriteVtx(ImVec2(c.x, a.y), ImVec2(uvC.x, uvA.y), color);
  slow.list().PrimWriteVtx(c, uvC, color);
  slow.list().PrimWriteVtx(ImVec2(a.x, c.y), ImVec2(uvA.x, uvC.y), color);
  renderer.render(slow.data(), {whole}, out);
  const std::vector<unsigned char> viaTriangles(out.data(), out.data() + out.size());

  int differing = 0, drawn = 0;
  for (std::size_t i = 0; i < viaRect.size(); ++i) {
    differing += std::abs(int(viaRect[i]) - int(viaTriangles[i])) > 1;
    drawn += i % 4 == 3 && viaRect[i] != 0;
  }
  EXPECT_EQ(differing, 0);
  EXPECT_EQ(drawn, 13 * 8);  // centres 1.5 to 13.5 across, 3.5 to 10.5 down
}

TEST_F(SoftRendering, ATextureDrawnOneToOneComesOutUnchanged) {
  std::vector<std::uint32_t> image(4 * 3);
  for (std::size_t i = 0; i < image.size(); ++i)
    image[i] = IM_COL32(20 * i, 255 - 20 * i, 7 * i, i % 2 ? 255 : 0);
  const ImTextureID texture = renderer.createTexture(4, 3, image.data());
  Scene scene(texture, 16, 16);
  scene.rect(ImVec2(5, 6), ImVec2(9, 9), kWhite, ImVec2(0, 0), ImVec2(1, 1));
  renderer.render(scene.data(), {whole}, out);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 4; ++x) {
      const std::uint32_t c = image[std::size_t(y * 4 + x)];
      const int alpha = int(c >> 24);
      const Rgba expected = alpha ? Rgba{int(c & 0xff), int((c >> 8) & 0xff),
                                         int((c >> 16) & 0xff), alpha}
                                  : Rgba{0, 0, 0, 0};
      EXPECT_EQ(pixel(out, whole, 5 + x, 6 + y), expected) << x << "," << y;
    }
}

TEST_F(SoftRendering, TranslucentColoursComposeAsOverAndComeOutStraight) {
  Scene scene(white_, 16, 16);
  scene.rect(ImVec2(0, 0), ImVec2(4, 4), IM_COL32(255, 0, 0, 128));
  scene.rect(ImVec2(2, 0), ImVec2(6, 4), IM_COL32(0, 0, 255, 128));
  renderer.render(scene.data(), {whole}, out);
  EXPECT_EQ(pixel(out, whole, 0, 0), (Rgba{255, 0, 0, 128}));
  // Over: alpha 0.5 + 0.5 * 0.5 = 0.75; colour (0.25 red, 0.5 blue) / 0.75, straight.
  const Rgba both = pixel(out, whole, 3, 0);
  EXPECT_NEAR(both[0], 85, 2);
  EXPECT_EQ(both[1], 0);
  EXPECT_NEAR(both[2], 170, 2);
  EXPECT_NEAR(both[3], 192, 1);
  EXPECT_EQ(pixel(out, whole, 5, 0), (Rgba{0, 0, 255, 128}));
}

TEST_F(SoftRendering, ClipRectsAndAreasBoundWhatIsWritten) {
  Scene scene(white_, 32, 32);
  scene.list().PushClipRect(ImVec2(0, 0), ImVec2(20, 32));
  scene.rect(ImVec2(0, 0), ImVec2(32, 32), IM_COL32(0, 255, 0, 255));
  scene.list().PopClipRect();
  // Two areas: one across the clip's right edge, one wholly outside the clip.
  const PixelArea left{16, 4, 8, 2}, right{24, 10, 4, 4};
  renderer.render(scene.data(), {left, right}, out);
  ASSERT_EQ(out.size(), (8u * 2u + 4u * 4u) * 4u);
  for (int x = 16; x < 24; ++x)
    EXPECT_EQ(pixel(out, left, x, 5)[3], x < 20 ? 255 : 0) << x;
  for (int y = 10; y < 14; ++y)
    for (int x = 24; x < 28; ++x) EXPECT_EQ(pixel(out, right, x, y, 8 * 2 * 4)[3], 0);
}

TEST_F(SoftRendering, AnAreaIsClearedBeforeEachFrame) {
  Scene first(white_, 16, 16);
  first.rect(ImVec2(0, 0), ImVec2(16, 16), kWhite);
  renderer.render(first.data(), {whole}, out);
  Scene empty(white_, 16, 16);
  renderer.render(empty.data(), {whole}, out);
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out.data()[i], 0) << i;
}

TEST_F(SoftRendering, AFramebufferScaleDrawsAtDevicePixels) {
  Scene scene(white_, 8, 8);
  scene.rect(ImVec2(1, 1), ImVec2(3, 2), kWhite);
  ImDrawData data = scene.data();
  data.FramebufferScale = ImVec2(2, 2);
  renderer.render(data, {whole}, out);
  int covered = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 16; ++x) covered += pixel(out, whole, x, y)[3] == 255;
  EXPECT_EQ(covered, 4 * 2);
  EXPECT_EQ(pixel(out, whole, 2, 2)[3], 255);
  EXPECT_EQ(pixel(out, whole, 5, 3)[3], 255);
  EXPECT_EQ(pixel(out, whole, 6, 2)[3], 0);
}

TEST_F(SoftRendering, AnImGuiWindowIsDrawnInItsStyleColours) {
  const auto draw = [] {
    ImGui::SetNextWindowPos(ImVec2(8, 8));
    ImGui::SetNextWindowSize(ImVec2(40, 40));
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoDecoration);
    ImGui::End();
  };
  ui.frame(draw);
  EXPECT_TRUE(renderer.newFrame()) << "the atlas gets the renderer's texture";
  EXPECT_FALSE(renderer.newFrame());
  ui.settle(draw);
  const PixelArea area{0, 0, 64, 64};
  renderer.render(*ImGui::GetDrawData(), {area}, out);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const Rgba centre = pixel(out, area, 28, 28);
  EXPECT_NEAR(centre[0], bg.x * 255, 1.5);
  EXPECT_NEAR(centre[1], bg.y * 255, 1.5);
  EXPECT_NEAR(centre[2], bg.z * 255, 1.5);
  EXPECT_NEAR(centre[3], bg.w * 255 * ImGui::GetStyle().Alpha, 1.5);
  EXPECT_EQ(pixel(out, area, 2, 2)[3], 0) << "outside the window";
  renderer.invalidateFontTexture();
  EXPECT_EQ(ImGui::GetIO().Fonts->TexID, nullptr);
  EXPECT_TRUE(renderer.newFrame());
}

TEST_F(SoftRendering, NonFiniteAndFarAwayGeometryIsSkippedOrClipped) {
  // NaN and infinite vertices draw nothing; a rectangle and a triangle reaching far past any
  // int (held to a million pixels out) cover the area; an unbounded clip rect is the whole
  // area. Under UBSan: no conversion overflows.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  Scene scene(white_, 16, 16);
  scene.list().PushClipRect(ImVec2(-FLT_MAX, -FLT_MAX), ImVec2(FLT_MAX, FLT_MAX));
  scene.triangles({{nan, 0}, {8, 0}, {8, 8}}, {0, 1, 2}, kWhite);
  scene.triangles({{0, 0}, {inf, 0}, {8, 8}}, {0, 1, 2}, kWhite);
  scene.rect(ImVec2(0, 0), ImVec2(nan, 4), kWhite);
  renderer.render(scene.data(), {whole}, out);
  for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out.data()[i], 0) << i;

  Scene far(white_, 16, 16);
  far.list().PushClipRect(ImVec2(-FLT_MAX, -FLT_MAX), ImVec2(FLT_MAX, FLT_MAX));
  far.rect(ImVec2(-1e30f, 2), ImVec2(1e30f, 3), IM_COL32(255, 0, 0, 255));
  far.triangles({{-3e9f, 10}, {3e9f, 10}, {3e9f, 13}}, {0, 1, 2}, IM_COL32(0, 255, 0, 255));
  renderer.render(far.data(), {whole}, out);
  for (int x = 0; x < 16; ++x) {
    EXPECT_EQ(pixel(out, whole, x, 2), (Rgba{255, 0, 0, 255})) << x;
    EXPECT_EQ(pixel(out, whole, x, 10)[1], 255) << x;
  }
}

TEST_F(SoftRendering, DestroyingATextureTwiceOrMakingAnEmptyOneIsHarmless) {
  const ImTextureID texture = renderer.createTexture(2, 2, std::vector<std::uint32_t>(4, kWhite).data());
  EXPECT_NE(texture, nullptr);
  renderer.destroyTexture(texture);
  renderer.destroyTexture(texture);  // twice: harmless
  EXPECT_EQ(renderer.createTexture(0, 4, nullptr), nullptr);
}

}  // namespace
}  // namespace vroom::ui
