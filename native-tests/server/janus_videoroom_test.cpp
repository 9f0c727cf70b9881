// VideoRoom operations against a real Janus (one per test suite, on a free loopback port):
// private rooms with secret, pin and admin key; publishers joining and publishing an offer;
// the events others receive; subscriptions refused for feeds that do not publish in the room.
// Signaling level: no test here brings a PeerConnection up (no ICE or media yet).
#include "janus_videoroom.hpp"

#include <gtest/gtest.h>

#include "janus_process.hpp"
#include "janus_test_support.hpp"

namespace vroom::server::janus {
namespace {

using testing::await;
using testing::JanusProcess;
using testing::RecordingClient;
using testing::runUntil;
using namespace std::chrono_literals;

// A browser-shaped offer (audio opus + video VP8, bundled, DTLS, sendonly) as a publisher's
// RTCPeerConnection would make it before any candidate is gathered.
const char* const kOffer =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "a=msid-semantic: WMS vroom\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:vR0m\r\n"
    "a=ice-pwd:vroomvroomvroomvroomvroo\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:"
    "5E:E6:BC\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=sendonly\r\n"
    "a=msid:vroom audio0\r\n"
    "a=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "a=ssrc:1001 cname:vroom\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:vR0m\r\n"
    "a=ice-pwd:vroomvroomvroomvroomvroo\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:"
    "5E:E6:BC\r\n"
    "a=setup:actpass\r\n"
    "a=mid:1\r\n"
    "a=sendonly\r\n"
    "a=msid:vroom video0\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=ssrc:2002 cname:vroom\r\n";

class JanusVideoRoomTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    janus_ = new JanusProcess();
    ASSERT_TRUE(janus_->start()) << janus_->log();
  }
  static void TearDownTestSuite() {
    delete janus_;
    janus_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(janus_, nullptr);
    ASSERT_TRUE(janus_->running());
    JanusClientConfig config;
    config.url = janus_->url();
    config.apiSecret = JanusProcess::kSecret;
    config.requestTimeout = 5s;
    rec_ = std::make_unique<RecordingClient>(io_, config);
    rec_->client->start();
    ASSERT_TRUE(rec_->waitForSession());
    room_ = std::make_unique<VideoRoom>(rec_->client, JanusProcess::kSecret);
  }
  void TearDown() override {
    room_.reset();
    rec_.reset();
  }

  RoomKeys createRoom() {
    const auto created =
        await<RoomKeys>(io_, [&](auto done) { room_->createRoom(RoomSettings{}, done); });
    EXPECT_TRUE(created && created->ok()) << (created ? created->error().reason : "no reply");
    return created && created->ok() ? created->value() : RoomKeys{};
  }
  std::uint64_t attach() {
    const auto handle = await<std::uint64_t>(io_, [&](auto done) { room_->attach(done); });
    EXPECT_TRUE(handle && handle->ok());
    return handle && handle->ok() ? handle->value() : 0;
  }
  std::vector<RoomEvent> eventsOf(std::uint64_t handle, RoomEvent::Kind kind) {
    std::vector<RoomEvent> out;
    for (const auto& in : rec_->events) {
      RoomEvent event = toRoomEvent(in);
      if (event.handle == handle && event.kind == kind) out.push_back(std::move(event));
    }
    return out;
  }

  static JanusProcess* janus_;
  boost::asio::io_context io_;
  std::unique_ptr<RecordingClient> rec_;
  std::unique_ptr<VideoRoom> room_;
};

JanusProcess* JanusVideoRoomTest::janus_ = nullptr;

