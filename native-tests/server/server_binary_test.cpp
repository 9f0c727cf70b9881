// Runs the built vroom-server as a child process: the one listening line on stdout, and
// SIGTERM closing every WebSocket with 1001 and exiting 0.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "loopback_client.hpp"

extern char** environ;

namespace vroom::server::testing {
namespace {

// Reads one line from `fd` within `timeout`, or returns what arrived by then.
std::string readLine(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char c;
    if (::read(fd, &c, 1) != 1) break;
    if (c == '\n') break;
    line += c;
  }
  return line;
}

// Waits for the child to exit within `timeout`; returns its wait status or -1.
int waitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(10ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child spawnServer(std::vector<std::string> args) {
  int pipeFds[2];
  EXPECT_EQ(::pipe(pipeFds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  args.insert(args.begin(), VROOM_SERVER_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Child child;
  EXPECT_EQ(::posix_spawn(&child.pid, VROOM_SERVER_BINARY, &actions, nullptr, argv.data(), environ),
            0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  child.out = pipeFds[0];
  return child;
}

TEST(ServerBinary, PrintsTheListeningLineAndExitsCleanlyOnSigterm) {
  Child child =
      spawnServer({"--port", "0", "--root", std::filesystem::temp_directory_path().string()});
  ASSERT_GT(child.pid, 0);
  const std::string line = readLine(child.out, 5s);
  std::smatch match;
  ASSERT_TRUE(
      std::regex_match(line, match, std::regex(R"(vroom listening on http://127\.0\.0\.1:(\d+))")))
      << line;
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1].str()));
  EXPECT_NE(port, 0);
  EXPECT_EQ(httpGet(port, "/healthz").body, "ok\n");

  WsClient a, b;
  ASSERT_EQ(a.connect(port), 101);
  ASSERT_EQ(b.connect(port), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  a.sync();
  ASSERT_EQ(::kill(child.pid, SIGTERM), 0);
  EXPECT_EQ(a.readUntilClosed(), 1001);
  EXPECT_EQ(b.readUntilClosed(), 1001);
  const int status = waitExit(child.pid, 5s);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(readLine(child.out, 100ms), "");  // exactly one line
  ::close(child.out);
}

struct ArgsCase {
  std::vector<std::string> args;
  int exitCode;
  const char* stdoutPrefix;
};

TEST(ServerBinary, HelpVersionAndBadFlags) {
  const std::vector<ArgsCase> cases = {
      {{"--help"}, 0, "Usage: vroom-server [OPTION]..."},
      {{"--version"}, 0, "vroom-server "},
      {{"--port", "99999"}, 2, ""},
      {{"--no-such-flag"}, 2, ""},
      {{"--tls-cert", "x.pem"}, 2, ""},
      {{"--host", "not-an-address", "--port", "0"}, 1, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.front());
    Child child = spawnServer(c.args);
    const std::string first = readLine(child.out, 5s);
    const int status = waitExit(child.pid, 5s);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), c.exitCode);
    EXPECT_EQ(first.rfind(c.stdoutPrefix, 0), 0u) << first;
    ::close(child.out);
  }
}

}  // namespace
}  // namespace vroom::server::testing
