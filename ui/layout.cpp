// Tile layout: the grid search, the speaker stage plus strip, and the broadcast stage.
// Every input is sanitised first so that junk (NaN, negative sizes) yields hidden tiles, never
// a division by zero or a rect outside the window.
#include "layout.hpp"

#include <algorithm>
#include <cmath>

namespace vroom::ui {
namespace {

constexpr float kDefaultAspect = 16.0f / 9.0f;
// Beyond these a stream is broken rather than unusual; clamping keeps w/h finite.
constexpr float kMinAspect = 0.1f;
constexpr float kMaxAspect = 10.0f;
// A candidate must win by more than float noise, so equal areas keep the fewer columns.
constexpr float kTieTolerance = 1e-5f;

// Strip thickness as a share of the area, with floors so thumbnails stay recognisable and a
// ceiling so the stage always keeps two thirds of the room.
constexpr float kStripShare = 0.2f;
constexpr float kBelowMin = 48.0f, kBelowMax = 200.0f;
constexpr float kBesideMin = 96.0f, kBesideMax = 320.0f;
constexpr float kStripMaxShare = 1.0f / 3.0f;
// A thumbnail is at most this share of the stage video's depth (a quarter of its area).
constexpr float kThumbMaxShare = 0.5f;

float nonNegative(float v) {
  return std::isfinite(v) && v > 0 ? v : 0.0f;
}

float saneAspect(float a) {
  if (!std::isfinite(a) || a <= 0) return kDefaultAspect;
  return std::clamp(a, kMinAspect, kMaxAspect);
}

struct AspectCount {
  float aspect;
  int count;
};

// Tiles grouped by aspect so the grid search costs O(columns x distinct aspects), not O(n^2).
std::vector<AspectCount> aspectHistogram(const std::vector<TileRequest>& tiles) {
  std::vector<AspectCount> out;
  for (const auto& t : tiles) {
    const float a = saneAspect(t.aspect);
    auto it =
        std::find_if(out.begin(), out.end(), [a](const AspectCount& c) { return c.aspect == a; });
    if (it == out.end())
      out.push_back({a, 1});
    else
      ++it->count;
  }
  return out;
}

void fitSize(float boxW, float boxH, float aspect, float& w, float& h) {
  w = boxW;
  h = boxW / aspect;
  if (h > boxH) {
    h = boxH;
    w = boxH * aspect;
  }
}

GridChoice scoreGrid(const std::vector<AspectCount>& hist, int n, int columns, float areaW,
                     float areaH, float gap) {
  GridChoice g;
  if (n <= 0 || columns <= 0 || columns > n) return g;
  const int rows = (n + columns - 1) / columns;
  const float cellW = (areaW - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const float cellH = (areaH - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows);
  if (!(cellW > 0 && cellH > 0)) return g;
  g.columns = columns;
  g.rows = rows;
  g.cellW = cellW;
  g.cellH = cellH;
  for (const auto& [aspect, count] : hist) {
    float w = 0, h = 0;
    fitSize(cellW, cellH, aspect, w, h);
    g.tileW = std::max(g.tileW, w);
    g.tileH = std::max(g.tileH, h);
    g.visibleArea += static_cast<float>(count) * w * h;
  }
  return g;
}

GridChoice bestGridFor(const std::vector<AspectCount>& hist, int n, float areaW, float areaH,
                       float gap, int maxColumns) {
  GridChoice best;
  if (n <= 0 || !(areaW > 0 && areaH > 0)) return best;
  const int limit = maxColumns > 0 ? std::min(maxColumns, n) : n;
  for (int c = 1; c <= limit; ++c) {
    const GridChoice g = scoreGrid(hist, n, c, areaW, areaH, gap);
    if (g.visibleArea > best.visibleArea * (1.0f + kTieTolerance)) best = g;
  }
  return best;
}

void hide(PlacedTile& t) {
  t.rect = Rect{};
  t.hidden = true;
}

int indexOfId(const std::vector<TileRequest>& tiles, const std::string& id) {
  if (id.empty()) return -1;
  for (size_t i = 0; i < tiles.size(); ++i)
    if (tiles[i].id == id) return static_cast<int>(i);
  return -1;
}

void layoutGrid(const LayoutInput& in, const Rect& area, float gap, bool narrow,
                LayoutResult& out) {
  const int n = static_cast<int>(in.tiles.size());
  const GridChoice g = bestGridFor(aspectHistogram(in.tiles), n, area.width, area.height, gap,
                                   narrow ? kNarrowMaxColumns : 0);
  if (g.columns == 0 && gap > 0) {
    // The gaps alone exceed the area (hundreds of tiles): drop them so every tile still shows.
    layoutGrid(in, area, 0, narrow, out);
    return;
  }
  if (g.columns == 0) return;
  out.columns = g.columns;
  out.rows = g.rows;
  // Shrink cells to the largest video they hold and centre the block, so spare room goes to
  // the outer edges rather than into wide gaps between faces.
  const float cellW = g.tileW, cellH = g.tileH;
  const float blockW =
      cellW * static_cast<float>(g.columns) + gap * static_cast<float>(g.columns - 1);
  const float blockH = cellH * static_cast<float>(g.rows) + gap * static_cast<float>(g.rows - 1);
  const float x0 = area.x + (area.width - blockW) / 2;
  const float y0 = area.y + (area.height - blockH) / 2;
  for (int i = 0; i < n; ++i) {
    const int row = i / g.columns, col = i % g.columns;
    const int inRow = std::min(g.columns, n - row * g.columns);
    // A short last row is centred, as people expect from video calls.
    const float rowShift = static_cast<float>(g.columns - inRow) * (cellW + gap) / 2;
    const Rect cell{x0 + rowShift + static_cast<float>(col) * (cellW + gap),
                    y0 + static_cast<float>(row) * (cellH + gap), cellW, cellH};
    out.tiles[i].rect = fitAspect(cell, saneAspect(in.tiles[i].aspect));
    out.tiles[i].hidden = false;
  }
}

// Speaker layouts are computed in a frame where "along" runs with the strip and "across" goes
// from the stage into the strip, so one routine serves both the strip below and beside.
struct Span {
  float along = 0, across = 0;
};

Span fitInFrame(float along, float across, float aspect, bool beside) {
  float w = 0, h = 0;
  if (beside) {
    fitSize(across, along, aspect, w, h);
    return {h, w};
  }
  fitSize(along, across, aspect, w, h);
  return {w, h};
}

Rect toScreen(const Rect& area, bool beside, float along, float across, Span size) {
  if (beside) return Rect{area.x + across, area.y + along, size.across, size.along};
  return Rect{area.x + along, area.y + across, size.along, size.across};
}

// One speaker arrangement (strip below or beside), written into `out`; returns the visible
// video area so the caller can keep the better of the two.
float layoutSpeaker(const LayoutInput& in, const Rect& area, float gap, int large, bool beside,
                    LayoutResult& out) {
  for (auto& t : out.tiles) hide(t);
  out.stripBeside = beside;
  const float length = beside ? area.height : area.width;
  const float depth = beside ? area.width : area.height;
  float thick = std::clamp(depth * kStripShare, beside ? kBesideMin : kBelowMin,
                           beside ? kBesideMax : kBelowMax);
  thick = std::min(thick, depth * kStripMaxShare);

  const float stageDepth = depth - thick - gap;
  const Span big = stageDepth > 0
                       ? fitInFrame(length, stageDepth, saneAspect(in.tiles[large].aspect), beside)
                       : Span{};

  // Thumbnails stay well below the stage's size, and at least two share a line so a phone's
  // strip does not turn into a column of single tiles. Slack the stage leaves (a landscape video
  // on a portrait phone) becomes more lines of thumbnails.
  const Span box{(length - gap) / 2, std::min(thick, big.across * kThumbMaxShare)};
  const float stripDepth = depth - big.across - gap;
  const int maxLines = box.across > 0 && stripDepth > 0
                           ? static_cast<int>((stripDepth + gap) / (box.across + gap) + 1e-4f)
                           : 0;

  std::vector<int> strip;
  for (int i = 0; i < static_cast<int>(in.tiles.size()); ++i)
    if (i != large) strip.push_back(i);
  const int first = std::clamp(in.stripFirst, 0, std::max(0, static_cast<int>(strip.size()) - 1));

  struct Placed {
    int index, line;
    float along;
    Span size;
  };
  std::vector<Placed> placed;
  std::vector<float> lineLength;  // used length of each line, to centre it
  // Thumbnails flow line by line; the first that does not fit ends the strip, so what is shown
  // is always one contiguous run the UI can page through with stripFirst.
  for (size_t k = static_cast<size_t>(first); k < strip.size() && maxLines > 0; ++k) {
    const Span size =
        fitInFrame(box.along, box.across, saneAspect(in.tiles[strip[k]].aspect), beside);
    if (!(size.along > 0 && size.across > 0)) break;
    float start = lineLength.empty() ? length + 1 : lineLength.back() + gap;
    if (start + size.along > length) {
      if (static_cast<int>(lineLength.size()) == maxLines) break;
      lineLength.push_back(0);
      start = 0;
    }
    placed.push_back({strip[k], static_cast<int>(lineLength.size()) - 1, start, size});
    lineLength.back() = start + size.along;
  }

  const float lines = static_cast<float>(lineLength.size());
  const float usedDepth = big.across + (lines > 0 ? gap + lines * (box.across + gap) - gap : 0);
  const float top = std::max(0.0f, (depth - usedDepth) / 2);
  float score = 0;
  if (big.along > 0 && big.across > 0) {
    PlacedTile& t = out.tiles[large];
    t.rect = toScreen(area, beside, (length - big.along) / 2, top, big);
    t.hidden = false;
    score += t.rect.area();
  }
  out.tiles[large].large = true;
  for (const auto& p : placed) {
    const float lineTop = top + big.across + gap + static_cast<float>(p.line) * (box.across + gap);
    const float along = p.along + (length - lineLength[p.line]) / 2;
    const float across = lineTop + (box.across - p.size.across) / 2;
    PlacedTile& t = out.tiles[p.index];
    t.rect = toScreen(area, beside, along, across, p.size);
    t.hidden = false;
    score += t.rect.area();
  }
  return score;
}

}  // namespace

Rect fitAspect(const Rect& cell, float aspect) {
  if (cell.empty()) return Rect{};
  float w = 0, h = 0;
  fitSize(cell.width, cell.height, saneAspect(aspect), w, h);
  return Rect{cell.x + (cell.width - w) / 2, cell.y + (cell.height - h) / 2, w, h};
}

GridChoice gridFor(int n, int columns, float areaW, float areaH, float aspect, float gap) {
  if (!(nonNegative(areaW) > 0 && nonNegative(areaH) > 0)) return GridChoice{};
  return scoreGrid({{saneAspect(aspect), n}}, n, columns, areaW, areaH, nonNegative(gap));
}

GridChoice bestGrid(int n, float areaW, float areaH, float aspect, float gap, int maxColumns) {
  return bestGridFor({{saneAspect(aspect), n}}, n, nonNegative(areaW), nonNegative(areaH),
                     nonNegative(gap), maxColumns);
}

int chooseLargeTile(const LayoutInput& in) {
  const auto& tiles = in.tiles;
  if (tiles.empty()) return -1;
  if (int pinned = indexOfId(tiles, in.pinnedId); pinned >= 0) return pinned;
  // A shared screen is what the room is looking at; someone else's beats our own, which we
  // already see on our own screen.
  for (bool local : {false, true})
    for (size_t i = 0; i < tiles.size(); ++i)
      if (tiles[i].screen && tiles[i].local == local) return static_cast<int>(i);
  // Our own face is never promoted by speaking: people do not want to watch themselves.
  if (int speaker = indexOfId(tiles, in.speakerId); speaker >= 0 && !tiles[speaker].local)
    return speaker;
  for (size_t i = 0; i < tiles.size(); ++i)
    if (!tiles[i].local) return static_cast<int>(i);
  return 0;
}

Rect selfViewRect(const Rect& area, float aspect) {
  if (area.empty()) return Rect{};
  const float a = saneAspect(aspect);
  float w = std::clamp(area.width * kSelfViewShare, kSelfViewMinWidth, kSelfViewMaxWidth);
  w = std::min({w, area.width, area.height / 3 * a});
  const float h = w / a;
  if (!(w > 0 && h > 0)) return Rect{};
  return Rect{area.x + area.width - w, area.y + area.height - h, w, h};
}

namespace {

// Every tile in the grid, strip or stage (nothing floats).
LayoutResult layoutEveryTile(const LayoutInput& in) {
  LayoutResult out;
  out.used = in.mode;
  out.tiles.reserve(in.tiles.size());
  for (const auto& t : in.tiles) out.tiles.push_back(PlacedTile{t.id, Rect{}, false, true});
  const int n = static_cast<int>(in.tiles.size());
  if (in.mode == LayoutMode::Speaker && n <= 1) out.used = LayoutMode::Grid;

  const float width = nonNegative(in.width), height = nonNegative(in.height);
  const float margin = nonNegative(in.margin), gap = nonNegative(in.gap);
  const Insets& r = in.reserved;
  const float left = nonNegative(r.left), top = nonNegative(r.top);
  const float areaW = width - left - nonNegative(r.right) - 2 * margin;
  const float areaH = height - top - nonNegative(r.bottom) - 2 * margin;
  if (areaW > 0 && areaH > 0) out.area = Rect{left + margin, top + margin, areaW, areaH};
  const bool narrow = width < kNarrowWidth;

  if (n > 0 && !out.area.empty()) {
    switch (out.used) {
      case LayoutMode::Grid:
        layoutGrid(in, out.area, gap, narrow, out);
        break;
      case LayoutMode::Stage: {
        const int host = chooseLargeTile(in);
        out.largeIndex = host;
        out.columns = out.rows = 1;
        out.tiles[host].large = true;
        out.tiles[host].rect = fitAspect(out.area, in.tiles[host].aspect);
        out.tiles[host].hidden = false;
        break;
      }
      case LayoutMode::Speaker: {
        const int large = chooseLargeTile(in);
        out.largeIndex = large;
        out.columns = out.rows = 1;
        const float below = layoutSpeaker(in, out.area, gap, large, false, out);
        if (!narrow) {
          LayoutResult side = out;
          const float beside = layoutSpeaker(in, out.area, gap, large, true, side);
          if (beside > below * (1.0f + kTieTolerance)) out = std::move(side);
        }
        break;
      }
    }
  }
  for (auto& t : out.tiles) {
    if (t.rect.empty()) hide(t);
    if (t.hidden) ++out.hiddenCount;
  }
  return out;
}

// The index of the tile that floats as the self-view, -1 when none does.
int floatingSelfView(const LayoutInput& in) {
  if (!in.floatSelfView || in.mode == LayoutMode::Stage || in.tiles.size() < 2) return -1;
  for (size_t i = 0; i < in.tiles.size(); ++i) {
    const TileRequest& t = in.tiles[i];
    if (t.local && !t.screen) return t.id == in.pinnedId ? -1 : static_cast<int>(i);
  }
  return -1;
}

// The others laid out without the self-view, which then floats in the area's corner.
LayoutResult layoutWithFloatingSelf(const LayoutInput& in, int self) {
  LayoutInput rest = in;
  rest.tiles.erase(rest.tiles.begin() + self);
  LayoutResult out = layoutEveryTile(rest);
  out.tiles.insert(out.tiles.begin() + self, PlacedTile{in.tiles[self].id, Rect{}, false, true});
  if (out.largeIndex >= self) ++out.largeIndex;
  PlacedTile& t = out.tiles[self];
  t.rect = selfViewRect(out.area, in.tiles[self].aspect);
  t.hidden = t.rect.empty();
  t.floating = !t.hidden;
  if (t.hidden) ++out.hiddenCount;
  return out;
}

}  // namespace

LayoutResult computeLayout(const LayoutInput& in) {
  const int self = floatingSelfView(in);
  return self >= 0 ? layoutWithFloatingSelf(in, self) : layoutEveryTile(in);
}

int tileAt(const LayoutResult& result, float x, float y) {
  for (bool floating : {true, false})
    for (size_t i = 0; i < result.tiles.size(); ++i) {
      const PlacedTile& t = result.tiles[i];
      if (t.floating == floating && !t.hidden && t.rect.contains(x, y)) return static_cast<int>(i);
    }
  return -1;
}

}  // namespace vroom::ui
