// One connection to Redis through hiredis's async API, driven by an Asio io_context: the
// small adapter hiredis lacks (its ev.addRead/delRead/addWrite/delWrite/cleanup hooks over a
// posix::stream_descriptor), and replies copied out of hiredis into plain C++ values.
// Single-threaded: every call, and every callback, happens on the io_context's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

struct redisAsyncContext;

namespace vroom::server {

struct RedisReply {
  enum class Type { Error, Nil, Status, String, Integer, Array };
  Type type = Type::Error;
  std::string str;  // String, Status, Error (the message; "disconnected" when none came)
  long long integer = 0;
  std::vector<RedisReply> elements;
  bool ok() const { return type != Type::Error; }
};

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  using ReplyHandler = std::function<void(const RedisReply&)>;

  explicit RedisConnection(boost::asio::io_context& ioc);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Starts connecting; onUp runs once connected, onDown once when the connection fails or
  // is lost (after which the object is spent: make a new one to reconnect).
  void connect(const std::string& host, std::uint16_t port, std::function<void()> onUp,
               std::function<void(const std::string& why)> onDown);
  bool up() const { return up_; }
  // Sends a command; the handler gets its reply, or an Error reply if the connection goes
  // first. A SUBSCRIBE's handler runs for every message of its channel.
  void command(const std::vector<std::string>& args, ReplyHandler handler);
  void close();  // disconnects; pending handlers get Error replies

 private:
  struct Watch;
  static void onConnect(const redisAsyncContext* ctx, int status);
  static void onDisconnect(const redisAsyncContext* ctx, int status);
  static void onReply(redisAsyncContext* ctx, void* reply, void* privdata);
  void down(const std::string& why);

  boost::asio::io_context& ioc_;
  redisAsyncContext* ctx_ = nullptr;
  bool up_ = false;
  bool downCalled_ = false;
  std::function<void()> onUp_;
  std::function<void(const std::string&)> onDown_;
};

}  // namespace vroom::server
