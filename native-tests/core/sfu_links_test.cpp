// SfuLinks on fake peer connections against a scripted video server (two fake connections per
// client, answering the publisher's offer and offering the subscriber link with its streams):
// one upload, every remote stream on one connection mapped to members by mid, trickle on both
// links, local tracks followed, a new epoch rebuilding both, layers sent only when they change.
#include "sfu_links.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "fake_media_devices.hpp"
#include "fake_peer_connection.hpp"

namespace vroom {
namespace {

using fakes::FakeClock;
using fakes::FakeMediaDevices;
using fakes::FakePcNetwork;
using fakes::FakePeerConnection;
using fakes::FakeSdp;

protocol::PeerInfo info(std::string id) {
  protocol::PeerInfo out;
  out.id = std::move(id);
  return out;
}

// The video server's side of one client, as the server and Janus together behave on the wire:
// the publisher's offer answered, the subscriber link offered with `streams`, candidates of
// both links taken (Janus's own are in its SDP: handed to the client's connection directly).
struct FakeSfu {
  FakeSfu(FakePcNetwork& net) : net(net) {}
  FakePcNetwork& net;
  std::unique_ptr<FakePeerConnection> pub, sub;
  std::vector<protocol::SfuLayer> layers;
  int offersReceived = 0, answersReceived = 0, publisherCandidates = 0, subscriberCandidates = 0;
  int restartsAsked = 0;
  std::vector<std::string> subSenders;

  // The video server's side built again (Janus restarted): nothing of the old one remains.
  void rebuild() {
    pub.reset();
    sub.reset();
    layers.clear();
    subSenders.clear();
    gathered.clear();
    offersReceived = answersReceived = publisherCandidates = subscriberCandidates = 0;
    restartsAsked = 0;
  }

  // Janus hung up one link: its connection there is gone (the next offer makes a new one).
  void hangUp(protocol::SfuLink link) {
    if (link == protocol::SfuLink::Publisher) {
      pub.reset();
    } else {
      sub.reset();
      subSenders.clear();
    }
  }

  // Janus's candidates reach the client's connection that wrote `clientSdp` (in reality they
  // are in Janus's SDP): those gathered before it was known, then each as it comes.
  void wireCandidates(FakePeerConnection& ours, const std::string& clientSdp) {
    const auto parsed = FakeSdp::parse(clientSdp);
    ASSERT_TRUE(parsed);
    auto& held = gathered[&ours];
    const std::uint64_t client = parsed->pc;
    auto deliver = [this, client](const std::optional<IceCandidate>& c) {
      if (FakePeerConnection* pc = net.find(client)) pc->addIceCandidate(c, [](auto) {});
    };
    for (const auto& c : held) deliver(c);
    held.clear();
    ours.onIceCandidate(deliver);
  }
  // Holds Janus's candidates until the client's connection is known.
  void holdCandidates(FakePeerConnection& ours) {
    ours.onIceCandidate(
        [this, pc = &ours](const std::optional<IceCandidate>& c) { gathered[pc].push_back(c); });
  }
  std::map<const FakePeerConnection*, std::vector<std::optional<IceCandidate>>> gathered;

  // One message from the client; `reply` carries what the server sends back.
  void receive(const protocol::Message& m, const std::function<void(protocol::Message)>& reply) {
    if (const auto* offer = std::get_if<protocol::SfuOffer>(&m)) {
      ++offersReceived;
      if (!pub) pub = net.create("janus");
      wireCandidates(*pub, offer->sdp);
      pub->setRemoteDescription(SessionDescription{SdpType::Offer, offer->sdp}, [](auto) {});
      pub->setLocalDescription([reply](Result<SessionDescription, PeerError> answer) {
        ASSERT_TRUE(answer);
        reply(protocol::SfuAnswer{answer.value().sdp});
      });
    } else if (const auto* answer = std::get_if<protocol::SfuAnswer>(&m)) {
      ++answersReceived;
      wireCandidates(*sub, answer->sdp);
      sub->setRemoteDescription(SessionDescription{SdpType::Answer, answer->sdp}, [](auto) {});
    } else if (const auto* candidate = std::get_if<protocol::SfuCandidate>(&m)) {
      const bool up = candidate->link == protocol::SfuLink::Publisher;
      (up ? publisherCandidates : subscriberCandidates)++;
      FakePeerConnection* pc = up ? pub.get() : sub.get();
      ASSERT_NE(pc, nullptr) << "a candidate for a link the server has not set up";
      std::optional<IceCandidate> ice;
      if (!candidate->candidate.empty())
        ice = IceCandidate{candidate->candidate, candidate->sdpMid,
                           static_cast<int>(candidate->sdpMLineIndex), ""};
      pc->addIceCandidate(ice, [](auto) {});
    } else if (const auto* layer = std::get_if<protocol::SfuLayer>(&m)) {
      layers.push_back(*layer);
    } else if (std::holds_alternative<protocol::SfuRestart>(m)) {
      // Janus restarts ICE on the subscriber handle and offers the same streams again.
      ++restartsAsked;
      ASSERT_NE(sub, nullptr) << "sfu-restart before the subscriber link was offered";
      sub->restartIce();
      offerStreams({}, reply);
    } else {
      ADD_FAILURE() << "unexpected message " << typeName(m);
    }
  }

