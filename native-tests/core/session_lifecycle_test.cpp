// SessionLifecycle as tables: every event in every state (the next state, or refused), and how
// every state reads as the public SessionState and Recovery.
#include "session_lifecycle.hpp"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace vroom {
namespace {

using E = LifecycleEvent;

constexpr std::array kEvents = {E::Begin,    E::SocketOpened,    E::Dropped, E::RetryDue,
                                E::Welcomed, E::WelcomedResumed, E::Waiting, E::Joined,
                                E::Left,     E::Failed};

std::string name(const SessionLifecycle& l) {
  return std::string(toString(l.stage)) + "/" + std::string(toString(l.entry));
}
std::string name(const std::optional<SessionLifecycle>& l) {
  return l ? name(*l) : "-";
}

// One row per state: the state, then what each event in kEvents leads to ("-": refused).
struct Row {
  const char* state;
  std::array<const char*, kEvents.size()> next;
};

// clang-format off
constexpr Row kTable[] = {
  //                 begin            socket_opened   dropped           retry_due        welcomed          welcomed_resumed   waiting           joined          left          failed
  {"idle/first",     {"opening/first", "-",            "-",              "-",             "-",              "-",               "-",              "-",            "-",          "-"}},
  {"left/first",     {"opening/first", "-",            "-",              "-",             "-",              "-",               "-",              "-",            "-",          "-"}},
  {"failed/first",   {"opening/first", "-",            "-",              "-",             "-",              "-",               "-",              "-",            "-",          "-"}},
  {"backoff/first",  {"-",             "-",            "backoff/first",  "opening/first", "-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"backoff/resume", {"-",             "-",            "backoff/resume", "opening/resume","-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"backoff/rejoin", {"-",             "-",            "backoff/rejoin", "opening/rejoin","-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"opening/first",  {"-",             "hello/first",  "backoff/first",  "-",             "-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"opening/resume", {"-",             "hello/resume", "backoff/resume", "-",             "-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"opening/rejoin", {"-",             "hello/rejoin", "backoff/rejoin", "-",             "-",              "-",               "-",              "-",            "left/first", "failed/first"}},
  {"hello/first",    {"-",             "-",            "backoff/first",  "-",             "entering/first", "entering/first",  "-",              "-",            "left/first", "failed/first"}},
  {"hello/resume",   {"-",             "-",            "backoff/resume", "-",             "entering/rejoin","entering/resume", "-",              "-",            "left/first", "failed/first"}},
  {"hello/rejoin",   {"-",             "-",            "backoff/rejoin", "-",             "entering/rejoin","entering/rejoin", "-",              "-",            "left/first", "failed/first"}},
  {"entering/first", {"-",             "-",            "backoff/first",  "-",             "-",              "-",               "waiting/first",  "joined/first", "left/first", "failed/first"}},
  {"entering/resume",{"-",             "-",            "backoff/resume", "-",             "-",              "-",               "waiting/resume", "joined/first", "left/first", "failed/first"}},
  {"entering/rejoin",{"-",             "-",            "backoff/rejoin", "-",             "-",              "-",               "waiting/rejoin", "joined/first", "left/first", "failed/first"}},
  {"waiting/first",  {"-",             "-",            "backoff/first",  "-",             "-",              "-",               "-",              "joined/first", "left/first", "failed/first"}},
  {"waiting/resume", {"-",             "-",            "backoff/resume", "-",             "-",              "-",               "-",              "joined/first", "left/first", "failed/first"}},
  {"waiting/rejoin", {"-",             "-",            "backoff/rejoin", "-",             "-",              "-",               "-",              "joined/first", "left/first", "failed/first"}},
  {"joined/first",   {"-",             "-",            "backoff/resume", "-",             "-",              "-",               "-",              "-",            "left/first", "failed/first"}},
};
// clang-format on

// Every state the session can be in: entries matter only between Backoff and Waiting.
std::vector<SessionLifecycle> allStates() {
  std::vector<SessionLifecycle> out;
  for (const auto& [stage, _] : kStageNames) {
    const bool entered = stage == Stage::Backoff || stage == Stage::Opening ||
                         stage == Stage::Hello || stage == Stage::Entering ||
                         stage == Stage::Waiting;
    if (!entered) {
      out.push_back({stage, Entry::First});
      continue;
    }
    for (const auto& [entry, __] : kEntryNames) out.push_back({stage, entry});
  }
  return out;
}

TEST(SessionLifecycle, EveryEventInEveryStateIsInTheTable) {
  const auto states = allStates();
  ASSERT_EQ(states.size(), std::size(kTable));  // no state left out of the table
  for (const SessionLifecycle& state : states) {
    const Row* row = nullptr;
    for (const Row& r : kTable)
      if (name(state) == r.state) row = &r;
    ASSERT_NE(row, nullptr) << name(state) << " has no row";
    for (std::size_t e = 0; e < kEvents.size(); ++e)
      EXPECT_EQ(name(state.next(kEvents[e])), row->next[e])
          << name(state) << " + " << toString(kEvents[e]);
  }
}

TEST(SessionLifecycle, EveryStateReadsAsOnePublicStateAndRecovery) {
  struct Reading {
    const char* state;
    SessionState shown;
    Recovery recovery, whileRestarting;
    bool socketUp, socketOpen;
  };
  using S = SessionState;
  using R = Recovery;
  // clang-format off
  const Reading readings[] = {
    {"idle/first",      S::Idle,         R::None,               R::None,               false, false},
    {"left/first",      S::Left,         R::None,               R::None,               false, false},
    {"failed/first",    S::Failed,       R::None,               R::None,               false, false},
    {"backoff/first",   S::Connecting,   R::None,               R::None,               false, false},
    {"backoff/resume",  S::Reconnecting, R::SignalingReconnect, R::SignalingReconnect, false, false},
    {"backoff/rejoin",  S::Reconnecting, R::FullRejoin,         R::FullRejoin,         false, false},
    {"opening/first",   S::Connecting,   R::None,               R::None,               false, true},
    {"opening/resume",  S::Reconnecting, R::SignalingReconnect, R::SignalingReconnect, false, true},
    {"opening/rejoin",  S::Reconnecting, R::FullRejoin,         R::FullRejoin,         false, true},
    {"hello/first",     S::Hello,        R::None,               R::None,               true,  true},
    {"hello/resume",    S::Reconnecting, R::SignalingReconnect, R::SignalingReconnect, true,  true},
    {"hello/rejoin",    S::Reconnecting, R::FullRejoin,         R::FullRejoin,         true,  true},
    {"entering/first",  S::Joining,      R::None,               R::None,               true,  true},
    {"entering/resume", S::Reconnecting, R::SignalingReconnect, R::SignalingReconnect, true,  true},
    {"entering/rejoin", S::Reconnecting, R::FullRejoin,         R::FullRejoin,         true,  true},
    {"waiting/first",   S::Waiting,      R::None,               R::None,               true,  true},
    {"waiting/resume",  S::Waiting,      R::SignalingReconnect, R::SignalingReconnect, true,  true},
    {"waiting/rejoin",  S::Waiting,      R::FullRejoin,         R::FullRejoin,         true,  true},
    {"joined/first",    S::Joined,       R::None,               R::IceRestart,         true,  true},
  };
  // clang-format on
  const auto states = allStates();
  ASSERT_EQ(states.size(), std::size(readings));
  for (const SessionLifecycle& state : states) {
    const Reading* reading = nullptr;
    for (const Reading& r : readings)
      if (name(state) == r.state) reading = &r;
    ASSERT_NE(reading, nullptr) << name(state);
    EXPECT_EQ(state.state(), reading->shown) << name(state);
    EXPECT_EQ(state.recovery(false), reading->recovery) << name(state);
    EXPECT_EQ(state.recovery(true), reading->whileRestarting) << name(state);
    EXPECT_EQ(state.socketUp(), reading->socketUp) << name(state);
    EXPECT_EQ(state.socketOpen(), reading->socketOpen) << name(state);
  }
}

// The path the reconnect tests take through the session, as the lifecycle sees it.
TEST(SessionLifecycle, ADropInTheRoomResumesAndAnExpiredSessionRejoins) {
  SessionLifecycle l;
  for (E e : {E::Begin, E::SocketOpened, E::Welcomed, E::Joined}) l = *l.next(e);
  EXPECT_EQ(l.state(), SessionState::Joined);
  l = *l.next(E::Dropped);
  EXPECT_EQ(l.recovery(false), Recovery::SignalingReconnect);
  l = *l.next(E::RetryDue);
  l = *l.next(E::Dropped);  // the next attempt failed too: still a resume
  for (E e : {E::RetryDue, E::SocketOpened}) l = *l.next(e);
  l = *l.next(E::Welcomed);  // not resumed: the server forgot us
  EXPECT_EQ(l.recovery(false), Recovery::FullRejoin);
  l = *l.next(E::Dropped);  // a full rejoin stays one across another drop
  EXPECT_EQ(l.recovery(false), Recovery::FullRejoin);
  for (E e : {E::RetryDue, E::SocketOpened, E::WelcomedResumed, E::Joined}) l = *l.next(e);
  EXPECT_EQ(l, (SessionLifecycle{Stage::Joined, Entry::First}));
}

}  // namespace
}  // namespace vroom
