// Perfect negotiation between two PeerNegotiators over fake peer connections: the happy
// path, glare, candidate queueing, ICE restarts, lost messages, closing, seeded stress.
#include "peer_negotiator.hpp"

#include <deque>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "fake_peer_connection.hpp"

namespace vroom {
namespace {

using fakes::FakeClock;
using fakes::FakePcNetwork;
using fakes::FakePeerConnection;
using fakes::SeededRandom;

// Two negotiators, "alice" (impolite: "alice" < "bob") and "bob", joined by a FIFO wire
// per direction with optional random latency, holding and dropping.
struct Pair {
  explicit Pair(std::uint64_t seed = 1, std::int64_t maxDelayMs = 0)
      : random(seed), net(clock, &random, {maxDelayMs, 10000, 15000}), maxDelay(maxDelayMs) {}

  FakeClock clock;
  SeededRandom random;
  FakePcNetwork net;
  std::int64_t maxDelay;
  NegotiatorConfig config;
  std::unique_ptr<PeerNegotiator> alice, bob;
  FakePeerConnection* alicePc = nullptr;
  FakePeerConnection* bobPc = nullptr;
  std::map<std::string, std::int64_t> lastDue;
  std::map<std::string, bool> hold;
  std::map<std::string, std::deque<SignalPayload>> held;
  std::function<bool(const std::string& to, const SignalPayload&)> drop;
  std::map<std::string, std::vector<RemoteTrack>> tracks;
  std::map<std::string, std::set<std::string>> live;  // remote tracks being received
  std::vector<std::string> log;