  // Offers the subscriber link carrying each publisher's camera and microphone; the streams
  // list names the mids the offer gave them.
  void offerStreams(const std::vector<std::string>& publishers,
                    const std::function<void(protocol::Message)>& reply) {
    if (!sub) {
      sub = net.create("janus");
      holdCandidates(*sub);
    }
    for (const auto& peer : publishers) {
      if (std::find(subSenders.begin(), subSenders.end(), peer) != subSenders.end()) continue;
      subSenders.push_back(peer);
      ASSERT_TRUE(sub->addTrack(peer + "-mic", MediaKind::Audio, "janus"));
      ASSERT_TRUE(sub->addTrack(peer + "-cam", MediaKind::Video, "janus"));
    }
    sub->setLocalDescription([this, reply](Result<SessionDescription, PeerError> offer) {
      ASSERT_TRUE(offer);
      const auto parsed = FakeSdp::parse(offer.value().sdp);
      ASSERT_TRUE(parsed);
      protocol::SfuOffer out{offer.value().sdp, {}};
      for (const auto& line : parsed->lines) {
        const std::string peer = line.trackId.substr(0, line.trackId.find('-'));
        out.streams.push_back({line.mid, peer, std::string(toString(line.kind))});
      }
      reply(out);
    });
  }
};

// One client: its local tracks, its SFU links, the server's side of it.
struct Client {
  Client(std::string id, FakeClock& clock, FakePcNetwork& net) : id(id), sfu(net) {
    local.adopt(LocalMedia{id + "-stream", id + "-mic", id + "-cam"});
    links = std::make_unique<SfuLinks>(
        clock, net.factory(id), NegotiatorConfig{}, local,
        PeerLinkEvents{[this](const protocol::Message& m) { outbox.push_back(m); },
                       [this] { ++changes; },
                       [this](SessionError e) { errors.push_back(e.code); }});
    links->setSelf(LinkSelf{id, true, false});
  }
  std::string id;
  FakeMediaDevices media;
  LocalMediaState local{media};
  std::unique_ptr<SfuLinks> links;
  std::deque<protocol::Message> outbox;
  std::deque<protocol::Message> inbox;  // from the server, delivered by run()
  int changes = 0;
  std::vector<SessionErrorCode> errors;
  FakeSfu sfu;

  std::function<void(protocol::Message)> reply() {
    return [this](protocol::Message m) { inbox.push_back(std::move(m)); };
  }
  FakePeerConnection* publisherPc() const {
    return links->publisher()
               ? const_cast<FakePeerConnection*>(
                     static_cast<const FakePeerConnection*>(&links->publisher()->pc()))
               : nullptr;
  }
};

struct Room {
  FakeClock clock;
  FakePcNetwork net{clock};
  Client a{"a", clock, net};

