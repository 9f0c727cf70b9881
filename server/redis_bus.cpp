// RedisBus (redis_bus.hpp): each ClusterBus operation as one Redis command or Lua script, so
// every check-and-set (who owns a room) is atomic on the Redis side.
#include "redis_bus.hpp"

#include <charconv>

#include <boost/asio/post.hpp>

#include "log.hpp"

namespace vroom::server {

namespace net = boost::asio;

namespace {

constexpr auto kRetryEvery = std::chrono::milliseconds(500);

std::string nodeKey(const std::string& node) {
  return "vroom:node:" + node;
}
std::string roomKey(const std::string& room) {
  return "vroom:room:" + room + ":owner";
}
std::string stateKey(const std::string& room) {
  return "vroom:room:" + room + ":state";
}
std::string channelOf(const std::string& node) {
  return "vroom:chan:" + node;
}

// The owner stays when its heartbeat lives; else the claimant takes the room, and with it the
// state its last owner saved. Atomic: Redis runs a script with nothing in between.
constexpr const char* kClaimScript = R"(
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] and redis.call('EXISTS', 'vroom:node:' .. v) == 1 then
  return {v, ''}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {ARGV[1], redis.call('GET', KEYS[2]) or ''})";

// Writes (ARGV[3] set) or deletes a room's state, only for the room's owner.
constexpr const char* kStateScript = R"(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
else redis.call('DEL', KEYS[2]) end
return 1)";

// Extends this node's rooms; takes back the ones a Redis restart forgot.
constexpr const char* kKeepScript = R"(
for _, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if not v then redis.call('SET', k, ARGV[1], 'PX', ARGV[2])
  elseif v == ARGV[1] then redis.call('PEXPIRE', k, ARGV[2]) end
end
return 0)";

}  // namespace

std::optional<RedisAddress> parseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  RedisAddress out;
  const auto colon = url.rfind(':');
  std::string_view host = url;
  if (colon != std::string_view::npos) {
    host = url.substr(0, colon);
    const auto port = url.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
  }
  if (host.empty() || host.find_first_of("/@?") != std::string_view::npos) return std::nullopt;
  out.host = std::string(host);
  return out;
}

RedisBus::RedisBus(net::io_context& ioc, RedisAddress address)
    : ioc_(ioc), address_(std::move(address)), retry_(ioc) {}

RedisBus::~RedisBus() {
  stop();
}

void RedisBus::start() {
  connectAll();
}

void RedisBus::stop() {
  stopped_ = true;
  retry_.cancel();
  if (commands_) commands_->close();
  if (subscriber_) subscriber_->close();
  commands_.reset();
  subscriber_.reset();
  up_ = false;
}

void RedisBus::updateUp() {
  const bool now = commands_ && commands_->up() && subscriber_ && subscriber_->up();
  if (now == up_) return;
  up_ = now;
  if (now) {
    log::info("redis_up", {{"host", address_.host}, {"port", std::to_string(address_.port)}});
    if (everUp_) ++stats_.reconnects;
    everUp_ = true;
    if (onUp_) onUp_();
  } else {
    log::warn("redis_down", {{"host", address_.host}});
  }
}

void RedisBus::connectAll() {
  if (stopped_) return;
  auto lost = [this](const std::string& why) {
    log::debug("redis_connection_lost", {{"why", why}});
    // Both go and come back together: a half-connected bus is treated as down.
    net::post(ioc_, [this] {
      if (stopped_) return;
      if (commands_) commands_->close();
      if (subscriber_) subscriber_->close();
      updateUp();
      retryLater();
    });
  };
  commands_ = std::make_shared<RedisConnection>(ioc_);
  subscriber_ = std::make_shared<RedisConnection>(ioc_);
  commands_->connect(
      address_.host, address_.port, [this] { updateUp(); }, lost);
  subscriber_->connect(
      address_.host, address_.port,
      [this] {
        subscribe();
        updateUp();
      },
      lost);
}

void RedisBus::retryLater() {
  if (stopped_) return;
  retry_.expires_after(kRetryEvery);
  retry_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    connectAll();
  });
}

