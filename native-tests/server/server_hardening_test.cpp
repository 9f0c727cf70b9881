// Attacks on the real server over loopback sockets: fd exhaustion, per-address slots, a
// flooded resume queue, ping and error floods, noisy Origin refusals, request smuggling
// through Transfer-Encoding, and a planted state-file temporary.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/write.hpp>

#include "loopback_client.hpp"
#include "server.hpp"

namespace vroom::server::testing {
namespace {

namespace fs = std::filesystem;

// A private temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("vroom_hardening_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::size_t countLines(const std::string& text, const std::string& needle = "") {
  std::size_t n = 0, pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (needle.empty() || text.substr(pos, end - pos).find(needle) != std::string::npos) ++n;
    pos = end + 1;
  }
  return n;
}

std::size_t longestLine(const std::string& text) {
  std::size_t longest = 0, pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, end - pos);
    pos = end + 1;
  }
  return longest;
}

// ---- the binary as a child, under a chosen RLIMIT_NOFILE, its stderr in a file ----

class ServerProcess {
 public:
  ServerProcess(std::vector<std::string> args, const fs::path& stderrFile, rlim_t nofile = 0) {
    int pipeFds[2];
    EXPECT_EQ(::pipe(pipeFds), 0);
    args.insert(args.begin(), VROOM_SERVER_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(pipeFds[1], STDOUT_FILENO);
      const int err = ::open(stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, STDERR_FILENO);
      // Only 0-2 stay open, so the limit is what the server really gets to use.
      for (int fd = 3; fd < 1024; ++fd) ::close(fd);
      if (nofile) {
        const rlimit limit{nofile, nofile};
        ::setrlimit(RLIMIT_NOFILE, &limit);
      }
      ::execv(VROOM_SERVER_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(pipeFds[1]);
    out_ = pipeFds[0];
    const std::string line = readLine(10s);
    std::smatch match;
    if (std::regex_search(line, match, std::regex(R"(:(\d+)$)")))
      port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
    EXPECT_NE(port_, 0) << "no listening line: " << line;
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  std::uint16_t port() const { return port_; }

 private:
  std::string readLine(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char c;
      if (::read(out_, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::uint16_t port_ = 0;
};

// Plain TCP connections that say nothing: each holds one of the server's descriptors.
std::vector<std::unique_ptr<tcp::socket>> holdConnections(net::io_context& ioc, std::uint16_t port,
                                                          int count) {
  std::vector<std::unique_ptr<tcp::socket>> sockets;
  for (int i = 0; i < count; ++i) {
    auto socket = std::make_unique<tcp::socket>(ioc);
    beast::error_code ec;
    socket->connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec) sockets.push_back(std::move(socket));
  }
  return sockets;
}

// UBSan checks a type's vptr the first time it meets it, through a pipe(2): with no
// descriptor left that check fails and aborts the server. A connection that the client
// closes before the descriptors run out takes the server through the types the test later
// drives it through (EOF on a read) while a pipe can still be made.
void warmUp(net::io_context& ioc, std::uint16_t port) {
  for (auto& socket : holdConnections(ioc, port, 2)) socket->close();
  EXPECT_EQ(httpGet(port, "/healthz").status, 200);
  std::this_thread::sleep_for(100ms);
}

// /healthz answered 200 within `timeout` (retrying: fds free up asynchronously).
bool servedWithin(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (httpGet(port, "/healthz").status == 200) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(ServerHardening, AcceptBacksOffWhenDescriptorsRunOut) {
  TempDir dir;
  const fs::path log = dir.path() / "stderr.log";
  // --max-connections above what 48 descriptors allow: accept() itself hits EMFILE.
  ServerProcess server({"--port", "0", "--root", dir.path().string(), "--max-connections", "1000",
                        "--handshake-timeout", "30"},
                       log, 48);
  ASSERT_NE(server.port(), 0);
  net::io_context ioc;
  warmUp(ioc, server.port());
  auto held = holdConnections(ioc, server.port(), 60);
  EXPECT_EQ(held.size(), 60u);  // the kernel's backlog takes what the server cannot
  std::this_thread::sleep_for(1s);
  const std::string during = readFile(log);
  EXPECT_LT(countLines(during), 20u) << during.substr(0, 2000);
  EXPECT_GE(countLines(during, "accept_paused"), 1u) << during.substr(0, 2000);
  held.clear();  // descriptors free up: a later client is served
  EXPECT_TRUE(servedWithin(server.port(), 4s));
}

TEST(ServerHardening, DefaultMaxConnectionsFitsUnderTheDescriptorLimit) {
  TempDir dir;
  const fs::path log = dir.path() / "stderr.log";
  ServerProcess server({"--port", "0", "--root", dir.path().string(), "--handshake-timeout", "30"},
                       log, 48);
  ASSERT_NE(server.port(), 0);
  net::io_context ioc;
  warmUp(ioc, server.port());
  auto held = holdConnections(ioc, server.port(), 60);
  std::this_thread::sleep_for(500ms);
  const std::string during = readFile(log);
  // Over the derived cap connections are refused, accept() never runs out of descriptors.
  EXPECT_EQ(countLines(during, "accept_"), 0u) << during.substr(0, 2000);
  EXPECT_LT(countLines(during), 20u);
  held.clear();
  EXPECT_TRUE(servedWithin(server.port(), 4s));
}

TEST(ServerHardening, RefusedOriginsAreLoggedShortAndRateLimited) {
  TempDir dir;
  const fs::path log = dir.path() / "stderr.log";
  ServerProcess server({"--port", "0", "--root", dir.path().string()}, log);
  ASSERT_NE(server.port(), 0);
  const std::string origin = "https://" + std::string(7900, 'e') + ".example";
  for (int i = 0; i < 150; ++i) {
    WsClient client;
    ASSERT_EQ(client.connect(server.port(), "/ws", origin), 403);
  }
  std::this_thread::sleep_for(100ms);
  const std::string text = readFile(log);
  EXPECT_GE(countLines(text, "ws_origin_refused"), 1u);
  EXPECT_LT(longestLine(text), 1024u);
  EXPECT_LT(text.size(), 16u * 1024) << countLines(text) << " lines";
}

// ---- in-process server ----

class HardeningTest : public ::testing::Test {
 protected:
  ServerConfig config() {
    ServerConfig c;
    c.port = 0;
    c.root = dir_.path().string();
    c.logLevel = log::Level::Off;
    return c;
  }
  void start(ServerConfig c) {
    server_ = std::make_unique<Server>(std::move(c));
    ASSERT_TRUE(server_->listen()) << server_->error();
    thread_ = std::thread([this] { server_->run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }
  ~HardeningTest() override { stop(); }
  std::uint16_t port() const { return server_->port(); }

  TempDir dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(HardeningTest, OneAddressCannotTakeEverySlot) {
  start(config());  // defaults: 64 connections per address, loopback included
  net::io_context ioc;
  auto held = holdConnections(ioc, port(), 80);
  ASSERT_EQ(held.size(), 80u);
  // The server closes the ones over the cap at once: they read EOF.
  int refused = 0;
  const auto deadline = std::chrono::steady_clock::now() + 1500ms;
  std::vector<bool> done(held.size(), false);
  while (std::chrono::steady_clock::now() < deadline) {
    for (std::size_t i = 0; i < held.size(); ++i) {
      if (done[i]) continue;
      pollfd p{held[i]->native_handle(), POLLIN, 0};
      if (::poll(&p, 1, 0) > 0) {
        done[i] = true;
        ++refused;
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(refused, 16);
  held.clear();
  EXPECT_TRUE(servedWithin(port(), 3s));
}

// A ping's pong, waited for long: under ASan the server takes seconds to decode megabytes.
void awaitPong(WsClient& client) {
  client.send(json{{"type", "ping"}, {"ts", 1}});
  for (;;) {
    const auto frame = client.read(30s);
    ASSERT_TRUE(frame) << client.lastError().message();
    if ((*frame)["type"] == "pong") return;
    ADD_FAILURE() << "unexpected " << frame->dump().substr(0, 200);
  }
}

TEST_F(HardeningTest, ResumedPeerGetsAFloodedQueueAndStaysConnected) {
  ServerConfig c = config();
  c.registry.limits.messagesPerSecond = 0;  // the flooder is not slowed down by its budget
  c.registry.limits.bytesPerSecond = 0;
  start(c);
  WsClient a;
  auto b = std::make_unique<WsClient>();
  ASSERT_EQ(a.connect(port()), 101);
  ASSERT_EQ(b->connect(port()), 101);
  a.enter("create", "r", "A");
  b->enter("join", "r", "B");
  const std::string bId = b->id();
  a.sync();
  b->dropTcp();
  std::this_thread::sleep_for(100ms);
  const std::string blob(60000, 'x');
  // 4.5 MB queued for B, above the 4 MiB slow-reader cap; then again on the resumed session.
  for (const int frames : {75, 20}) {
    SCOPED_TRACE(frames);
    for (int i = 0; i < frames; ++i)
      ASSERT_TRUE(
          a.send(json{{"type", "signal"}, {"to", bId}, {"data", {{"n", i}, {"blob", blob}}}}));
    awaitPong(a);
    auto b2 = std::make_unique<WsClient>();
    ASSERT_EQ(b2->connect(port()), 101);
    EXPECT_EQ(b2->hello(b->token())["resumed"], true);
    EXPECT_EQ(b2->read().value_or(json())["type"], "joined");
    int last = -1, received = 0;
    while (last != frames - 1) {
      const auto frame = b2->read();
      ASSERT_TRUE(frame) << "dropped after " << received
                         << " frames: " << b2->lastError().message();
      ASSERT_EQ((*frame)["type"], "signal");
      const int n = (*frame)["data"]["n"];
      EXPECT_GT(n, last);  // in order, the newest kept
      last = n;
      ++received;
    }
    EXPECT_TRUE(b2->sync().empty());  // still connected, nothing more queued
    EXPECT_TRUE(a.sync().empty());
    b = std::move(b2);
    b->dropTcp();
    std::this_thread::sleep_for(100ms);
  }
}

// Heavy signals are paid for by their bytes (64 KiB a second, 1 MiB at once, by default):
// a client sending 30 frames of 60 KB at once gets about 17 relayed and the rest refused
// before they are scanned, and stays connected. Before the byte budget all 30 were scanned
// and relayed, so a few connections could keep the server's core busy.
TEST_F(HardeningTest, HeavySignalsAreHeldToTheByteRate) {
  start(config());
  WsClient a, b;
  ASSERT_EQ(a.connect(port()), 101);
  ASSERT_EQ(b.connect(port()), 101);
  a.enter("create", "r", "A");
  b.enter("join", "r", "B");
  a.sync();
  const std::string heavy =
      json{{"type", "signal"}, {"to", b.id()}, {"data", {{"blob", std::string(60000, 'x')}}}}
          .dump();
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(a.sendText(heavy));
  std::vector<json> toA;
  ASSERT_TRUE(a.send(json{{"type", "ping"}, {"ts", 1}}));  // a few hundred bytes: paid for
  ASSERT_TRUE(a.readType("pong", &toA)) << a.lastError().message();
  int refused = 0;
  for (const json& frame : toA) refused += frame.value("code", "") == "rate_limited" ? 1 : 0;
  int relayed = 0;
  for (const json& frame : b.sync()) relayed += frame.value("type", "") == "signal" ? 1 : 0;
  EXPECT_EQ(relayed + refused, 30);
  EXPECT_GE(relayed, 16);  // 1 MiB, and what refills while they arrive
  EXPECT_LE(relayed, 20);
  EXPECT_EQ(b.read(200ms), std::nullopt);  // nothing more on its way
}

TEST_F(HardeningTest, WebSocketPingFloodIsClosed) {
  start(config());
  WsClient flooder;
  ASSERT_EQ(flooder.connect(port()), 101);
  flooder.hello();
  int sent = 0;
  for (; sent < 1000; ++sent)
    if (!flooder.ping()) break;
  EXPECT_EQ(flooder.readUntilClosed(3s), protocol::kClosePolicy) << sent << " pings sent";
  WsClient other;
  ASSERT_EQ(other.connect(port()), 101);
  EXPECT_EQ(other.hello()["type"], "welcome");
}

TEST_F(HardeningTest, AConnectionThatKeepsDrawingErrorsIsClosed) {
  ServerConfig c = config();
  c.registry.limits.messagesPerSecond = 0;  // not the rate limit: the error replies close it
  start(c);
  WsClient client;
  ASSERT_EQ(client.connect(port()), 101);
  client.enter("create", "r", "A");
  for (int i = 0; i < 400; ++i)
    if (!client.send(json{{"type", "signal"}, {"to", "nobody"}, {"data", json::object()}})) break;
  int errors = 0;
  for (;;) {
    const auto frame = client.read(2s);
    if (!frame) break;
    if ((*frame)["type"] == "error") ++errors;
  }
  EXPECT_EQ(client.lastError(), websocket::error::closed) << errors << " error replies";
  EXPECT_LT(errors, 400);
}

struct TransferEncodingCase {
  const char* codings;
  bool refused;
};

TEST_F(HardeningTest, BadTransferEncodingIsRefusedAndCloses) {
  start(config());
  const std::vector<TransferEncodingCase> cases = {
      {"chunked, identity", true}, {"identity", true},         {"gzip", true},
      {"gzip, chunked", true},     {"chunked, chunked", true}, {"chunked", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.codings);
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), port()});
    // A chunked body that, read as not chunked, is a second (smuggled) request.
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string request =
        std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + c.codings +
        "\r\n\r\n" + (c.refused ? smuggled : "0\r\n\r\n");
    net::write(socket, net::buffer(request));
    socket.shutdown(tcp::socket::shutdown_send);
    std::string reply;
    beast::error_code ec;
    char buf[4096];
    ::timeval tv{3, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (;;) {
      const auto n = socket.read_some(net::buffer(buf), ec);
      if (ec) break;
      reply.append(buf, n);
    }
    const std::regex statusLine("HTTP/1\\.1 ");
    const std::sregex_iterator responses(reply.begin(), reply.end(), statusLine);
    EXPECT_EQ(std::distance(responses, std::sregex_iterator()), 1) << reply;
    EXPECT_EQ(reply.rfind(c.refused ? "HTTP/1.1 400" : "HTTP/1.1 200", 0), 0u) << reply;
  }
}

TEST_F(HardeningTest, StateFileIsNotWrittenThroughAPlantedTemporary) {
  for (const bool symlink : {true, false}) {
    SCOPED_TRACE(symlink ? "symlinked .tmp" : "0666 .tmp");
    const fs::path stateFile = dir_.path() / "state.json";
    const fs::path temp = dir_.path() / "state.json.tmp";
    const fs::path victim = dir_.path() / "victim.txt";
    std::ofstream(victim) << "untouched";
    if (symlink) {
      fs::create_symlink(victim, temp);
    } else {
      std::ofstream(temp) << "planted";
      ::chmod(temp.c_str(), 0666);
    }
    ServerConfig c = config();
    c.stateFile = stateFile.string();
    start(c);
    {
      WsClient a;
      ASSERT_EQ(a.connect(port()), 101);
      a.enter("create", "r", "A");
      a.sync();
      std::thread stopper([this] { stop(); });
      EXPECT_EQ(a.readUntilClosed(), 1001);
      stopper.join();
    }
    EXPECT_EQ(readFile(victim), "untouched");
    struct stat st {};
    ASSERT_EQ(::lstat(stateFile.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_NE(readFile(stateFile).find("resumeToken"), std::string::npos) << readFile(stateFile);
    fs::remove(stateFile);
    fs::remove(temp);
    fs::remove(victim);
  }
}

}  // namespace
}  // namespace vroom::server::testing
