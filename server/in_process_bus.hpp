// A faithful in-process stand-in for RedisBus (cluster_bus.hpp): the same operations over one
// shared InProcessRedis (keys with expiries, one channel per node), so simulations and unit
// tests can join several clusters' nodes without a Redis process. Every operation is atomic
// (one lock), like a Redis script; replies and messages are posted to the caller's io_context,
// as RedisBus delivers them. redis_bus_test runs the same cases against both.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "cluster_bus.hpp"

namespace vroom::server {

class InProcessRedis {  // shared by every InProcessBus of one "deployment"
 public:
  using Clock = std::chrono::steady_clock;
  struct Listener {
    boost::asio::io_context* ioc;
    std::function<void(std::string_view)> onMessage;
  };
  std::mutex mutex;
  bool up = true;  // false: every operation fails, as with Redis unreachable
  // Keys that have not expired; an expired one is erased when next looked at.
  std::optional<std::string> get(const std::string& key) {
    const auto it = keys.find(key);
    if (it == keys.end()) return std::nullopt;
    if (Clock::now() >= it->second.second) {
      keys.erase(it);
      return std::nullopt;
    }
    return it->second.first;
  }
  void set(const std::string& key, std::string value, std::chrono::milliseconds ttl) {
    keys[key] = {std::move(value), Clock::now() + ttl};
  }
  std::map<std::string, std::pair<std::string, Clock::time_point>> keys;
  std::map<std::string, std::vector<Listener>> channels;
};

class InProcessBus : public ClusterBus {
 public:
  InProcessBus(boost::asio::io_context& ioc, std::shared_ptr<InProcessRedis> redis)
      : ioc_(ioc), redis_(std::move(redis)) {}

  bool up() const override {
    const std::lock_guard lock(redis_->mutex);
    return redis_->up;
  }
  void onUp(std::function<void()>) override {}
  void claimRoom(const std::string& room, const std::string& node, std::chrono::milliseconds ttl,
                 std::function<void(std::optional<RoomClaim>)> done) override {
    std::optional<RoomClaim> claim;
    {
      const std::lock_guard lock(redis_->mutex);
      if (redis_->up) {
        const std::string key = "vroom:room:" + room + ":owner";
        auto owner = redis_->get(key);
        if (!owner || (*owner != node && !redis_->get("vroom:node:" + *owner))) owner = node;
        claim.emplace(RoomClaim{*owner, {}});
        if (*owner == node) {
          redis_->set(key, node, ttl);
          claim->state = redis_->get("vroom:room:" + room + ":state").value_or("");
        }
      }
    }
    reply(std::move(done), claim);
  }
  void saveRoom(const std::string& room, const std::string& node, std::string state,
                std::chrono::milliseconds ttl) override {
    const std::lock_guard lock(redis_->mutex);
    if (redis_->up && redis_->get("vroom:room:" + room + ":owner") == node)
      redis_->set("vroom:room:" + room + ":state", std::move(state), ttl);
  }
  void dropRoom(const std::string& room, const std::string& node) override {
    const std::lock_guard lock(redis_->mutex);
    if (redis_->up && redis_->get("vroom:room:" + room + ":owner") == node)
      redis_->keys.erase("vroom:room:" + room + ":state");
  }
  void keepRooms(const std::vector<std::string>& rooms, const std::string& node,
                 std::chrono::milliseconds ttl) override {
    const std::lock_guard lock(redis_->mutex);
    if (!redis_->up) return;
    for (const auto& room : rooms) {
      const std::string key = "vroom:room:" + room + ":owner";
      const auto owner = redis_->get(key);
      if (!owner || *owner == node) redis_->set(key, node, ttl);
    }
  }
  void heartbeat(const std::string& node, std::chrono::milliseconds ttl) override {
    const std::lock_guard lock(redis_->mutex);
    if (redis_->up) redis_->set("vroom:node:" + node, "1", ttl);
  }
  void liveNodes(const std::vector<std::string>& nodes,
                 std::function<void(std::optional<std::vector<bool>>)> done) override {
    std::optional<std::vector<bool>> live;
    {
      const std::lock_guard lock(redis_->mutex);
      if (redis_->up) {
        live.emplace();
        for (const auto& node : nodes)
          live->push_back(redis_->get("vroom:node:" + node).has_value());
      }
    }
    reply(std::move(done), live);
  }
  void putResume(const std::vector<std::pair<std::string, std::string>>& tokenRooms,
                 std::chrono::milliseconds ttl) override {
    const std::lock_guard lock(redis_->mutex);
    if (!redis_->up) return;
    for (const auto& [token, room] : tokenRooms) redis_->set("vroom:resume:" + token, room, ttl);
  }
  void roomOfResume(const std::string& token,
                    std::function<void(std::optional<std::string>)> done) override {
    std::optional<std::string> room;
    {
      const std::lock_guard lock(redis_->mutex);
      if (redis_->up) room = redis_->get("vroom:resume:" + token);
    }
    reply(std::move(done), room);
  }
  void publish(const std::string& node, std::string message) override {
    const std::lock_guard lock(redis_->mutex);
    if (!redis_->up) return;
    const auto it = redis_->channels.find(node);
    if (it == redis_->channels.end()) return;
    for (const auto& listener : it->second)
      boost::asio::post(*listener.ioc, [f = listener.onMessage, message] { f(message); });
  }
  // The listener stays registered as long as the InProcessRedis: its io_context and handler
  // must outlive it (true of a simulation or test that owns all three).
  void listen(const std::string& node, std::function<void(std::string_view)> onMessage) override {
    const std::lock_guard lock(redis_->mutex);
    redis_->channels[node].push_back({&ioc_, std::move(onMessage)});
  }

 private:
  template <class F, class T>
  void reply(F done, T value) {
    boost::asio::post(ioc_, [done = std::move(done), value = std::move(value)] { done(value); });
  }

  boost::asio::io_context& ioc_;
  std::shared_ptr<InProcessRedis> redis_;
};

}  // namespace vroom::server
