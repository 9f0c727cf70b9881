// What every session of one Server shares: config, the registry, transport counters and the
// set of live sessions to close on shutdown. Touched only on the io_context thread.
#pragma once

#include <memory>
#include <optional>
#include <unordered_set>

#include <boost/asio/ssl/context.hpp>

#include "metrics.hpp"
#include "room_registry.hpp"
#include "server_config.hpp"

namespace vroom::server {

// A session the server can end on shutdown (WebSockets close with 1001, HTTP just closes).
class LiveSession {
 public:
  virtual ~LiveSession() = default;
  virtual void shutdown() = 0;
};

struct ServerState {
  explicit ServerState(ServerConfig cfg) : config(std::move(cfg)), registry(config.registry) {}

  ServerConfig config;
  RoomRegistry registry;
  TransportStats transport;
  std::unordered_set<LiveSession*> live;
  bool stopping = false;
  std::optional<boost::asio::ssl::context> tls;
};

}  // namespace vroom::server