  void relay() {
    for (;;) {
      bool moved = false;
      while (!a.outbox.empty()) {
        a.sfu.receive(a.outbox.front(), a.reply());
        a.outbox.pop_front();
        moved = true;
      }
      while (!a.inbox.empty()) {
        a.links->handleSfu(a.inbox.front());
        a.inbox.pop_front();
        moved = true;
      }
      if (!moved) return;
    }
  }
  void run(std::int64_t ms) {
    const std::int64_t end = clock.now() + ms;
    for (;;) {
      relay();
      if (clock.pendingTimers() == 0 || clock.nextDueMs() > end) break;
      clock.runOne();
    }
  }
  // a is in a room of a, b, c that moved to the SFU; b and c publish.
  void enter(std::int64_t epoch = 1) {
    a.links->addMember(info("b"), true);
    a.links->addMember(info("c"), false);
    a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, true, epoch});
    run(2000);
    a.sfu.offerStreams({"b", "c"}, a.reply());
    run(2000);
  }
};

std::vector<std::string> trackIds(const std::vector<RemoteTrack>& tracks) {
  std::vector<std::string> out;
  for (const auto& t : tracks) out.push_back(t.trackId);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SfuLinks, OnePublisherAndOneSubscriberConnectionCarryEveryMembersMedia) {
  Room r;
  r.enter();
  EXPECT_TRUE(r.a.errors.empty());
  EXPECT_EQ(r.a.links->connectionCount(), 2u);
  EXPECT_EQ(r.net.createdFor("a"), 2);  // two connections, whatever the number of members
  EXPECT_EQ(r.a.sfu.offersReceived, 1);
  EXPECT_EQ(r.a.sfu.answersReceived, 1);
  // Trickle on both links, each tagged with its link.
  EXPECT_GT(r.a.sfu.publisherCandidates, 0);
  EXPECT_GT(r.a.sfu.subscriberCandidates, 0);
  ASSERT_TRUE(r.a.links->publisher()->settled());
  ASSERT_TRUE(r.a.links->subscriber()->settled());
  // One upload: the publisher sends our microphone and camera, receives nothing.
  auto sending = r.a.publisherPc()->sendingTracks();
  std::sort(sending.begin(), sending.end());
  EXPECT_EQ(sending, (std::vector<std::string>{"a-cam", "a-mic"}));
  // The camera goes up in three simulcast layers, highest first (Janus's rid order), for the
  // video server to forward each viewer the one its tile needs; the microphone in one.
  const auto video = r.a.publisherPc()->sendEncodings(MediaKind::Video);
  ASSERT_EQ(video.size(), 1u);
  ASSERT_EQ(video[0].size(), 3u);
  EXPECT_EQ(video[0][0].rid, "h");
  EXPECT_EQ(video[0][0].scaleResolutionDownBy, 1);
  EXPECT_EQ(video[0][1].rid, "m");
  EXPECT_EQ(video[0][1].scaleResolutionDownBy, 2);
  EXPECT_EQ(video[0][2].rid, "l");
  EXPECT_EQ(video[0][2].scaleResolutionDownBy, 4);
  EXPECT_GT(video[0][0].maxBitrate, video[0][1].maxBitrate);
  EXPECT_GT(video[0][1].maxBitrate, video[0][2].maxBitrate);
  EXPECT_EQ(r.a.publisherPc()->sendEncodings(MediaKind::Audio),
            (std::vector<std::vector<SendEncoding>>{{}}));
  // The subscriber link's tracks all share one stream id ("janus"): only the mids tell whose.
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("c")), (std::vector<std::string>{"c-cam", "c-mic"}));
  EXPECT_EQ(r.a.links->state("b"), LinkState::Connected);
  EXPECT_EQ(r.a.links->state("c"), LinkState::Connected);
  EXPECT_EQ(r.a.links->negotiatorFor("b"), r.a.links->subscriber());
  EXPECT_EQ(r.a.links->negotiatorFor("c"), r.a.links->subscriber());
  // Each member's mids there, which its stats are taken from (each of its tracks came on one).
  for (const std::string member : {"b", "c"}) {
    std::vector<std::string> mids;
    for (const RemoteTrack& track : r.a.links->remoteTracks(member)) mids.push_back(track.mid);
    std::vector<std::string> named = r.a.links->midsOf(member);
    std::sort(mids.begin(), mids.end());
    std::sort(named.begin(), named.end());
    EXPECT_EQ(named.size(), 2u);
    EXPECT_EQ(named, mids) << member;
    for (const std::string& mid : named) EXPECT_EQ(r.a.links->memberOf(mid), member);
  }
  EXPECT_TRUE(r.a.links->midsOf("stranger").empty());
  EXPECT_FALSE(r.a.links->restarting());
  EXPECT_TRUE(r.a.links->remoteTracks("stranger").empty());
}

