// The Janus API client (see janus_client.hpp): connect, create a session, keep it alive,
// match replies to transactions, time requests out, and start over when the link drops.
#include "janus_client.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "log.hpp"

namespace vroom::server::janus {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

using Ws = websocket::stream<beast::tcp_stream>;

// One WebSocket connection with what its pending operations touch, so a dropped connection's
// handlers may finish after a new one is up without sharing anything with it.
struct JanusConnection {
  explicit JanusConnection(net::io_context& io) : ws(io) {}
  Ws ws;
  beast::flat_buffer buffer;
  std::deque<std::string> outbox;
  bool writing = false;
  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().close(ignored);
  }
};

namespace {

constexpr auto kTick = std::chrono::milliseconds(100);

std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The transaction of a frame that parseIncoming refused, when it is JSON enough to name one.
std::string transactionOf(std::string_view text) {
  if (!nestingWithin(text, kMaxJanusDepth)) return {};
  Json root = Json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return {};
  return getString(root, "transaction").value_or("");
}

}  // namespace

std::optional<WsUrl> parseWsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "ws://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  WsUrl out;
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) out.target = std::string(url.substr(slash));
  if (authority.empty() || authority.find_first_of("@?# ") != std::string_view::npos)
    return std::nullopt;
  std::string_view host = authority, port = "80";
  if (authority.front() == '[') {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    const auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const unsigned long number = std::stoul(std::string(port));
  if (number < 1 || number > 65535) return std::nullopt;
  out.host = std::string(host);
  out.port = std::string(port);
  return out;
}

std::shared_ptr<JanusClient> JanusClient::create(net::io_context& io, JanusClientConfig config,
                                                 Handlers handlers) {
  return std::shared_ptr<JanusClient>(new JanusClient(io, std::move(config), std::move(handlers)));
}

JanusClient::JanusClient(net::io_context& io, JanusClientConfig config, Handlers handlers)
    : io_(io),
      config_(std::move(config)),
      handlers_(std::move(handlers)),
      url_(parseWsUrl(config_.url)),
      resolver_(io),
      ticker_(io),
      retry_(io),
      backoff_(config_.reconnectMin) {}

JanusClient::~JanusClient() {
  if (conn_) conn_->close();
}

void JanusClient::start() {
  if (state_ != State::Stopped) return;
  if (!url_) {
    log::error("janus_bad_url", {{"url", log::clip(config_.url)}});
    return;
  }
  state_ = State::Waiting;
  ticker_.expires_after(kTick);
  ticker_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->tick();
  });
  connect();
}

void JanusClient::stop() {
  if (state_ == State::Stopped) return;
  state_ = State::Stopped;
  ++connection_;
  if (conn_) conn_->close();
  conn_.reset();
  resolver_.cancel();
  ticker_.cancel();
  retry_.cancel();
  failPending(Error{ErrorCode::Stopped, 0, "the Janus client was stopped"});
}

