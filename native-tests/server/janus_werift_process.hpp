// janus_werift_peer.mjs as a child process of a test: lines written to its stdin, lines read
// from its stdout without blocking (so the test keeps running its io_context), ended by
// closing stdin and, if it lingers, SIGKILL by PID.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace vroom::server::testing {

class WeriftPeer {
 public:
  explicit WeriftPeer(const std::string& mode) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) return;
    const std::string script =
        std::string(VROOM_SOURCE_DIR) + "/native-tests/server/janus_werift_peer.mjs";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      ::execlp("node", "node", script.c_str(), mode.c_str(), static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    ::fcntl(stdout_, F_SETFL, ::fcntl(stdout_, F_GETFL) | O_NONBLOCK);
  }
  ~WeriftPeer() { stop(); }
  WeriftPeer(const WeriftPeer&) = delete;
  WeriftPeer& operator=(const WeriftPeer&) = delete;

  bool write(const std::string& line) {
    const std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
      const auto n = ::write(stdin_, text.data() + done, text.size() - done);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }

  // A complete line if one has arrived, without waiting.
  std::optional<std::string> poll() {
    char chunk[65536];
    for (;;) {
      const auto n = ::read(stdout_, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    const auto end = buffer_.find('\n');
    if (end == std::string::npos) return std::nullopt;
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    return line;
  }

  // Waits (without an io_context) up to `timeout` for a line.
  std::optional<std::string> readLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto line = poll()) return line;
      pollfd fd{stdout_, POLLIN, 0};
      ::poll(&fd, 1, 50);
    }
    return poll();
  }

  void stop() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
    // stdin closed, then SIGTERM: both stop its ffmpeg first. SIGKILL only as a last resort.
    if (pid_ > 0 && !exited(std::chrono::seconds(3))) {
      ::kill(pid_, SIGTERM);
      if (!exited(std::chrono::seconds(3))) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
      }
    }
    pid_ = -1;
    if (stdout_ >= 0) ::close(stdout_);
    stdout_ = -1;
  }

 private:
  bool exited(std::chrono::seconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
};

}  // namespace vroom::server::testing