void RedisBus::subscribe() {
  if (channel_.empty() || !subscriber_ || !subscriber_->up()) return;
  subscriber_->command({"SUBSCRIBE", channel_}, [this](const RedisReply& reply) {
    // ["message", channel, payload]; the ["subscribe", ...] confirmation is skipped.
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != 3) return;
    if (reply.elements[0].str != "message") return;
    ++stats_.received;
    if (onMessage_) onMessage_(reply.elements[2].str);
  });
}

void RedisBus::command(const std::vector<std::string>& args,
                       RedisConnection::ReplyHandler handler) {
  if (!commands_) {
    RedisReply error;
    error.str = "not connected";
    net::post(ioc_, [handler = std::move(handler), error] { handler(error); });
    return;
  }
  commands_->command(args, [this, handler = std::move(handler)](const RedisReply& reply) {
    if (!reply.ok()) ++stats_.failures;
    if (handler) handler(reply);
  });
}

void RedisBus::claimRoom(const std::string& room, const std::string& node,
                         std::chrono::milliseconds ttl,
                         std::function<void(std::optional<RoomClaim>)> done) {
  command({"EVAL", kClaimScript, "2", roomKey(room), stateKey(room), node,
           std::to_string(ttl.count())},
          [done = std::move(done)](const RedisReply& reply) {
            if (reply.type == RedisReply::Type::Array && reply.elements.size() == 2 &&
                reply.elements[0].type == RedisReply::Type::String &&
                reply.elements[1].type == RedisReply::Type::String)
              return done(RoomClaim{reply.elements[0].str, reply.elements[1].str});
            done(std::nullopt);
          });
}

void RedisBus::saveRoom(const std::string& room, const std::string& node, std::string state,
                        std::chrono::milliseconds ttl) {
  command({"EVAL", kStateScript, "2", roomKey(room), stateKey(room), node, std::move(state),
           std::to_string(ttl.count())},
          {});
}

void RedisBus::dropRoom(const std::string& room, const std::string& node) {
  command({"EVAL", kStateScript, "2", roomKey(room), stateKey(room), node, ""}, {});
}

void RedisBus::keepRooms(const std::vector<std::string>& rooms, const std::string& node,
                         std::chrono::milliseconds ttl) {
  if (rooms.empty()) return;
  std::vector<std::string> args{"EVAL", kKeepScript, std::to_string(rooms.size())};
  for (const auto& room : rooms) args.push_back(roomKey(room));
  args.push_back(node);
  args.push_back(std::to_string(ttl.count()));
  command(args, {});
}

void RedisBus::heartbeat(const std::string& node, std::chrono::milliseconds ttl) {
  command({"SET", nodeKey(node), "1", "PX", std::to_string(ttl.count())}, {});
}

void RedisBus::liveNodes(const std::vector<std::string>& nodes,
                         std::function<void(std::optional<std::vector<bool>>)> done) {
  if (nodes.empty()) return done(std::vector<bool>{});
  std::vector<std::string> args{"MGET"};
  for (const auto& node : nodes) args.push_back(nodeKey(node));
  command(args, [done = std::move(done), n = nodes.size()](const RedisReply& reply) {
    if (reply.type != RedisReply::Type::Array || reply.elements.size() != n)
      return done(std::nullopt);
    std::vector<bool> out;
    for (const auto& e : reply.elements) out.push_back(e.type != RedisReply::Type::Nil);
    done(out);
  });
}

void RedisBus::putResume(const std::vector<std::pair<std::string, std::string>>& tokenRooms,
                         std::chrono::milliseconds ttl) {
  for (const auto& [token, room] : tokenRooms)
    command({"SET", "vroom:resume:" + token, room, "PX", std::to_string(ttl.count())}, {});
}

void RedisBus::roomOfResume(const std::string& token,
                            std::function<void(std::optional<std::string>)> done) {
  command({"GET", "vroom:resume:" + token}, [done = std::move(done)](const RedisReply& reply) {
    if (reply.type == RedisReply::Type::String) return done(reply.str);
    done(std::nullopt);
  });
}

void RedisBus::publish(const std::string& node, std::string message) {
  ++stats_.published;
  command({"PUBLISH", channelOf(node), std::move(message)}, {});
}

void RedisBus::listen(const std::string& node, std::function<void(std::string_view)> onMessage) {
  channel_ = channelOf(node);
  onMessage_ = std::move(onMessage);
  subscribe();
}

}  // namespace vroom::server
