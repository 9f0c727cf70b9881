// Where the video tiles go: pure functions from (window size, tiles, mode) to one rect per tile.
// No ImGui and no state: the overlay's tile arrangement calls them on every snapshot and resize,
// and tests sweep them over window sizes and tile counts.
// The self-view can float as a small picture-in-picture over the others (docs/architecture.md).
#pragma once

#include <string>
#include <vector>

#include "rect.hpp"  // vroom::Rect, the one rectangle type

namespace vroom::ui {

// Space the layout must leave alone: the top bar, the toolbar (bottom) and the side panel
// (right), in px.
struct Insets {
  float top = 0, right = 0, bottom = 0, left = 0;
};

// Grid: everyone equal. Speaker: one large tile plus a strip. Stage: broadcast viewer, the
// host fills the area and nobody else is shown.
enum class LayoutMode { Grid, Speaker, Stage };

struct TileRequest {
  std::string id;
  float aspect = 16.0f / 9.0f;  // width / height of the stream; junk values fall back to 16:9
  bool screen = false;          // a screen share, as TileInfo::screen
  bool local = false;           // ours, as TileInfo::local
};

struct LayoutInput {
  float width = 0, height = 0;  // the window (CSS px)
  Insets reserved;
  float gap = 8;
  float margin = 12;
  LayoutMode mode = LayoutMode::Grid;
  std::vector<TileRequest> tiles;
  std::string pinnedId;   // empty: nothing pinned
  std::string speakerId;  // empty: nobody speaking
  int stripFirst = 0;     // Speaker mode: index into the strip of its first shown thumbnail
  // Grid and Speaker: our own camera tile (local, not a screen) floats as a small
  // picture-in-picture in the area's bottom-right corner instead of taking a cell, while
  // anyone else has a tile and it is not pinned.
  bool floatSelfView = false;
};

struct PlacedTile {
  std::string id;
  Rect rect;           // the video's own rect (letterboxed, centred in its cell); zero if hidden
  bool large = false;  // the Speaker/Stage main tile
  bool hidden = false;
  bool floating = false;  // the picture-in-picture self-view: drawn over the other tiles
};

struct LayoutResult {
  std::vector<PlacedTile> tiles;  // same order and count as LayoutInput::tiles
  Rect area;                      // window minus reserved insets and margins
  int columns = 0;                // Grid: the chosen grid; Speaker/Stage: 1 x 1 for the stage
  int rows = 0;
  LayoutMode used = LayoutMode::Grid;  // Speaker with a single tile is laid out as Grid
  int largeIndex = -1;                 // index in tiles of the large tile, -1 in Grid
  int hiddenCount = 0;                 // tiles that got no room (strip overflow, Stage others)
  bool stripBeside = false;            // Speaker: strip on the right instead of below
};

// One candidate grid for n tiles of one aspect in an areaW x areaH box.
struct GridChoice {
  int columns = 0;
  int rows = 0;
  float cellW = 0, cellH = 0;  // a cell when the whole box is split evenly
  float tileW = 0, tileH = 0;  // the video letterboxed in that cell
  float visibleArea = 0;       // n * tileW * tileH: what bestGrid maximises
};

// Windows narrower than this are phones: at most kNarrowMaxColumns columns, strip below.
inline constexpr float kNarrowWidth = 600.0f;
inline constexpr int kNarrowMaxColumns = 2;

// The grid with `columns` columns (rows follow from n); a zero choice if it does not fit.
GridChoice gridFor(int n, int columns, float areaW, float areaH, float aspect, float gap);

// The column count in 1..maxColumns (0: up to n) with the largest visible video area; ties go
// to fewer columns. Returns a zero choice when nothing fits.
GridChoice bestGrid(int n, float areaW, float areaH, float aspect, float gap, int maxColumns = 0);

// The largest rect of `aspect` that fits in `cell`, centred in it.
Rect fitAspect(const Rect& cell, float aspect);

// Which tile gets the large slot in Speaker/Stage: pinned, else a screen share (remote before
// local), else the active speaker unless it is ourselves, else the first remote tile, else the
// first tile. -1 when there are no tiles.
int chooseLargeTile(const LayoutInput& in);

LayoutResult computeLayout(const LayoutInput& in);

// The picture-in-picture rect for a tile of `aspect` in `area`: a fifth of the area's width
// (kSelfViewMinWidth..kSelfViewMaxWidth, at most a third of its height), in its bottom-right
// corner.
inline constexpr float kSelfViewShare = 0.2f;
inline constexpr float kSelfViewMinWidth = 96.0f, kSelfViewMaxWidth = 240.0f;
Rect selfViewRect(const Rect& area, float aspect);

// Index in result.tiles of the visible tile under (x, y), -1 if none (click-to-pin); a
// floating tile is on top of the others.
int tileAt(const LayoutResult& result, float x, float y);

}  // namespace vroom::ui
