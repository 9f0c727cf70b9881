// Server: the io threads, the acceptor (with connection caps and a back-off when descriptors
// run out) handing connections to the threads in turn, TLS setup, the registry's expiry tick,
// the state file and orderly shutdown.
#include "server.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http_session.hpp"
#include "io_thread.hpp"
#include "log.hpp"
#include "random_id.hpp"
#include "redis_bus.hpp"
#include "server_state.hpp"
#include "sfu_rooms.hpp"

namespace vroom::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTick = std::chrono::milliseconds(250);
constexpr auto kShutdownGrace = std::chrono::seconds(2);
// accept() out of descriptors (or kernel memory) waits this long, doubling up to the max,
// instead of failing again at once.
constexpr auto kAcceptBackoffMin = std::chrono::milliseconds(50);
constexpr auto kAcceptBackoffMax = std::chrono::milliseconds(1000);

bool outOfResources(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
         ec == net::error::no_memory || ec.value() == ENFILE;
}

ServerConfig withDefaults(ServerConfig config) {
  if (config.maxConnections == 0) config.maxConnections = defaultMaxConnections();
  using namespace std::chrono;
  // Chat timestamps are steady time shifted to Unix time once, so they never jump backwards.
  config.registry.epochOffsetMs =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() -
      duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
  return config;
}

}  // namespace

std::vector<std::unique_ptr<IoThread>> makeThreads(std::size_t n) {
  std::vector<std::unique_ptr<IoThread>> threads;
  for (std::size_t i = 0; i < std::max<std::size_t>(n, 1); ++i)
    threads.push_back(std::make_unique<IoThread>());
  return threads;
}

struct Server::Impl {
  explicit Impl(ServerConfig config)
      : state(withDefaults(std::move(config))), threads(makeThreads(state.config.threads)) {}

  // Declared first so it outlives the io_contexts: destroying pending handlers destroys
  // sessions, which unregister from the state.
  ServerState state;
  // threads[0] runs on the thread that calls run(): the acceptor, the ticks and shutdown are
  // its; every thread runs the connections handed to it.
  std::vector<std::unique_ptr<IoThread>> threads;
  net::io_context& ioc = threads[0]->context();
  std::size_t nextThread = 0;
  tcp::acceptor acceptor{ioc};
  net::steady_timer tick{ioc};
  net::steady_timer acceptPause{ioc};
  std::chrono::milliseconds acceptBackoff{0};  // 0: not backing off
  net::steady_timer shutdownTimer{ioc};
  std::optional<net::signal_set> signals;
  std::chrono::steady_clock::time_point stopStarted;
  std::uint16_t port = 0;
  bool stopRequested = false;
  std::unique_ptr<RedisBus> bus;  // with --redis; on threads[0], stopped with the threads
  std::shared_ptr<SfuRooms> sfu;  // with --janus; on threads[0], stopped with the threads
  ~Impl() {  // a forced stop skips stopThreads(): nothing of the cluster may outlive the loop
    if (state.cluster) state.cluster->stop();
    if (bus) bus->stop();
    stopSfu();
  }

  // --janus: rooms past --mesh-max (and broadcasts) move to the video server.
  void startSfu() {
    if (!state.config.sfu.enabled()) return;
    sfu = SfuRooms::create(
        ioc, state.config.sfu, state.config.registry.limits.maxRoomSize,
        [this](const std::string& room, const std::string& peer, const protocol::Message& message) {
          state.registry.with([&](RoomRegistry& r) { r.sendToMember(room, peer, message); });
        });
    state.registry.with([&](RoomRegistry& r) { r.setObserver(sfu.get()); });
    sfu->start();
    log::info("sfu", {{"janus", state.config.sfu.janusUrl},
                      {"mesh_max", std::to_string(state.config.sfu.meshMax)}});
  }
  void stopSfu() {
    if (!sfu) return;
    state.registry.with([](RoomRegistry& r) { r.setObserver(nullptr); });
    sfu->stop();
  }

  // --redis: the bus and the cluster that routes every WebSocket session through it.
  void startCluster() {
    const auto address = parseRedisUrl(state.config.redisUrl);  // checked by parseOptions
    if (!address) return;
    std::string node = state.config.nodeId;
    if (node.empty()) node = randomId().substr(0, 12);
    bus = std::make_unique<RedisBus>(ioc, *address);
    state.cluster = std::make_unique<Cluster>(*bus, state.registry, ioc, node,
                                              state.config.registry.resumeWindow);
    bus->start();
    state.cluster->start();
    log::info("cluster", {{"node", node}, {"redis", state.config.redisUrl}});
  }

  std::size_t openSessions() const {
    std::size_t n = 0;
    for (const auto& thread : threads) n += thread->sessionCount();
    return n;
  }

