// LoadDriver: the connect window, the closed loop that finds saturation, the paced open loop
// that measures latency at a fraction of it, and the idle-memory experiment.
#include "load_driver.hpp"

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <boost/asio/steady_timer.hpp>

#include "payload.hpp"
#include "process_stats.hpp"

namespace vroom::bench {

namespace {

double secondsSince(std::uint64_t startNanos) {
  return static_cast<double>(steadyNanos() - startNanos) / 1e9;
}

}  // namespace

LoadDriver::LoadDriver(DriverOptions options)
    : options_(std::move(options)),
      payload_(makePayload()),
      // The envelope around the data ({"type":"signal","to":"<peer id>","data":…}) fits in
      // 128 bytes: the whole message stays within abusiveBytes.
      heavyData_(options_.abusive > 0 && options_.abusiveBytes > 256
                     ? makeHeavyData(options_.abusiveBytes - 128)
                     : std::string()) {}

template <class Pred>
bool LoadDriver::runUntil(Pred done, double timeoutSeconds) {
  const std::uint64_t start = steadyNanos();
  while (!done()) {
    if (secondsSince(start) >= timeoutSeconds) return false;
    if (ioc_.stopped()) ioc_.restart();
    ioc_.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

void LoadDriver::runFor(double seconds) {
  const std::uint64_t start = steadyNanos();
  runUntil([&] { return secondsSince(start) >= seconds; }, seconds + 1);
}

bool LoadDriver::connectAll() {
  const std::size_t n = options_.clients + options_.abusive;  // abusive ones last
  clients_.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    clients_.push_back(std::make_shared<WsClient>(
        ioc_, i, makeProtocolClient(options_.proto, i, options_.roomSize, options_.roomPrefix),
        *this));
  std::cerr << "loadgen: " << toString(options_.proto) << ": opening " << n << " clients\n";
  const std::uint64_t start = steadyNanos();
  startNext();
  std::size_t lastReported = 0;
  const bool done = runUntil(
      [&] {
        if (ready_ >= lastReported + 5000) {
          lastReported = ready_;
          std::cerr << "loadgen:   " << ready_ << " ready\n";
        }
        return ready_ + failed_ >= n;
      },
      options_.connectTimeoutSeconds);
  if (failed_ > 0) {
    error_ = std::to_string(failed_) + " of " + std::to_string(n) +
             " clients failed; first: " + firstFailure_;
    return false;
  }
  if (!done) {
    error_ =
        "only " + std::to_string(ready_) + " of " + std::to_string(n) + " clients ready in time";
    return false;
  }
  std::cerr << "loadgen:   all " << n << " ready in " << secondsSince(start) << " s\n";
  return true;
}

void LoadDriver::startNext() {
  while (started_ < clients_.size() && connecting_ < options_.connectWindow) {
    const auto& source = options_.sources[started_ % options_.sources.size()];
    ++connecting_;
    const std::size_t node = started_ % (options_.moreServers.size() + 1);
    clients_[started_++]->start(node == 0 ? options_.server : options_.moreServers[node - 1],
                                source);
  }
}

void LoadDriver::onOpened(WsClient&) {
  --connecting_;
  startNext();
}

void LoadDriver::onReady(WsClient& client) {
  ++ready_;
  ProtocolClient& protocol = client.protocol();
  for (std::size_t mate = 0; mate < protocol.mateCount(); ++mate) {
    client.templates.push_back(
        protocol.signalFrame(mate, isAbusive(client) ? heavyData_ : payload_));
    client.stampOffsets.push_back(stampOffset(client.templates.back()));
  }
  client.nextMate = client.index();  // spread the first targets across the room
}

void LoadDriver::onFailed(WsClient& client, const std::string& why) {
  ++failed_;
  if (firstFailure_.empty())
    firstFailure_ = "client " + std::to_string(client.index()) + ": " + why;
}

void LoadDriver::sendSignal(WsClient& client) {
  if (client.templates.empty() || client.failed()) return;
  const std::size_t mate = client.nextMate++ % client.templates.size();
  std::string frame = client.templates[mate];
  // Abusive clients' heavy data carries no stamp.
  if (client.stampOffsets[mate] != std::string::npos)
    writeStamp(frame, client.stampOffsets[mate], steadyNanos());
  ++sent_;
  client.send(std::move(frame));
}

void LoadDriver::onSignal(WsClient& client, std::string_view frame) {
  ++received_;
  if (isAbusive(client)) {
    ++heavyReceived_;
    return;
  }
  if (measuring_) {
    ++measuredReceived_;
    if (const auto stamp = readStamp(frame)) samples_.add(steadyNanos() - *stamp);
  }
  // Closed loop: every delivery puts one signal back in flight, so the number in flight
  // stays clients * window and the server, not a queue, sets the pace.
  if (traffic_ == Traffic::ClosedLoop) sendSignal(client);
}

void LoadDriver::drain() {
  traffic_ = Traffic::None;
  paceTimer_.cancel();
  runUntil([&] { return received_ >= sent_ || failed_ > 0; }, 5);
}

void LoadDriver::paceOpenLoop() {
  // Open loop: sends follow the clock, whatever the server's pace, spread round-robin over
  // the clients. A 1 ms tick keeps bursts at rate/1000 messages.
  if (traffic_ != Traffic::OpenLoop) return;
  const auto due = static_cast<std::uint64_t>(paceRate_ * secondsSince(paceStart_));
  while (openLoopSent_ < due) {
    sendSignal(*clients_[nextSender_++ % options_.clients]);
    ++openLoopSent_;
  }
  const auto abusiveDue = static_cast<std::uint64_t>(abusiveRate_ * secondsSince(paceStart_));
  while (abusiveSent_ < abusiveDue) {
    sendSignal(*clients_[options_.clients + nextAbuser_++ % options_.abusive]);
    ++abusiveSent_;
  }
  paceTimer_.expires_after(std::chrono::milliseconds(1));
  paceTimer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) paceOpenLoop();
  });
}

