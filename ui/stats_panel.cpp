// Stats panel: a plain view of each member's figures (tested without ImGui) and a thin
// drawing pass of collapsing headers, text lines and PlotLines over it.
#include "stats_panel.hpp"

#include <cfloat>
#include <cstdio>

#include "chat_panel.hpp"
#include "semantics.hpp"
#include "theme.hpp"

namespace vroom::ui {
namespace {

constexpr std::size_t kOpenSectionsUpTo = 4;  // more members start collapsed
constexpr float kPlotHeight = 44.0f;

template <class... Args>
std::string format(const char* pattern, Args... args) {
  char text[96];
  std::snprintf(text, sizeof(text), pattern, args...);
  return text;
}

PlotView plotOf(const std::deque<StatsPoint>& points, const char* id, float StatsPoint::*field,
                const char* caption) {
  PlotView plot;
  plot.id = id;
  plot.values.reserve(points.size());
  for (const StatsPoint& p : points) plot.values.push_back(p.*field);
  plot.caption = format(caption, static_cast<double>(points.back().*field));
  return plot;
}

}  // namespace

std::string candidatePairText(const PeerStats& stats) {
  if (stats.localCandidateType.empty() && stats.remoteCandidateType.empty()) return "unknown";
  const auto side = [](const std::string& type) { return type.empty() ? std::string("?") : type; };
  return side(stats.localCandidateType) + " -> " + side(stats.remoteCandidateType);
}

std::string pathText(const PeerStats& stats) {
  const std::string_view path = mediaPath(stats);
  if (path.empty()) return "not connected yet";
  return path == "relayed" ? "relayed (TURN)" : "direct";
}

std::string codecText(const PeerStats& stats) {
  std::string text = stats.audioCodec;
  if (!stats.videoCodec.empty()) text += (text.empty() ? "" : ", ") + stats.videoCodec;
  return text.empty() ? "none" : text;
}

PeerStatsView statsViewFor(const MemberSnapshot& member, const StatsHistory& stats) {
  PeerStatsView view;
  view.id = member.id;
  view.name = member.name.empty() ? std::string("Someone") : member.name;
  view.quality = stats.quality(member.id);
  view.header = view.name + " - " + std::string(toString(view.quality));

  const PeerStats* latest = stats.latest(member.id);
  const std::deque<StatsPoint>* points = stats.series(member.id);
  if (!latest) {
    view.figures.push_back("No statistics yet");
    return view;
  }
  if (!points || points->empty()) {
    view.figures.push_back("Measuring...");
  } else {
    const StatsPoint& p = points->back();
    view.figures.push_back(format("Bitrate in: %.0f kbps", static_cast<double>(p.kbpsIn)));
    view.figures.push_back(format("Bitrate out: %.0f kbps", static_cast<double>(p.kbpsOut)));
    view.figures.push_back(format("Packets lost: %.1f %%", static_cast<double>(p.lossPercent)));
    view.figures.push_back(p.rttMs > 0
                               ? format("Round-trip time: %.0f ms", static_cast<double>(p.rttMs))
                               : std::string("Round-trip time: unknown"));
    view.figures.push_back(format("Jitter: %.0f ms", static_cast<double>(p.jitterMs)));
    view.figures.push_back(format("Frame rate: %.0f fps", static_cast<double>(p.fps)));
    view.figures.push_back(p.width > 0 && p.height > 0
                               ? format("Resolution: %dx%d", p.width, p.height)
                               : std::string("Resolution: no video"));
    view.plots.push_back(plotOf(*points, "kbps-in", &StatsPoint::kbpsIn, "in %.0f kbps"));
    view.plots.push_back(plotOf(*points, "kbps-out", &StatsPoint::kbpsOut, "out %.0f kbps"));
    view.plots.push_back(plotOf(*points, "rtt", &StatsPoint::rttMs, "RTT %.0f ms"));
    view.plots.push_back(plotOf(*points, "fps", &StatsPoint::fps, "%.0f fps"));
  }
  view.figures.push_back("Codecs: " + codecText(*latest));
  view.figures.push_back("Candidate pair: " + candidatePairText(*latest));
  view.figures.push_back("Path: " + pathText(*latest));
  return view;
}

ImVec4 qualityColor(Quality quality) {
  switch (quality) {
    case Quality::Good:
      return theme::kQualityGood;
    case Quality::Fair:
      return theme::kQualityFair;
    case Quality::Poor:
      return theme::kQualityPoor;
    case Quality::Unknown:
      break;
  }
  return theme::kQualityUnknown;
}

void qualityBadge(Quality quality) {
  const std::string text(toString(quality));
  ImGui::TextColored(qualityColor(quality), "%s", text.c_str());
}

void drawStatsPanel(const SessionSnapshot& s, const StatsHistory& stats) {
  if (s.members.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Statistics appear here when someone else is in the room.");
    ImGui::PopTextWrapPos();
    semantics::textLast("##none", "Statistics appear here when someone else is in the room.");
    return;
  }
  for (const MemberSnapshot& member : s.members) {
    const PeerStatsView view = statsViewFor(member, stats);
    ImGui::PushID(member.id.c_str());
    if (s.members.size() <= kOpenSectionsUpTo) ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    const bool open = ImGui::CollapsingHeader((labelSafe(view.header) + "##stats").c_str());
    {
      // The badge colour as a dot at the header's right end; the word is in the header.
      const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
      const float radius = ImGui::GetFontSize() * 0.3f;
      ImGui::GetWindowDrawList()->AddCircleFilled(
          ImVec2(max.x - radius * 3.0f, (min.y + max.y) * 0.5f), radius,
          ImGui::ColorConvertFloat4ToU32(qualityColor(view.quality)));
    }
    if (open) {
      // The figures are a list in the mirror ("Bitrate in: 812 kbps", ...), one item per line.
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float lines = ImGui::GetTextLineHeightWithSpacing() * float(view.figures.size());
      semantics::beginGroupAt(
          "##figures", semantics::Role::List, "Figures for " + view.name,
          ImRect(at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, at.y + lines)));
      for (const std::string& line : view.figures) {
        ImGui::TextUnformatted(line.c_str());
        semantics::textLast(line.substr(0, line.find(':')), line, semantics::Role::ListItem);
      }
      semantics::endGroup();
      for (const PlotView& plot : view.plots) {
        // ImGui 1.86's PlotLines takes no negative "fill" width: give it the real one.
        ImGui::PlotLines(("##" + plot.id).c_str(), plot.values.data(),
                         static_cast<int>(plot.values.size()), 0, plot.caption.c_str(), 0.0f,
                         FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, kPlotHeight));
      }
      ImGui::Spacing();
    }
    ImGui::PopID();
  }
}

}  // namespace vroom::ui
