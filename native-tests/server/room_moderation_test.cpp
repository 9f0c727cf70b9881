// Moderation without a network: who moderates (creator, broadcast host, moderator token,
// handed on), what each command does to whom, that everyone else is refused, and that a ban
// outlives the removed person's session, resume token and rejoins.
#include <gtest/gtest.h>

#include "registry_harness.hpp"

namespace vroom::server::testing {
namespace {

json remove(const std::string& peer, bool ban = false) {
  json m{{"type", "remove"}, {"peer", peer}};
  if (ban) m["ban"] = true;
  return m;
}
json requestMute(const std::string& peer) {
  return json{{"type", "request-mute"}, {"peer", peer}};
}
json lock(bool locked) {
  return json{{"type", "lock"}, {"locked", locked}};
}
const json kEnd{{"type", "end-room"}};

std::string outcome(Client& c) {
  const json reply = c.last();
  return reply.value("type", "") == "error" ? reply.value("code", "") : reply.value("type", "");
}

TEST(RegistryModeration, TheCreatorModeratesAndOthersAreRefused) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  Client& cy = h.join("r", "Cy");
  h.drainAll();
  for (const json& command : {remove(ann.peerId), requestMute(ann.peerId), lock(true), kEnd}) {
    SCOPED_TRACE(command.dump());
    h.send(bob, command);
    const json reply = bob.last();
    EXPECT_EQ(reply["code"], "not_allowed");
    EXPECT_EQ(reply["offendingType"], command["type"]);
    EXPECT_TRUE(ann.take().empty());
    EXPECT_TRUE(cy.take().empty());
  }
  EXPECT_EQ(h.registry.members("r").size(), 3u);
  // Targets must be others in this room.
  h.send(ann, remove(ann.peerId));
  EXPECT_EQ(outcome(ann), "unknown_peer");
  h.send(ann, remove("nobody"));
  EXPECT_EQ(outcome(ann), "unknown_peer");
  Client& elsewhere = h.create("s", "Eve");
  h.send(ann, requestMute(elsewhere.peerId));
  EXPECT_EQ(outcome(ann), "unknown_peer");
}

TEST(RegistryModeration, RemoveTakesThePersonOutAndTellsBothSides) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  Client& cy = h.join("r", "Cy");
  h.drainAll();
  h.send(ann, remove(bob.peerId));
  const auto bobSees = bob.take();
  ASSERT_EQ(bobSees.size(), 1u);
  EXPECT_EQ(bobSees[0], (json{{"type", "removed"},
                              {"peer", bob.peerId},
                              {"by", ann.peerId},
                              {"byName", "Ann"},
                              {"ban", false}}));
  EXPECT_EQ(ann.types(), (std::vector<std::string>{"peer-left", "removed"}));
  EXPECT_EQ(cy.types(), (std::vector<std::string>{"peer-left"}));
  EXPECT_EQ(h.registry.members("r").size(), 2u);
  // Out of the room but connected; without a ban it may come back.
  h.send(bob, json{{"type", "chat"}, {"text", "hi"}});
  EXPECT_EQ(outcome(bob), "not_in_room");
  h.send(bob, json{{"type", "join"}, {"room", "r"}, {"name", "Bob"}});
  EXPECT_EQ(outcome(bob), "joined");
}

TEST(RegistryModeration, ABanOutlivesTheSessionItsTokenAndRejoins) {
  Harness h;
  Client& ann = h.helloFrom("10.0.0.1");
  h.send(ann, json{{"type", "create"}, {"room", "r"}, {"name", "Ann"}});
  Client& bob = h.helloFrom("10.0.0.2");
  h.send(bob, json{{"type", "join"}, {"room", "r"}, {"name", "Bob"}});
  const std::string bobToken = bob.token;
  h.send(ann, remove(bob.peerId, true));
  EXPECT_EQ(bob.last()["ban"], true);
  // The same connection, then a resume with its token, then a fresh session: all refused.
  h.send(bob, json{{"type", "join"}, {"room", "r"}, {"name", "Bob"}});
  EXPECT_EQ(outcome(bob), "banned");
  h.registry.disconnect(bob.conn, h.now);
  Client& resumed = h.connect("10.0.0.2");
  h.helloOn(resumed, bobToken);
  h.send(resumed, json{{"type", "join"}, {"room", "r"}, {"name", "Bob"}});
  EXPECT_EQ(outcome(resumed), "banned");
  Client& fresh = h.helloFrom("10.0.0.2");
  h.send(fresh, json{{"type", "join"}, {"room", "r"}, {"name", "Robert"}});
  EXPECT_EQ(outcome(fresh), "banned");
  Client& someoneElse = h.helloFrom("10.0.0.3");
  h.send(someoneElse, json{{"type", "join"}, {"room", "r"}, {"name", "Cy"}});
  EXPECT_EQ(outcome(someoneElse), "joined");
  // The ban lasts as long as the room: once everyone left, the id is new again.
  h.send(ann, json{{"type", "leave"}});
  h.send(someoneElse, json{{"type", "leave"}});
  h.send(fresh, json{{"type", "join"}, {"room", "r"}, {"name", "Bob"}});
  EXPECT_EQ(outcome(fresh), "joined");
}