TEST_F(JanusVideoRoomTest, CreatesAPrivateRoomAndDestroysItWithItsSecret) {
  const RoomKeys keys = createRoom();
  ASSERT_NE(keys.room, 0u);
  EXPECT_LT(keys.room, 1ull << 53);
  EXPECT_EQ(keys.secret.size(), 32u);
  EXPECT_EQ(keys.pin.size(), 32u);
  EXPECT_NE(keys.secret, keys.pin);

  const auto exists = await<bool>(io_, [&](auto done) { room_->roomExists(keys.room, done); });
  ASSERT_TRUE(exists && exists->ok());
  EXPECT_TRUE(exists->value());

  // Private: Janus's room list does not show it.
  const auto handle = attach();
  const auto list = await<Incoming>(io_, [&](auto done) {
    rec_->client->message(handle, Json{{"request", "list"}}, std::nullopt, done);
  });
  ASSERT_TRUE(list && list->ok());
  const Json* rooms = getArray(list->value().pluginData, "list");
  ASSERT_NE(rooms, nullptr);
  for (const Json& entry : *rooms) EXPECT_NE(getU64(entry, "room"), keys.room);

  const auto participants = await<std::vector<Publisher>>(
      io_, [&](auto done) { room_->listParticipants(keys.room, done); });
  ASSERT_TRUE(participants && participants->ok());
  EXPECT_TRUE(participants->value().empty());

  RoomKeys wrong = keys;
  wrong.secret = "guess";
  const auto refused = await<Done>(io_, [&](auto done) { room_->destroyRoom(wrong, done); });
  ASSERT_TRUE(refused && !refused->ok());
  EXPECT_EQ(refused->error().code, ErrorCode::Plugin);
  EXPECT_EQ(refused->error().janusCode, kUnauthorized);

  const auto destroyed = await<Done>(io_, [&](auto done) { room_->destroyRoom(keys, done); });
  ASSERT_TRUE(destroyed);
  EXPECT_TRUE(destroyed->ok()) << destroyed->error().reason;
  const auto gone = await<bool>(io_, [&](auto done) { room_->roomExists(keys.room, done); });
  ASSERT_TRUE(gone && gone->ok());
  EXPECT_FALSE(gone->value());

  const auto again = await<Done>(io_, [&](auto done) { room_->destroyRoom(keys, done); });
  ASSERT_TRUE(again && !again->ok());
  EXPECT_EQ(again->error().janusCode, kNoSuchRoom);
}

TEST_F(JanusVideoRoomTest, CreatingARoomNeedsTheAdminKey) {
  VideoRoom intruder(rec_->client, "not-the-admin-key");
  const auto refused =
      await<RoomKeys>(io_, [&](auto done) { intruder.createRoom(RoomSettings{}, done); });
  ASSERT_TRUE(refused && !refused->ok());
  EXPECT_EQ(refused->error().code, ErrorCode::Plugin);
  EXPECT_EQ(refused->error().janusCode, kUnauthorized);
}

TEST_F(JanusVideoRoomTest, JoiningNeedsThePinAndAnExistingRoom) {
  const RoomKeys keys = createRoom();
  const auto handle = attach();
  RoomKeys wrongPin = keys;
  wrongPin.pin = "0000";
  const auto refused = await<PublisherJoined>(
      io_, [&](auto done) { room_->joinAsPublisher(handle, wrongPin, "Mallory", done); });
  ASSERT_TRUE(refused && !refused->ok());
  EXPECT_EQ(refused->error().janusCode, kUnauthorized);

  RoomKeys noRoom = keys;
  noRoom.room = keys.room + 1;
  const auto missing = await<PublisherJoined>(
      io_, [&](auto done) { room_->joinAsPublisher(handle, noRoom, "Mallory", done); });
  ASSERT_TRUE(missing && !missing->ok());
  EXPECT_EQ(missing->error().janusCode, kNoSuchRoom);

  const auto subscriber = await<Subscription>(io_, [&](auto done) {
    room_->subscribe(handle, wrongPin, 0, {StreamRef{1, ""}}, done);
  });
  ASSERT_TRUE(subscriber && !subscriber->ok());
  EXPECT_EQ(subscriber->error().janusCode, kUnauthorized);
  await<Done>(io_, [&](auto done) { room_->destroyRoom(keys, done); });
}

