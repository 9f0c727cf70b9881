// The vroom signaling server: `threads` io threads (ServerConfig, default 1) each run the HTTP
// and WebSocket sessions handed to them; the acceptor, timers and shutdown live on the first,
// the thread that calls run(). The room registry is shared by all under one lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "server_config.hpp"

namespace vroom::server {

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads TLS material, binds and listens, and restores rooms and sessions from the state
  // file if one is configured. False (with `error()` set) when it cannot listen.
  bool listen();
  // Runs the first io thread on the calling thread (and starts the others) until stop() has
  // closed every socket, then writes the state file if one is configured.
  void run();
  // Thread-safe and idempotent: stop accepting, close every WebSocket with 1001, then make
  // run() return (sockets that do not finish closing within 2 s are cut).
  void stop();
  // Stops on SIGINT/SIGTERM (the binary calls this; in-process tests do not).
  void stopOnSignals();

  std::uint16_t port() const;  // the real port once listening (meaningful with --port 0)
  std::string url() const;     // http(s)://host:port
  const std::string& error() const { return error_; }

 private:
  bool loadState();  // a missing file is fine; a malformed one is logged and ignored
  void saveState();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

}  // namespace vroom::server