TEST(SfuLinks, ANewPublisherRenegotiatesTheSameSubscriberConnection) {
  Room r;
  r.enter();
  const PeerNegotiator* subscriber = r.a.links->subscriber();
  r.a.links->addMember(info("d"), false);
  EXPECT_EQ(r.a.links->state("d"), LinkState::Connecting);  // not carried yet
  r.a.sfu.offerStreams({"b", "c", "d"}, r.a.reply());
  r.run(2000);
  EXPECT_EQ(r.a.links->subscriber(), subscriber);
  EXPECT_EQ(r.a.sfu.answersReceived, 2);
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("d")), (std::vector<std::string>{"d-cam", "d-mic"}));
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
  EXPECT_EQ(r.a.links->state("d"), LinkState::Connected);
  // A member who left is no one's tile any more, before the server's next offer drops it.
  r.a.links->removeMember("c");
  EXPECT_TRUE(r.a.links->remoteTracks("c").empty());
}

// The path to the video server breaks and comes back: the publisher link restarts ICE with an
// offer of its own, the subscriber link asks the server (sfu-restart) and answers its offer;
// both connections are the same ones afterwards, with new ICE credentials, and carry media.
TEST(SfuLinks, ALostPathRestartsBothLinksOnTheSameConnections) {
  Room r;
  r.enter();
  ASSERT_EQ(r.a.links->state("b"), LinkState::Connected);
  const PeerNegotiator* publisher = r.a.links->publisher();
  const PeerNegotiator* subscriber = r.a.links->subscriber();
  ASSERT_NE(publisher, nullptr);
  ASSERT_NE(subscriber, nullptr);
  const int subscriberIceGen =
      static_cast<const FakePeerConnection&>(subscriber->pc()).localIceGen();

  r.net.setPathBroken("a", "janus", true);
  r.run(20000);
  EXPECT_NE(r.a.links->state("b"), LinkState::Connected);
  EXPECT_GE(r.a.sfu.restartsAsked, 1);
  EXPECT_GE(r.a.sfu.offersReceived, 2);  // the publisher's first offer and its restart

  r.net.setPathBroken("a", "janus", false);
  r.run(30000);
  EXPECT_EQ(r.a.links->publisher(), publisher);
  EXPECT_EQ(r.a.links->subscriber(), subscriber);
  EXPECT_EQ(r.a.links->state("b"), LinkState::Connected);
  EXPECT_EQ(r.a.links->state("c"), LinkState::Connected);
  EXPECT_EQ(publisher->pc().iceConnectionState(), IceConnectionState::Connected);
  EXPECT_EQ(subscriber->pc().iceConnectionState(), IceConnectionState::Connected);
  const auto& subscriberPc = static_cast<const FakePeerConnection&>(subscriber->pc());
  EXPECT_GT(subscriberPc.localIceGen(), subscriberIceGen);  // new credentials, from the offer
  // The subscriber never offered: its connection was never asked to restart by itself.
  EXPECT_EQ(subscriberPc.countCalls("restartIce"), 0u);
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
  EXPECT_TRUE(r.a.errors.empty());
}

TEST(SfuLinks, LocalTrackChangesSwapThePublishersSendersWithoutANewOffer) {
  Room r;
  r.enter();
  FakePeerConnection* pc = r.a.publisherPc();
  r.a.local.adopt(LocalMedia{"a-stream-2", "", "a-cam-2"});
  r.a.links->localTracksChanged();
  r.run(2000);
  EXPECT_EQ(r.a.publisherPc(), pc);
  const auto sending = pc->sendingTracks();
  EXPECT_NE(std::find(sending.begin(), sending.end(), "a-cam-2"), sending.end());
  EXPECT_EQ(std::find(sending.begin(), sending.end(), "a-cam"), sending.end());
  EXPECT_EQ(r.a.sfu.offersReceived, 1);
}

