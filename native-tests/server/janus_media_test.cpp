// Media through a real Janus: a werift publisher (an ffmpeg test pattern, audio + VP8) publishes
// through VideoRoom, a werift subscriber receives both streams over one PeerConnection, and
// the server-side calls around them (publish, subscribe, start, configure, update, unpublish)
// and events (webrtcup, media, unpublished) behave as vroom will rely on.
#include <filesystem>

#include <gtest/gtest.h>

#include "janus_process.hpp"
#include "janus_test_support.hpp"
#include "janus_videoroom.hpp"
#include "janus_werift_process.hpp"

namespace vroom::server::janus {
namespace {

using testing::await;
using testing::JanusProcess;
using testing::RecordingClient;
using testing::runUntil;
using testing::WeriftPeer;
using namespace std::chrono_literals;

std::optional<Json> lineJson(const std::optional<std::string>& line) {
  if (!line) return std::nullopt;
  Json json = Json::parse(*line, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

bool sawEvent(const RecordingClient& rec, std::uint64_t handle, RoomEvent::Kind kind) {
  for (const auto& in : rec.events) {
    const RoomEvent event = toRoomEvent(in);
    if (event.handle == handle && event.kind == kind) return true;
  }
  return false;
}

TEST(JanusMedia, AWeriftPublisherReachesAWeriftSubscriberThroughJanus) {
  if (!std::filesystem::exists(std::string(VROOM_SOURCE_DIR) + "/node_modules/werift"))
    GTEST_SKIP() << "node_modules/werift is missing (scripts/setup installs it)";
  JanusProcess janus;
  ASSERT_TRUE(janus.start()) << janus.log();
  boost::asio::io_context io;
  JanusClientConfig config;
  config.url = janus.url();
  config.apiSecret = JanusProcess::kSecret;
  RecordingClient rec(io, config);
  rec.client->start();
  ASSERT_TRUE(rec.waitForSession());
  VideoRoom room(rec.client, JanusProcess::kSecret);

  const auto created = await<RoomKeys>(io, [&](auto done) { room.createRoom({}, done); });
  ASSERT_TRUE(created && created->ok());
  const RoomKeys keys = created->value();

  // Publisher.
  const auto pubHandle = await<std::uint64_t>(io, [&](auto done) { room.attach(done); });
  ASSERT_TRUE(pubHandle && pubHandle->ok());
  const std::uint64_t pub = pubHandle->value();
  const auto joined =
      await<PublisherJoined>(io, [&](auto done) { room.joinAsPublisher(pub, keys, "Pat", done); });
  ASSERT_TRUE(joined && joined->ok());
  const std::uint64_t feed = joined->value().feed;

  WeriftPeer publisher("publish");
  const auto offer = lineJson(publisher.readLine(20s));
  ASSERT_TRUE(offer && offer->value("type", "") == "offer") << "no offer from werift";
  const auto answer = await<Jsep>(io, [&](auto done) {
    room.publish(pub, Jsep{"offer", offer->value("sdp", "")}, {{"0", "microphone"}}, done);
  });
  ASSERT_TRUE(answer && answer->ok()) << answer->error().reason;
  ASSERT_TRUE(publisher.write(Json{{"type", "answer"}, {"sdp", answer->value().sdp}}.dump()));

  bool publisherConnected = false;
  ASSERT_TRUE(runUntil(
      io,
      [&] {
        if (auto line = lineJson(publisher.poll()))
          publisherConnected |= line->value("event", "") == "connected";
        return publisherConnected && sawEvent(rec, pub, RoomEvent::Kind::WebrtcUp);
      },
      20s))
      << "publisher not up; see " << janus.log();
  ASSERT_TRUE(runUntil(
      io, [&] { return sawEvent(rec, pub, RoomEvent::Kind::Media); }, 10s))
      << "Janus reported no media from the publisher";

  const auto participants =
      await<std::vector<Publisher>>(io, [&](auto done) { room.listParticipants(keys.room, done); });
  ASSERT_TRUE(participants && participants->ok());
  ASSERT_EQ(participants->value().size(), 1u);
  EXPECT_EQ(participants->value()[0].feed, feed);

  // Subscriber: every stream of the feed on one PeerConnection.
  const auto subHandle = await<std::uint64_t>(io, [&](auto done) { room.attach(done); });
  ASSERT_TRUE(subHandle && subHandle->ok());
  const std::uint64_t sub = subHandle->value();
  const auto subscription = await<Subscription>(io, [&](auto done) {
    room.subscribe(sub, keys, 0, {StreamRef{feed, ""}}, done);
  });
  ASSERT_TRUE(subscription && subscription->ok()) << subscription->error().reason;
  ASSERT_EQ(subscription->value().streams.size(), 2u);
  std::string videoMid, videoFeedMid;
  for (const auto& stream : subscription->value().streams) {
    EXPECT_EQ(stream.feed, feed);
    if (stream.type == "video") {
      videoMid = stream.mid;
      videoFeedMid = stream.feedMid;
    }
  }
  ASSERT_FALSE(videoMid.empty());

  WeriftPeer subscriber("subscribe");
  ASSERT_TRUE(
      subscriber.write(Json{{"type", "offer"}, {"sdp", subscription->value().offer->sdp}}.dump()));
  const auto subAnswer = lineJson(subscriber.readLine(20s));
  ASSERT_TRUE(subAnswer && subAnswer->value("type", "") == "answer");
  const auto started = await<Done>(io, [&](auto done) {
    room.start(sub, Jsep{"answer", subAnswer->value("sdp", "")}, done);
  });
  ASSERT_TRUE(started && started->ok()) << started->error().reason;

  std::uint64_t audio = 0, video = 0;
  ASSERT_TRUE(runUntil(
      io,
      [&] {
        while (auto line = lineJson(subscriber.poll())) {
          if (line->value("event", "") != "media") continue;
          audio = line->value("audio", 0ull);
          video = line->value("video", 0ull);
        }
        return audio > 10 && video > 10 && sawEvent(rec, sub, RoomEvent::Kind::WebrtcUp);
      },
      20s))
      << "subscriber received audio=" << audio << " video=" << video;

  // Layers (the publisher does not simulcast; Janus still takes the request), then dropping
  // the video stream from the subscription.
  const auto layers = await<Done>(io, [&](auto done) {
    room.configureLayers(sub, {LayerChoice{videoMid, 0, 0}}, done);
  });
  ASSERT_TRUE(layers);
  EXPECT_TRUE(layers->ok()) << layers->error().reason;
  const auto updated = await<Subscription>(io, [&](auto done) {
    room.update(sub, {}, {StreamRef{feed, videoFeedMid}}, done);
  });
  ASSERT_TRUE(updated);
  ASSERT_TRUE(updated->ok()) << updated->error().reason;
  for (const auto& stream : updated->value().streams)
    if (stream.mid == videoMid) {
      EXPECT_FALSE(stream.active);
    }

  // Unpublishing now works (the feed is up) and the subscriber's handle hears of it.
  const auto unpublished = await<Done>(io, [&](auto done) { room.unpublish(pub, done); });
  ASSERT_TRUE(unpublished);
  EXPECT_TRUE(unpublished->ok()) << unpublished->error().reason;

  publisher.stop();
  subscriber.stop();
  const auto destroyed = await<Done>(io, [&](auto done) { room.destroyRoom(keys, done); });
  ASSERT_TRUE(destroyed && destroyed->ok());
}

}  // namespace
}  // namespace vroom::server::janus
