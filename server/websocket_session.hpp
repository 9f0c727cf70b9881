// One /ws connection: the ClientSink the registry talks to. It owns the socket, queues
// outgoing frames (one write in flight, as Beast requires), reports pings and pongs to the
// rate limit, and turns the registry's close requests and shutdown into close frames.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "log.hpp"
#include "server_state.hpp"

namespace vroom::server {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

inline constexpr std::size_t kMaxOutboxBytes = 4 * 1024 * 1024;  // a reader this slow is dropped
inline constexpr std::size_t kReadChunk = 16 * 1024;

template <class Stream>
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession<Stream>>,
                         public ClientSink,
                         public LiveSession {
 public:
  WebSocketSession(Stream&& stream, ServerState& state, AddressSlot slot)
      : ws_(std::move(stream)), state_(state), slot_(std::move(slot)) {
    state_.live.insert(this);
  }
  ~WebSocketSession() override {
    state_.live.erase(this);
    forget();
  }

  void run(http::request<http::string_body> request) {
    beast::get_lowest_layer(ws_).expires_never();  // the websocket stream keeps its own timers
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = state_.config.registry.handshakeTimeout;
    timeouts.idle_timeout = state_.config.idleTimeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "vroom-server"); }));
    // The size cap is enforced chunk by chunk in onRead(); Beast's own limit would close with
    // 1009 before the registry could send its `error` frame, so it only guards the absurd.
    ws_.read_message_max(std::uint64_t{1} << 32);
    // Beast answers pings itself; each ping or pong still costs a token of the rate limit.
    // Counted from a posted handler: the callback runs inside a read and may not close.
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::close) return;
      boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
        if (self->registered_)
          self->state_.registry.control(self->id_, std::chrono::steady_clock::now());
      });
    });
    remote_ = endpointText();
    ws_.async_accept(
        request, beast::bind_front_handler(&WebSocketSession::onAccept, this->shared_from_this()));
  }

  // ---- ClientSink (called by the registry, on the io thread) ----
  void send(const std::string& frame) override {
    if (!closeRequested_) sendShared(makeFrame(frame));
  }
  // A fan-out's frame is queued as the registry's shared buffer, not copied per member.
  void sendShared(const Frame& frame) override {
    if (closeRequested_) return;
    outboxBytes_ += frame->size();
    if (outboxBytes_ > kMaxOutboxBytes) {
      // A peer that does not read would make us buffer without bound: drop the socket. Not
      // from inside this registry call though, the registry is iterating its own state.
      closeRequested_ = true;
      boost::asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
        log::warn("ws_slow_reader", {{"conn", std::to_string(self->id_)}});
        self->forget();
        beast::get_lowest_layer(self->ws_).close();
      });
      return;
    }
    outbox_.push_back(frame);
    if (!writing_) doWrite();
  }
  std::size_t backlogBytes() const override { return outboxBytes_; }
  void close(int closeCode, std::string_view reason) override {
    registered_ = false;  // the registry has already forgotten this connection
    requestClose(closeCode, reason);
  }

  // ---- LiveSession ----
  void shutdown() override {
    forget();
    requestClose(protocol::kCloseGoingAway, "server shutting down");
  }

 private:
  void onAccept(beast::error_code ec) {
    if (ec) {
      log::debug("ws_handshake_failed", {{"remote", remote_}, {"error", ec.message()}});
      return;
    }
    accepted_ = true;
    if (state_.stopping || closeRequested_) {
      requestClose(protocol::kCloseGoingAway, "server shutting down");
      doClose();
      return;
    }
    ++state_.transport.wsAccepted;
    id_ = state_.registry.connect(*this, std::chrono::steady_clock::now(), slot_.address());
    registered_ = true;
    log::debug("ws_open", {{"conn", std::to_string(id_)}, {"remote", remote_}});
    doRead();
  }

  void doRead() {
    ws_.async_read_some(
        buffer_, kReadChunk,
        beast::bind_front_handler(&WebSocketSession::onRead, this->shared_from_this()));
  }

  // Messages arrive in chunks so an oversized one is noticed at the cap, not after buffering
  // it whole: the registry then refuses it like any protocol error (error frame, close 1009)
  // and the rest of it is read and dropped while the close handshake completes.
  void onRead(beast::error_code ec, std::size_t) {
    if (ec) {
      log::debug("ws_closed", {{"conn", std::to_string(id_)}, {"why", ec.message()}});
      // The client closed with 1001: its page is gone for good (docs/protocol.md, Resume).
      const bool goingAway = ec == websocket::error::closed && !closeRequested_ &&
                             ws_.reason().code == websocket::close_code::going_away;
      if (goingAway && registered_) {
        registered_ = false;
        state_.registry.goingAway(id_, std::chrono::steady_clock::now());
      }
      forget();
      return;
    }
    const bool messageDone = ws_.is_message_done();
    const std::size_t cap = state_.config.registry.limits.maxMessageBytes;
    if (!registered_ || closeRequested_ || discarding_) {
      // Draining toward the close, or the tail of a message already refused.
      if (messageDone) discarding_ = false;
    } else if (!ws_.got_text()) {
      // Binary frames are not part of the protocol: a protocol error like any other.
      send(protocol::encode(protocol::ErrorMsg{protocol::ErrorCode::InvalidMessage,
                                               "binary frames are not accepted", ""}));
      forget();
      requestClose(protocol::kClosePolicy, "binary frame");
    } else if (buffer_.size() > cap) {
      const auto data = buffer_.cdata();
      state_.registry.receive(id_, std::string_view(static_cast<const char*>(data.data()), cap + 1),
                              std::chrono::steady_clock::now());
      discarding_ = !messageDone;
    } else if (messageDone) {
      const auto data = buffer_.cdata();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      state_.registry.receive(id_, text, std::chrono::steady_clock::now());
    } else {
      return doRead();  // keep collecting this message
    }
    buffer_.consume(buffer_.size());
    doRead();  // keep reading: a requested close completes through this read
  }

  void doWrite() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(
        boost::asio::buffer(*outbox_.front()),
        beast::bind_front_handler(&WebSocketSession::onWrite, this->shared_from_this()));
  }

  void onWrite(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
      outbox_.clear();
      forget();
      return;
    }
    outboxBytes_ -= outbox_.front()->size();
    outbox_.pop_front();
    // Caught up: the registry hands over more of what it held for this peer, if anything
    // (send() then starts the next write itself).
    if (outbox_.empty() && registered_) state_.registry.drain(id_);
    if (writing_) return;
    if (!outbox_.empty()) {
      doWrite();
    } else if (pendingClose_) {
      doClose();
    }
  }

  void requestClose(int code, std::string_view reason) {
    if (closeRequested_ && pendingClose_) return;
    closeRequested_ = true;
    // Control frames carry at most 123 bytes of reason.
    pendingClose_ = websocket::close_reason(static_cast<websocket::close_code>(code),
                                            std::string(reason.substr(0, 120)));
    if (!accepted_) return;  // onAccept sends the close once the handshake is done
    if (!writing_) doClose();
  }

  void doClose() {
    if (closing_ || !pendingClose_) return;
    closing_ = true;
    ws_.async_close(*pendingClose_, [self = this->shared_from_this()](beast::error_code) {});
  }

  // Tells the registry this socket is gone (once); the peer enters its resume window.
  void forget() {
    if (!registered_) return;
    registered_ = false;
    state_.registry.disconnect(id_, std::chrono::steady_clock::now());
  }

  std::string endpointText() {
    beast::error_code ec;
    const auto ep = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    return ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  websocket::stream<Stream> ws_;
  ServerState& state_;
  AddressSlot slot_;  // this connection's share of its address's cap
  beast::flat_buffer buffer_;
  std::deque<Frame> outbox_;
  std::size_t outboxBytes_ = 0;
  bool writing_ = false;
  bool closeRequested_ = false;
  bool closing_ = false;
  bool registered_ = false;
  bool accepted_ = false;
  bool discarding_ = false;  // inside a message already refused as too big
  std::optional<websocket::close_reason> pendingClose_;
  ConnectionId id_ = 0;
  std::string remote_;
};

}  // namespace vroom::server
