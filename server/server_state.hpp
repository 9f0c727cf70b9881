// What every session of one Server shares: config, the registry, the site's files, transport
// counters, the live sessions to close on shutdown, connections per address and the limits on
// noisy log lines. Touched only on the io_context thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <boost/asio/ssl/context.hpp>

#include "log.hpp"
#include "metrics.hpp"
#include "origin_check.hpp"
#include "room_registry.hpp"
#include "server_config.hpp"
#include "site_files.hpp"

namespace vroom::server {

// A session the server can end on shutdown (WebSockets close with 1001, HTTP just closes).
class LiveSession {
 public:
  virtual ~LiveSession() = default;
  virtual void shutdown() = 0;
};

// One open connection's share of its remote address's count (--max-connections-per-address):
// taken at accept, moved from the HTTP session to the WebSocket session on upgrade, given
// back when the last owner goes.
class AddressSlot {
 public:
  using Counts = std::unordered_map<std::string, std::size_t>;
  AddressSlot() = default;
  AddressSlot(Counts& counts, std::string address)
      : counts_(&counts), address_(std::move(address)) {
    ++(*counts_)[address_];
  }
  AddressSlot(AddressSlot&& other) noexcept
      : counts_(std::exchange(other.counts_, nullptr)), address_(std::move(other.address_)) {}
  AddressSlot& operator=(AddressSlot&& other) noexcept {
    if (this != &other) {
      release();
      counts_ = std::exchange(other.counts_, nullptr);
      address_ = std::move(other.address_);
    }
    return *this;
  }
  AddressSlot(const AddressSlot&) = delete;
  AddressSlot& operator=(const AddressSlot&) = delete;
  ~AddressSlot() { release(); }
  const std::string& address() const { return address_; }  // the remote IP address

 private:
  void release() {
    if (!counts_) return;
    const auto it = counts_->find(address_);
    if (it != counts_->end() && --it->second == 0) counts_->erase(it);
    counts_ = nullptr;
  }
  Counts* counts_ = nullptr;
  std::string address_;
};

struct ServerState {
  explicit ServerState(ServerConfig cfg)
      : config(std::move(cfg)), registry(config.registry), site(config.root) {}

  ServerConfig config;
  RoomRegistry registry;
  SiteFiles site;  // the static files' representations and their hashes
  TransportStats transport;
  OriginPolicy origins;  // set by Server::listen() once the port is known
  std::unordered_set<LiveSession*> live;
  AddressSlot::Counts perAddress;  // open connections by remote address
  // Refusals a client can cause at will are logged a few times per interval, not per event.
  log::RateLimit originRefusedLog{std::chrono::seconds(10), 5};
  log::RateLimit connectionRefusedLog{std::chrono::seconds(10), 5};
  bool stopping = false;
  std::optional<boost::asio::ssl::context> tls;
};

}  // namespace vroom::server