void JanusClient::connect() {
  state_ = State::Connecting;
  const auto id = ++connection_;
  conn_ = std::make_shared<JanusConnection>(io_);
  auto conn = conn_;
  resolver_.async_resolve(
      url_->host, url_->port,
      [self = shared_from_this(), id, conn](beast::error_code ec,
                                            net::ip::tcp::resolver::results_type results) {
        if (id != self->connection_) return;
        if (ec) return self->lost(Error{ErrorCode::Disconnected, 0, "resolve: " + ec.message()});
        beast::get_lowest_layer(conn->ws).expires_after(self->config_.requestTimeout);
        beast::get_lowest_layer(conn->ws).async_connect(
            results, [self, id, conn](beast::error_code ec, const net::ip::tcp::endpoint&) {
              if (id != self->connection_) return;
              if (ec)
                return self->lost(Error{ErrorCode::Disconnected, 0, "connect: " + ec.message()});
              beast::get_lowest_layer(conn->ws).expires_never();
              websocket::stream_base::timeout timeouts{};
              timeouts.handshake_timeout = self->config_.requestTimeout;
              timeouts.idle_timeout = websocket::stream_base::none();
              timeouts.keep_alive_pings = false;
              conn->ws.set_option(timeouts);
              conn->ws.set_option(
                  websocket::stream_base::decorator([](websocket::request_type& request) {
                    request.set(beast::http::field::sec_websocket_protocol, "janus-protocol");
                  }));
              conn->ws.read_message_max(self->config_.maxMessageBytes);
              conn->ws.text(true);
              conn->ws.async_handshake(self->url_->host + ":" + self->url_->port,
                                       self->url_->target, [self, id, conn](beast::error_code ec) {
                                         if (id != self->connection_) return;
                                         if (ec)
                                           return self->lost(Error{ErrorCode::Disconnected, 0,
                                                                   "handshake: " + ec.message()});
                                         self->state_ = State::Creating;
                                         self->read();
                                         self->createSession();
                                       });
            });
      });
}

void JanusClient::createSession() {
  const auto id = connection_;
  send(Json{{"janus", "create"}}, Completes::OnSuccess,
       [this, self = shared_from_this(), id](JanusResult<Incoming> reply) {
         if (id != connection_ || state_ != State::Creating) return;
         if (!reply) return lost(reply.error());
         const auto session = getU64(reply.value().data, "id");
         if (!session || *session == 0)
           return lost(Error{ErrorCode::Malformed, 0, "create: no session id"});
         sessionId_ = *session;
         state_ = State::Ready;
         ++generation_;
         backoff_ = config_.reconnectMin;
         nextKeepalive_ = std::chrono::steady_clock::now() + config_.keepaliveEvery;
         log::info("janus_session", {{"generation", std::to_string(generation_)}});
         if (handlers_.sessionUp) handlers_.sessionUp(generation_);
       });
}

void JanusClient::failSoon(Reply done, ErrorCode code, std::string reason) {
  // Posted, never called from inside the request: the caller's state is not re-entered.
  net::post(io_, [done = std::move(done), code, reason = std::move(reason)]() mutable {
    done(failWith(code, std::move(reason)));
  });
}

void JanusClient::send(Json request, Completes completes, Reply done) {
  if (!conn_ || (state_ != State::Ready && state_ != State::Creating))
    return failSoon(std::move(done), ErrorCode::Disconnected, "no Janus session");
  std::string transaction = "v" + std::to_string(nextTransaction_++);
  request["transaction"] = transaction;
  if (!config_.apiSecret.empty()) request["apisecret"] = config_.apiSecret;
  if (sessionId_ != 0 && state_ == State::Ready) request["session_id"] = sessionId_;
  std::string text = dump(request);
  if (text.size() > config_.maxMessageBytes)
    return failSoon(std::move(done), ErrorCode::TooLarge, "request over the size cap");
  pending_.emplace(std::move(transaction),
                   Pending{completes, std::chrono::steady_clock::now() + config_.requestTimeout,
                           std::move(done)});
  conn_->outbox.push_back(std::move(text));
  write();
}

void JanusClient::write() {
  auto conn = conn_;
  if (!conn || conn->writing || conn->outbox.empty()) return;
  conn->writing = true;
  conn->ws.async_write(net::buffer(conn->outbox.front()), [self = shared_from_this(), conn](
                                                              beast::error_code ec, std::size_t) {
    conn->writing = false;
    if (conn != self->conn_) return;
    if (ec) return self->lost(Error{ErrorCode::Disconnected, 0, "write: " + ec.message()});
    conn->outbox.pop_front();
    self->write();
  });
}