TEST(SfuLinks, ANewEpochDropsBothLinksAndPublishesAgainWhileTheSameEpochKeepsThem) {
  Room r;
  r.enter(1);
  const PeerNegotiator* publisher = r.a.links->publisher();
  // After a resume the server repeats the media path: nothing is rebuilt.
  r.a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, true, 1});
  r.run(1000);
  EXPECT_EQ(r.a.links->publisher(), publisher);
  EXPECT_EQ(r.a.sfu.offersReceived, 1);
  // The video server was rebuilt (Janus restarted): a fresh server side, epoch 2.
  r.a.sfu.rebuild();
  r.a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, true, 2});
  EXPECT_EQ(r.a.links->subscriber(), nullptr);
  EXPECT_TRUE(r.a.links->remoteTracks("b").empty());
  r.run(2000);
  EXPECT_EQ(r.a.sfu.offersReceived, 1);  // republished
  r.a.sfu.offerStreams({"b", "c"}, r.a.reply());
  r.run(2000);
  EXPECT_EQ(r.a.links->epoch(), 2);
  EXPECT_EQ(r.net.createdFor("a"), 4);
  ASSERT_TRUE(r.a.links->publisher()->settled());
  ASSERT_TRUE(r.a.links->subscriber()->settled());
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
}

TEST(SfuLinks, AViewerOnlySubscribes) {
  Room r;
  r.a.links->setSelf(LinkSelf{"a", false, false});
  r.a.links->addMember(info("b"), false);
  r.a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, false, 1});
  r.run(1000);
  EXPECT_EQ(r.a.links->publisher(), nullptr);
  EXPECT_EQ(r.a.sfu.offersReceived, 0);
  r.a.sfu.offerStreams({"b"}, r.a.reply());
  r.run(2000);
  EXPECT_EQ(r.a.links->connectionCount(), 1u);
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
}

TEST(SfuLinks, LayersAreSentWhenNewOrChangedAndOnlyForCarriedVideo) {
  Room r;
  r.enter();
  // The first ask goes out, High too: the server counts a page that has not asked as Low.
  r.a.links->setLayer("b", protocol::Layer::High);
  r.a.links->setLayer("b", protocol::Layer::High);
  r.run(100);
  ASSERT_EQ(r.a.sfu.layers.size(), 1u);
  EXPECT_EQ(r.a.sfu.layers[0], (protocol::SfuLayer{"b", protocol::Layer::High}));
  r.a.links->setLayer("b", protocol::Layer::Low);
  r.a.links->setLayer("b", protocol::Layer::Low);
  r.a.links->setLayer("c", protocol::Layer::Off);
  r.a.links->setLayer("stranger", protocol::Layer::Low);  // not a member: nothing to ask
  r.run(100);
  ASSERT_EQ(r.a.sfu.layers.size(), 3u);
  EXPECT_EQ(r.a.sfu.layers[1], (protocol::SfuLayer{"b", protocol::Layer::Low}));
  EXPECT_EQ(r.a.sfu.layers[2], (protocol::SfuLayer{"c", protocol::Layer::Off}));
  EXPECT_EQ(r.a.links->layer("b"), protocol::Layer::Low);
  r.a.links->setLayer("b", protocol::Layer::High);
  r.run(100);
  ASSERT_EQ(r.a.sfu.layers.size(), 4u);
  EXPECT_EQ(r.a.sfu.layers[3], (protocol::SfuLayer{"b", protocol::Layer::High}));
}

