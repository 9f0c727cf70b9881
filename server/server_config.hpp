// Everything the server can be told on its command line, with the defaults of the brief,
// and the GNU-style parser that fills it (boost::program_options).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "log.hpp"
#include "room_registry.hpp"
#include "turn_credentials.hpp"

namespace vroom::server {

inline constexpr std::string_view kServerVersion = "0.1.0";

// The SFU (docs/sfu.md): Janus's VideoRoom takes a room over once it grows past meshMax
// people, and every broadcast (server/sfu_rooms.hpp), when every member's page can use it.
struct SfuConfig {
  std::string janusUrl;     // ws://HOST:PORT of Janus's WebSocket API; empty: mesh only
  std::string janusSecret;  // Janus's api_secret (also the VideoRoom admin_key)
  std::size_t meshMax = 4;  // most people in a peer-to-peer room
  bool enabled() const { return !janusUrl.empty(); }
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: ephemeral (the listening line tells the real one)
  std::string root = "./build/wasm/site";
  RegistryConfig registry;  // limits, resume window, handshake timeout, ICE servers
  TurnConfig turn;          // minted per peer into registry.mintIceServers when enabled
  SfuConfig sfu;
  std::chrono::milliseconds idleTimeout{30000};  // server pings at half, closes at full
  std::vector<std::string> allowedOrigins;
  // Hosts the page is served from (--public-host), for the Origin check; empty: localhost and
  // the listening address (origin_check.hpp).
  std::vector<std::string> publicHosts;
  // /metrics: empty -> loopback clients only; set -> every client must send
  // `Authorization: Bearer <token>` (a proxy on this machine makes everyone loopback).
  std::string metricsToken;
  std::string tlsCert;  // both set: HTTPS and WSS only
  std::string tlsKey;
  log::Level logLevel = log::Level::Info;
  // 0: derived at start from RLIMIT_NOFILE (see defaultMaxConnections()).
  std::size_t maxConnections = 0;
  std::size_t maxConnectionsPerAddress = 64;  // loopback included; 0: no per-address cap
  // io threads (io_context each) serving connections; the registry is shared under one lock.
  std::size_t threads = 1;
  // Rooms and sessions survive a graceful restart through this file: written on
  // SIGTERM/SIGINT, read and removed at start. Empty: nothing is kept.
  std::string stateFile;
  // --redis redis://host:port: rooms shared with the other nodes using the same Redis
  // (server/cluster.hpp). Empty: a single process, no Redis code on any path.
  std::string redisUrl;
  std::string nodeId;  // --node-id; empty with --redis: a random one
};

// --max-connections when not given: half of what RLIMIT_NOFILE leaves after 32 descriptors
// for listeners, logs and the like (a connection serving a file holds two), at most 10000.
std::size_t defaultMaxConnections();

struct ParsedOptions {
  std::optional<ServerConfig> config;  // nullopt: exit with `exitCode` after printing `output`
  std::string output;                  // --help / --version text, or the error message
  int exitCode = 0;
};

// --NAME-file PATH: the secret is the file's first line (keeps it out of `ps`). Nullopt when
// that went well (or no path was given), else what to tell the person.
std::optional<std::string> readSecretFile(const std::string& name, const std::string& path,
                                          std::string& secret);

// Parses argv; `envPort` is $PORT (the default port when --port is absent).
ParsedOptions parseOptions(int argc, const char* const argv[], const char* envPort);

}  // namespace vroom::server
