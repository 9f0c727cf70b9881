// The command-line parser for vroom-server (see server_config.hpp).
#include "server_config.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "janus_client.hpp"
#include "redis_bus.hpp"

namespace vroom::server {

namespace po = boost::program_options;

namespace {

bool parsePort(const std::string& text, std::uint16_t& port) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const unsigned long value = std::stoul(text);
  if (value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

ParsedOptions failWith(std::string message) {
  return ParsedOptions{std::nullopt, "vroom-server: " + message + "\nTry 'vroom-server --help'.\n",
                       2};
}

}  // namespace

std::optional<std::string> readSecretFile(const std::string& name, const std::string& path,
                                          std::string& secret) {
  if (path.empty()) return std::nullopt;
  if (!secret.empty()) return "--" + name + " and --" + name + "-file exclude each other";
  std::ifstream file(path);
  if (!file || !std::getline(file, secret))
    return "cannot read the " + name + " from '" + path + "'";
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  if (secret.empty()) return "the " + name + " file '" + path + "' is empty";
  return std::nullopt;
}

std::size_t defaultMaxConnections() {
  constexpr std::size_t kReserved = 32, kCeiling = 10000;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kCeiling;
  const auto soft = static_cast<std::size_t>(limit.rlim_cur);
  if (soft <= kReserved + 2) return 1;
  return std::min(kCeiling, (soft - kReserved) / 2);
}

ParsedOptions parseOptions(int argc, const char* const argv[], const char* envPort) {
  ServerConfig config;
  std::string port;
  std::string logLevel = "info";
  std::vector<std::string> iceServers;
  std::string turnSecretFile;
  std::string metricsTokenFile;
  std::string tokenSecretFile;
  std::string janusSecretFile;
  std::size_t meshMax = config.sfu.meshMax;
  long long turnTtlSeconds = config.turn.ttl.count();
  double rate = config.registry.limits.messagesPerSecond;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  long long idleSeconds = duration_cast<seconds>(config.idleTimeout).count();
  long long handshakeSeconds = duration_cast<seconds>(config.registry.handshakeTimeout).count();
  long long resumeSeconds = duration_cast<seconds>(config.registry.resumeWindow).count();
  std::size_t maxMessage = config.registry.limits.maxMessageBytes;
  std::size_t maxRoom = config.registry.limits.maxRoomSize;
  std::size_t maxConnections = config.maxConnections;
  std::size_t maxPerAddress = config.maxConnectionsPerAddress;
  std::size_t maxChat = config.registry.limits.maxChatChars;
  std::size_t burst = config.registry.burst;
  double byteRate = config.registry.limits.bytesPerSecond;
  std::size_t byteBurst = config.registry.byteBurst;
  std::size_t threads = config.threads;

  po::options_description desc(
      "Usage: vroom-server [OPTION]...\n"
      "       vroom-server token --help   (mint a join token)\n"
      "Serve the vroom web client over HTTP(S) and its signaling WebSocket at /ws.\n\nOptions");
  desc.add_options()("help,h", "print this help and exit")(
      "version,V", "print the version and exit")("host",
                                                 po::value(&config.host)->value_name("ADDR"),
                                                 "address to listen on (default 127.0.0.1)")(
      "port,p", po::value(&port)->value_name("N"),
      "port to listen on; 0 picks a free one (default $PORT, else 8080)")(
      "root", po::value(&config.root)->value_name("DIR"),
      "static files to serve (default ./build/wasm/site)")(
      "max-message-bytes", po::value(&maxMessage)->value_name("N"),
      "largest accepted message (default 65536)")(
      "max-room-size", po::value(&maxRoom)->value_name("N"), "most peers in one room (default 16)")(
      "max-connections", po::value(&maxConnections)->value_name("N"),
      "most open connections; more are refused (default: half of the open-file limit less 32, "
      "at most 10000)")(
      "max-connections-per-address", po::value(&maxPerAddress)->value_name("N"),
      "most open connections from one IP address, loopback included; 0 = no cap (default 64)")(
      "max-chat-chars", po::value(&maxChat)->value_name("N"),
      "longest chat message in characters (default 1000)")(
      "rate", po::value(&rate)->value_name("N"),
      "messages (and WebSocket pings/pongs) per second per connection, 0 = unlimited "
      "(default 50)")("burst", po::value(&burst)->value_name("N"),
                      "messages a connection may send at once (default 100)")(
      "byte-rate", po::value(&byteRate)->value_name("N"),
      "bytes of messages per second per connection, 0 = unlimited (default 65536)")(
      "byte-burst", po::value(&byteBurst)->value_name("N"),
      "bytes a connection may send at once, at least --max-message-bytes (default 1048576)")(
      "idle-timeout", po::value(&idleSeconds)->value_name("SECONDS"),
      "close a silent socket after this; pings at half (default 30)")(
      "handshake-timeout", po::value(&handshakeSeconds)->value_name("SECONDS"),
      "close a socket that sends no hello by then (default 15)")(
      "resume-window", po::value(&resumeSeconds)->value_name("SECONDS"),
      "how long a dropped peer may resume (default 60)")(
      "allowed-origin", po::value(&config.allowedOrigins)->value_name("ORIGIN")->composing(),
      "extra Origin allowed on /ws, e.g. https://app.example.org (repeatable; default: the "
      "public hosts only)")(
      "public-host", po::value(&config.publicHosts)->value_name("HOST[:PORT]")->composing(),
      "a name this server's page is served under, e.g. vroom.example.org (repeatable); browsers "
      "may open /ws only from these or from an address literal (default: localhost and the "
      "listening address)")(
      "token-secret", po::value(&config.registry.tokenSecret)->value_name("SECRET"),
      "admit only holders of a join token signed with SECRET (HS256 JWT; mint one with "
      "`vroom-server token`); room passwords are then off")(
      "token-secret-file", po::value(&tokenSecretFile)->value_name("FILE"),
      "read the token secret from the first line of FILE (keeps it out of `ps`)")(
      "metrics-token", po::value(&config.metricsToken)->value_name("TOKEN"),
      "serve /metrics to any client sending `Authorization: Bearer TOKEN` (default: loopback "
      "clients only, no token)")("metrics-token-file",
                                 po::value(&metricsTokenFile)->value_name("FILE"),
                                 "read the metrics token from the first line of FILE")(
      "tls-cert", po::value(&config.tlsCert)->value_name("FILE"),
      "PEM certificate chain: serve HTTPS and WSS")(
      "tls-key", po::value(&config.tlsKey)->value_name("FILE"), "PEM private key for --tls-cert")(
      "state-file", po::value(&config.stateFile)->value_name("FILE"),
      "keep rooms and sessions across a graceful restart: written on SIGTERM/SIGINT, read and "
      "removed at start")(
      "redis", po::value(&config.redisUrl)->value_name("URL"),
      "share rooms with other nodes through Redis at redis://HOST:PORT (docs/architecture.md, "
      "Cluster)")("node-id", po::value(&config.nodeId)->value_name("ID"),
                  "this node's name in the cluster, unique among the nodes (default: random)")(
      "ice-server", po::value(&iceServers)->value_name("URL")->composing(),
      "STUN/TURN URL handed to clients (repeatable); turn:user:pass@host form carries "
      "credentials that every visitor receives: prefer --turn-secret")(
      "turn-secret", po::value(&config.turn.secret)->value_name("SECRET"),
      "coturn's static-auth-secret: give each client its own short-lived TURN credentials")(
      "turn-secret-file", po::value(&turnSecretFile)->value_name("FILE"),
      "read the TURN secret from the first line of FILE (keeps it out of `ps`)")(
      "turn-url", po::value(&config.turn.urls)->value_name("URL")->composing(),
      "TURN server for minted credentials, e.g. turn:turn.example.org:3478?transport=udp, "
      "turns:turn.example.org:5349?transport=tcp (repeatable)")(
      "turn-ttl", po::value(&turnTtlSeconds)->value_name("SECONDS"),
      "lifetime of minted TURN credentials; renewed at half (default 3600)")(
      "janus", po::value(&config.sfu.janusUrl)->value_name("URL"),
      "Janus WebSocket API, e.g. ws://127.0.0.1:8188, for rooms larger than --mesh-max and "
      "broadcasts (docs/sfu.md; default: none, every room peer-to-peer)")(
      "janus-secret", po::value(&config.sfu.janusSecret)->value_name("SECRET"),
      "Janus's api_secret (and VideoRoom admin_key)")(
      "janus-secret-file", po::value(&janusSecretFile)->value_name("FILE"),
      "read the Janus secret from the first line of FILE (keeps it out of `ps`)")(
      "mesh-max", po::value(&meshMax)->value_name("N"),
      "most people in a peer-to-peer room; a larger one moves to Janus (default 4)")(
      "threads", po::value(&threads)->value_name("N"),
      "io threads serving connections, 0 = one per core (default 1)")(
      "log-level", po::value(&logLevel)->value_name("LEVEL"),
      "debug, info, warn, error or off (default info)");

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    return failWith(e.what());
  }
  std::ostringstream text;
  if (vm.count("help")) {
    text << desc
         << "\nExit status: 0 on a clean shutdown (SIGTERM/SIGINT), 2 on bad options,\n"
            "1 when the server cannot start.\n";
    return ParsedOptions{std::nullopt, text.str(), 0};
  }
  if (vm.count("version"))
    return ParsedOptions{std::nullopt, "vroom-server " + std::string(kServerVersion) + "\n", 0};