void JanusClient::read() {
  auto conn = conn_;
  conn->ws.async_read(
      conn->buffer, [self = shared_from_this(), conn](beast::error_code ec, std::size_t) {
        if (conn != self->conn_) return;
        if (ec == websocket::error::message_too_big) {
          return self->lost(Error{ErrorCode::TooLarge, 0, "Janus sent a message over the cap"});
        }
        if (ec) return self->lost(Error{ErrorCode::Disconnected, 0, "read: " + ec.message()});
        const std::string text = beast::buffers_to_string(conn->buffer.data());
        conn->buffer.consume(conn->buffer.size());
        self->onFrame(text);
        if (conn == self->conn_) self->read();
      });
}

void JanusClient::onFrame(std::string_view text) {
  auto parsed = parseIncoming(text);
  if (!parsed) {
    ++malformedFrames_;
    log::warn("janus_malformed", {{"why", parsed.error().reason}, {"frame", log::clip(text)}});
    const auto transaction = transactionOf(text);
    if (const auto it = pending_.find(transaction); !transaction.empty() && it != pending_.end()) {
      auto done = std::move(it->second.done);
      pending_.erase(it);
      done(fail(parsed.error()));
    }
    return;
  }
  Incoming& in = parsed.value();
  if (in.kind == Incoming::Kind::Event && in.event == EventKind::Timeout) {
    if (in.sessionId == sessionId_)
      lost(Error{ErrorCode::Disconnected, 0, "the Janus session timed out"});
    return;
  }
  const auto it = in.transaction.empty() ? pending_.end() : pending_.find(in.transaction);
  if (it != pending_.end()) {
    const Completes completes = it->second.completes;
    const bool pluginEvent = in.kind == Incoming::Kind::Event && in.event == EventKind::PluginEvent;
    bool finished = false;
    std::optional<Error> error;
    switch (in.kind) {
      case Incoming::Kind::Ack:
        finished = completes == Completes::OnAck;
        break;
      case Incoming::Kind::Error:
        finished = true;
        error = in.error;
        break;
      case Incoming::Kind::Success:
        finished = true;
        if (completes == Completes::OnPluginReply && in.pluginData.is_null())
          error = Error{ErrorCode::Malformed, 0, "plugin reply without plugindata"};
        break;
      case Incoming::Kind::Event:
        finished = pluginEvent && completes == Completes::OnPluginReply;
        break;
      case Incoming::Kind::Other:
        break;
    }
    if (finished) {
      if (!error && completes == Completes::OnPluginReply) {
        if (const auto code = getI64(in.pluginData, "error_code"))
          error = Error{ErrorCode::Plugin, static_cast<int>(*code),
                        getString(in.pluginData, "error").value_or("")};
      }
      auto done = std::move(it->second.done);
      pending_.erase(it);
      if (error)
        done(fail(std::move(*error)));
      else
        done(std::move(in));
      return;
    }
  }
  if (in.kind == Incoming::Kind::Event && handlers_.event) handlers_.event(in);
}

void JanusClient::tick() {
  if (state_ == State::Stopped) return;
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    auto done = std::move(it->second.done);
    it = pending_.erase(it);
    done(failWith(ErrorCode::Timeout, "no reply from Janus in time"));
    if (state_ == State::Stopped) return;
    it = pending_.begin();  // a handler may have changed the map
  }
  if (state_ == State::Ready && now >= nextKeepalive_) {
    nextKeepalive_ = now + config_.keepaliveEvery;
    const auto id = connection_;
    send(Json{{"janus", "keepalive"}}, Completes::OnAck,
         [this, self = shared_from_this(), id](JanusResult<Incoming> reply) {
           if (!reply && id == connection_ && reply.error().code != ErrorCode::Stopped)
             lost(Error{ErrorCode::Disconnected, 0, "keepalive: " + reply.error().reason});
         });
  }
  ticker_.expires_after(kTick);
  ticker_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->tick();
  });
}

