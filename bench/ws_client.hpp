// One load-generator WebSocket connection (Beast, plain TCP), bound to a chosen 127.0.0.x
// source address so tens of thousands of clients do not run one address out of ports.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "protocol_client.hpp"

namespace vroom::bench {

class WsClient;

class WsClientListener {  // the traffic driver; every call comes on the io thread
 public:
  virtual ~WsClientListener() = default;
  virtual void onOpened(WsClient& client) = 0;  // WebSocket handshake done (or failed)
  virtual void onReady(WsClient& client) = 0;   // room joined, mates known
  virtual void onSignal(WsClient& client, std::string_view frame) = 0;
  virtual void onFailed(WsClient& client, const std::string& why) = 0;
};

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  WsClient(boost::asio::io_context& ioc, std::size_t index,
           std::unique_ptr<ProtocolClient> protocol, WsClientListener& listener);

  void start(const boost::asio::ip::tcp::endpoint& server, const boost::asio::ip::address& source);
  void send(std::string frame);  // queued; one write in flight as Beast requires

  std::size_t index() const { return index_; }
  ProtocolClient& protocol() { return *protocol_; }
  const ProtocolClient& protocol() const { return *protocol_; }
  bool failed() const { return failed_; }

  // Per-mate signal templates and their stamp offsets, built once the client is ready.
  std::vector<std::string> templates;
  std::vector<std::size_t> stampOffsets;
  std::size_t nextMate = 0;

 private:
  void onConnect(boost::beast::error_code ec);
  void onHandshake(boost::beast::error_code ec);
  void doRead();
  void onRead(boost::beast::error_code ec, std::size_t bytes);
  void doWrite();
  void onWrite(boost::beast::error_code ec, std::size_t bytes);
  void fail(const std::string& why);
  void sendAll(std::vector<std::string>& frames);

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::size_t index_;
  std::unique_ptr<ProtocolClient> protocol_;
  WsClientListener& listener_;
  std::string host_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::vector<std::string> replies_;
  bool writing_ = false;
  bool open_ = false;
  bool ready_ = false;
  bool failed_ = false;
};

}  // namespace vroom::bench