TEST_F(JanusVideoRoomTest, PublisherJoinsPublishesAnOfferAndOthersHearOfIt) {
  const RoomKeys keys = createRoom();
  const auto alice = attach();
  const auto bob = attach();
  const auto joined = await<PublisherJoined>(
      io_, [&](auto done) { room_->joinAsPublisher(alice, keys, "Alice", done); });
  ASSERT_TRUE(joined && joined->ok()) << joined->error().reason;
  EXPECT_NE(joined->value().feed, 0u);
  EXPECT_NE(joined->value().privateId, 0u);
  EXPECT_TRUE(joined->value().publishers.empty());

  const auto answer = await<Jsep>(io_, [&](auto done) {
    room_->publish(alice, Jsep{"offer", kOffer}, {{"0", "microphone"}, {"1", "camera"}}, done);
  });
  ASSERT_TRUE(answer && answer->ok()) << answer->error().reason;
  EXPECT_EQ(answer->value().type, "answer");
  EXPECT_NE(answer->value().sdp.find("m=audio"), std::string::npos);
  EXPECT_NE(answer->value().sdp.find("m=video"), std::string::npos);
  EXPECT_NE(answer->value().sdp.find("a=recvonly"), std::string::npos);
  EXPECT_NE(answer->value().sdp.find("VP8"), std::string::npos);

  // A second publisher: Alice hears that Bob joined (notify_joining).
  const auto bobJoined = await<PublisherJoined>(
      io_, [&](auto done) { room_->joinAsPublisher(bob, keys, "Bob", done); });
  ASSERT_TRUE(bobJoined && bobJoined->ok());
  ASSERT_TRUE(runUntil(
      io_, [&] { return !eventsOf(alice, RoomEvent::Kind::Joining).empty(); }, 3s));
  const auto joining = eventsOf(alice, RoomEvent::Kind::Joining).front();
  EXPECT_EQ(joining.feed, bobJoined->value().feed);
  EXPECT_EQ(joining.display, "Bob");
  EXPECT_EQ(joining.room, keys.room);

  // A second offer on the same handle renegotiates (what ICE restarts will use).
  const auto twice = await<Jsep>(io_, [&](auto done) {
    room_->publish(alice, Jsep{"offer", kOffer}, {}, done);
  });
  ASSERT_TRUE(twice && twice->ok()) << twice->error().reason;
  EXPECT_EQ(twice->value().type, "answer");
  // Janus counts a feed as published once its PeerConnection is up, which no test here does.
  const auto unpublished = await<Done>(io_, [&](auto done) { room_->unpublish(alice, done); });
  ASSERT_TRUE(unpublished && !unpublished->ok());
  EXPECT_EQ(unpublished->error().janusCode, kNotPublished);
  const auto left = await<Done>(io_, [&](auto done) { room_->leave(bob, done); });
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->ok()) << left->error().reason;
  ASSERT_TRUE(runUntil(
      io_, [&] { return !eventsOf(alice, RoomEvent::Kind::PublisherLeft).empty(); }, 3s));
  EXPECT_EQ(eventsOf(alice, RoomEvent::Kind::PublisherLeft).front().feed, bobJoined->value().feed);

  const auto destroyed = await<Done>(io_, [&](auto done) { room_->destroyRoom(keys, done); });
  ASSERT_TRUE(destroyed && destroyed->ok());
  ASSERT_TRUE(runUntil(
      io_, [&] { return !eventsOf(alice, RoomEvent::Kind::RoomDestroyed).empty(); }, 3s));
}

