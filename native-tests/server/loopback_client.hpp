// Real loopback clients for the server tests: a Beast WebSocket client and a one-shot HTTP
// GET, every operation bounded by a timeout so a server bug fails a test instead of hanging.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace vroom::server::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

// Starts an async operation with a completion handler, runs `ioc` until it completes or the
// timeout passes (then cancels the socket); returns the operation's error code.
template <class Socket, class Start>
beast::error_code runFor(net::io_context& ioc, Socket& socket, Start start,
                         std::chrono::milliseconds timeout) {
  std::optional<beast::error_code> result;
  start([&](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run_for(timeout);
  if (!result) {
    beast::error_code ignored;
    socket.cancel(ignored);
    ioc.restart();
    ioc.run_for(1s);
    return net::error::timed_out;
  }
  return *result;
}

struct HttpReply {
  int status = 0;
  std::string body;
  std::string contentType;
  std::string cacheControl;
  http::fields headers;  // all of them, for the rest
  std::string header(http::field name) const { return std::string(headers[name]); }
};

using HeaderList = std::vector<std::pair<http::field, std::string>>;

inline HttpReply httpGet(std::uint16_t port, const std::string& target,
                         http::verb method = http::verb::get, const HeaderList& headers = {}) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  HttpReply reply;
  auto ec = runFor(
      ioc, socket,
      [&](auto handler) {
        socket.async_connect({net::ip::make_address("127.0.0.1"), port}, handler);
      },
      3s);
  if (ec) return reply;
  http::request<http::empty_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.keep_alive(false);
  ec = runFor(
      ioc, socket, [&](auto handler) { http::async_write(socket, req, handler); }, 3s);
  if (ec) return reply;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  if (method == http::verb::head) parser.skip(true);
  ec = runFor(
      ioc, socket, [&](auto handler) { http::async_read(socket, buffer, parser, handler); }, 3s);
  if ((ec && ec != http::error::end_of_stream) || !parser.is_header_done()) return reply;
  const auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  reply.contentType = std::string(res[http::field::content_type]);
  reply.cacheControl = std::string(res[http::field::cache_control]);
  reply.headers = res.base();
  return reply;
}

class WsClient {
 public:
  // TCP connect plus the WebSocket upgrade. Returns the upgrade's HTTP status (101 on
  // success, 403/404 when refused, 0 when the connection failed).
  int connect(std::uint16_t port, const std::string& target = "/ws", const std::string& origin = "",
              const std::string& host = "") {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    auto ec = runFor(
        ioc_, socket,
        [&](auto handler) {
          socket.async_connect({net::ip::make_address("127.0.0.1"), port}, handler);
        },
        3s);
    if (ec) return 0;
    ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
      if (!origin.empty()) req.set(http::field::origin, origin);
    }));
    websocket::response_type res;
    const std::string hostHeader = host.empty() ? "127.0.0.1:" + std::to_string(port) : host;
    ec = runFor(
        ioc_, socket, [&](auto handler) { ws_.async_handshake(res, hostHeader, target, handler); },
        3s);
    return static_cast<int>(res.result_int());
  }

  bool sendText(const std::string& text) {
    ws_.text(true);
    return !runFor(
        ioc_, socket(), [&](auto handler) { ws_.async_write(net::buffer(text), handler); }, 3s);
  }
  bool send(const json& j) { return sendText(j.dump()); }
  bool sendBinary(const std::string& bytes) {
    ws_.binary(true);
    return !runFor(
        ioc_, socket(), [&](auto handler) { ws_.async_write(net::buffer(bytes), handler); }, 3s);
  }

  bool ping() {  // a WebSocket ping control frame (the server's Beast answers with a pong)
    return !runFor(
        ioc_, socket(), [&](auto handler) { ws_.async_ping({}, handler); }, 3s);
  }

  // The next frame, or nullopt when the socket closed, failed or stayed silent.
  std::optional<json> read(std::chrono::milliseconds timeout = 3s) {
    beast::flat_buffer buffer;
    lastError_ = runFor(
        ioc_, socket(), [&](auto handler) { ws_.async_read(buffer, handler); }, timeout);
    if (lastError_) return std::nullopt;
    return json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
  }
  // Reads frames until the next one of `type`; the ones skipped are appended to `skipped`.
  std::optional<json> readType(const std::string& type, std::vector<json>* skipped = nullptr) {
    for (int i = 0; i < 100; ++i) {
      auto frame = read();
      if (!frame) return std::nullopt;
      if (frame->value("type", "") == type) return frame;
      if (skipped) skipped->push_back(*frame);
    }
    return std::nullopt;
  }
  // Reads until the server closes; returns its close code, or -1 if it never did.
  int readUntilClosed(std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!read(std::chrono::duration_cast<std::chrono::milliseconds>(
              deadline - std::chrono::steady_clock::now()))) {
        if (lastError_ != websocket::error::closed)
          ADD_FAILURE() << "not a close: " << lastError_.message();
        return lastError_ == websocket::error::closed ? ws_.reason().code : -1;
      }
    }
    return -1;
  }
  // A ping/pong round trip: every frame the server sent before the pong, in order. Since the
  // server runs on one thread, "nothing before the pong" proves nothing was sent.
  std::vector<json> sync() {
    const std::int64_t ts = ++pings_;
    send(json{{"type", "ping"}, {"ts", ts}});
    std::vector<json> before;
    auto pong = readType("pong", &before);
    EXPECT_TRUE(pong.has_value());
    if (pong) {
      EXPECT_EQ((*pong)["ts"], ts);
    }
    return before;
  }
  json hello(const std::string& token = "") {
    json h{{"type", "hello"}, {"version", 1}};
    if (!token.empty()) h["resumeToken"] = token;
    send(h);
    auto welcome = read();
    EXPECT_TRUE(welcome.has_value());
    if (!welcome) return json();
    token_ = welcome->value("resumeToken", "");
    return *welcome;
  }
  // hello + create/join; returns the `joined` frame.
  json enter(const std::string& type, const std::string& room, const std::string& name,
             const json& extra = json::object()) {
    hello();
    json m{{"type", type}, {"room", room}, {"name", name}};
    m.update(extra);
    send(m);
    auto joined = read();
    EXPECT_TRUE(joined.has_value());
    if (!joined) return json();
    EXPECT_EQ(joined->value("type", ""), "joined") << joined->dump();
    id_ = (*joined)["self"].value("id", "");
    return *joined;
  }
  // A close handshake with `code`, as a browser does (1001 when its page goes away).
  bool closeWith(int code) {
    return !runFor(
        ioc_, socket(),
        [&](auto handler) {
          ws_.async_close(websocket::close_reason(static_cast<websocket::close_code>(code)),
                          handler);
        },
        3s);
  }
  void dropTcp() {  // vanish without a close frame, like a laptop lid
    beast::error_code ignored;
    socket().close(ignored);
  }

  const std::string& id() const { return id_; }
  const std::string& token() const { return token_; }
  beast::error_code lastError() const { return lastError_; }

 private:
  tcp::socket& socket() { return beast::get_lowest_layer(ws_).socket(); }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::error_code lastError_;
  std::string id_;
  std::string token_;
  std::int64_t pings_ = 0;
};

}  // namespace vroom::server::testing
