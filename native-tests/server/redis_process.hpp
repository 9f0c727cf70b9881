// A real redis-server for the cluster tests: started from PATH on a free loopback port with
// nothing persisted (--save '' --appendonly no), stopped by its PID; kill() and start() again
// on the same port play a Redis crash and restart. A missing redis-server fails the test.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "free_port.hpp"

extern char** environ;

namespace vroom::server::testing {

class RedisProcess {
 public:
  RedisProcess() : port_(freeLoopbackPort()) { start(); }
  ~RedisProcess() { kill(); }
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  bool start() {
    const std::string port = std::to_string(port_);
    std::vector<std::string> args{"redis-server", "--port",     port,     "--bind",
                                  "127.0.0.1",    "--save",     "",       "--appendonly",
                                  "no",           "--loglevel", "warning"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t quiet;  // its banner and warnings would bury the test output
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawnp(&pid_, "redis-server", &quiet, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (spawned != 0) {
      ADD_FAILURE() << "redis-server not found in PATH (Debian package redis-server)";
      pid_ = 0;
      return false;
    }
    // Ready once it accepts connections.
    for (int i = 0; i < 200; ++i) {
      boost::asio::io_context ioc;
      boost::asio::ip::tcp::socket socket(ioc);
      boost::system::error_code ec;
      socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
      if (!ec) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "redis-server did not start on port " << port_;
    return false;
  }
  void kill() {  // SIGKILL: no goodbye, like a crash
    if (pid_ == 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  std::uint16_t port_;
  pid_t pid_ = 0;
};

}  // namespace vroom::server::testing
