// What every session of one Server shares: config, the registry, the site's files, transport
// counters, connections per address and the limits on noisy log lines. Shared by every io
// thread: each part guards itself. (Each IoThread lists its own sessions.)
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/asio/ssl/context.hpp>

#include "cluster.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "origin_check.hpp"
#include "room_registry.hpp"
#include "server_config.hpp"
#include "site_files.hpp"

namespace vroom::server {

// Open connections by remote address, counted at accept and given back on any thread.
struct AddressCounts {
  std::mutex mutex;
  std::unordered_map<std::string, std::size_t> counts;
};

// One open connection's share of its remote address's count (--max-connections-per-address):
// taken at accept, moved from the HTTP session to the WebSocket session on upgrade, given
// back when the last owner goes.
class AddressSlot {
 public:
  using Counts = AddressCounts;
  AddressSlot() = default;
  // Takes a slot; the caller holds counts.mutex.
  AddressSlot(Counts& counts, std::string address) : counts_(&counts) {
    entry_ = &*counts.counts.try_emplace(std::move(address), 0).first;  // nodes never move
    ++entry_->second;
  }
  AddressSlot(AddressSlot&& other) noexcept
      : counts_(std::exchange(other.counts_, nullptr)),
        entry_(std::exchange(other.entry_, nullptr)) {}
  AddressSlot& operator=(AddressSlot&& other) noexcept {
    if (this != &other) {
      release();
      counts_ = std::exchange(other.counts_, nullptr);
      entry_ = std::exchange(other.entry_, nullptr);
    }
    return *this;
  }
  AddressSlot(const AddressSlot&) = delete;
  AddressSlot& operator=(const AddressSlot&) = delete;
  ~AddressSlot() { release(); }
  const std::string& address() const {  // the remote IP address
    static const std::string kNone;
    return entry_ ? entry_->first : kNone;
  }

 private:
  void release() {
    if (!counts_) return;
    const std::lock_guard lock(counts_->mutex);
    if (--entry_->second == 0) counts_->counts.erase(counts_->counts.find(entry_->first));
    counts_ = nullptr;
    entry_ = nullptr;
  }
  Counts* counts_ = nullptr;
  std::pair<const std::string, std::size_t>* entry_ = nullptr;  // this address's count
};

// The registry and the lock that every thread takes to use it: the registry itself has no
// threads (room_registry.hpp), and one lock keeps every room consistent. What a call costs
// under the lock is small next to the socket work each thread does outside it.
class SharedRegistry {
 public:
  explicit SharedRegistry(RegistryConfig config) : registry_(std::move(config)) {}
  template <class F>
  decltype(auto) with(F&& f) {
    const std::lock_guard lock(mutex_);
    return f(registry_);
  }

 private:
  std::mutex mutex_;
  RoomRegistry registry_;
};

struct ServerState {
  explicit ServerState(ServerConfig cfg)
      : config(std::move(cfg)), registry(config.registry), site(config.root) {}

  ServerConfig config;
  SharedRegistry registry;
  SiteFiles site;  // the static files' representations and their hashes
  TransportStats transport;
  OriginPolicy origins;            // set by Server::listen() once the port is known
  AddressSlot::Counts perAddress;  // open connections by remote address
  // Refusals a client can cause at will are logged a few times per interval, not per event.
  log::RateLimit originRefusedLog{std::chrono::seconds(10), 5};
  log::RateLimit connectionRefusedLog{std::chrono::seconds(10), 5};
  std::atomic<bool> stopping = false;
  std::optional<boost::asio::ssl::context> tls;
  // With --redis (server.cpp makes it): rooms shared with other nodes. Null: single process,
  // and the sessions talk to the registry directly.
  std::unique_ptr<Cluster> cluster;
};

}  // namespace vroom::server
