// Real loopback clients for the server tests: a Beast WebSocket client and a one-shot HTTP
// GET, every operation bounded by a timeout so a server bug fails a test instead of hanging.
// Beast's WebSocket and HTTP templates are instantiated once, in loopback_client.cpp (the
// vroom_loopback_client library), not in every test that uses them.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/websocket/error.hpp>
#include <nlohmann/json.hpp>

namespace vroom::server::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

struct HttpReply {
  int status = 0;
  std::string body;
  std::string contentType;
  std::string cacheControl;
  http::fields headers;  // all of them, for the rest
  std::string header(http::field name) const { return std::string(headers[name]); }
};

using HeaderList = std::vector<std::pair<http::field, std::string>>;

// One request on a fresh connection (`Connection: close`); status 0 when it failed.
HttpReply httpGet(std::uint16_t port, const std::string& target,
                  http::verb method = http::verb::get, const HeaderList& headers = {});

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // TCP connect plus the WebSocket upgrade. Returns the upgrade's HTTP status (101 on
  // success, 403/404 when refused, 0 when the connection failed).
  int connect(std::uint16_t port, const std::string& target = "/ws", const std::string& origin = "",
              const std::string& host = "");

  bool sendText(const std::string& text);
  bool send(const json& j) { return sendText(j.dump()); }
  bool sendBinary(const std::string& bytes);
  bool ping();  // a WebSocket ping control frame (the server answers with a pong)

  // The next frame, or nullopt when the socket closed, failed or stayed silent.
  std::optional<json> read(std::chrono::milliseconds timeout = 3s);
  // Reads frames until the next one of `type`; the ones skipped are appended to `skipped`.
  std::optional<json> readType(const std::string& type, std::vector<json>* skipped = nullptr);
  // Reads until the server closes; returns its close code, or -1 if it never did.
  int readUntilClosed(std::chrono::milliseconds timeout = 3s);
  // A ping/pong round trip: every frame the server sent before the pong, in order. Since the
  // server runs on one thread, "nothing before the pong" proves nothing was sent.
  std::vector<json> sync();
  json hello(const std::string& token = "");
  // hello + create/join; returns the `joined` frame.
  json enter(const std::string& type, const std::string& room, const std::string& name,
             const json& extra = json::object());
  // A close handshake with `code`, as a browser does (1001 when its page goes away).
  bool closeWith(int code);
  void dropTcp();  // vanish without a close frame, like a laptop lid

  const std::string& id() const { return id_; }
  const std::string& token() const { return token_; }
  beast::error_code lastError() const { return lastError_; }

 private:
  struct Stream;  // the Beast WebSocket stream and its io_context
  std::unique_ptr<Stream> stream_;
  beast::error_code lastError_;
  std::string id_;
  std::string token_;
  std::int64_t pings_ = 0;
};

}  // namespace vroom::server::testing
