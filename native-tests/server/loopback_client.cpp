// The loopback clients of loopback_client.hpp: Beast's WebSocket and HTTP client code, compiled
// once for every server test.
#include "loopback_client.hpp"

#include "run_for.hpp"

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace vroom::server::testing {

HttpReply httpGet(std::uint16_t port, const std::string& target, http::verb method,
                  const HeaderList& headers) {
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

struct WsClient::Stream {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  tcp::socket& socket() { return beast::get_lowest_layer(ws).socket(); }
};

WsClient::WsClient() : stream_(std::make_unique<Stream>()) {}
WsClient::~WsClient() = default;

int WsClient::connect(std::uint16_t port, const std::string& target, const std::string& origin,
                      const std::string& host) {
  auto& s = *stream_;
  auto ec = runFor(
      s.ioc, s.socket(),
      [&](auto handler) {
        s.socket().async_connect({net::ip::make_address("127.0.0.1"), port}, handler);
      },
      3s);
  if (ec) return 0;
  s.ws.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
    if (!origin.empty()) req.set(http::field::origin, origin);
  }));
  websocket::response_type res;
  const std::string hostHeader = host.empty() ? "127.0.0.1:" + std::to_string(port) : host;
  ec = runFor(
      s.ioc, s.socket(),
      [&](auto handler) { s.ws.async_handshake(res, hostHeader, target, handler); }, 3s);
  return static_cast<int>(res.result_int());
}

bool WsClient::sendText(const std::string& text) {
  auto& s = *stream_;
  s.ws.text(true);
  return !runFor(
      s.ioc, s.socket(), [&](auto handler) { s.ws.async_write(net::buffer(text), handler); }, 3s);
}

bool WsClient::sendBinary(const std::string& bytes) {
  auto& s = *stream_;
  s.ws.binary(true);
  return !runFor(
      s.ioc, s.socket(), [&](auto handler) { s.ws.async_write(net::buffer(bytes), handler); },
      3s);
}

bool WsClient::ping() {
  auto& s = *stream_;
  return !runFor(
      s.ioc, s.socket(), [&](auto handler) { s.ws.async_ping({}, handler); }, 3s);
}

std::optional<json> WsClient::read(std::chrono::milliseconds timeout) {
  auto& s = *stream_;
  beast::flat_buffer buffer;
  lastError_ = runFor(
      s.ioc, s.socket(), [&](auto handler) { s.ws.async_read(buffer, handler); }, timeout);
  if (lastError_) return std::nullopt;
  return json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
}

std::optional<json> WsClient::readType(const std::string& type, std::vector<json>* skipped) {
  for (int i = 0; i < 100; ++i) {
    auto frame = read();
    if (!frame) return std::nullopt;
    if (frame->value("type", "") == type) return frame;
    if (skipped) skipped->push_back(*frame);
  }
  return std::nullopt;
}

int WsClient::readUntilClosed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!read(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()))) {
      if (lastError_ != websocket::error::closed)
        ADD_FAILURE() << "not a close: " << lastError_.message();
      return lastError_ == websocket::error::closed ? stream_->ws.reason().code : -1;
    }
  }
  return -1;
}

std::vector<json> WsClient::sync() {
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

json WsClient::hello(const std::string& token) {
  json h{{"type", "hello"}, {"version", 1}};
  if (!token.empty()) h["resumeToken"] = token;
  send(h);
  auto welcome = read();
  EXPECT_TRUE(welcome.has_value());
  if (!welcome) return json();
  token_ = welcome->value("resumeToken", "");
  return *welcome;
}

json WsClient::enter(const std::string& type, const std::string& room, const std::string& name,
                     const json& extra) {
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

bool WsClient::closeWith(int code) {
  auto& s = *stream_;
  return !runFor(
      s.ioc, s.socket(),
      [&](auto handler) {
        s.ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(code)),
                         handler);
      },
      3s);
}

void WsClient::dropTcp() {
  beast::error_code ignored;
  stream_->socket().close(ignored);
}

}  // namespace vroom::server::testing
