// The live statistics side panel: one collapsible section per remote member with the
// quality badge, the figures as text and plots of bitrate, round-trip time and frame rate.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

#include "session_snapshot.hpp"
#include "stats_history.hpp"

namespace vroom::ui {

struct PlotView {
  std::string id;             // stable ImGui id part: "kbps-in", "kbps-out", "rtt", "fps"
  std::string caption;        // drawn over the plot: "in 812 kbps"
  std::vector<float> values;  // oldest first
};

// Everything the panel shows for one member, as text and numbers.
struct PeerStatsView {
  std::string id;
  std::string name;
  Quality quality = Quality::Unknown;
  std::string header;                // "Ada - good"
  std::vector<std::string> figures;  // "Bitrate in: 812 kbps", "Candidate pair: host -> srflx"
  std::vector<PlotView> plots;       // empty until two samples gave a point
};

PeerStatsView statsViewFor(const MemberSnapshot& member, const StatsHistory& stats);
// "host -> srflx" (local -> remote candidate type), "unknown" when not selected yet.
std::string candidatePairText(const PeerStats& stats);
std::string pathText(const PeerStats& stats);  // "direct", "relayed (TURN)", "not connected yet"
// "opus, VP8", "opus" or "none".
std::string codecText(const PeerStats& stats);

// The badge colour of a quality (green, amber, red, grey).
ImVec4 qualityColor(Quality quality);
// A small coloured "good"/"fair"/"poor" label, for tiles and the panel.
void qualityBadge(Quality quality);

// Draws the panel's contents into the current window (the caller owns Begin/End).
void drawStatsPanel(const SessionSnapshot& s, const StatsHistory& stats);

}  // namespace vroom::ui
