// frameText lists every string the overlay draws that vroom did not write itself, so that the
// glyph atlas holds its glyphs: a string left out shows as blank boxes in the browser.
#include "frame_text.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "test_members.hpp"

namespace vroom::ui {
namespace {

bool lists(const std::vector<std::string_view>& texts, std::string_view text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

TEST(FrameText, ListsWhatTheSessionAndThePersonWrote) {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "réunion";
  s.self = {"me", "Zoë", protocol::Role::Member, true};
  s.members = {test::member("p1", "Ålice")};
  s.error = {SessionErrorCode::NotAllowed, "Only a moderator can do that, Zoë."};
  s.notice = {SessionErrorCode::MuteRequested, "Ålice asked you to mute. Your microphone is off."};
  s.reason = "Rejoining réunion...";
  s.local.devices = {{"mic1", DeviceKind::AudioInput, "Mikrofon (Büro)"}};
  s.chat = {{"p1", "Ålice", "hallå", 1, false}};
  LobbyForm form;
  form.room = "salle";
  form.name = "Jürgen";
  ChatPanelState chat;
  chat.draft = "grüß";
  const std::vector<std::string_view> texts = frameText(s, form, chat, "ä");
  for (std::string_view text :
       {"ä", "grüß", "Jürgen", "salle", "Zoë", "Ålice", "réunion",
        "Only a moderator can do that, Zoë.", "Ålice asked you to mute. Your microphone is off.",
        "Rejoining réunion...", "Mikrofon (Büro)", "hallå"})
    EXPECT_TRUE(lists(texts, text)) << text;
}

}  // namespace
}  // namespace vroom::ui
