// A scripted stand-in for Janus's WebSocket API, for what a real Janus never sends: garbage,
// wrong types, huge frames, silence. Each request is handed to the script, which returns the
// frames to send back (with "$T" replaced by the request's transaction).
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace vroom::server::testing {

class FakeJanus {
 public:
  using Script = std::function<std::vector<std::string>(const nlohmann::json& request)>;

  explicit FakeJanus(Script script)
      : script_(std::move(script)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeJanus() {
    stopping_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    {
      std::lock_guard lock(mutex_);
      if (client_ >= 0) ::shutdown(client_, SHUT_RDWR);
    }
    thread_.join();
  }

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }

 private:
  void serve() {
    namespace websocket = boost::beast::websocket;
    while (!stopping_) {
      boost::system::error_code ec;
      boost::asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      ++connections_;
      {
        std::lock_guard lock(mutex_);
        client_ = socket.native_handle();
      }
      websocket::stream<boost::asio::ip::tcp::socket> ws(std::move(socket));
      ws.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(boost::beast::http::field::sec_websocket_protocol, "janus-protocol");
      }));
      ws.accept(ec);
      while (!ec && !stopping_) {
        boost::beast::flat_buffer buffer;
        ws.read(buffer, ec);
        if (ec) break;
        const auto request =
            nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
        const std::string transaction = request.is_object() && request.contains("transaction")
                                            ? request["transaction"].get<std::string>()
                                            : "";
        for (std::string frame : script_(request)) {
          for (auto at = frame.find("$T"); at != std::string::npos; at = frame.find("$T"))
            frame.replace(at, 2, transaction);
          ws.text(true);
          ws.write(boost::asio::buffer(frame), ec);
          if (ec) break;
        }
      }
      std::lock_guard lock(mutex_);
      client_ = -1;
    }
  }

  Script script_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  int client_ = -1;
};

}  // namespace vroom::server::testing
