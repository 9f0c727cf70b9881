// A real Janus (Debian's /usr/bin/janus) for the Janus tests: configured by scripts/janus-config
// in a fresh folder under the build tree (kept if the test fails), on a free loopback port,
// started, killed (SIGKILL, as a crash) or stopped (SIGTERM) by its PID, and started again on
// the same port. It runs in the network namespace of the thread that starts it (see
// janus_netns.hpp for the media tests, whose ICE must stay inside a namespace of their own).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "free_port.hpp"

namespace vroom::server::testing {

inline bool acceptsConnections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

class JanusProcess {
 public:
  static constexpr const char* kSecret = "vroom-test-secret-0123456789abcdef";

  // `sessionTimeout`: Janus closes a session silent for that long (seconds, at least 5).
  // `iceAddress`: the only address Janus may gather ICE candidates on (ice_enforce_list);
  // empty for the signaling-only tests, which never negotiate media.
  explicit JanusProcess(int sessionTimeout = 60, const std::string& iceAddress = "")
      : port_(freeLoopbackPort()) {
    namespace fs = std::filesystem;
    dir_ = fs::path(VROOM_BINARY_DIR) / ("janus-test-" + std::to_string(port_));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    {
      std::ofstream secret(dir_ / "secret");
      secret << kSecret << "\n";
    }
    // An RTP range of its own per port, so tests running side by side do not collide.
    const int low = 30000 + (port_ % 300) * 100;
    const std::string command =
        std::string(VROOM_SOURCE_DIR) + "/scripts/janus-config --dir '" + (dir_ / "conf").string() +
        "' --secret-file '" + (dir_ / "secret").string() + "' --ws-port " + std::to_string(port_) +
        " --ports " + std::to_string(low) + "-" + std::to_string(low + 99) + " --log '" +
        (dir_ / "janus.log").string() + "' --session-timeout " + std::to_string(sessionTimeout) +
        " --debug-level 4" + (iceAddress.empty() ? "" : " --ice-address " + iceAddress) +
        " >/dev/null";
    configured_ = std::system(command.c_str()) == 0;
    EXPECT_TRUE(configured_) << command;
  }
  // Its folder (configuration, log) is kept only when the test failed.
  ~JanusProcess() {
    stop();
    if (!::testing::Test::HasFailure() && ::testing::UnitTest::GetInstance()->Passed()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }
  JanusProcess(const JanusProcess&) = delete;
  JanusProcess& operator=(const JanusProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return (dir_ / "janus.log").string(); }

  // Starts Janus and waits (at most 10 s) until its WebSocket port accepts connections.
  bool start() {
    if (!configured_ || pid_ > 0) return pid_ > 0;
    const std::string config = (dir_ / "conf" / "janus.jcfg").string();
    const std::string folder = (dir_ / "conf").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Janus's own stdout is its banner; the log goes to janus.log.
      const std::string out = (dir_ / "stdout").string();
      if (FILE* f = std::freopen(out.c_str(), "a", stdout)) (void)f;
      ::execl("/usr/bin/janus", "janus", "-C", config.c_str(), "-F", folder.c_str(),
              static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (acceptsConnections(port_)) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // SIGKILL: what a crash looks like to vroom-server.
  void kill() { signalAndWait(SIGKILL); }
  // SIGTERM: Janus's graceful stop (falls back to SIGKILL after 5 s).
  void stop() { signalAndWait(SIGTERM); }
  bool running() const { return pid_ > 0; }

 private:
  void signalAndWait(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
  }

  std::uint16_t port_;
  std::filesystem::path dir_;
  bool configured_ = false;
  pid_t pid_ = -1;
};

}  // namespace vroom::server::testing