  void accept() {
    IoThread& thread = *threads[nextThread];
    nextThread = (nextThread + 1) % threads.size();
    acceptor.async_accept(thread.context(), [this, &thread](beast::error_code ec, Socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || state.stopping) return;
        if (outOfResources(ec)) return pauseAccepting(ec);
        log::debug("accept_failed", {{"error", ec.message()}});  // e.g. the peer reset first
        return accept();
      }
      if (acceptBackoff.count() != 0) {
        log::info("accept_resumed", {{"connections", std::to_string(openSessions())}});
        acceptBackoff = std::chrono::milliseconds(0);
      }
      admit(thread, std::move(socket));
      accept();
    });
  }

  // A new connection within the caps starts its HTTP session on the thread that owns it.
  void admit(IoThread& thread, Socket socket) {
    beast::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    std::string address = ignored ? "?" : remote.address().to_string();
    const char* refusal = nullptr;
    std::unique_lock counts(state.perAddress.mutex);
    if (openSessions() >= state.config.maxConnections) {
      refusal = "max_connections";
    } else if (state.config.maxConnectionsPerAddress != 0) {
      const auto it = state.perAddress.counts.find(address);
      if (it != state.perAddress.counts.end() &&
          it->second >= state.config.maxConnectionsPerAddress)
        refusal = "max_connections_per_address";
    }
    if (refusal) {
      counts.unlock();
      ++state.transport.connectionsRefused;
      std::uint64_t suppressed = 0;
      if (state.connectionRefusedLog.allow(std::chrono::steady_clock::now(), suppressed))
        log::warn(
            "connection_refused",
            {{"reason", refusal}, {"remote", address}, {"suppressed", std::to_string(suppressed)}});
      socket.close(ignored);
      return;
    }
    AddressSlot slot(state.perAddress, std::move(address));
    counts.unlock();
    socket.set_option(tcp::no_delay(true), ignored);
    net::post(thread.context(), [this, &thread, socket = std::move(socket),
                                 slot = std::move(slot)]() mutable {
      if (state.tls) {
        using TlsStream = beast::ssl_stream<TcpStream>;
        std::make_shared<HttpSession<TlsStream>>(
            TlsStream(TcpStream(std::move(socket)), *state.tls), state, thread, std::move(slot))
            ->run();
      } else {
        std::make_shared<HttpSession<TcpStream>>(TcpStream(std::move(socket)), state, thread,
                                                 std::move(slot))
            ->run();
      }
    });
  }

  // Out of descriptors: retrying at once would spin (and log) at full speed while nothing
  // frees up. Wait, doubling the pause, and log once per pause.
  void pauseAccepting(const beast::error_code& ec) {
    acceptBackoff = acceptBackoff.count() == 0 ? kAcceptBackoffMin
                                               : std::min(acceptBackoff * 2, kAcceptBackoffMax);
    log::warn("accept_paused", {{"error", ec.message()},
                                {"retry_ms", std::to_string(acceptBackoff.count())},
                                {"connections", std::to_string(openSessions())}});
    acceptPause.expires_after(acceptBackoff);
    acceptPause.async_wait([this](beast::error_code waitEc) {
      if (waitEc || state.stopping) return;
      accept();
    });
  }

  void scheduleTick() {
    tick.expires_after(kTick);
    tick.async_wait([this](beast::error_code ec) {
      if (ec || state.stopping) return;
      state.registry.with([](RoomRegistry& r) { r.expire(std::chrono::steady_clock::now()); });
      scheduleTick();
    });
  }

  void beginStop() {
    if (state.stopping.exchange(true)) return;
    const std::size_t connections =
        state.registry.with([](RoomRegistry& r) { return r.connectionCount(); });
    log::info("stopping", {{"connections", std::to_string(connections)}});
    beast::error_code ignored;
    acceptor.close(ignored);
    acceptPause.cancel();
    tick.cancel();
    if (signals) signals->cancel();
    // Each thread closes its own sessions.
    for (auto& thread : threads)
      net::post(thread->context(), [t = thread.get()] { t->shutdownAll(); });
    stopStarted = std::chrono::steady_clock::now();
    waitForSessions();
  }

  void waitForSessions() {
    if (openSessions() == 0) return stopThreads();  // run() returns as the queues drain
    if (std::chrono::steady_clock::now() - stopStarted > kShutdownGrace) {
      log::warn("shutdown_forced", {{"sessions", std::to_string(openSessions())}});
      for (auto& thread : threads) thread->context().stop();
      return;
    }
    shutdownTimer.expires_after(std::chrono::milliseconds(20));
    shutdownTimer.async_wait([this](beast::error_code ec) {
      if (!ec) waitForSessions();
    });
  }

  // Until stop, every thread runs even with nothing to do, and sweeps its connections.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keepRunning;
  void startThreads() {
    for (auto& thread : threads) {
      keepRunning.push_back(net::make_work_guard(thread->context()));
      thread->startSweeping();
    }
  }
  void stopThreads() {
    if (state.cluster) state.cluster->stop();
    if (bus) bus->stop();
    stopSfu();
    for (auto& thread : threads)
      net::post(thread->context(), [t = thread.get()] { t->stopSweeping(); });
    keepRunning.clear();
  }
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
  log::setLevel(impl_->state.config.logLevel);
}

Server::~Server() = default;

