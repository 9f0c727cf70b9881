// vroom-loadgen: thousands of WebSocket clients in rooms of four against vroom, PeerJS's
// server or a socket.io relay. Progress goes to stderr, results to stdout as key=value lines.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "load_driver.hpp"

namespace po = boost::program_options;
using namespace vroom::bench;

int main(int argc, char* argv[]) {
  DriverOptions options;
  std::string proto = "vroom";
  std::string mode = "relay";
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> sources;
  std::vector<int> alsoPorts;
  po::options_description desc(
      "Usage: vroom-loadgen --proto P --port N [OPTION]...\n"
      "Relay mode: closed-loop saturation, then open-loop latency at a fraction of it.\n"
      "Idle mode: the server's RSS before and after opening the clients.\n"
      "Abuse mode: open-loop latency at --honest-rate, alone and beside --abusive clients.\n\n"
      "Options");
  desc.add_options()("help,h", "print this help")("proto", po::value(&proto),
                                                  "vroom, peerjs or socketio (default vroom)")(
      "mode", po::value(&mode), "relay or idle (default relay)")(
      "host", po::value(&host), "server address (default 127.0.0.1)")("port", po::value(&port),
                                                                      "server port")(
      "also-port", po::value(&alsoPorts)->composing(),
      "another node of the same cluster (repeatable): clients go round-robin over the nodes")(
      "source", po::value(&sources)->composing(),
      "source address to bind clients to (repeatable; default 127.0.0.1)")(
      "clients", po::value(&options.clients), "connections, a multiple of the room size")(
      "room-size", po::value(&options.roomSize), "clients per room (default 4)")(
      "room-prefix", po::value(&options.roomPrefix), "room / peer id prefix (default b)")(
      "connect-window", po::value(&options.connectWindow), "handshakes in flight (default 256)")(
      "window", po::value(&options.window), "signals in flight per client when saturating")(
      "warmup", po::value(&options.warmupSeconds), "seconds before each measurement (default 1)")(
      "seconds", po::value(&options.seconds), "seconds per measurement (default 5)")(
      "latency-fraction", po::value(&options.latencyFraction),
      "open-loop rate as a fraction of saturation (default 0.5)")(
      "server-pid", po::value(&options.serverPid),
      "the server process: its RSS (idle mode) or CPU time (relay mode)")(
      "settle", po::value(&options.settleSeconds), "idle mode: seconds before reading RSS")(
      "honest-rate", po::value(&options.abuseHonestRate),
      "abuse mode: the honest clients' open-loop signals/s (default 5000)")(
      "abusive", po::value(&options.abusive),
      "abuse mode: abusive clients, a multiple of the room size (default 0)")(
      "abusive-rate", po::value(&options.abusiveRate),
      "abuse mode: signals/s each abusive client sends, at most what the server's welcome "
      "allows (default 50)")(
      "abusive-bytes", po::value(&options.abusiveBytes),
      "abuse mode: bytes per abusive signal, nested data included (default 65536)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "vroom-loadgen: " << e.what() << '\n';
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << '\n';
    return 0;
  }
  if (!protoFromString(proto, options.proto) ||
      (mode != "relay" && mode != "idle" && mode != "abuse") || port <= 0 || port > 65535 ||
      options.roomSize < 2 || options.clients == 0 || options.clients % options.roomSize != 0 ||
      options.abusive % options.roomSize != 0 || (mode == "abuse") != (options.abusive > 0) ||
      (mode == "idle" && options.serverPid <= 0)) {
    std::cerr << "vroom-loadgen: bad options (try --help)\n";
    return 2;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) {
    std::cerr << "vroom-loadgen: bad --host " << host << '\n';
    return 2;
  }
  options.server = {address, static_cast<unsigned short>(port)};
  for (const int other : alsoPorts) {
    if (other <= 0 || other > 65535) {
      std::cerr << "vroom-loadgen: bad --also-port " << other << '\n';
      return 2;
    }
    options.moreServers.emplace_back(address, static_cast<unsigned short>(other));
  }
  if (sources.empty()) sources.push_back("127.0.0.1");
  for (const auto& source : sources) {
    options.sources.push_back(boost::asio::ip::make_address(source, ec));
    if (ec) {
      std::cerr << "vroom-loadgen: bad --source " << source << '\n';
      return 2;
    }
  }

  LoadDriver driver(options);
  std::printf("proto=%s\nclients=%zu\n", proto.c_str(), options.clients);
  if (mode == "idle") {
    IdleResult idle;
    if (!driver.runIdle(idle)) {
      std::cerr << "vroom-loadgen: " << driver.error() << '\n';
      return 1;
    }
    std::printf("rss_before_kb=%ld\nrss_after_kb=%ld\nrss_per_conn_bytes=%.0f\n", idle.rssBeforeKb,
                idle.rssAfterKb, idle.bytesPerConnection);
    return 0;
  }
  if (!driver.connectAll()) {
    std::cerr << "vroom-loadgen: " << driver.error() << '\n';
    return 1;
  }
  if (mode == "abuse") {
    const AbuseResult abuse = driver.runAbuse();
    std::printf(
        "calm_p50_us=%.0f\ncalm_p99_us=%.0f\nabuse_p50_us=%.0f\nabuse_p99_us=%.0f\n"
        "abuse_offered_per_s=%.0f\nabuse_heavy_per_s=%.0f\nabuse_server_cpu_share=%.2f\n"
        "abuse_failed_clients=%zu\nabuse_rate_per_client=%.2f\n",
        abuse.calmP50Us, abuse.calmP99Us, abuse.p50Us, abuse.p99Us, abuse.offeredPerSecond,
        abuse.heavyDeliveredPerSecond, abuse.serverCpuShare, driver.failedCount(),
        abuse.abusiveRatePerClient);
    return 0;
  }
  const RelayResult relay = driver.runRelay();
  std::printf(
      "saturation_msgs_per_s=%.0f\nsaturation_p50_us=%.0f\nserver_cpu_us_per_msg=%.2f\n"
      "server_user_us_per_msg=%.2f\nserver_system_us_per_msg=%.2f\n"
      "server_cpu_share=%.2f\ngenerator_cpu_share=%.2f\nlatency_offered_per_s=%.0f\n"
      "latency_delivered_per_s=%.0f\nlatency_p50_us=%.0f\nlatency_p99_us=%.0f\nlost=%llu\n",
      relay.saturationPerSecond, relay.saturationP50Us, relay.serverCpuUsPerMessage,
      relay.serverCpuUsPerMessage < 0 ? -1.0 : relay.serverCpuUsPerMessage - relay.serverSystemUsPerMessage,
      relay.serverSystemUsPerMessage, relay.serverCpuShare, relay.generatorCpuShare, relay.offeredPerSecond,
      relay.deliveredPerSecond, relay.p50Us, relay.p99Us,
      static_cast<unsigned long long>(relay.lost));
  return 0;
}
