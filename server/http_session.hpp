// One HTTP(S) connection: static files (negotiated coding, ETag, 304), /healthz, /metrics, and
// the /ws upgrade (Origin checked) that hands the stream over to a WebSocketSession.
// Keep-alive, bounded requests; any Transfer-Encoding but a lone `chunked` is refused (400,
// closed: RFC 9112 6.1).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <openssl/crypto.h>

#include "http_negotiation.hpp"
#include "io_thread.hpp"
#include "log.hpp"
#include "origin_check.hpp"
#include "server_state.hpp"
#include "site_files.hpp"
#include "websocket_session.hpp"
#include "ws_handshake.hpp"

namespace vroom::server {

namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

// The HTTP stage's stream: Beast's timed stream over an IoThread's Socket.
using TcpStream =
    beast::basic_stream<boost::asio::ip::tcp, IoExecutor, beast::unlimited_rate_policy>;

inline constexpr std::uint32_t kMaxRequestHeaderBytes = 8 * 1024;
inline constexpr std::uint64_t kMaxRequestBodyBytes = 4 * 1024;  // we serve, we do not take

template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>>,
                          public IoSession {
 public:
  HttpSession(Stream&& stream, ServerState& state, IoThread& thread, AddressSlot slot)
      : stream_(std::move(stream)), state_(state), thread_(thread), slot_(std::move(slot)) {
    thread_.add(*this);
  }
  ~HttpSession() { thread_.remove(*this); }

  void run() {
    if (state_.stopping) return shutdown();  // accepted just before the server stopped
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(state_.config.registry.handshakeTimeout);
      stream_.async_handshake(
          boost::asio::ssl::stream_base::server,
          beast::bind_front_handler(&HttpSession::onTlsHandshake, this->shared_from_this()));
    } else {
      doRead();
    }
  }

  // ---- IoSession (on this session's thread) ----
  void shutdown() override {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().close(ec);
  }
  void sweep(std::chrono::steady_clock::time_point) override {}  // Beast's timers bound it
  void flush() override {}

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, TcpStream>;

  void onTlsHandshake(beast::error_code ec) {
    if (ec) {
      log::debug("tls_handshake_failed", {{"error", ec.message()}});
      return;
    }
    doRead();
  }