TEST_F(JanusVideoRoomTest, NoSubscriptionToAFeedThatDoesNotPublishInTheRoom) {
  const RoomKeys first = createRoom();
  const RoomKeys second = createRoom();
  const auto alice = attach();
  const auto joined = await<PublisherJoined>(
      io_, [&](auto done) { room_->joinAsPublisher(alice, first, "Alice", done); });
  ASSERT_TRUE(joined && joined->ok());
  const auto feed = joined->value().feed;

  // From another room, with that room's own pin: no such feed there.
  const auto viewer = attach();
  const auto elsewhere = await<Subscription>(io_, [&](auto done) {
    room_->subscribe(viewer, second, 0, {StreamRef{feed, ""}}, done);
  });
  ASSERT_TRUE(elsewhere && !elsewhere->ok());
  EXPECT_EQ(elsewhere->error().code, ErrorCode::Plugin);
  EXPECT_EQ(elsewhere->error().janusCode, kNoSuchFeed);

  // In its own room, a feed that joined but never got media up is not subscribable either.
  const auto notYet = await<Subscription>(io_, [&](auto done) {
    room_->subscribe(viewer, first, 0, {StreamRef{feed, "1"}}, done);
  });
  ASSERT_TRUE(notYet && !notYet->ok());
  EXPECT_EQ(notYet->error().janusCode, kNoSuchFeed);

  await<Done>(io_, [&](auto done) { room_->destroyRoom(first, done); });
  await<Done>(io_, [&](auto done) { room_->destroyRoom(second, done); });
}

TEST_F(JanusVideoRoomTest, PluginEventsBecomeTypedRoomEvents) {
  Incoming in;
  in.kind = Incoming::Kind::Event;
  in.event = EventKind::PluginEvent;
  in.sender = 5;
  struct Case {
    const char* json;
    RoomEvent::Kind kind;
    std::uint64_t feed;
  };
  const Case cases[] = {
      {R"({"videoroom":"event","room":1,"publishers":[{"id":7,"display":"A","streams":[{"type":"video","mid":"1","codec":"vp8","simulcast":true}]}]})",
       RoomEvent::Kind::PublishersAppeared, 0},
      {R"({"videoroom":"event","room":1,"unpublished":7})", RoomEvent::Kind::PublisherUnpublished,
       7},
      {R"({"videoroom":"event","room":1,"leaving":7})", RoomEvent::Kind::PublisherLeft, 7},
      {R"({"videoroom":"event","room":1,"joining":{"id":7,"display":"A"}})",
       RoomEvent::Kind::Joining, 7},
      {R"({"videoroom":"updated","room":1,"streams":[{"mid":"0","type":"video","feed_id":7,"feed_mid":"1"}]})",
       RoomEvent::Kind::SubscriptionUpdated, 0},
      {R"({"videoroom":"destroyed","room":1})", RoomEvent::Kind::RoomDestroyed, 0},
      {R"({"videoroom":"event","room":1,"unpublished":"ok"})", RoomEvent::Kind::Other, 0},
      {R"({"videoroom":"event","room":1,"publishers":[{"display":"no id"}]})",
       RoomEvent::Kind::Other, 0},
      {R"({"videoroom":"event","room":1,"publishers":[{"id":7,"streams":[{"mid":"1"}]}]})",
       RoomEvent::Kind::Other, 0},
      {R"({"videoroom":"updated","streams":"none"})", RoomEvent::Kind::Other, 0},
      {R"({"videoroom":"event","joining":{"id":"7"}})", RoomEvent::Kind::Other, 0},
  };
  for (const auto& c : cases) {
    in.pluginData = Json::parse(c.json);
    const RoomEvent event = toRoomEvent(in);
    EXPECT_EQ(event.kind, c.kind) << c.json;
    EXPECT_EQ(event.feed, c.feed) << c.json;
    EXPECT_EQ(event.handle, 5u);
  }
  in.pluginData = Json::parse(cases[0].json);
  const RoomEvent appeared = toRoomEvent(in);
  ASSERT_EQ(appeared.publishers.size(), 1u);
  EXPECT_EQ(appeared.publishers[0].feed, 7u);
  ASSERT_EQ(appeared.publishers[0].streams.size(), 1u);
  EXPECT_TRUE(appeared.publishers[0].streams[0].simulcast);
}

}  // namespace
}  // namespace vroom::server::janus