bool Server::listen() {
  auto& s = impl_->state;
  beast::error_code ec;
  if (!s.config.tlsCert.empty()) {
    s.tls.emplace(net::ssl::context::tls_server);
    s.tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1,
                       ec);
    if (!ec) s.tls->use_certificate_chain_file(s.config.tlsCert, ec);
    if (!ec) s.tls->use_private_key_file(s.config.tlsKey, net::ssl::context::pem, ec);
    if (ec) {
      error_ = "cannot load TLS certificate/key: " + ec.message();
      return false;
    }
  }
  const auto address = net::ip::make_address(s.config.host, ec);
  if (ec) {
    error_ = "invalid --host '" + s.config.host + "'";
    return false;
  }
  const tcp::endpoint endpoint(address, s.config.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error_ = "cannot listen on " + s.config.host + ":" + std::to_string(s.config.port) + ": " +
             ec.message();
    return false;
  }
  impl_->port = acceptor.local_endpoint(ec).port();
  s.origins = OriginPolicy{
      s.config.publicHosts.empty() ? defaultPublicHosts(s.config.host) : s.config.publicHosts,
      s.config.allowedOrigins, impl_->port};
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      s.config.maxConnections + 32 > files.rlim_cur)
    log::warn("max_connections_over_fd_limit",
              {{"max_connections", std::to_string(s.config.maxConnections)},
               {"nofile", std::to_string(files.rlim_cur)}});
  loadState();
  log::info("listening", {{"url", url()}, {"root", s.config.root}});
  impl_->startCluster();
  impl_->startSfu();
  impl_->accept();
  impl_->scheduleTick();
  return true;
}

void Server::run() {
  impl_->startThreads();
  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < impl_->threads.size(); ++i)
    workers.emplace_back([thread = impl_->threads[i].get()] { thread->run(); });
  impl_->threads[0]->run();
  for (auto& worker : workers) worker.join();
  saveState();
}

bool Server::loadState() {
  const std::string& file = impl_->state.config.stateFile;
  if (file.empty() || !std::filesystem::exists(file)) return true;
  std::ifstream in(file);
  const auto state = nlohmann::json::parse(in, nullptr, false);
  const auto restored =
      state.is_discarded() ? std::nullopt : impl_->state.registry.with([&](RoomRegistry& r) {
        return r.importState(state, std::chrono::steady_clock::now());
      });
  std::error_code ignored;
  std::filesystem::remove(file, ignored);  // consumed: a later crash must not resurrect it
  if (!restored) {
    log::warn("state_ignored", {{"file", file}, {"reason", "malformed"}});
    return false;
  }
  log::info("state_restored", {{"file", file},
                               {"peers", std::to_string(*restored)},
                               {"rooms", std::to_string(impl_->state.registry.with(
                                             [](RoomRegistry& r) { return r.roomCount(); }))}});
  return true;
}

namespace {

// Writes `text` to `file` through a fresh temporary beside it: mkstemp (O_EXCL, mode 0600,
// so a planted FILE.tmp, symlink or not, is never opened), fsync, then rename over `file`.
// Returns an empty string, or what failed.
std::string writePrivateFile(const std::string& file, const std::string& text) {
  std::string temp = file + ".XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return std::string("mkstemp: ") + std::strerror(errno);
  std::string error;
  if (::fchmod(fd, 0600) != 0) error = std::string("fchmod: ") + std::strerror(errno);
  for (std::size_t done = 0; error.empty() && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = std::string("write: ") + std::strerror(errno);
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (error.empty() && ::fsync(fd) != 0) error = std::string("fsync: ") + std::strerror(errno);
  if (::close(fd) != 0 && error.empty()) error = std::string("close: ") + std::strerror(errno);
  if (error.empty() && ::rename(temp.c_str(), file.c_str()) != 0)
    error = std::string("rename: ") + std::strerror(errno);
  if (!error.empty()) ::unlink(temp.c_str());
  return error;
}

}  // namespace

void Server::saveState() {
  const std::string& file = impl_->state.config.stateFile;
  if (file.empty()) return;
  // Resume tokens are secrets: the file is private, and replaced atomically.
  const std::string error = writePrivateFile(
      file, impl_->state.registry.with([](RoomRegistry& r) { return r.exportState().dump(); }));
  if (!error.empty()) {
    log::warn("state_not_saved", {{"file", file}, {"error", error}});
    return;
  }
  log::info("state_saved", {{"file", file},
                            {"peers", std::to_string(impl_->state.registry.with(
                                          [](RoomRegistry& r) { return r.peerCount(); }))}});
}

void Server::stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->beginStop(); });
}

void Server::stopOnSignals() {
  impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([impl = impl_.get()](beast::error_code ec, int signal) {
    if (ec) return;
    log::info("signal", {{"signal", std::to_string(signal)}});
    impl->beginStop();
  });
}

std::uint16_t Server::port() const {
  return impl_->port;
}

std::string Server::url() const {
  const auto& c = impl_->state.config;
  const bool v6 = c.host.find(':') != std::string::npos;
  return std::string(impl_->state.tls ? "https" : "http") + "://" +
         (v6 ? "[" + c.host + "]" : c.host) + ":" + std::to_string(impl_->port);
}

}  // namespace vroom::server
