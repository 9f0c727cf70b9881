// The ClusterBus over a real Redis (hiredis + Asio, redis_connection.hpp): one connection for
// commands, one subscribed to this node's channel, both reconnected every 500 ms while Redis
// is unreachable. Keys all start with "vroom:" and carry expiries (docs/architecture.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster_bus.hpp"
#include "redis_connection.hpp"

namespace vroom::server {

struct RedisAddress {
  std::string host;
  std::uint16_t port = 6379;
};
// redis://host:port (port optional); nullopt for anything else.
std::optional<RedisAddress> parseRedisUrl(std::string_view url);

struct RedisBusStats {
  std::atomic<std::uint64_t> published = 0;
  std::atomic<std::uint64_t> received = 0;
  std::atomic<std::uint64_t> reconnects = 0;  // connections (re)established after the first
  std::atomic<std::uint64_t> failures = 0;    // commands answered with an error
};

class RedisBus : public ClusterBus {
 public:
  RedisBus(boost::asio::io_context& ioc, RedisAddress address);
  ~RedisBus() override;
  void start();
  void stop();

  bool up() const override { return up_; }
  void onUp(std::function<void()> f) override { onUp_ = std::move(f); }
  void claimRoom(const std::string& room, const std::string& node, std::chrono::milliseconds ttl,
                 std::function<void(std::optional<RoomClaim>)> done) override;
  void saveRoom(const std::string& room, const std::string& node, std::string state,
                std::chrono::milliseconds ttl) override;
  void dropRoom(const std::string& room, const std::string& node) override;
  void keepRooms(const std::vector<std::string>& rooms, const std::string& node,
                 std::chrono::milliseconds ttl) override;
  void heartbeat(const std::string& node, std::chrono::milliseconds ttl) override;
  void liveNodes(const std::vector<std::string>& nodes,
                 std::function<void(std::optional<std::vector<bool>>)> done) override;
  void putResume(const std::vector<std::pair<std::string, std::string>>& tokenRooms,
                 std::chrono::milliseconds ttl) override;
  void roomOfResume(const std::string& token,
                    std::function<void(std::optional<std::string>)> done) override;
  void publish(const std::string& node, std::string message) override;
  void listen(const std::string& node, std::function<void(std::string_view)> onMessage) override;

  const RedisBusStats& stats() const { return stats_; }
  // A raw command, for tests.
  void command(const std::vector<std::string>& args, RedisConnection::ReplyHandler handler);

 private:
  void connectAll();
  void retryLater();
  void subscribe();
  void updateUp();

  boost::asio::io_context& ioc_;
  RedisAddress address_;
  std::shared_ptr<RedisConnection> commands_;
  std::shared_ptr<RedisConnection> subscriber_;
  boost::asio::steady_timer retry_;
  std::atomic<bool> up_ = false;
  bool everUp_ = false;
  bool stopped_ = false;
  std::string channel_;
  std::function<void(std::string_view)> onMessage_;
  std::function<void()> onUp_;
  RedisBusStats stats_;
};

}  // namespace vroom::server
