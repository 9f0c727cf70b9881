// The people panel: rows in words (self first, role, mic/camera, connection, speaking,
// quality), the audience line for conference, broadcast host and viewer, and headless frames.
#include "people_panel.hpp"

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

using test::member;

SessionSnapshot conference() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "standup";
  s.self = {"me", "Bob", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.members.push_back(member("p1", "Ada"));
  s.members.push_back(member("p2", "Cy"));
  return s;
}

TEST(PeopleRows, SelfFirstThenMembersInJoinOrder) {
  const auto rows = peopleRows(conference(), nullptr);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].name, "Bob (you)");
  EXPECT_TRUE(rows[0].self);
  EXPECT_EQ(rows[1].name, "Ada");
  EXPECT_EQ(rows[2].name, "Cy");
  EXPECT_EQ(rows[0].text(), "Bob (you)\nMember, mic on, camera on, connected");
  EXPECT_EQ(rows[1].text(), "Ada\nMember, mic on, camera on, connected");
}

struct WordsCase {
  const char* name;
  void (*edit)(SessionSnapshot&);
  std::size_t row;
  const char* expectedDetails;  // the row's second line
};

class PeopleWords : public ::testing::TestWithParam<WordsCase> {};

TEST_P(PeopleWords, SecondLine) {
  const WordsCase& c = GetParam();
  SessionSnapshot s = conference();
  c.edit(s);
  const auto rows = peopleRows(s, nullptr);
  ASSERT_LT(c.row, rows.size());
  const std::string text = rows[c.row].text();
  EXPECT_EQ(text.substr(text.find('\n') + 1), c.expectedDetails) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, PeopleWords,
    ::testing::Values(
        WordsCase{"self muted", [](SessionSnapshot& s) { s.local.microphoneOn = false; }, 0,
                  "Member, muted, camera on, connected"},
        WordsCase{"self camera off", [](SessionSnapshot& s) { s.local.cameraOn = false; }, 0,
                  "Member, mic on, camera off, connected"},
        WordsCase{"self without devices",
                  [](SessionSnapshot& s) { s.local.hasMicrophone = s.local.hasCamera = false; }, 0,
                  "Member, no microphone, no camera, connected"},
        WordsCase{"self still acquiring",
                  [](SessionSnapshot& s) {
                    s.local.hasMicrophone = s.local.hasCamera = false;
                    s.local.acquiring = true;
                  },
                  0, "Member, mic on, camera on, connected"},
        WordsCase{"self sharing and speaking",
                  [](SessionSnapshot& s) {
                    s.local.sharing = true;
                    s.local.speaking = true;
                  },
                  0, "Member, mic on, camera on, sharing screen, connected, speaking"},
        WordsCase{"self reconnecting",
                  [](SessionSnapshot& s) { s.state = SessionState::Reconnecting; }, 0,
                  "Member, mic on, camera on, reconnecting"},
        WordsCase{"member muted, camera off",
                  [](SessionSnapshot& s) {
                    s.members[0].media = {false, false, false};
                  },
                  1, "Member, muted, camera off, connected"},
        WordsCase{"member reconnecting",
                  [](SessionSnapshot& s) { s.members[1].connection = LinkState::Reconnecting; }, 2,
                  "Member, mic on, camera on, reconnecting"},
        WordsCase{"member failed",
                  [](SessionSnapshot& s) { s.members[1].connection = LinkState::Failed; }, 2,
                  "Member, mic on, camera on, failed"},
        WordsCase{"member speaking", [](SessionSnapshot& s) { s.members[0].speaking = true; }, 1,
                  "Member, mic on, camera on, connected, speaking"},
        WordsCase{"member sharing", [](SessionSnapshot& s) { s.members[0].media.screen = true; }, 1,
                  "Member, mic on, camera on, sharing screen, connected"},
        WordsCase{"audio-only room says nothing of cameras",
                  [](SessionSnapshot& s) {
                    s.audioOnly = true;
                    s.members[0].media.video = false;
                  },
                  1, "Member, mic on, connected"}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(PeopleRows, QualityComesFromStatsWhenGiven) {
  SessionSnapshot s = conference();
  StatsHistory stats;
  PeerStats sample;
  stats.add("p1", 0, sample);
  sample.packetsReceived = 80;
  sample.packetsLost = 20;  // 20% loss
  stats.add("p1", 1000, sample);
  auto rows = peopleRows(s, &stats);
  EXPECT_EQ(rows[1].quality, Quality::Poor);
  EXPECT_NE(rows[1].text().find("quality poor"), std::string::npos);
  EXPECT_EQ(rows[2].quality, Quality::Unknown) << "no samples for Cy";
  EXPECT_EQ(rows[2].text().find("quality"), std::string::npos);
  rows = peopleRows(s, nullptr);
  EXPECT_EQ(rows[1].quality, Quality::Unknown);
}

TEST(PeopleRows, BroadcastRolesAndViewers) {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.mode = protocol::Mode::Broadcast;
  s.self = {"h", "Host Hana", protocol::Role::Host};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.members = {member("v1", "Vic", protocol::Role::Viewer),
               member("v2", "Wen", protocol::Role::Viewer)};
  const auto rows = peopleRows(s, nullptr);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text(), "Host Hana (you)\nHost, mic on, camera on, connected");
  EXPECT_EQ(rows[1].text(), "Vic\nViewer, watching, connected");
  EXPECT_EQ(audienceLine(s), "Live: 2 viewers");
  s.members.pop_back();
  EXPECT_EQ(audienceLine(s), "Live: 1 viewer");
  s.members.clear();
  EXPECT_EQ(audienceLine(s), "Live: 0 viewers");

  // A viewer's view: the host, and no viewer count.
  s.self = {"v1", "Vic", protocol::Role::Viewer};
  s.members = {member("h", "Host Hana", protocol::Role::Host)};
  EXPECT_EQ(audienceLine(s), "Watching the broadcast");
  EXPECT_EQ(peopleRows(s, nullptr)[0].text(), "Vic (you)\nViewer, watching, connected");
}

TEST(PeopleRows, ConferenceHeadcount) {
  SessionSnapshot s = conference();
  EXPECT_EQ(audienceLine(s), "3 people");
  s.members.clear();
  EXPECT_EQ(audienceLine(s), "1 person");
}

class PeopleFrames : public ::testing::Test {
 protected:
  test::ImGuiHarness ui{1280, 800};
  SessionSnapshot snapshot = conference();
  const StatsHistory* stats = nullptr;
  test::ImGuiHarness::Draw draw = [this] {
    ImGui::SetNextWindowPos(ImVec2(900, 0));
    ImGui::SetNextWindowSize(ImVec2(340, 600));
    ImGui::Begin("People", nullptr, ImGuiWindowFlags_NoSavedSettings);
    drawPeoplePanel(snapshot, stats);
    ImGui::End();
  };
};

TEST_F(PeopleFrames, EveryoneIsAnItemWithTheirWords) {
  snapshot.local.microphoneOn = false;
  snapshot.members[0].media.video = false;
  snapshot.members[1].connection = LinkState::Connecting;
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Bob (you)\nMember, muted, camera on, connected"))
      << ::testing::PrintToString(ui.labels());
  EXPECT_TRUE(ui.has("Ada\nMember, mic on, camera off, connected"));
  EXPECT_TRUE(ui.has("Cy\nMember, mic on, camera on, connecting"));
  // Self above the others.
  EXPECT_LT(ui.rectOf("Bob (you)\nMember, muted, camera on, connected")->Min.y,
            ui.rectOf("Ada\nMember, mic on, camera off, connected")->Min.y);
}

TEST_F(PeopleFrames, KeyboardReachesTheRows) {
  ui.settle(draw);
  ImGui::SetWindowFocus("People");
  ui.pressKey(ImGuiKey_DownArrow, draw);
  ui.pressKey(ImGuiKey_DownArrow, draw);
  EXPECT_NE(GImGui->NavId, 0u) << "arrow keys land on a row";
}

TEST_F(PeopleFrames, BroadcastHostWithManyViewersDrawsWhatFits) {
  snapshot.mode = protocol::Mode::Broadcast;
  snapshot.self = {"h", "Hana", protocol::Role::Host};
  snapshot.members.clear();
  for (int i = 0; i < 500; ++i)
    snapshot.members.push_back(
        member("v" + std::to_string(i), "Viewer " + std::to_string(i), protocol::Role::Viewer));
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Hana (you)\nHost, mic on, camera on, connected"));
  EXPECT_TRUE(ui.has("Viewer 0\nViewer, watching, connected"));
  EXPECT_FALSE(ui.has("Viewer 499\nViewer, watching, connected")) << "clipped, not drawn";
  const auto labels = ui.labels();
  EXPECT_LT(labels.size(), 100u);
}

TEST_F(PeopleFrames, NamesWithHashesStayVisible) {
  snapshot.members[0].name = "C##";
  ui.settle(draw);
  EXPECT_TRUE(ui.has("C# #\nMember, mic on, camera on, connected"))
      << ::testing::PrintToString(ui.labels());
}

}  // namespace
}  // namespace vroom::ui
