// WsClient: connect from a chosen source address, upgrade, then hand every text frame to the
// protocol adapter and tell the driver when the client is ready or a signal arrived.
#include "ws_client.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/websocket.hpp>

namespace vroom::bench {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

WsClient::WsClient(boost::asio::io_context& ioc, std::size_t index,
                   std::unique_ptr<ProtocolClient> protocol, WsClientListener& listener)
    : ws_(ioc), index_(index), protocol_(std::move(protocol)), listener_(listener) {}

void WsClient::start(const tcp::endpoint& server, const boost::asio::ip::address& source) {
  host_ = server.address().to_string() + ":" + std::to_string(server.port());
  auto& socket = ws_.next_layer();
  beast::error_code ec;
  socket.open(server.protocol(), ec);
  if (!ec) {
    // Port chosen at connect() time from the full 4-tuple space, not reserved at bind().
    const int one = 1;
    ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket.bind(tcp::endpoint(source, 0), ec);
  }
  if (ec) return fail("bind " + source.to_string() + ": " + ec.message());
  socket.async_connect(server, beast::bind_front_handler(&WsClient::onConnect, shared_from_this()));
}

void WsClient::onConnect(beast::error_code ec) {
  if (ec) return fail("connect: " + ec.message());
  ws_.next_layer().set_option(tcp::no_delay(true), ec);
  ws_.auto_fragment(false);
  ws_.async_handshake(host_, protocol_->target(),
                      beast::bind_front_handler(&WsClient::onHandshake, shared_from_this()));
}

void WsClient::onHandshake(beast::error_code ec) {
  if (ec) return fail("handshake: " + ec.message());
  open_ = true;
  ws_.text(true);
  listener_.onOpened(*this);
  replies_.clear();
  protocol_->onOpen(replies_);
  sendAll(replies_);
  doRead();
}

void WsClient::doRead() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WsClient::onRead, shared_from_this()));
}

void WsClient::onRead(beast::error_code ec, std::size_t) {
  if (ec) return fail("read: " + ec.message());
  const auto data = buffer_.cdata();
  const std::string_view frame(static_cast<const char*>(data.data()), data.size());
  replies_.clear();
  const FrameKind kind = protocol_->onFrame(frame, replies_);
  if (kind == FrameKind::Signal) {
    listener_.onSignal(*this, frame);
  } else if (kind == FrameKind::Error) {
    buffer_.consume(buffer_.size());
    return fail("server refused: " + protocol_->lastError());
  }
  buffer_.consume(buffer_.size());
  sendAll(replies_);
  if (!ready_ && protocol_->ready()) {
    ready_ = true;
    listener_.onReady(*this);
  }
  doRead();
}

void WsClient::sendAll(std::vector<std::string>& frames) {
  for (auto& frame : frames) send(std::move(frame));
  frames.clear();
}

void WsClient::send(std::string frame) {
  if (failed_) return;
  outbox_.push_back(std::move(frame));
  if (!writing_) doWrite();
}

void WsClient::doWrite() {
  writing_ = true;
  ws_.async_write(boost::asio::buffer(outbox_.front()),
                  beast::bind_front_handler(&WsClient::onWrite, shared_from_this()));
}

void WsClient::onWrite(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return fail("write: " + ec.message());
  outbox_.pop_front();
  if (!outbox_.empty()) doWrite();
}

void WsClient::fail(const std::string& why) {
  if (failed_) return;
  failed_ = true;
  outbox_.clear();
  beast::error_code ignored;
  ws_.next_layer().close(ignored);
  if (!open_) listener_.onOpened(*this);  // frees its slot in the connect window
  listener_.onFailed(*this, why);
}

}  // namespace vroom::bench
