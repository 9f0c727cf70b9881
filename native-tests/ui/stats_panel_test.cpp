// The stats panel: the per-member view (figures as text, plot series, badge) from a
// history of samples, the helpers' wording, and headless frames with a section per member.
#include "stats_panel.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "imgui_harness.hpp"
#include "test_members.hpp"

namespace vroom::ui {
namespace {

using test::member;

// Ten seconds of a healthy 720p call: 1 Mbit/s in, 500 kbit/s out, no loss.
void healthyCall(StatsHistory& stats, const std::string& id, int seconds = 10) {
  PeerStats s;
  s.audioCodec = "opus";
  s.videoCodec = "VP8";
  s.localCandidateType = "host";
  s.remoteCandidateType = "srflx";
  s.roundTripTimeMs = 35;
  s.jitterMs = 4;
  s.framesPerSecond = 30;
  s.frameWidth = 1280;
  s.frameHeight = 720;
  for (int i = 0; i <= seconds; ++i) {
    stats.add(id, i * 1000.0, s);
    s.bytesReceived += 125'000;
    s.bytesSent += 62'500;
    s.packetsReceived += 100;
    s.packetsSent += 50;
  }
}

TEST(StatsText, CandidatePair) {
  PeerStats s;
  EXPECT_EQ(candidatePairText(s), "unknown");
  s.localCandidateType = "host";
  s.remoteCandidateType = "srflx";
  EXPECT_EQ(candidatePairText(s), "host -> srflx");
  EXPECT_EQ(pathText(s), "direct");
  s.localCandidateType = "relay";
  s.remoteCandidateType = "";
  EXPECT_EQ(candidatePairText(s), "relay -> ?");
  EXPECT_EQ(pathText(s), "relayed (TURN)");
  s.localCandidateType = "host";
  s.remoteCandidateType = "relay";  // the other side relays: media goes through TURN too
  EXPECT_EQ(pathText(s), "relayed (TURN)");
  EXPECT_EQ(pathText(PeerStats{}), "not connected yet");
}

TEST(StatsText, Codecs) {
  PeerStats s;
  EXPECT_EQ(codecText(s), "none");
  s.audioCodec = "opus";
  EXPECT_EQ(codecText(s), "opus");
  s.videoCodec = "VP8";
  EXPECT_EQ(codecText(s), "opus, VP8");
  s.audioCodec.clear();
  EXPECT_EQ(codecText(s), "VP8");
}

TEST(StatsView, NoSamplesYet) {
  StatsHistory stats;
  const PeerStatsView view = statsViewFor(member("p1", "Ada"), stats);
  EXPECT_EQ(view.header, "Ada - unknown");
  EXPECT_EQ(view.quality, Quality::Unknown);
  EXPECT_EQ(view.figures, std::vector<std::string>{"No statistics yet"});
  EXPECT_TRUE(view.plots.empty());
}

TEST(StatsView, OneSampleShowsWhatIsKnownWithoutRates) {
  StatsHistory stats;
  healthyCall(stats, "p1", 0);
  const PeerStatsView view = statsViewFor(member("p1", "Ada"), stats);
  EXPECT_EQ(view.figures,
            (std::vector<std::string>{"Measuring...", "Codecs: opus, VP8",
                                      "Candidate pair: host -> srflx", "Path: direct"}));
  EXPECT_TRUE(view.plots.empty());
}

TEST(StatsView, FiguresAndPlotsFromHistory) {
  StatsHistory stats;
  healthyCall(stats, "p1");
  const PeerStatsView view = statsViewFor(member("p1", "Ada"), stats);
  EXPECT_EQ(view.header, "Ada - good");
  EXPECT_EQ(view.quality, Quality::Good);
  EXPECT_EQ(view.figures, (std::vector<std::string>{
                              "Bitrate in: 1000 kbps", "Bitrate out: 500 kbps",
                              "Packets lost: 0.0 %", "Round-trip time: 35 ms", "Jitter: 4 ms",
                              "Frame rate: 30 fps", "Resolution: 1280x720", "Codecs: opus, VP8",
                              "Candidate pair: host -> srflx", "Path: direct"}));
  ASSERT_EQ(view.plots.size(), 4u);
  const char* ids[] = {"kbps-in", "kbps-out", "rtt", "fps"};
  const float values[] = {1000, 500, 35, 30};
  const char* captions[] = {"in 1000 kbps", "out 500 kbps", "RTT 35 ms", "30 fps"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(view.plots[i].id, ids[i]);
    EXPECT_EQ(view.plots[i].caption, captions[i]);
    ASSERT_EQ(view.plots[i].values.size(), 10u) << "one value per second after the first";
    for (float v : view.plots[i].values) EXPECT_FLOAT_EQ(v, values[i]) << ids[i];
  }
}

TEST(StatsView, AudioOnlyAndUnmeasuredRtt) {
  StatsHistory stats;
  PeerStats s;
  s.audioCodec = "opus";
  s.localCandidateType = s.remoteCandidateType = "relay";
  stats.add("p1", 0, s);
  s.bytesReceived = 4000;  // 32 kbit/s
  s.packetsReceived = 50;
  stats.add("p1", 1000, s);
  const PeerStatsView view = statsViewFor(member("p1", ""), stats);
  EXPECT_EQ(view.header, "Someone - good");
  const auto has = [&](const std::string& line) {
    return std::find(view.figures.begin(), view.figures.end(), line) != view.figures.end();
  };
  EXPECT_TRUE(has("Bitrate in: 32 kbps"));
  EXPECT_TRUE(has("Round-trip time: unknown"));
  EXPECT_TRUE(has("Resolution: no video"));
  EXPECT_TRUE(has("Candidate pair: relay -> relay"));
  EXPECT_TRUE(has("Path: relayed (TURN)"));
  EXPECT_TRUE(has("Codecs: opus"));
}

TEST(StatsView, BadgeColoursDiffer) {
  const ImVec4 good = qualityColor(Quality::Good), poor = qualityColor(Quality::Poor),
               fair = qualityColor(Quality::Fair), unknown = qualityColor(Quality::Unknown);
  EXPECT_GT(good.y, good.x);  // green
  EXPECT_GT(poor.x, poor.y);  // red
  EXPECT_NE(fair.x, good.x);
  EXPECT_NEAR(unknown.x, unknown.z, 0.1f);  // grey
  EXPECT_NEAR(unknown.x, unknown.y, 0.1f);
}

class StatsFrames : public ::testing::Test {
 protected:
  StatsFrames() {
    snapshot.state = SessionState::Joined;
    snapshot.self = {"me", "Bob", protocol::Role::Member};
    snapshot.members = {member("p1", "Ada"), member("p2", "Cy")};
  }