  PeerNegotiator::SendSignal sender(const std::string& from, const std::string& to) {
    return [this, from, to](const SignalPayload& payload) {
      log.push_back(from + "->" + to + ":" + encodeSignal(payload).dump());
      if (drop && drop(to, payload)) return;
      if (hold[to]) {
        held[to].push_back(payload);
        return;
      }
      deliverLater(to, payload);
    };
  }
  void deliverLater(const std::string& to, const SignalPayload& payload) {
    std::int64_t delay =
        maxDelay > 0 ? static_cast<std::int64_t>(random.uniform() * (maxDelay + 1)) : 0;
    std::int64_t due = std::max(clock.nowMs() + delay, lastDue[to]);
    lastDue[to] = due;
    clock.setTimeout(due - clock.nowMs(), [this, to, payload] {
      auto& target = to == "alice" ? alice : bob;
      if (target) target->handleSignal(payload);
    });
  }
  void release(const std::string& to) {
    hold[to] = false;
    while (!held[to].empty()) {
      deliverLater(to, held[to].front());
      held[to].pop_front();
    }
  }
  std::unique_ptr<PeerNegotiator> make(const std::string& self, const std::string& peer) {
    auto pc = net.create(self);
    (self == "alice" ? alicePc : bobPc) = pc.get();
    auto n = std::make_unique<PeerNegotiator>(self, peer, std::move(pc), clock, config,
                                              sender(self, peer));
    n->onRemoteTrack([this, self](const RemoteTrack& t) {
      tracks[self].push_back(t);
      live[self].insert(t.trackId);
    });
    n->onRemoteTrackRemoved([this, self](const std::string& id) { live[self].erase(id); });
    return n;
  }
  void makeBoth() {
    alice = make("alice", "bob");
    bob = make("bob", "alice");
  }
  bool bothSettled() const { return alice->settled() && bob->settled(); }
  // Runs until both settle and nothing is due, within `limitMs`.
  bool settle(std::int64_t limitMs = 60000) {
    const auto end = clock.nowMs() + limitMs;
    while (clock.nowMs() <= end) {
      if (bothSettled() && quiet()) return true;
      if (!clock.runOne()) break;
    }
    return bothSettled();
  }
  // Nothing but watchdog-style long timers left.
  bool quiet() const {
    return clock.pendingTimers() == 0 || clock.nextDueMs() > clock.now() + 1000;
  }
};

TEST(PeerNegotiator, PolitenessIsDecidedFromTheIdsAndAgreed) {
  EXPECT_TRUE(PeerNegotiator::isPolite("b", "a"));
  EXPECT_FALSE(PeerNegotiator::isPolite("a", "b"));
  Pair p;
  p.makeBoth();
  EXPECT_FALSE(p.alice->polite());
  EXPECT_TRUE(p.bob->polite());
}

TEST(PeerNegotiator, OffererConnectsAndBothReceiveTracks) {
  Pair p;
  p.makeBoth();
  p.bob->onBeforeAnswer([&] {
    p.bobPc->addTrack("bob-mic", MediaKind::Audio, "bob-stream");
    p.bobPc->addTrack("bob-cam", MediaKind::Video, "bob-stream");
  });
  p.alicePc->addTrack("alice-mic", MediaKind::Audio, "alice-stream");
  p.alicePc->addTrack("alice-cam", MediaKind::Video, "alice-stream");
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(p.alice->state(), LinkState::Connected);
  EXPECT_EQ(p.bob->state(), LinkState::Connected);
  EXPECT_EQ(p.tracks["bob"].size(), 2u);
  EXPECT_EQ(p.tracks["alice"].size(), 2u);
  // The answerer's tracks rode on the offered m-lines: one offer, no second round.
  EXPECT_EQ(p.alicePc->countCalls("setRemoteDescription(answer)"), 1u);
  EXPECT_EQ(p.bobPc->countCalls("setRemoteDescription(offer)"), 1u);
  EXPECT_EQ(p.alicePc->currentLocal()->lines.size(), 2u);
  EXPECT_EQ(p.alice->failedOperations(), 0) << p.alice->lastError();
  EXPECT_EQ(p.bob->failedOperations(), 0) << p.bob->lastError();
}

// Chromium after rolling back its first offer: the connection never gathers a candidate
// again. The negotiator reports it dead once, candidateTimeoutMs after its description.
TEST(PeerNegotiator, AConnectionThatGathersNoCandidateIsReportedDead) {
  Pair p;
  p.makeBoth();
  int aliceDead = 0, bobDead = 0;
  p.alice->onDead([&] { ++aliceDead; });
  p.bob->onDead([&] { ++bobDead; });
  p.bobPc->setGathers(false);
  p.alicePc->addTrack("alice-mic", MediaKind::Audio, "alice-stream");
  p.clock.advance(p.config.candidateTimeoutMs - 1);
  EXPECT_EQ(bobDead, 0);
  EXPECT_NE(p.bob->state(), LinkState::Connected);  // alice has no candidate to reach
  p.clock.advance(2);
  EXPECT_EQ(bobDead, 1);
  EXPECT_TRUE(p.bob->dead());
  p.clock.advance(60000);  // the watchdog's ICE restarts gather nothing either
  EXPECT_GE(bobDead, 2);
  EXPECT_EQ(aliceDead, 0);
  EXPECT_FALSE(p.alice->dead());
}

TEST(PeerNegotiator, GatheringIsWatchedAgainAfterAnIceRestart) {
  Pair p;
  p.makeBoth();
  int bobDead = 0;
  p.bob->onDead([&] { ++bobDead; });
  p.alicePc->addTrack("alice-mic", MediaKind::Audio, "alice-stream");
  ASSERT_TRUE(p.settle());
  p.clock.advance(60000);
  EXPECT_EQ(bobDead, 0);  // a connection that gathered is never reported
  // A healthy restart gathers again: nothing to report.
  p.bob->restartIce();
  ASSERT_TRUE(p.settle());
  p.clock.advance(60000);
  EXPECT_EQ(bobDead, 0);
  // The same restart on a connection that no longer gathers is reported.
  p.bobPc->setGathers(false);
  p.net.setPathBroken("alice", "bob", true);
  p.bob->restartIce();
  p.clock.advance(p.config.candidateTimeoutMs + 100);
  EXPECT_EQ(bobDead, 1);
}

TEST(PeerNegotiator, ANewConnectionAnnouncesItselfUntilAnswered) {
  Pair p;
  p.makeBoth();
  p.bob->announceNewConnection();
  EXPECT_TRUE(p.bob->awaitingNewConnectionAnswer());
  // A plain offer still on its way from alice's old connection is ignored, not applied.
  p.bob->handleSignal(SessionDescription{SdpType::Offer, "from an old connection"});
  EXPECT_EQ(p.bob->ignoredOffers(), 1);
  EXPECT_EQ(p.bobPc->countCalls("setRemoteDescription"), 0u);
  p.hold["alice"] = true;
  p.bobPc->addTrack("bob-mic", MediaKind::Audio, "bob-stream");
  p.clock.runUntilIdle(100);
  ASSERT_FALSE(p.held["alice"].empty());
  EXPECT_TRUE(std::holds_alternative<NewConnectionOffer>(p.held["alice"].front()));
  p.release("alice");
  ASSERT_TRUE(p.settle());
  EXPECT_FALSE(p.bob->awaitingNewConnectionAnswer());
  // Once answered, later offers are plain ones.
  p.hold["alice"] = true;
  p.bob->restartIce();
  p.clock.runUntilIdle(100);
  ASSERT_FALSE(p.held["alice"].empty());
  EXPECT_TRUE(std::holds_alternative<SessionDescription>(p.held["alice"].front()));
  p.release("alice");
  EXPECT_TRUE(p.settle());
}

TEST(PeerNegotiator, RecvOnlyAnswererSendsNothing) {
  Pair p;
  p.makeBoth();
  p.alicePc->addTrack("host-mic", MediaKind::Audio, "host");
  p.alicePc->addTrack("host-cam", MediaKind::Video, "host");
  ASSERT_TRUE(p.settle());
  EXPECT_TRUE(p.bobPc->sendingTracks().empty());
  EXPECT_TRUE(p.tracks["alice"].empty());
  for (const auto& line : p.bobPc->currentLocal()->lines)
    EXPECT_EQ(line.direction, Direction::RecvOnly);
}

TEST(PeerNegotiator, GlareIsResolvedByThePolitePeer) {
  for (int round = 0; round < 2; ++round) {
    Pair p;
    p.makeBoth();
    p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
    p.bobPc->addTrack("b-mic", MediaKind::Audio, "b");
    if (round == 1) {  // make the collision certain: both offers cross on the wire
      p.hold["alice"] = p.hold["bob"] = true;
      p.clock.advance(10);
      ASSERT_EQ(p.alicePc->signalingState(), SignalingState::HaveLocalOffer);
      ASSERT_EQ(p.bobPc->signalingState(), SignalingState::HaveLocalOffer);
      p.release("alice");
      p.release("bob");
      p.clock.runReady();
      EXPECT_EQ(p.alice->ignoredOffers(), 1);  // impolite ignored bob's offer
      EXPECT_EQ(p.bob->ignoredOffers(), 0);
      EXPECT_GE(p.bobPc->countCalls("setRemoteDescription(offer)"), 1u);
    }
    ASSERT_TRUE(p.settle()) << "round " << round;
    EXPECT_EQ(p.tracks["alice"].size(), 1u);
    EXPECT_EQ(p.tracks["bob"].size(), 1u);
  }
}

TEST(PeerNegotiator, AnOfferRightBehindTheAnswerIsNotACollision) {
  Pair p;
  p.makeBoth();
  p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
  p.hold["alice"] = true;
  p.clock.advance(10);  // bob answered; the answer waits on the wire
  ASSERT_EQ(p.alicePc->signalingState(), SignalingState::HaveLocalOffer);
  p.bobPc->addTrack("b-cam", MediaKind::Video, "b");
  p.clock.advance(10);  // ... and bob's own offer is right behind it
  std::vector<SignalPayload> wire(p.held["alice"].begin(), p.held["alice"].end());
  p.held["alice"].clear();
  p.hold["alice"] = false;
  bool sawPending = false;
  for (const auto& s : wire) {
    p.alice->handleSignal(s);  // back to back: the answer is still being applied
    sawPending |= p.alice->answerPending();
  }
  EXPECT_TRUE(sawPending);
  EXPECT_EQ(p.alice->ignoredOffers(), 0);  // impolite, yet this offer is no collision
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(p.tracks["alice"].size(), 1u);
}

TEST(PeerNegotiator, CandidatesBeforeTheRemoteDescriptionAreQueued) {
  Pair p;
  p.makeBoth();
  p.hold["bob"] = true;
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  p.clock.advance(10);
  ASSERT_EQ(p.held["bob"].size(), 3u);  // offer, candidate, end-of-candidates
  // Deliver the candidates first (as if the offer were slow) ...
  auto offer = p.held["bob"].front();
  p.held["bob"].pop_front();
  for (auto& c : p.held["bob"]) p.bob->handleSignal(c);
  p.held["bob"].clear();
  EXPECT_EQ(p.bob->queuedCandidates(), 2u);
  EXPECT_EQ(p.bobPc->countCalls("addIceCandidate"), 0u);
  // ... then the offer: they are applied after it, none fails.
  p.bob->handleSignal(offer);
  p.hold["bob"] = false;
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(p.bob->queuedCandidates(), 0u);
  EXPECT_EQ(p.bobPc->countCalls("addIceCandidate(end)"), 1u);
  EXPECT_EQ(p.bob->failedOperations(), 0) << p.bob->lastError();
}

TEST(PeerNegotiator, CandidatesOfAnIgnoredFirstOfferAreDropped) {
  // The join-time glare as vroom's polite side resolves it: bob's first offer and alice's
  // cross; alice (impolite) ignores bob's; bob answers alice's from a new connection. What
  // bob's first connection trickled after its offer, its end-of-candidates included, belongs
  // to nothing alice applies, and must not reach alice's connection after bob's answer.
  Pair p;
  p.makeBoth();
  p.hold["alice"] = p.hold["bob"] = true;
  p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
  p.bobPc->addTrack("b-mic", MediaKind::Audio, "b");
  p.clock.advance(10);
  ASSERT_EQ(p.held["alice"].size(), 3u);  // bob's offer, candidate, end-of-candidates
  for (auto& s : p.held["alice"]) p.alice->handleSignal(s);
  p.held["alice"].clear();
  p.clock.runReady();
  EXPECT_EQ(p.alice->ignoredOffers(), 1);
  EXPECT_EQ(p.alice->queuedCandidates(), 0u);
  p.bob = p.make("bob", "alice");  // bob's new connection answers alice's offer
  p.release("bob");
  p.release("alice");
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(p.alicePc->countCalls("addIceCandidate(end)"), 1u);  // the new connection's only
  EXPECT_EQ(p.alice->failedOperations(), 0) << p.alice->lastError();
  EXPECT_EQ(p.tracks["bob"].size(), 1u);
}

TEST(PeerNegotiator, FailedIceRestartsAtOnce) {
  Pair p;
  p.makeBoth();
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  p.alicePc->fireIceConnectionState(IceConnectionState::Failed);
  EXPECT_EQ(p.alice->iceRestarts(), 1);
  EXPECT_EQ(p.alicePc->countCalls("restartIce"), 1u);
}

TEST(PeerNegotiator, DisconnectedRestartsAfterTheTimeoutAndRecovers) {
  Pair p;
  p.makeBoth();
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  const int gen = p.alicePc->currentLocal()->iceGen;
  p.net.setPathBroken("alice", "bob", true);
  p.clock.runReady();
  EXPECT_EQ(p.alice->state(), LinkState::Reconnecting);
  p.clock.advance(4999);
  EXPECT_EQ(p.alicePc->countCalls("restartIce"), 0u);
  EXPECT_EQ(p.bobPc->countCalls("restartIce"), 0u);
  p.clock.advance(1);
  EXPECT_EQ(p.alicePc->countCalls("restartIce") + p.bobPc->countCalls("restartIce"), 2u);
  p.net.setPathBroken("alice", "bob", false);
  ASSERT_TRUE(p.settle());
  EXPECT_GT(p.alicePc->currentLocal()->iceGen, gen);
  EXPECT_EQ(p.alice->state(), LinkState::Connected);
}

TEST(PeerNegotiator, DisconnectionShorterThanTheTimeoutNeedsNoRestart) {
  Pair p;
  p.makeBoth();
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  p.net.setPathBroken("alice", "bob", true);
  p.clock.advance(3000);
  p.net.setPathBroken("alice", "bob", false);
  p.clock.advance(10000);
  EXPECT_EQ(p.alice->iceRestarts() + p.bob->iceRestarts(), 0);
  EXPECT_TRUE(p.bothSettled());
}

TEST(PeerNegotiator, TimeoutIsConfigurable) {
  Pair p;
  p.config.iceRestartTimeoutMs = 1000;
  p.makeBoth();
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  p.net.setPathBroken("alice", "bob", true);
  p.clock.advance(1000);
  EXPECT_EQ(p.alice->iceRestarts(), 1);
}

TEST(PeerNegotiator, LostOfferIsRecoveredByTheWatchdog) {
  Pair p;
  p.makeBoth();
  int dropped = 0;
  p.drop = [&](const std::string& to, const SignalPayload& s) {
    const auto* d = std::get_if<SessionDescription>(&s);
    if (to == "bob" && d && d->type == SdpType::Offer && dropped == 0) return ++dropped, true;
    return false;
  };
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  p.clock.advance(9999);
  EXPECT_EQ(p.alicePc->signalingState(), SignalingState::HaveLocalOffer);
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(dropped, 1);
  // The same offer went again (a rollback could strand m-lines the peer applied).
  EXPECT_EQ(p.alicePc->countCalls("rollback"), 0u);
  EXPECT_GE(p.alice->recoveries(), 1);
}

TEST(PeerNegotiator, AnOfferThatNeverGetsThroughIsWithdrawnAfterResends) {
  Pair p;
  p.makeBoth();
  bool deaf = true;
  p.drop = [&](const std::string& to, const SignalPayload& s) {
    return deaf && to == "bob" && std::holds_alternative<SessionDescription>(s);
  };
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  p.clock.advance(20001);  // two watchdog rounds: the same offer is re-sent twice
  EXPECT_EQ(p.alicePc->countCalls("rollback"), 0u);
  EXPECT_EQ(p.alice->recoveries(), 2);
  p.clock.advance(10000);  // the third gives up on it: rollback and a fresh offer
  EXPECT_EQ(p.alicePc->countCalls("rollback"), 1u);
  deaf = false;
  ASSERT_TRUE(p.settle());
}

TEST(PeerNegotiator, LostAnswerIsRecoveredByTheWatchdog) {
  Pair p;
  p.makeBoth();
  int dropped = 0;
  p.drop = [&](const std::string& to, const SignalPayload& s) {
    const auto* d = std::get_if<SessionDescription>(&s);
    if (to == "alice" && d && d->type == SdpType::Answer && dropped == 0) return ++dropped, true;
    return false;
  };
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(dropped, 1);
}

TEST(PeerNegotiator, LostCandidatesAreRecoveredByAnIceRestart) {
  Pair p;
  p.makeBoth();
  int dropped = 0;
  p.drop = [&](const std::string&, const SignalPayload& s) {
    if (std::holds_alternative<CandidatePayload>(s) && dropped < 4) return ++dropped, true;
    return false;
  };
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(dropped, 4);
  EXPECT_GE(p.alice->iceRestarts() + p.bob->iceRestarts(), 1);
}

TEST(PeerNegotiator, BothRenegotiatingAtOnceSettles) {
  Pair p(7, 30);
  p.makeBoth();
  p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
  ASSERT_TRUE(p.settle());
  p.bob->onBeforeAnswer(nullptr);
  p.alicePc->addTrack("a-cam", MediaKind::Video, "a");
  p.bobPc->addTrack("b-cam", MediaKind::Video, "b");
  ASSERT_TRUE(p.settle());
  EXPECT_EQ(p.tracks["bob"].size(), 2u);
  EXPECT_EQ(p.tracks["alice"].size(), 1u);
}

TEST(PeerNegotiator, LateCallbacksAfterCloseAreIgnored) {
  Pair p;
  p.makeBoth();
  p.alicePc->setCompleteAfterClose(true);
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  p.clock.runOne();  // negotiationneeded fired: setLocalDescription is in flight
  ASSERT_TRUE(p.alice->makingOffer());
  p.alice->close();
  const auto sent = p.log.size();
  p.clock.runUntilIdle(1000);
  EXPECT_EQ(p.log.size(), sent);  // the late offer was not sent
  // Events the browser fires late are dropped too.
  p.alicePc->fireNegotiationNeeded();
  p.alicePc->fireIceCandidate(IceCandidate{"candidate:late", "0", 0, ""});
  p.alicePc->fireIceConnectionState(IceConnectionState::Failed);
  EXPECT_EQ(p.log.size(), sent);
  EXPECT_EQ(p.alice->state(), LinkState::Closed);
  EXPECT_EQ(p.alicePc->countCalls("restartIce"), 0u);
}

TEST(PeerNegotiator, DestroyedWithOperationsPendingIsSafe) {
  Pair p(3, 50);
  p.makeBoth();
  p.alicePc->addTrack("mic", MediaKind::Audio, "s");
  p.clock.advance(20);
  p.alice.reset();  // pending timers and pc operations must not touch it
  p.clock.runUntilIdle(60000);
  EXPECT_TRUE(p.bobPc != nullptr);
}

TEST(PeerNegotiator, AudioOnlyNegotiatesNoVideo) {
  Pair p;
  p.makeBoth();
  p.bob->onBeforeAnswer([&] { p.bobPc->addTrack("b-mic", MediaKind::Audio, "b"); });
  p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
  ASSERT_TRUE(p.settle());
  EXPECT_FALSE(p.alicePc->negotiatedKind(MediaKind::Video));
  EXPECT_FALSE(p.bobPc->negotiatedKind(MediaKind::Video));
}

// Random latency, both sides changing tracks and restarting ICE at random moments, lost
// messages now and then: every seed must settle, connected, with both tracks delivered.
TEST(PeerNegotiator, SeededStressSettles) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Pair p(seed, 40);
    std::mt19937_64 rng(seed);
    p.drop = [&](const std::string&, const SignalPayload&) { return rng() % 25 == 0; };
    p.makeBoth();
    p.alicePc->addTrack("a-mic", MediaKind::Audio, "a");
    for (int step = 0; step < 6; ++step) {
      p.clock.advance(static_cast<std::int64_t>(rng() % 60));
      switch (rng() % 5) {
        case 0:
          p.bobPc->addTrack("b-" + std::to_string(step), MediaKind::Audio, "b");
          break;
        case 1:
          p.alicePc->addTrack("a-" + std::to_string(step), MediaKind::Video, "a");
          break;
        case 2:
          p.alice->restartIce();
          break;
        case 3:
          p.bob->restartIce();
          break;
        default:
          break;
      }
    }
    p.drop = nullptr;
    ASSERT_TRUE(p.settle(120000)) << "seed=" << seed << " alice "
                                  << toString(p.alicePc->signalingState()) << " bob "
                                  << toString(p.bobPc->signalingState()) << "\n"
                                  << p.alice->lastError() << "\n"
                                  << p.bob->lastError() << "\n"
                                  << ::testing::PrintToString(p.log);
    auto sending = [](FakePeerConnection* pc) {
      auto v = pc->sendingTracks();
      return std::set<std::string>(v.begin(), v.end());
    };
    EXPECT_EQ(sending(p.alicePc), p.live["bob"]) << "seed=" << seed;
    EXPECT_EQ(sending(p.bobPc), p.live["alice"]) << "seed=" << seed;
  }
}

}  // namespace
}  // namespace vroom
