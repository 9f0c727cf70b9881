// People panel: rows of words built from the snapshot (screen readers cannot read the
// canvas, and colour alone says nothing), drawn as selectable rows so the keyboard reaches them.
#include "people_panel.hpp"

#include <imgui.h>

#include "chat_panel.hpp"
#include "semantics.hpp"
#include "stats_panel.hpp"
#include "theme.hpp"
#include "user_text.hpp"

namespace vroom::ui {
namespace {

std::string roleWord(protocol::Role role) {
  switch (role) {
    case protocol::Role::Host:
      return "Host";
    case protocol::Role::Viewer:
      return "Viewer";
    case protocol::Role::Member:
      return "Member";
  }
  return "Member";
}

void appendWord(std::string& list, const std::string& word) {
  if (word.empty()) return;
  if (!list.empty()) list += ", ";
  list += word;
}

// Missing tracks say "no microphone" only once acquisition is over, not while it runs.
std::string mediaWords(bool viewer, bool audioOnly, bool micOn, bool micPresent, bool camOn,
                       bool camPresent, bool screen) {
  if (viewer) return "watching";
  std::string words;
  appendWord(words, !micOn ? "muted" : micPresent ? "mic on" : "no microphone");
  if (!audioOnly) appendWord(words, !camOn ? "camera off" : camPresent ? "camera on" : "no camera");
  if (screen) appendWord(words, "sharing screen");
  return words;
}

constexpr std::string_view kYouSuffix = " (you)";

// The part of a row's name the person chose (without " (you)").
std::string_view ownName(const PersonRow& row) {
  const std::string_view name = row.name;
  if (row.self && name.ends_with(kYouSuffix))
    return name.substr(0, name.size() - kYouSuffix.size());
  return name;
}

std::string selfConnection(SessionState state) {
  switch (state) {
    case SessionState::Joined:
      return "connected";
    case SessionState::Reconnecting:
      return "reconnecting";
    default:
      return std::string(toString(state));
  }
}

}  // namespace

std::string PersonRow::text() const {
  std::string details = role;
  if (moderator) appendWord(details, "moderator");
  appendWord(details, media);
  appendWord(details, connection);
  if (speaking) appendWord(details, "speaking");
  if (quality != Quality::Unknown) appendWord(details, "quality " + std::string(toString(quality)));
  return name + "\n" + details;
}

std::vector<PersonRow> peopleRows(const SessionSnapshot& s, const StatsHistory* stats) {
  std::vector<PersonRow> rows;
  rows.reserve(s.members.size() + 1);

  PersonRow self;
  self.id = s.self.id;
  self.name = (s.self.name.empty() ? std::string("You") : s.self.name) + std::string(kYouSuffix);
  self.role = roleWord(s.self.role);
  const LocalMediaSnapshot& local = s.local;
  self.media = mediaWords(s.self.role == protocol::Role::Viewer, s.audioOnly, local.microphoneOn,
                          local.hasMicrophone || local.acquiring, local.cameraOn,
                          local.hasCamera || local.acquiring, local.sharing);
  self.connection = selfConnection(s.state);
  self.self = true;
  self.moderator = s.self.moderator;
  self.speaking = local.speaking;
  rows.push_back(std::move(self));

  for (const MemberSnapshot& m : s.members) {
    PersonRow row;
    row.id = m.id;
    row.name = m.name.empty() ? std::string("Someone") : m.name;
    row.role = roleWord(m.role);
    row.media = mediaWords(m.role == protocol::Role::Viewer, s.audioOnly, m.media.audio, true,
                           m.media.video, true, m.media.screen);
    row.connection = std::string(toString(m.connection));
    row.speaking = m.speaking;
    row.moderator = m.moderator;
    if (stats) row.quality = stats->quality(m.id);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string audienceLine(const SessionSnapshot& s) {
  if (s.mode == protocol::Mode::Broadcast) {
    if (s.self.role != protocol::Role::Host) return "Watching the broadcast";
    std::size_t viewers = 0;
    for (const MemberSnapshot& m : s.members) viewers += m.role == protocol::Role::Viewer;
    return "Live: " + std::to_string(viewers) + (viewers == 1 ? " viewer" : " viewers");
  }
  const std::size_t people = s.members.size() + 1;
  return std::to_string(people) + (people == 1 ? " person" : " people");
}

void drawPeoplePanel(const SessionSnapshot& s, const StatsHistory* stats, RoomActions* actions,
                     ModerationState* moderation) {
  const std::string audience = audienceLine(s);
  ImGui::TextUnformatted(audience.c_str());
  ImGui::Separator();
  const bool moderating = actions && moderation && s.self.moderator;
  if (moderating) drawRoomModeration(s, *actions, *moderation);

  const std::vector<PersonRow> rows = peopleRows(s, stats);
  if (!ImGui::BeginChild("##people-list")) {
    ImGui::EndChild();
    return;
  }
  semantics::beginWindowGroup("##list", semantics::Role::List, "People");
  // The details line wraps, so rows differ in height; past kClippedRows (a big broadcast)
  // rows become one line each and only the visible ones are drawn.
  constexpr std::size_t kClippedRows = 64;
  const auto drawRow = [&](std::size_t i, bool wrapRows) {
    const PersonRow& row = rows[i];
    ImGui::PushID(static_cast<int>(i));
    if (row.speaking) ImGui::PushStyleColor(ImGuiCol_Text, theme::kSpeakingText);
    const std::string text = row.text();
    const std::size_t newline = text.find('\n');
    const std::string name = text.substr(0, newline);
    const std::string details = newline == std::string::npos ? "" : text.substr(newline + 1);
    // One item per person carrying all their words (its id), sized to the wrapped text,
    // with the name and the details drawn over it.
    const float wrap = wrapRows ? ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() : 0.0f;
    // A name that needs shaping is one run, then " (you)" in glyphs; it does not wrap.
    const ImU32 nameColour = ImGui::GetColorU32(ImGuiCol_Text);
    const std::string_view own = ownName(row);
    const std::string_view suffix = std::string_view(name).substr(own.size());
    const bool run = drawsAsRun(own);
    const ImVec2 nameSize = run ? userLineSize(own, suffix, nameColour)
                                : ImGui::CalcTextSize(name.c_str(), nullptr, false, wrap);
    const ImVec2 detailSize = wrap && !details.empty()
                                  ? ImGui::CalcTextSize(details.c_str(), nullptr, false, wrap)
                                  : ImVec2(0, 0);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Selectable(("##" + labelSafe(text)).c_str(), false, 0,
                      wrap ? ImVec2(0, nameSize.y + detailSize.y) : ImVec2(0, 0));
    // In the mirror a row is a list item holding the person's words and their buttons.
    std::string spoken = text;
    if (const auto at = spoken.find('\n'); at != std::string::npos) spoken.replace(at, 1, ", ");
    semantics::beginLastGroup(semantics::Role::ListItem, spoken);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (run) {
      drawUserLine(draw, at, nameColour, own, suffix);
    } else if (wrap) {
      draw->AddText(nullptr, 0.0f, at, nameColour, name.c_str(), nullptr, wrap);
    }
    if (wrap) {
      draw->AddText(nullptr, 0.0f, ImVec2(at.x, at.y + nameSize.y),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), details.c_str(), nullptr, wrap);
    } else {
      const ImVec2 detailsAt(at.x + (run ? nameSize.x : 0.0f), at.y);
      const std::string line = (run ? std::string() : name) + "  " + details;
      draw->AddText(detailsAt, nameColour, line.c_str());
    }
    if (row.quality != Quality::Unknown) {
      // A coloured dot at the row's right edge repeats the quality word for a quick look.
      const ImVec2 max = ImGui::GetItemRectMax();
      const ImVec2 min = ImGui::GetItemRectMin();
      const float radius = ImGui::GetFontSize() * 0.3f;
      ImGui::GetWindowDrawList()->AddCircleFilled(
          ImVec2(max.x - radius * 2.0f, min.y + ImGui::GetFontSize() * 0.5f), radius,
          ImGui::ColorConvertFloat4ToU32(qualityColor(row.quality)));
    }
    if (row.speaking) ImGui::PopStyleColor();
    // Rows past the first are the members, in order; one-line rows (a big audience) have no
    // room for buttons.
    if (moderating && wrapRows && i > 0)
      drawPersonModeration(s, s.members[i - 1], *actions, *moderation);
    semantics::endGroup();
    ImGui::PopID();
  };
  if (rows.size() <= kClippedRows) {
    for (std::size_t i = 0; i < rows.size(); ++i) drawRow(i, true);
  } else {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
        drawRow(static_cast<std::size_t>(i), false);
  }
  semantics::endGroup();
  ImGui::EndChild();
  if (moderating) drawModerationConfirmations(*actions, *moderation);
}

}  // namespace vroom::ui