  test::ImGuiHarness ui{1280, 900};
  SessionSnapshot snapshot;
  StatsHistory stats;
  test::ImGuiHarness::Draw draw = [this] {
    ImGui::SetNextWindowPos(ImVec2(900, 0));
    ImGui::SetNextWindowSize(ImVec2(340, 900));
    ImGui::Begin("Stats", nullptr, ImGuiWindowFlags_NoSavedSettings);
    drawStatsPanel(snapshot, stats);
    ImGui::End();
  };
};

TEST_F(StatsFrames, ASectionPerMemberWithTheBadgeWord) {
  healthyCall(stats, "p1");
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Ada - good")) << ::testing::PrintToString(ui.labels());
  EXPECT_TRUE(ui.has("Cy - unknown"));
  EXPECT_FALSE(ui.has("Bob - unknown")) << "no section for yourself";
}

TEST_F(StatsFrames, PlotsAndFiguresTakeSpaceOnlyWithHistory) {
  ui.settle(draw);
  const float emptyGap = ui.rectOf("Cy - unknown")->Min.y - ui.rectOf("Ada - unknown")->Max.y;

  healthyCall(stats, "p1");
  ui.settle(draw);
  const float fullGap = ui.rectOf("Cy - unknown")->Min.y - ui.rectOf("Ada - good")->Max.y;
  // Nine text lines and four plots of 44 px sit between the two headers now.
  EXPECT_GT(fullGap - emptyGap, 4 * 44.0f + 8 * ImGui::GetTextLineHeight());

  // Collapsing Ada's section hides them.
  ASSERT_TRUE(ui.click("Ada - good", draw));
  ui.settle(draw);
  const float collapsedGap = ui.rectOf("Cy - unknown")->Min.y - ui.rectOf("Ada - good")->Max.y;
  EXPECT_LT(collapsedGap, emptyGap);
}

TEST_F(StatsFrames, PeersThatLeaveDisappear) {
  healthyCall(stats, "p1");
  healthyCall(stats, "p2");
  ui.settle(draw);
  EXPECT_TRUE(ui.has("Cy - good"));
  snapshot.members.pop_back();
  stats.retain({"p1"});
  ui.settle(draw);
  EXPECT_FALSE(ui.has("Cy - good"));
  EXPECT_TRUE(ui.has("Ada - good"));
}

TEST_F(StatsFrames, ManyMembersStartCollapsed) {
  snapshot.members.clear();
  for (int i = 0; i < 6; ++i) {
    snapshot.members.push_back(member("p" + std::to_string(i), "M" + std::to_string(i)));
    healthyCall(stats, "p" + std::to_string(i));
  }
  ui.settle(draw);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(ui.has("M" + std::to_string(i) + " - good"));
  const float gap = ui.rectOf("M1 - good")->Min.y - ui.rectOf("M0 - good")->Max.y;
  EXPECT_LT(gap, ImGui::GetTextLineHeight()) << "headers stacked, sections closed";
}

TEST_F(StatsFrames, AloneInTheRoom) {
  snapshot.members.clear();
  ui.settle(draw);
  const auto labels = ui.labels();
  EXPECT_TRUE(std::none_of(labels.begin(), labels.end(), [](const std::string& l) {
    return l.find(" - ") != std::string::npos;
  })) << ::testing::PrintToString(labels);
}

}  // namespace
}  // namespace vroom::ui
