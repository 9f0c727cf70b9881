// Draw-list bounds, content hashes and the merge of nearby regions.
#include "draw_regions.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include <imgui.h>

namespace vroom::ui {
namespace {

// FNV-1a over 64-bit words: fast enough for a frame's vertices (a few hundred KiB at most).
std::uint64_t mix(std::uint64_t hash, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::size_t i = 0;
  for (; i + 8 <= bytes; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, 8);
    hash = (hash ^ word) * 0x100000001b3ull;
  }
  for (; i < bytes; ++i) hash = (hash ^ p[i]) * 0x100000001b3ull;
  return hash;
}

struct Box {
  float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
  bool empty() const { return !(x1 > x0 && y1 > y0); }
  void add(float x, float y) {
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  void add(const Box& b) {
    add(b.x0, b.y0);
    add(b.x1, b.y1);
  }
  Box intersect(const Box& b) const {
    return {std::max(x0, b.x0), std::max(y0, b.y0), std::min(x1, b.x1), std::min(y1, b.y1)};
  }
  float area() const { return empty() ? 0.0f : (x1 - x0) * (y1 - y0); }
  bool near(const Box& b, float gap) const {
    return x0 <= b.x1 + gap && b.x0 <= x1 + gap && y0 <= b.y1 + gap && b.y0 <= y1 + gap;
  }
};

struct Pending {
  Box box;
  std::uint64_t hash;
};

Pending merged(const Pending& a, const Pending& b) {
  Box box = a.box;
  box.add(b.box);
  return {box, (a.hash ^ (b.hash + 0x9e3779b97f4a7c15ull + (a.hash << 6) + (a.hash >> 2)))};
}

}  // namespace

std::vector<DrawnRegion> drawnRegions(const ImDrawData& data, std::size_t maxRegions) {
  const Box display{data.DisplayPos.x, data.DisplayPos.y, data.DisplayPos.x + data.DisplaySize.x,
                    data.DisplayPos.y + data.DisplaySize.y};
  std::vector<Pending> regions;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList* list = data.CmdLists[n];
    if (list->VtxBuffer.Size == 0 || list->IdxBuffer.Size == 0) continue;
    Box vertices, clips;
    for (const ImDrawVert& v : list->VtxBuffer) vertices.add(v.pos.x, v.pos.y);
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.ElemCount == 0 || cmd.UserCallback) continue;
      clips.add(Box{cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w});
      const std::uint64_t fields[] = {
          static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(cmd.GetTexID())),
          cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount};
      hash = mix(hash, fields, sizeof fields);
      hash = mix(hash, &cmd.ClipRect, sizeof cmd.ClipRect);
    }
    Box box = vertices.intersect(clips).intersect(display);
    if (box.empty()) continue;
    // Whole pixels, outward, plus one for the anti-aliased fringe.
    box = {std::floor(box.x0) - 1, std::floor(box.y0) - 1, std::ceil(box.x1) + 1,
           std::ceil(box.y1) + 1};
    box = box.intersect(display);
    hash = mix(hash, list->VtxBuffer.Data, sizeof(ImDrawVert) * list->VtxBuffer.Size);
    hash = mix(hash, list->IdxBuffer.Data, sizeof(ImDrawIdx) * list->IdxBuffer.Size);
    regions.push_back({box, hash});
  }

  // Union what overlaps or nearly touches, until nothing does.
  for (bool again = true; again;) {
    again = false;
    for (std::size_t i = 0; i < regions.size() && !again; ++i)
      for (std::size_t j = i + 1; j < regions.size() && !again; ++j)
        if (regions[i].box.near(regions[j].box, kRegionMergeGap)) {
          regions[i] = merged(regions[i], regions[j]);
          regions.erase(regions.begin() + static_cast<std::ptrdiff_t>(j));
          again = true;
        }
  }
  // Too many: join the pair whose union adds the least area.
  while (regions.size() > std::max<std::size_t>(1, maxRegions)) {
    std::size_t bestI = 0, bestJ = 1;
    float bestCost = FLT_MAX;
    for (std::size_t i = 0; i < regions.size(); ++i)
      for (std::size_t j = i + 1; j < regions.size(); ++j) {
        const float cost = merged(regions[i], regions[j]).box.area() - regions[i].box.area() -
                           regions[j].box.area();
        if (cost < bestCost) {
          bestCost = cost;
          bestI = i;
          bestJ = j;
        }
      }
    regions[bestI] = merged(regions[bestI], regions[bestJ]);
    regions.erase(regions.begin() + static_cast<std::ptrdiff_t>(bestJ));
  }

  std::vector<DrawnRegion> out;
  out.reserve(regions.size());
  for (const Pending& r : regions)
    out.push_back({Rect{r.box.x0, r.box.y0, r.box.x1 - r.box.x0, r.box.y1 - r.box.y0}, r.hash});
  std::sort(out.begin(), out.end(), [](const DrawnRegion& a, const DrawnRegion& b) {
    return a.rect.y != b.rect.y ? a.rect.y < b.rect.y : a.rect.x < b.rect.x;
  });
  return out;
}

}  // namespace vroom::ui