  void doRead() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestHeaderBytes);
    parser_->body_limit(kMaxRequestBodyBytes);
    // A client that opens a socket and says nothing is dropped as quickly as a silent /ws.
    beast::get_lowest_layer(stream_).expires_after(state_.config.registry.handshakeTimeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::onHeader, this->shared_from_this()));
  }

  // The body is framed by the header: a Transfer-Encoding this server does not decode
  // (`chunked, identity`, `gzip`, ...) would leave the body to be read as the next request.
  void onHeader(beast::error_code ec, std::size_t bytes) {
    if (ec) return onRead(ec, bytes);
    if (!framingOk(parser_->get()))
      return respondError(http::status::bad_request, "bad transfer-encoding\n", false);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::onRead, this->shared_from_this()));
  }

  static bool framingOk(const http::request<http::string_body>& req) {
    const auto count = req.count(http::field::transfer_encoding);
    if (count == 0) return true;
    if (count > 1 || req.count(http::field::content_length) != 0) return false;
    const auto value = req[http::field::transfer_encoding];
    std::string_view codings(value.data(), value.size());
    while (!codings.empty() && (codings.front() == ' ' || codings.front() == '\t'))
      codings.remove_prefix(1);
    while (!codings.empty() && (codings.back() == ' ' || codings.back() == '\t'))
      codings.remove_suffix(1);
    return beast::iequals(codings, "chunked");
  }

  void onRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return closeGracefully();
    if (ec) {
      if (ec != boost::asio::error::operation_aborted && ec != beast::error::timeout)
        respondError(http::status::bad_request, "bad request\n", false);
      return;
    }
    ++state_.transport.httpRequests;
    http::request<http::string_body> req = parser_->release();
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));

    if (websocket::is_upgrade(req)) return upgrade(std::move(req), path);
    if (req.method() != http::verb::get && req.method() != http::verb::head)
      return respondError(http::status::method_not_allowed, "method not allowed\n",
                          req.keep_alive(), req.version());
    if (path == "/ws")
      return respondError(http::status::upgrade_required, "WebSocket only\n", req.keep_alive(),
                          req.version());
    if (path == "/healthz") return respondText(req, health(), "text/plain; charset=utf-8");
    if (path == "/metrics") {
      if (!metricsAllowed(req))
        return respondError(http::status::forbidden,
                            state_.config.metricsToken.empty()
                                ? "metrics are served to loopback clients only\n"
                                : "metrics need Authorization: Bearer <token>\n",
                            req.keep_alive(), req.version());
      std::string text = state_.registry.with(
          [&](const RoomRegistry& r) { return renderMetrics(r, state_.transport); });
      if (state_.cluster) text += renderClusterMetrics(*state_.cluster);
      return respondText(req, std::move(text), "text/plain; version=0.0.4; charset=utf-8");
    }
    serveFile(req, target);
  }

  void upgrade(http::request<http::string_body> req, std::string_view path) {
    if (path != "/ws")
      return respondError(http::status::not_found, "not found\n", false, req.version());
    const auto origin = req[http::field::origin];
    const auto host = req[http::field::host];
    if (!originAllowed(std::string_view(origin.data(), origin.size()),
                       std::string_view(host.data(), host.size()), state_.origins)) {
      ++state_.transport.wsRejectedOrigin;
      std::uint64_t suppressed = 0;
      if (state_.originRefusedLog.allow(std::chrono::steady_clock::now(), suppressed))
        log::info("ws_origin_refused", {{"origin", log::clip(std::string_view(origin))},
                                        {"host", log::clip(std::string_view(host))},
                                        {"suppressed", std::to_string(suppressed)}});
      return respondError(http::status::forbidden, "origin not allowed\n", false, req.version());
    }
    // RFC 6455 4.2.1: only version 13, with a key that is the base64 of 16 bytes.
    if (req[http::field::sec_websocket_version] != ws::kVersion) {
      auto res = std::make_shared<http::response<http::string_body>>(http::status::upgrade_required,
                                                                     req.version());
      res->set(http::field::server, "vroom-server");
      res->set(http::field::sec_websocket_version, ws::kVersion);
      res->keep_alive(false);
      res->body() = "WebSocket version 13 only\n";
      res->prepare_payload();
      return write(res);
    }
    const auto accept = ws::acceptKey(std::string_view(req[http::field::sec_websocket_key]));
    if (!accept)
      return respondError(http::status::bad_request, "bad Sec-WebSocket-Key\n", false,
                          req.version());
    // Frames the client sent right behind its request are already in our buffer.
    std::string early = beast::buffers_to_string(buffer_.data());
    std::string response = ws::switchingProtocols(*accept, "vroom-server");
    beast::get_lowest_layer(stream_).expires_never();
    if constexpr (kTls) {
      std::make_shared<WebSocketSession<Stream>>(std::move(stream_), state_, thread_,
                                                 std::move(slot_))
          ->start(std::move(response), std::move(early));
    } else {
      std::make_shared<WebSocketSession<Socket>>(stream_.release_socket(), state_, thread_,
                                                 std::move(slot_))
          ->start(std::move(response), std::move(early));
    }
  }

  // "ok" while the node serves. With --redis a second line says whether Redis is reachable:
  // without it the node still serves the rooms it owns and its clients' local rooms, but
  // cannot reach other nodes, so a load balancer may prefer other nodes for new connections.
  std::string health() const {
    if (!state_.cluster) return "ok\n";
    return std::string("ok\nnode ") + state_.cluster->nodeId() +
           (state_.cluster->busUp() ? "\nredis up\n" : "\nredis down\n");
  }

  // /metrics tells who is connected and how busy the server is: loopback only, or with the
  // --metrics-token for everyone (loopback included, since a local proxy makes all loopback).
  bool metricsAllowed(const http::request<http::string_body>& req) const {
    const std::string& token = state_.config.metricsToken;
    if (token.empty()) return isLoopbackAddress(slot_.address());
    const auto header = req[http::field::authorization];
    const std::string expected = "Bearer " + token;
    return header.size() == expected.size() &&
           CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
  }

  // A site file: the representation Accept-Encoding picks, 304 when If-None-Match holds its
  // ETag, HEAD with the headers GET would send and no body.
  void serveFile(const http::request<http::string_body>& req, std::string_view target) {
    const auto acceptEncoding = joinedField(req, http::field::accept_encoding);
    const StaticResponse found = state_.site.lookup(
        target, acceptEncoding ? std::optional<std::string_view>(*acceptEncoding) : std::nullopt);
    if (found.status == StaticResponse::Status::NotAcceptable)
      return respondError(http::status::not_acceptable, "no acceptable content coding\n",
                          req.keep_alive(), req.version());
    if (found.status != StaticResponse::Status::Ok)
      return respondError(http::status::not_found, "not found\n", req.keep_alive(), req.version());

    http::response<http::empty_body> head{http::status::ok, req.version()};
    head.set(http::field::server, "vroom-server");
    head.set(http::field::etag, found.etag);
    head.set(http::field::cache_control, found.cacheControl);
    if (found.varies) head.set(http::field::vary, "Accept-Encoding");
    // The client is public: pages on other origins may import vroom.mjs and fetch
    // vroom.wasm (their WebSocket still needs --allowed-origin).
    head.set(http::field::access_control_allow_origin, "*");
    head.keep_alive(req.keep_alive());
    const auto ifNoneMatch = joinedField(req, http::field::if_none_match);
    if (ifNoneMatch && ifNoneMatchMatches(*ifNoneMatch, found.etag)) {
      head.result(http::status::not_modified);
      return write(std::make_shared<http::response<http::empty_body>>(std::move(head)));
    }

    beast::error_code ec;
    http::file_body::value_type body;
    body.open(found.file.c_str(), beast::file_mode::scan, ec);
    if (ec)
      return respondError(http::status::not_found, "not found\n", req.keep_alive(), req.version());
    head.set(http::field::content_type, found.contentType);
    if (found.coding != ContentCoding::Identity)
      head.set(http::field::content_encoding, codingToken(found.coding));
    head.set("X-Content-Type-Options", "nosniff");
    head.content_length(body.size());
    if (req.method() == http::verb::head)
      return write(std::make_shared<http::response<http::empty_body>>(std::move(head)));
    auto res = std::make_shared<http::response<http::file_body>>(
        std::piecewise_construct, std::make_tuple(std::move(body)),
        std::make_tuple(http::status::ok, req.version()));
    res->base() = head.base();
    write(res);
  }

  // A header's value with repeated lines joined by commas (RFC 9110 5.3); nullopt if absent.
  static std::optional<std::string> joinedField(const http::request<http::string_body>& req,
                                                http::field name) {
    const auto [first, last] = req.equal_range(name);
    if (first == last) return std::nullopt;
    std::string value;
    for (auto it = first; it != last; ++it) {
      if (!value.empty()) value += ", ";
      value.append(it->value().data(), it->value().size());
    }
    return value;
  }

  void respondText(const http::request<http::string_body>& req, std::string text,
                   std::string_view type) {
    auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, req.version());
    res->set(http::field::server, "vroom-server");
    res->set(http::field::content_type, type);
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(req.keep_alive());
    if (req.method() != http::verb::head) res->body() = std::move(text);
    res->prepare_payload();
    write(res);
  }

  void respondError(http::status status, std::string text, bool keepAlive, unsigned version = 11) {
    auto res = std::make_shared<http::response<http::string_body>>(status, version);
    res->set(http::field::server, "vroom-server");
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    res->keep_alive(keepAlive);
    res->body() = std::move(text);
    res->prepare_payload();
    write(res);
  }

  template <class Body>
  void write(std::shared_ptr<http::response<Body>> res) {
    const bool close = !res->keep_alive();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
    http::async_write(
        stream_, *res,
        [self = this->shared_from_this(), res, close](beast::error_code ec, std::size_t) {
          if (ec) return;
          if (close) return self->closeGracefully();
          self->doRead();
        });
  }

  void closeGracefully() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(boost::asio::socket_base::shutdown_send, ec);
    }
  }

  Stream stream_;
  ServerState& state_;
  IoThread& thread_;
  AddressSlot slot_;  // this connection's share of its address's cap
  beast::flat_buffer buffer_{16 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace vroom::server