void JanusClient::lost(Error why) {
  if (state_ == State::Stopped || state_ == State::Waiting) return;
  const bool wasReady = state_ == State::Ready;
  state_ = State::Waiting;
  ++connection_;
  if (conn_) conn_->close();
  conn_.reset();
  sessionId_ = 0;
  log::warn("janus_lost", {{"why", why.reason}, {"retry_ms", std::to_string(backoff_.count())}});
  failPending(Error{ErrorCode::Disconnected, 0, why.reason});
  if (state_ == State::Waiting) {
    if (wasReady && handlers_.sessionDown)
      handlers_.sessionDown(why);
    else if (!wasReady && handlers_.unavailable)
      handlers_.unavailable(why);
  }
  scheduleReconnect();
}

void JanusClient::failPending(const Error& why) {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [transaction, entry] : pending) entry.done(fail(why));
}

void JanusClient::scheduleReconnect() {
  if (state_ != State::Waiting) return;
  retry_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, config_.reconnectMax);
  const auto id = connection_;
  retry_.async_wait([self = shared_from_this(), id](beast::error_code ec) {
    if (ec || id != self->connection_ || self->state_ != State::Waiting) return;
    self->connect();
  });
}

void JanusClient::attach(const std::string& plugin,
                         std::function<void(JanusResult<std::uint64_t>)> done) {
  auto wrapped = [done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    const auto handle = getU64(reply.value().data, "id");
    if (!handle || *handle == 0)
      return done(failWith(ErrorCode::Malformed, "attach: no handle id"));
    done(*handle);
  };
  if (state_ != State::Ready)
    return failSoon(std::move(wrapped), ErrorCode::Disconnected, "no Janus session");
  send(Json{{"janus", "attach"}, {"plugin", plugin}}, Completes::OnSuccess, std::move(wrapped));
}

void JanusClient::detach(std::uint64_t handle, std::function<void(JanusResult<Done>)> done) {
  auto wrapped = [done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    done(Done{});
  };
  if (state_ != State::Ready)
    return failSoon(std::move(wrapped), ErrorCode::Disconnected, "no Janus session");
  send(Json{{"janus", "detach"}, {"handle_id", handle}}, Completes::OnSuccess, std::move(wrapped));
}

void JanusClient::hangup(std::uint64_t handle, std::function<void(JanusResult<Done>)> done) {
  auto wrapped = [done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    done(Done{});
  };
  if (state_ != State::Ready)
    return failSoon(std::move(wrapped), ErrorCode::Disconnected, "no Janus session");
  send(Json{{"janus", "hangup"}, {"handle_id", handle}}, Completes::OnSuccess, std::move(wrapped));
}

void JanusClient::trickle(std::uint64_t handle, std::optional<IceCandidate> candidate,
                          std::function<void(JanusResult<Done>)> done) {
  auto wrapped = [done = std::move(done)](JanusResult<Incoming> reply) {
    if (!reply) return done(fail(reply.error()));
    done(Done{});
  };
  if (state_ != State::Ready)
    return failSoon(std::move(wrapped), ErrorCode::Disconnected, "no Janus session");
  Json body{{"completed", true}};
  if (candidate) {
    body = Json{{"candidate", candidate->candidate}};
    if (!candidate->sdpMid.empty()) body["sdpMid"] = candidate->sdpMid;
    if (candidate->sdpMLineIndex >= 0) body["sdpMLineIndex"] = candidate->sdpMLineIndex;
  }
  send(Json{{"janus", "trickle"}, {"handle_id", handle}, {"candidate", std::move(body)}},
       Completes::OnAck, std::move(wrapped));
}

void JanusClient::message(std::uint64_t handle, Json body, std::optional<Jsep> jsep, Reply done) {
  if (state_ != State::Ready)
    return failSoon(std::move(done), ErrorCode::Disconnected, "no Janus session");
  Json request{{"janus", "message"}, {"handle_id", handle}, {"body", std::move(body)}};
  if (jsep) request["jsep"] = Json{{"type", jsep->type}, {"sdp", jsep->sdp}};
  send(std::move(request), Completes::OnPluginReply, std::move(done));
}

}  // namespace vroom::server::janus