  if (port.empty() && envPort && *envPort) port = envPort;
  if (!port.empty() && !parsePort(port, config.port))
    return failWith("invalid port '" + port + "'");
  const auto level = log::levelFromString(logLevel);
  if (!level) return failWith("invalid log level '" + logLevel + "'");
  config.logLevel = *level;
  if (config.tlsCert.empty() != config.tlsKey.empty())
    return failWith("--tls-cert and --tls-key go together");
  if (maxMessage < 256 || maxMessage > 16 * 1024 * 1024)
    return failWith("--max-message-bytes must be between 256 and 16777216");
  if (maxRoom < 1) return failWith("--max-room-size must be at least 1");
  if (vm.count("max-connections") && maxConnections < 1)
    return failWith("--max-connections must be at least 1");
  config.maxConnections = maxConnections;
  config.maxConnectionsPerAddress = maxPerAddress;
  if (rate < 0 || burst < 1) return failWith("--rate must be >= 0 and --burst >= 1");
  if (byteRate < 0) return failWith("--byte-rate must be >= 0");
  if (vm.count("byte-burst") && byteBurst < maxMessage)
    return failWith("--byte-burst must be at least --max-message-bytes (" +
                    std::to_string(maxMessage) + ")");
  if (idleSeconds < 1 || handshakeSeconds < 1 || resumeSeconds < 0)
    return failWith("timeouts must be positive");
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads > 256) return failWith("--threads must be at most 256");
  config.threads = threads;
  if (!config.redisUrl.empty() && !parseRedisUrl(config.redisUrl))
    return failWith("invalid --redis '" + config.redisUrl + "': use redis://HOST:PORT");
  if (!config.nodeId.empty() && config.redisUrl.empty()) return failWith("--node-id needs --redis");
  if (config.nodeId.size() > 64 ||
      config.nodeId.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789-_.") != std::string::npos)
    return failWith("invalid --node-id: up to 64 letters, digits, '-', '_' or '.'");

  if (auto problem = readSecretFile("turn-secret", turnSecretFile, config.turn.secret))
    return failWith(*problem);
  if (auto problem = readSecretFile("metrics-token", metricsTokenFile, config.metricsToken))
    return failWith(*problem);
  if (auto problem = readSecretFile("token-secret", tokenSecretFile, config.registry.tokenSecret))
    return failWith(*problem);
  if (auto problem = readSecretFile("janus-secret", janusSecretFile, config.sfu.janusSecret))
    return failWith(*problem);
  if (config.sfu.enabled()) {
    if (!janus::parseWsUrl(config.sfu.janusUrl))
      return failWith("invalid --janus '" + config.sfu.janusUrl + "': use ws://HOST:PORT[/PATH]");
    if (config.sfu.janusSecret.empty())
      return failWith("--janus needs --janus-secret or --janus-secret-file (Janus's api_secret)");
  } else if (!config.sfu.janusSecret.empty() || vm.count("mesh-max")) {
    return failWith("--janus-secret and --mesh-max need --janus");
  }
  if (meshMax < 1 || meshMax > 64) return failWith("--mesh-max must be between 1 and 64");
  config.sfu.meshMax = meshMax;
  for (const auto& host : config.publicHosts)
    if (host.empty() || host.find_first_of("/?#@ ") != std::string::npos)
      return failWith("invalid --public-host '" + host + "': use HOST or HOST:PORT");
  if (config.turn.secret.empty() != config.turn.urls.empty())
    return failWith("--turn-url and --turn-secret (or --turn-secret-file) go together");
  for (const auto& url : config.turn.urls)
    if (!isTurnUrl(url))
      return failWith("invalid --turn-url '" + url +
                      "': use turn:HOST[:PORT] or turns:HOST[:PORT], optionally "
                      "?transport=udp|tcp, without credentials");
  if (turnTtlSeconds < 5 || turnTtlSeconds > 7 * 24 * 3600)
    return failWith("--turn-ttl must be between 5 and 604800 seconds");
  config.turn.ttl = std::chrono::seconds(turnTtlSeconds);

  auto& reg = config.registry;
  if (config.turn.enabled()) {
    reg.mintIceServers = [turn = config.turn](const std::string& peerId, std::int64_t unixMs) {
      return std::vector<protocol::IceServer>{mintTurnCredentials(turn, peerId, unixMs)};
    };
    reg.iceRenewEvery = config.turn.renewEvery();
  }
  reg.limits.maxMessageBytes = maxMessage;
  reg.limits.maxRoomSize = maxRoom;
  reg.limits.maxChatChars = maxChat;
  reg.limits.messagesPerSecond = rate;
  reg.burst = burst;
  reg.limits.bytesPerSecond = byteRate;
  reg.byteBurst = byteBurst;  // the registry raises it to maxMessageBytes when below
  reg.handshakeTimeout = std::chrono::seconds(handshakeSeconds);
  reg.resumeWindow = std::chrono::seconds(resumeSeconds);
  config.idleTimeout = std::chrono::seconds(idleSeconds);
  for (const auto& url : iceServers) {
    protocol::IceServer server;
    // turn:user:pass@host:port -> urls turn:host:port with username and credential.
    const auto colon = url.find(':');
    const auto at = url.rfind('@');
    if (colon != std::string::npos && at != std::string::npos && at > colon) {
      const std::string userinfo = url.substr(colon + 1, at - colon - 1);
      const auto split = userinfo.find(':');
      server.username = userinfo.substr(0, split);
      if (split != std::string::npos) server.credential = userinfo.substr(split + 1);
      server.urls.push_back(url.substr(0, colon + 1) + url.substr(at + 1));
    } else {
      server.urls.push_back(url);
    }
    reg.iceServers.push_back(std::move(server));
  }
  return ParsedOptions{config, "", 0};
}

}  // namespace vroom::server