RelayResult LoadDriver::runRelay() {
  RelayResult result;
  // 1. Saturation: closed loop, every client keeps `window` signals circulating.
  std::cerr << "loadgen: " << toString(options_.proto) << ": saturation, "
            << options_.clients * options_.window << " signals in flight, " << options_.seconds
            << " s\n";
  traffic_ = Traffic::ClosedLoop;
  for (std::size_t w = 0; w < options_.window; ++w)
    for (auto& client : clients_) sendSignal(*client);
  runFor(options_.warmupSeconds);
  samples_.clear();
  measuredReceived_ = 0;
  measuring_ = true;
  const CpuTimes cpuStart = options_.serverPid > 0 ? readCpuTimes(options_.serverPid) : CpuTimes{};
  const double ownCpuStart = readCpuSeconds(static_cast<int>(::getpid()));
  std::uint64_t start = steadyNanos();
  runFor(options_.seconds);
  const double wall = secondsSince(start);
  result.saturationPerSecond = static_cast<double>(measuredReceived_) / wall;
  // Near 1.0 the generator, not the server, would be the limit.
  result.generatorCpuShare = (readCpuSeconds(static_cast<int>(::getpid())) - ownCpuStart) / wall;
  measuring_ = false;
  const CpuTimes cpuEnd = options_.serverPid > 0 ? readCpuTimes(options_.serverPid) : CpuTimes{};
  if (cpuStart.total() >= 0 && cpuEnd.total() >= 0 && measuredReceived_ > 0) {
    // CPU time, unlike wall time, is not stolen by other work sharing the core.
    const double perMessage = 1e6 / static_cast<double>(measuredReceived_);
    result.serverCpuUsPerMessage = (cpuEnd.total() - cpuStart.total()) * perMessage;
    result.serverSystemUsPerMessage = (cpuEnd.system - cpuStart.system) * perMessage;
    result.serverCpuShare = (cpuEnd.total() - cpuStart.total()) / wall;
  }
  result.saturationP50Us = samples_.percentileUs(50);
  drain();

  // 2. Latency: open loop at a fraction of the saturation rate.
  const double rate = result.saturationPerSecond * options_.latencyFraction;
  std::cerr << "loadgen: " << toString(options_.proto) << ": saturated at "
            << std::lround(result.saturationPerSecond) << " msg/s; latency at " << std::lround(rate)
            << " msg/s, " << options_.seconds << " s\n";
  traffic_ = Traffic::OpenLoop;
  openLoopSent_ = 0;
  paceRate_ = rate;
  paceStart_ = steadyNanos();
  paceOpenLoop();
  runFor(options_.warmupSeconds);
  samples_.clear();
  measuredReceived_ = 0;
  const std::uint64_t sentBefore = sent_;
  measuring_ = true;
  start = steadyNanos();
  runFor(options_.seconds);
  const double elapsed = secondsSince(start);
  measuring_ = false;
  result.offeredPerSecond = static_cast<double>(sent_ - sentBefore) / elapsed;
  result.deliveredPerSecond = static_cast<double>(measuredReceived_) / elapsed;
  result.p50Us = samples_.percentileUs(50);
  result.p99Us = samples_.percentileUs(99);
  drain();
  result.lost = sent_ > received_ ? sent_ - received_ : 0;
  return result;
}