TEST(RegistryModeration, ARemovedPeerAwayLearnsOnResume) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  h.registry.disconnect(bob.conn, h.now);
  h.send(ann, remove(bob.peerId));
  Client& back = h.connect();
  const json welcome = h.helloOn(back, bob.token);
  EXPECT_EQ(welcome["resumed"], true);
  EXPECT_EQ(back.types(), (std::vector<std::string>{"removed"}));  // no `joined`: not in a room
}

TEST(RegistryModeration, AskToMuteReachesThePersonAndTheModeratorOnly) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  Client& cy = h.join("r", "Cy");
  h.drainAll();
  h.send(ann, requestMute(bob.peerId));
  const json asked{
      {"type", "mute-requested"}, {"peer", bob.peerId}, {"by", ann.peerId}, {"byName", "Ann"}};
  EXPECT_EQ(bob.last(), asked);
  EXPECT_EQ(ann.last(), asked);
  EXPECT_TRUE(cy.take().empty());
  // Nothing changed on the server: the client mutes itself (and says so with `media`).
  EXPECT_TRUE(h.registry.members("r").at(1).media.audio);
}

TEST(RegistryModeration, ALockedRoomRefusesNewJoinsButNotResumes) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  h.drainAll();
  h.send(ann, lock(true));
  const json state{
      {"type", "room-state"}, {"moderators", {ann.peerId}}, {"locked", true}, {"by", ann.peerId}};
  EXPECT_EQ(ann.last(), state);
  EXPECT_EQ(bob.last(), state);
  Client& late = h.hello();
  h.send(late, json{{"type", "join"}, {"room", "r"}, {"name", "Late"}});
  EXPECT_EQ(outcome(late), "room_locked");
  h.registry.disconnect(bob.conn, h.now);
  Client& back = h.connect();
  h.helloOn(back, bob.token);
  const json joined = back.last();
  EXPECT_EQ(joined["type"], "joined");
  EXPECT_EQ(joined["locked"], true);
  h.send(ann, lock(false));
  h.send(late, json{{"type", "join"}, {"room", "r"}, {"name", "Late"}});
  EXPECT_EQ(outcome(late), "joined");
}

TEST(RegistryModeration, EndRoomClosesItForEveryone) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  h.drainAll();
  h.send(ann, kEnd);
  const json closed{
      {"type", "room-closed"}, {"reason", "ended"}, {"by", ann.peerId}, {"byName", "Ann"}};
  EXPECT_EQ(ann.last(), closed);
  EXPECT_EQ(bob.last(), closed);
  EXPECT_EQ(h.registry.roomCount(), 0u);
}

TEST(RegistryModeration, ABroadcastsHostModeratesAndEndsIt) {
  Harness h;
  Client& host = h.create("show", "Host", "broadcast");
  Client& v1 = h.hello();
  h.send(v1, json{{"type", "join"}, {"room", "show"}, {"name", "V1"}, {"role", "viewer"}});
  EXPECT_EQ(v1.last()["moderators"], json::array({host.peerId}));
  Client& v2 = h.join("show", "V2", "viewer");
  h.drainAll();
  h.send(v1, remove(v2.peerId));
  EXPECT_EQ(outcome(v1), "not_allowed");
  h.send(host, requestMute(v1.peerId));
  EXPECT_EQ(outcome(host), "not_allowed");  // viewers send no sound to mute
  h.send(host, remove(v1.peerId, true));
  EXPECT_EQ(outcome(v1), "removed");
  EXPECT_TRUE(v2.take().empty());  // viewers never see each other
  h.send(host, kEnd);
  EXPECT_EQ(v2.last()["reason"], "ended");
}

TEST(RegistryModeration, TheRoleIsHandedToTheLongestPresentMember) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  Client& cy = h.join("r", "Cy");
  h.registry.disconnect(bob.conn, h.now);  // away: present, but not the first choice
  h.drainAll();
  h.send(ann, json{{"type", "leave"}});
  const json handed{{"type", "room-state"}, {"moderators", {cy.peerId}}, {"locked", false}};
  EXPECT_EQ(cy.last(), handed);
  h.send(cy, lock(true));
  EXPECT_EQ(cy.last()["locked"], true);
  // The new moderator leaving hands it on again, to the one left (away or not).
  h.send(cy, json{{"type", "leave"}});
  Client& back = h.connect();
  h.helloOn(back, bob.token);
  EXPECT_EQ(back.last()["moderators"], json::array({bob.peerId}));
}

TEST(RegistryModeration, ModeratorsLocksAndBansSurviveARestart) {
  Harness h;
  Client& ann = h.create("r", "Ann");
  Client& bob = h.join("r", "Bob");
  Client& cy = h.join("r", "Cy");
  h.send(ann, lock(true));
  h.send(ann, remove(cy.peerId, true));
  const json state = h.registry.exportState();
  Harness restarted;
  ASSERT_TRUE(restarted.registry.importState(state, restarted.now).has_value());
  Client& back = restarted.connect();
  restarted.helloOn(back, ann.token);
  const json joined = back.last();
  EXPECT_EQ(joined["moderators"], json::array({ann.peerId}));
  EXPECT_EQ(joined["locked"], true);
  (void)bob;
  Client& cyBack = restarted.connect();
  restarted.helloOn(cyBack, cy.token);
  restarted.send(cyBack, json{{"type", "join"}, {"room", "r"}, {"name", "Cy"}});
  EXPECT_EQ(outcome(cyBack), "banned");
}

}  // namespace
}  // namespace vroom::server::testing
