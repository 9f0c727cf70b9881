// vroom-server's connection to Janus: its WebSocket API (subprotocol `janus-protocol`) over
// Asio on one io_context, one Janus session kept alive, requests matched to replies by
// transaction with timeouts and typed errors, events delivered to the owner, and a new
// session after Janus restarts or the connection drops (the owner is told, to republish).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "janus_wire.hpp"

namespace vroom::server::janus {

// ws://HOST:PORT[/PATH]: the only form accepted (Janus belongs on loopback or a private
// network beside the server; wss:// is not implemented yet).
struct WsUrl {
  std::string host;
  std::string port;
  std::string target = "/";
};
std::optional<WsUrl> parseWsUrl(std::string_view url);

struct JanusClientConfig {
  std::string url = "ws://127.0.0.1:8188";
  std::string apiSecret;  // Janus's api_secret, sent in every request ("apisecret")
  std::chrono::milliseconds requestTimeout{10000};
  // Janus closes a session that sends nothing for its session_timeout (60 s by default).
  std::chrono::milliseconds keepaliveEvery{20000};
  // After Janus is lost, tries again at 250 ms, 500 ms, then every second: a call waits at
  // most about a second past Janus's return (a refused connection costs next to nothing).
  std::chrono::milliseconds reconnectMin{250};
  std::chrono::milliseconds reconnectMax{1000};
  std::size_t maxMessageBytes = 1 << 20;
};

struct JanusConnection;

class JanusClient : public std::enable_shared_from_this<JanusClient> {
 public:
  struct Handlers {
    // A Janus session is ready. `generation` counts sessions: above 1, the previous session
    // and every handle in it are gone (Janus restarted or the connection dropped), so
    // whatever was attached, published or subscribed must be done again.
    std::function<void(std::uint64_t generation)> sessionUp;
    // An attempt to reach Janus or open a session failed (Janus down, wrong secret...);
    // the next attempt follows with a growing back-off. Never called while a session is up.
    std::function<void(const Error&)> unavailable;
    // The session was lost; requests in flight failed with Disconnected. Reconnection runs.
    std::function<void(const Error&)> sessionDown;
    // An event for a handle (webrtcup, hangup, media, slowlink, detached, plugin events
    // that answer no pending request).
    std::function<void(const Incoming&)> event;
  };

  using Reply = std::function<void(JanusResult<Incoming>)>;

  // Call every method on `io`'s thread; handlers run there too.
  static std::shared_ptr<JanusClient> create(boost::asio::io_context& io, JanusClientConfig config,
                                             Handlers handlers);
  ~JanusClient();

  void start();  // connects and keeps reconnecting until stop()
  // Fails every request in flight with Stopped (before returning) and closes; no Handlers
  // callback runs afterwards. A request refused earlier with Disconnected may still complete.
  void stop();

  bool sessionReady() const { return state_ == State::Ready; }
  std::uint64_t generation() const { return generation_; }
  std::uint64_t sessionId() const { return sessionId_; }
  std::uint64_t malformedFrames() const { return malformedFrames_; }

  void attach(const std::string& plugin, std::function<void(JanusResult<std::uint64_t>)> done);
  void detach(std::uint64_t handle, std::function<void(JanusResult<Done>)> done);
  // A plugin request. Completes with the plugin's answer: a synchronous "success" or the
  // asynchronous "event" carrying the transaction (plugindata and jsep in Incoming). A
  // plugindata `error_code` completes with a Plugin error.
  void message(std::uint64_t handle, Json body, std::optional<Jsep> jsep, Reply done);
  void hangup(std::uint64_t handle, std::function<void(JanusResult<Done>)> done);
  // A candidate of the handle's remote peer (the browser), or nullopt for the end of them.
  // Janus acknowledges it; its own candidates come in the SDP it sends (half-trickle).
  void trickle(std::uint64_t handle, std::optional<IceCandidate> candidate,
               std::function<void(JanusResult<Done>)> done);

 private:
  enum class State { Stopped, Waiting, Connecting, Creating, Ready };
  enum class Completes { OnSuccess, OnAck, OnPluginReply };
  struct Pending {
    Completes completes;
    std::chrono::steady_clock::time_point deadline;
    Reply done;
  };

  JanusClient(boost::asio::io_context& io, JanusClientConfig config, Handlers handlers);

  void connect();
  void createSession();
  void send(Json request, Completes completes, Reply done);
  void failSoon(Reply done, ErrorCode code, std::string reason);
  void write();
  void read();
  void onFrame(std::string_view text);
  void tick();
  void lost(Error why);
  void failPending(const Error& why);
  void scheduleReconnect();

  boost::asio::io_context& io_;
  JanusClientConfig config_;
  Handlers handlers_;
  std::optional<WsUrl> url_;
  boost::asio::ip::tcp::resolver resolver_;
  std::shared_ptr<JanusConnection> conn_;  // the current connection, if any
  boost::asio::steady_timer ticker_;
  boost::asio::steady_timer retry_;
  std::map<std::string, Pending> pending_;
  State state_ = State::Stopped;
  std::uint64_t connection_ = 0;  // bumps on every (re)connect: stale callbacks see it
  std::uint64_t sessionId_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t nextTransaction_ = 1;
  std::uint64_t malformedFrames_ = 0;
  std::chrono::milliseconds backoff_;
  std::chrono::steady_clock::time_point nextKeepalive_{};
};

}  // namespace vroom::server::janus