void LoadDriver::measureOpenLoop(double& p50Us, double& p99Us, double& offeredPerSecond) {
  traffic_ = Traffic::OpenLoop;
  openLoopSent_ = 0;
  abusiveSent_ = 0;
  paceStart_ = steadyNanos();
  paceOpenLoop();
  runFor(options_.warmupSeconds);
  samples_.clear();
  const std::uint64_t sentBefore = openLoopSent_;
  measuring_ = true;
  const std::uint64_t start = steadyNanos();
  runFor(options_.seconds);
  const double elapsed = secondsSince(start);
  measuring_ = false;
  offeredPerSecond = static_cast<double>(openLoopSent_ - sentBefore) / elapsed;
  p50Us = samples_.percentileUs(50);
  p99Us = samples_.percentileUs(99);
  drain();
}

AbuseResult LoadDriver::runAbuse() {
  AbuseResult result;
  paceRate_ = options_.abuseHonestRate;
  std::cerr << "loadgen: " << toString(options_.proto) << ": " << std::lround(paceRate_)
            << " honest signals/s alone, " << options_.seconds << " s\n";
  abusiveRate_ = 0;
  double offered = 0;
  measureOpenLoop(result.calmP50Us, result.calmP99Us, offered);
  // The heaviest load the limits allow: as many heavy frames as the server lets each send.
  const WsClient& abuser = *clients_[options_.clients];
  const std::size_t frameBytes = abuser.templates.empty() ? 0 : abuser.templates.front().size();
  result.abusiveRatePerClient =
      std::min(options_.abusiveRate, abuser.protocol().allowedPerSecond(frameBytes));
  abusiveRate_ = result.abusiveRatePerClient * static_cast<double>(options_.abusive);
  std::cerr << "loadgen: the same with " << options_.abusive << " abusive clients sending "
            << result.abusiveRatePerClient << " signals/s each of " << frameBytes
            << " bytes nested 32 deep\n";
  const double cpuStart = options_.serverPid > 0 ? readCpuSeconds(options_.serverPid) : -1;
  const std::uint64_t heavyBefore = heavyReceived_;
  const std::uint64_t start = steadyNanos();
  measureOpenLoop(result.p50Us, result.p99Us, result.offeredPerSecond);
  const double wall = secondsSince(start);  // includes warm-up and drain: a rate, not a sum
  result.heavyDeliveredPerSecond = static_cast<double>(heavyReceived_ - heavyBefore) / wall;
  if (cpuStart >= 0) result.serverCpuShare = (readCpuSeconds(options_.serverPid) - cpuStart) / wall;
  abusiveRate_ = 0;
  return result;
}

bool LoadDriver::runIdle(IdleResult& result) {
  result.rssBeforeKb = readRssKb(options_.serverPid);
  if (result.rssBeforeKb < 0) {
    error_ = "cannot read /proc/" + std::to_string(options_.serverPid) + "/status";
    return false;
  }
  if (!connectAll()) return false;
  // Let the server finish its per-connection work (and a GC-ed runtime settle) before reading.
  runFor(options_.settleSeconds);
  result.rssAfterKb = readRssKb(options_.serverPid);
  result.bytesPerConnection = static_cast<double>(result.rssAfterKb - result.rssBeforeKb) * 1024.0 /
                              static_cast<double>(options_.clients);
  return result.rssAfterKb >= 0;
}

}  // namespace vroom::bench
