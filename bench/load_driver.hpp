// The traffic driver: opens the clients, then runs one of four experiments on one io thread:
// closed-loop saturation followed by open-loop latency at a fraction of it, idle memory, or
// open-loop latency at a given rate while abusive clients send the heaviest signals.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "latency_samples.hpp"
#include "ws_client.hpp"

namespace vroom::bench {

struct DriverOptions {
  Proto proto = Proto::Vroom;
  boost::asio::ip::tcp::endpoint server;
  // More servers (cluster nodes, --redis): client i connects to the (i mod n)th of `server`
  // and these, so every room's members are spread over the nodes.
  std::vector<boost::asio::ip::tcp::endpoint> moreServers;
  std::vector<boost::asio::ip::address> sources;  // round-robin source addresses
  std::size_t clients = 2000;
  std::size_t roomSize = 4;
  std::string roomPrefix = "b";
  std::size_t connectWindow = 256;  // handshakes in flight at once
  double connectTimeoutSeconds = 120;
  // relay
  std::size_t window = 4;  // signals each client keeps circulating in the closed loop
  double warmupSeconds = 1;
  double seconds = 5;
  double latencyFraction = 0.5;  // open-loop rate as a fraction of the measured saturation
  // abuse: honest clients' open-loop rate, plus `abusive` more clients (in rooms of their
  // own) each sending `abusiveRate` signals/s of `abusiveBytes` of data nested 32 deep, or
  // fewer if that is more than the server's announced limits allow
  double abuseHonestRate = 5000;
  std::size_t abusive = 0;
  double abusiveRate = 50;
  std::size_t abusiveBytes = 64 * 1024;  // whole message, the server's default cap
  int serverPid = 0;                     // relay: CPU accounting (optional); idle: RSS (required)
  // idle
  double settleSeconds = 2;
};

struct RelayResult {
  double saturationPerSecond = 0;
  double saturationP50Us = 0;         // latency while saturated (closed loop: queueing included)
  double serverCpuUsPerMessage = -1;  // server CPU (user+sys) per delivered signal; -1: no pid
  double serverSystemUsPerMessage = -1;  // the kernel's part of it (system time); -1: no pid
  double serverCpuShare = -1;         // server CPU seconds per wall second while saturated
  double generatorCpuShare = 0;       // the same for this process
  double offeredPerSecond = 0;
  double deliveredPerSecond = 0;
  double p50Us = 0;
  double p99Us = 0;
  std::uint64_t lost = 0;  // sent in the open-loop window but not delivered by its end + drain
};

struct AbuseResult {
  double calmP50Us = 0;  // honest clients alone at the rate
  double calmP99Us = 0;
  double p50Us = 0;  // the same while the abusive clients send
  double p99Us = 0;
  double offeredPerSecond = 0;  // honest signals sent per second while abused
  double heavyDeliveredPerSecond = 0;
  double abusiveRatePerClient = 0;  // what each abusive client sent: the limits' most
  double serverCpuShare = -1;  // server CPU seconds per wall second while abused
};

struct IdleResult {
  long rssBeforeKb = 0;
  long rssAfterKb = 0;
  double bytesPerConnection = 0;
};

class LoadDriver final : public WsClientListener {
 public:
  explicit LoadDriver(DriverOptions options);

  // Opens every client and waits until all are ready. False (with error()) on failure.
  bool connectAll();
  RelayResult runRelay();
  AbuseResult runAbuse();
  // Reads the server's RSS, connects, settles, reads it again.
  bool runIdle(IdleResult& result);
  const std::string& error() const { return error_; }
  std::size_t failedCount() const { return failed_; }  // clients closed or refused

  void onOpened(WsClient& client) override;
  void onReady(WsClient& client) override;
  void onSignal(WsClient& client, std::string_view frame) override;
  void onFailed(WsClient& client, const std::string& why) override;

 private:
  enum class Traffic { None, ClosedLoop, OpenLoop };

  void startNext();
  void sendSignal(WsClient& client);
  void runFor(double seconds);
  template <class Pred>
  bool runUntil(Pred done, double timeoutSeconds);
  void drain();
  void paceOpenLoop();
  // One open-loop window at paceRate_ (after warm-up): fills p50/p99 and the offered rate.
  void measureOpenLoop(double& p50Us, double& p99Us, double& offeredPerSecond);
  bool isAbusive(const WsClient& client) const { return client.index() >= options_.clients; }

  DriverOptions options_;
  boost::asio::io_context ioc_{1};
  std::vector<std::shared_ptr<WsClient>> clients_;
  std::size_t started_ = 0;
  std::size_t connecting_ = 0;
  std::size_t ready_ = 0;
  std::size_t failed_ = 0;
  std::string firstFailure_;
  std::string error_;
  std::string payload_;

  Traffic traffic_ = Traffic::None;
  bool measuring_ = false;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
  std::uint64_t measuredReceived_ = 0;
  std::uint64_t openLoopSent_ = 0;
  std::size_t nextSender_ = 0;
  boost::asio::steady_timer paceTimer_{ioc_};
  double paceRate_ = 0;
  std::uint64_t paceStart_ = 0;
  double abusiveRate_ = 0;  // all abusive clients together, signals/s (0: none)
  std::uint64_t abusiveSent_ = 0;
  std::size_t nextAbuser_ = 0;
  std::uint64_t heavyReceived_ = 0;
  std::string heavyData_;
  LatencySamples samples_;
};

}  // namespace vroom::bench