// sfu-send-layer: the camera's encodings above the highest layer anyone watches are turned
// off on the sender, without renegotiating; a new upload starts with the lowest only.
TEST(SfuLinks, TheCameraEncodesOnlyTheLayersSomeoneWatches) {
  Room r;
  r.enter();
  auto active = [&] {
    std::string out;
    const auto senders = r.a.publisherPc()->sendEncodings(MediaKind::Video);
    for (const auto& e : senders.at(0))
      if (e.active) out += e.rid;
    return out;
  };
  EXPECT_EQ(r.a.links->sendLayer(), protocol::Layer::Low);
  EXPECT_EQ(active(), "l");
  const auto offers = r.a.sfu.offersReceived;
  r.a.links->handleSfu(protocol::SfuSendLayer{protocol::Layer::High});
  r.run(100);
  EXPECT_EQ(active(), "hml");
  r.a.links->handleSfu(protocol::SfuSendLayer{protocol::Layer::Medium});
  r.run(100);
  EXPECT_EQ(active(), "ml");
  // Off (no one shows it) keeps the lowest layer, and says nothing new to the sender.
  const auto calls = r.a.publisherPc()->countCalls("setEncodingsActive");
  r.a.links->handleSfu(protocol::SfuSendLayer{protocol::Layer::Low});
  r.a.links->handleSfu(protocol::SfuSendLayer{protocol::Layer::Off});
  r.run(100);
  EXPECT_EQ(active(), "l");
  EXPECT_EQ(r.a.publisherPc()->countCalls("setEncodingsActive"), calls + 1);
  EXPECT_EQ(r.a.sfu.offersReceived, offers) << "layers change without a new offer";
  // A new epoch: a new upload, from the lowest layer again.
  r.a.links->handleSfu(protocol::SfuSendLayer{protocol::Layer::High});
  r.a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, true, 2});
  r.run(1000);
  EXPECT_EQ(r.a.links->sendLayer(), protocol::Layer::Low);
  EXPECT_EQ(active(), "l");
}

// sfu-hangup: the video server's side of one link is gone (its ICE failed there). An ICE
// restart would meet a new ICE agent waiting for a DTLS handshake that an established
// connection never makes again: the client makes that one connection anew, nothing else.
TEST(SfuLinks, AConnectionTheVideoServerHungUpIsMadeAnewAndTheOtherKept) {
  Room r;
  r.enter();
  const PeerNegotiator* subscriber = r.a.links->subscriber();
  const int created = r.net.createdFor("a");
  r.a.sfu.hangUp(protocol::SfuLink::Publisher);
  r.a.links->handleSfu(protocol::SfuHangup{protocol::SfuLink::Publisher});
  r.run(2000);
  EXPECT_EQ(r.net.createdFor("a"), created + 1);
  EXPECT_EQ(r.a.sfu.offersReceived, 2);  // the new connection's offer publishes again
  ASSERT_NE(r.a.links->publisher(), nullptr);
  EXPECT_TRUE(r.a.links->publisher()->settled());
  auto sending = r.a.publisherPc()->sendingTracks();
  std::sort(sending.begin(), sending.end());
  EXPECT_EQ(sending, (std::vector<std::string>{"a-cam", "a-mic"}));
  EXPECT_EQ(r.a.links->subscriber(), subscriber);
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));

  r.a.sfu.hangUp(protocol::SfuLink::Subscriber);
  r.a.links->handleSfu(protocol::SfuHangup{protocol::SfuLink::Subscriber});
  EXPECT_EQ(r.a.links->subscriber(), nullptr);
  EXPECT_TRUE(r.a.links->remoteTracks("b").empty());
  EXPECT_EQ(r.a.links->state("b"), LinkState::Connecting);
  r.a.sfu.offerStreams({"b", "c"}, r.a.reply());  // the server's new subscription
  r.run(2000);
  EXPECT_EQ(r.net.createdFor("a"), created + 2);
  ASSERT_NE(r.a.links->subscriber(), nullptr);
  EXPECT_TRUE(r.a.links->subscriber()->settled());
  EXPECT_EQ(trackIds(r.a.links->remoteTracks("b")), (std::vector<std::string>{"b-cam", "b-mic"}));
  EXPECT_EQ(r.a.links->state("b"), LinkState::Connected);
  EXPECT_EQ(r.a.links->connectionCount(), 2u);
}

TEST(SfuLinks, ARefusedConnectionIsReportedAndClearClosesBoth) {
  Room r;
  r.net.failNextCreate();
  r.a.links->setMediaPath(protocol::MediaPath{protocol::MediaPathKind::Sfu, true, 1});
  ASSERT_EQ(r.a.errors.size(), 1u);
  EXPECT_EQ(r.a.errors[0], SessionErrorCode::PeerConnectionUnavailable);

  Room s;
  s.enter();
  s.a.links->clear();
  EXPECT_EQ(s.a.links->connectionCount(), 0u);
  EXPECT_TRUE(s.net.openOwnedBy("a").empty());
  EXPECT_TRUE(s.a.links->remoteTracks("b").empty());
}

}  // namespace
}  // namespace vroom
