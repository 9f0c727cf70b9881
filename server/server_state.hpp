// What every session of one Server shares: config, the registry, the site's files, transport
// counters, the live sessions to close on shutdown, connections per address and the limits on
// noisy log lines. Shared by every io thread: each part guards itself.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <boost/asio/ssl/context.hpp>

#include "log.hpp"
#include "metrics.hpp"
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

// The sessions the server can end on shutdown, whatever thread they run on.
class LiveSessions {
 public:
  void insert(LiveSession* s) {
    const std::lock_guard lock(mutex_);
    sessions_.insert(s);
  }
  void erase(LiveSession* s) {
    const std::lock_guard lock(mutex_);
    sessions_.erase(s);
  }
  std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
  }
  // Calls f on each under the lock, so none is destroyed meanwhile (its destructor waits to
  // erase itself): f must only post work to the session's own thread.
  void forEach(const std::function<void(LiveSession&)>& f) {
    const std::lock_guard lock(mutex_);
    for (LiveSession* s : sessions_) f(*s);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_set<LiveSession*> sessions_;
};

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
  AddressSlot(Counts& counts, std::string address)
      : counts_(&counts), address_(std::move(address)) {
    ++counts_->counts[address_];
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

 private:
  void release() {
    if (!counts_) return;
    const std::lock_guard lock(counts_->mutex);
    const auto it = counts_->counts.find(address_);
    if (it != counts_->counts.end() && --it->second == 0) counts_->counts.erase(it);
    counts_ = nullptr;
  }
  Counts* counts_ = nullptr;
  std::string address_;
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
  LiveSessions live;
  AddressSlot::Counts perAddress;  // open connections by remote address
  // Refusals a client can cause at will are logged a few times per interval, not per event.
  log::RateLimit originRefusedLog{std::chrono::seconds(10), 5};
  log::RateLimit connectionRefusedLog{std::chrono::seconds(10), 5};
  std::atomic<bool> stopping = false;
  std::optional<boost::asio::ssl::context> tls;
};

}  // namespace vroom::server
