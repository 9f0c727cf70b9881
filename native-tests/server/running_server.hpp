// An in-process Server on its own thread for the loopback tests: listens on construction,
// stops (every socket closed with 1001) and joins on destruction.
#pragma once

#include <thread>

#include <gtest/gtest.h>

#include "server.hpp"

namespace vroom::server::testing {

class RunningServer {
 public:
  explicit RunningServer(ServerConfig config) : server_(std::move(config)) {
    listening_ = server_.listen();
    EXPECT_TRUE(listening_) << server_.error();
    if (listening_) thread_ = std::thread([this] { server_.run(); });
  }
  ~RunningServer() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return server_.port(); }

 private:
  Server server_;
  bool listening_ = false;
  std::thread thread_;
};

}  // namespace vroom::server::testing
