// The server with two io threads: clients whose connections land on both threads share rooms,
// and join, signal, chat, leave and come back all at the same time. Every client's view of its
// room must end as the server's, every signal must arrive once and in order, and everyone in a
// room must see its chat in one order. Run under ASan/UBSan (and TSan) by scripts/test.
#include <barrier>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "running_server.hpp"

namespace vroom::server::testing {
namespace {

constexpr int kRooms = 6;
constexpr int kPerRoom = 5;  // worker w drives member w of every room
constexpr int kRounds = 15;  // signals per sender per mate, and chat lines per member

std::string nameOf(int room, int member) {
  return "m" + std::to_string(room) + "-" + std::to_string(member);
}

// One test client and what it has heard, folded from the frames it read in order.
struct Member {
  WsClient ws;
  int room = 0;
  int index = 0;
  std::string id;                                       // from `joined`
  std::set<std::string> view;                           // peer ids it believes are in the room
  std::map<std::string, std::vector<int>> signalsFrom;  // sender id -> seq numbers in order
  std::vector<std::string> chat;                        // "sender:n" in arrival order

  void absorb(const json& frame) {
    const std::string type = frame.value("type", "");
    if (type == "joined") {
      view.clear();
      for (const auto& peer : frame["members"]) view.insert(peer["id"].get<std::string>());
    } else if (type == "peer-joined") {
      EXPECT_TRUE(view.insert(frame["peer"]["id"].get<std::string>()).second) << frame.dump();
    } else if (type == "peer-left") {
      EXPECT_EQ(view.erase(frame["id"].get<std::string>()), 1u) << frame.dump();
    } else if (type == "signal") {
      signalsFrom[frame["from"]].push_back(frame["data"]["seq"].get<int>());
    } else if (type == "chat") {
      chat.push_back(frame["from"].get<std::string>() + ":" + frame["text"].get<std::string>());
    } else if (type == "room-state") {
      // Who moderates, sent as the role is handed on (docs/protocol.md, Moderation); nobody
      // here locks the room.
      EXPECT_TRUE(frame["moderators"].is_array()) << frame.dump();
      EXPECT_EQ(frame.value("locked", true), false) << frame.dump();
    } else if (type != "left") {
      ADD_FAILURE() << "unexpected " << frame.dump();
    }
  }
  // Everything the server sent before it answered a ping (it answers in order).
  void drain() {
    const std::int64_t ts = ++pings;
    ws.send(json{{"type", "ping"}, {"ts", ts}});
    for (int i = 0; i < 10000; ++i) {
      const auto frame = ws.read();
      ASSERT_TRUE(frame) << ws.lastError().message();
      if ((*frame)["type"] == "pong" && (*frame)["ts"] == ts) return;
      absorb(*frame);
    }
    ADD_FAILURE() << "no pong";
  }
  std::int64_t pings = 1000;
  void join() {
    ws.send(json{
        {"type", "join"}, {"room", "room" + std::to_string(room)}, {"name", nameOf(room, index)}});
    std::vector<json> before;
    const auto joined = ws.readType("joined", &before);
    ASSERT_TRUE(joined);
    for (const auto& frame : before) absorb(frame);
    absorb(*joined);
    id = (*joined)["self"]["id"];
  }
  void leave() {
    ws.send(json{{"type", "leave"}});
    std::vector<json> before;
    ASSERT_TRUE(ws.readType("left", &before));
    for (const auto& frame : before) absorb(frame);
    view.clear();
  }
};

TEST(ServerThreads, RoomsStayConsistentWhenTheirMembersLiveOnDifferentThreads) {
  ServerConfig config;
  config.port = 0;
  config.root = std::filesystem::temp_directory_path().string();
  config.logLevel = log::Level::Off;
  config.threads = 2;
  config.registry.limits.messagesPerSecond = 0;  // the bursts below are not what is tested
  config.maxConnectionsPerAddress = 0;
  RunningServer server(config);

  std::vector<std::unique_ptr<Member>> members;
  for (int r = 0; r < kRooms; ++r)
    for (int m = 0; m < kPerRoom; ++m) {
      members.push_back(std::make_unique<Member>());
      members.back()->room = r;
      members.back()->index = m;
    }
  auto at = [&](int room, int member) -> Member& { return *members[room * kPerRoom + member]; };
  std::mutex idsMutex;
  std::map<std::string, std::string> idOf;  // name -> peer id

  std::barrier sync(kPerRoom);
  auto worker = [&](int w) {
    // 1. Everyone connects, says hello and joins at once (connections alternate threads).
    for (int r = 0; r < kRooms; ++r) {
      Member& me = at(r, w);
      ASSERT_EQ(me.ws.connect(server.port()), 101);
      me.ws.hello();
      me.join();
      const std::lock_guard lock(idsMutex);
      idOf[nameOf(r, w)] = me.id;
    }
    sync.arrive_and_wait();
    for (int r = 0; r < kRooms; ++r) at(r, w).drain();
    sync.arrive_and_wait();

    // 2. Signals to every mate and chat lines, all senders at once.
    for (int round = 0; round < kRounds; ++round)
      for (int r = 0; r < kRooms; ++r) {
        Member& me = at(r, w);
        for (int mate = 0; mate < kPerRoom; ++mate) {
          if (mate == w) continue;
          me.ws.send(json{
              {"type", "signal"}, {"to", idOf.at(nameOf(r, mate))}, {"data", {{"seq", round}}}});
        }
        me.ws.send(json{{"type", "chat"}, {"text", std::to_string(round)}});
      }
    for (int r = 0; r < kRooms; ++r) at(r, w).drain();  // ours are all processed now
    sync.arrive_and_wait();
    for (int r = 0; r < kRooms; ++r) at(r, w).drain();  // and everyone else's too
    sync.arrive_and_wait();

    // 3. Member 0 of every room leaves and comes back while the others chat.
    for (int r = 0; r < kRooms; ++r) {
      Member& me = at(r, w);
      if (w == 0) {
        me.leave();
        me.join();
      } else {
        me.ws.send(json{{"type", "chat"}, {"text", "during"}});
      }
    }
    for (int r = 0; r < kRooms; ++r) at(r, w).drain();
    sync.arrive_and_wait();
    for (int r = 0; r < kRooms; ++r) at(r, w).drain();
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < kPerRoom; ++w) workers.emplace_back(worker, w);
  for (auto& t : workers) t.join();

  for (int r = 0; r < kRooms; ++r) {
    SCOPED_TRACE("room " + std::to_string(r));
    std::set<std::string> everyone;
    for (int m = 0; m < kPerRoom; ++m) everyone.insert(idOf.at(nameOf(r, m)));
    for (int m = 0; m < kPerRoom; ++m) {
      SCOPED_TRACE("member " + std::to_string(m));
      const Member& me = at(r, m);
      std::set<std::string> expected = everyone;
      expected.erase(me.id);
      EXPECT_EQ(me.view, expected);
      for (int mate = 0; mate < kPerRoom; ++mate) {
        if (mate == m) continue;
        std::vector<int> seqs(kRounds);
        for (int i = 0; i < kRounds; ++i) seqs[i] = i;
        const auto it = me.signalsFrom.find(idOf.at(nameOf(r, mate)));
        ASSERT_NE(it, me.signalsFrom.end());
        EXPECT_EQ(it->second, seqs) << "from member " << mate;
      }
    }
    // Those who never left heard the same chat, in the same order: all of it.
    const auto& reference = at(r, 1).chat;
    EXPECT_EQ(reference.size(), static_cast<std::size_t>(kPerRoom * kRounds + kPerRoom - 1));
    for (int m = 2; m < kPerRoom; ++m) EXPECT_EQ(at(r, m).chat, reference);
  }
  const std::string metrics = httpGet(server.port(), "/metrics").body;
  EXPECT_NE(metrics.find("\nvroom_connections " + std::to_string(kRooms * kPerRoom) + "\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("\nvroom_rooms " + std::to_string(kRooms) + "\n"), std::string::npos);
}

}  // namespace
}  // namespace vroom::server::testing
