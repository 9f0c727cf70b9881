// hiredis over Asio (redis_connection.hpp). hiredis asks for readiness with addRead/addWrite
// (level-triggered: keep telling me until delRead/delWrite) and frees its context itself after
// a disconnect, calling cleanup; a Watch outlives that through the handlers that hold it.
#include "redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/post.hpp>

#include <boost/asio/posix/stream_descriptor.hpp>

namespace vroom::server {

namespace net = boost::asio;

struct RedisConnection::Watch : std::enable_shared_from_this<Watch> {
  Watch(net::io_context& ioc, redisAsyncContext* c) : ctx(c), fd(ioc, c->c.fd) {}
  redisAsyncContext* ctx;  // null once hiredis has freed it
  net::posix::stream_descriptor fd;
  bool wantRead = false, wantWrite = false;
  bool readArmed = false, writeArmed = false;
  std::shared_ptr<Watch> self;  // hiredis's reference, dropped by cleanup

  void armRead() {
    if (readArmed || !ctx || !wantRead) return;
    readArmed = true;
    fd.async_wait(net::posix::stream_descriptor::wait_read,
                  [w = shared_from_this()](const boost::system::error_code& ec) {
                    w->readArmed = false;
                    if (ec || !w->ctx || !w->wantRead) return;
                    redisAsyncHandleRead(w->ctx);  // may free ctx (cleanup clears it)
                    w->armRead();
                  });
  }
  void armWrite() {
    if (writeArmed || !ctx || !wantWrite) return;
    writeArmed = true;
    fd.async_wait(net::posix::stream_descriptor::wait_write,
                  [w = shared_from_this()](const boost::system::error_code& ec) {
                    w->writeArmed = false;
                    if (ec || !w->ctx || !w->wantWrite) return;
                    redisAsyncHandleWrite(w->ctx);
                    w->armWrite();
                  });
  }
  static Watch& of(void* p) { return *static_cast<Watch*>(p); }
  static void addRead(void* p) {
    of(p).wantRead = true;
    of(p).armRead();
  }
  static void delRead(void* p) { of(p).wantRead = false; }
  static void addWrite(void* p) {
    of(p).wantWrite = true;
    of(p).armWrite();
  }
  static void delWrite(void* p) { of(p).wantWrite = false; }
  static void cleanup(void* p) {
    Watch& w = of(p);
    w.ctx = nullptr;
    w.wantRead = w.wantWrite = false;
    boost::system::error_code ignored;
    w.fd.cancel(ignored);
    w.fd.release();                 // hiredis closes the descriptor itself
    auto keep = std::move(w.self);  // the pending handlers, if any, keep it a little longer
  }
};

namespace {

RedisReply copyReply(const redisReply* r) {
  RedisReply out;
  if (!r) {
    out.str = "disconnected";
    return out;
  }
  switch (r->type) {
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::Error;
      break;
    case REDIS_REPLY_NIL:
      out.type = RedisReply::Type::Nil;
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::Status;
      break;
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::String;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::Integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::Array;
      break;
    default:
      out.type = RedisReply::Type::Nil;
      break;
  }
  if (r->str) out.str.assign(r->str, r->len);
  out.integer = r->integer;
  for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(copyReply(r->element[i]));
  return out;
}

struct Pending {  // privdata of one command
  RedisConnection::ReplyHandler handler;
  bool subscription = false;
};

}  // namespace

RedisConnection::RedisConnection(net::io_context& ioc) : ioc_(ioc) {}

RedisConnection::~RedisConnection() {
  onUp_ = nullptr;
  onDown_ = nullptr;
  close();
}

void RedisConnection::connect(const std::string& host, std::uint16_t port,
                              std::function<void()> onUp,
                              std::function<void(const std::string&)> onDown) {
  onUp_ = std::move(onUp);
  onDown_ = std::move(onDown);
  ctx_ = redisAsyncConnect(host.c_str(), port);
  if (!ctx_ || ctx_->err) {
    const std::string why = ctx_ ? ctx_->errstr : "out of memory";
    if (ctx_) redisAsyncFree(ctx_);
    ctx_ = nullptr;
    // Reported from the loop, never from inside connect().
    net::post(ioc_, [weak = weak_from_this(), why] {
      if (auto self = weak.lock()) self->down(why);
    });
    return;
  }
  ctx_->data = this;
  auto watch = std::make_shared<Watch>(ioc_, ctx_);
  watch->self = watch;
  ctx_->ev.data = watch.get();
  ctx_->ev.addRead = &Watch::addRead;
  ctx_->ev.delRead = &Watch::delRead;
  ctx_->ev.addWrite = &Watch::addWrite;
  ctx_->ev.delWrite = &Watch::delWrite;
  ctx_->ev.cleanup = &Watch::cleanup;
  redisAsyncSetConnectCallback(ctx_, &RedisConnection::onConnect);
  redisAsyncSetDisconnectCallback(ctx_, &RedisConnection::onDisconnect);
}

void RedisConnection::onConnect(const redisAsyncContext* ctx, int status) {
  auto* self = static_cast<RedisConnection*>(ctx->data);
  if (!self) return;
  if (status != REDIS_OK) {
    self->ctx_ = nullptr;  // hiredis frees it after this callback
    self->down(ctx->errstr ? ctx->errstr : "connect failed");
    return;
  }
  self->up_ = true;
  if (self->onUp_) self->onUp_();
}

void RedisConnection::onDisconnect(const redisAsyncContext* ctx, int status) {
  auto* self = static_cast<RedisConnection*>(ctx->data);
  if (!self) return;
  self->ctx_ = nullptr;
  self->down(status == REDIS_OK ? "closed" : (ctx->errstr ? ctx->errstr : "lost"));
}

void RedisConnection::down(const std::string& why) {
  up_ = false;
  if (downCalled_) return;
  downCalled_ = true;
  if (onDown_) onDown_(why);
}

void RedisConnection::onReply(redisAsyncContext*, void* reply, void* privdata) {
  auto* pending = static_cast<Pending*>(privdata);
  const RedisReply copy = copyReply(static_cast<redisReply*>(reply));
  // A subscription's callback stays registered until the connection goes (then reply is
  // null); a plain command's runs once.
  const bool last = !pending->subscription || reply == nullptr;
  if (pending->handler) pending->handler(copy);
  if (last) delete pending;
}

void RedisConnection::command(const std::vector<std::string>& args, ReplyHandler handler) {
  if (!ctx_ || !up_) {
    RedisReply error;
    error.str = "not connected";
    net::post(ioc_, [handler = std::move(handler), error] {
      if (handler) handler(error);
    });
    return;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* pending = new Pending{std::move(handler), !args.empty() && (args[0] == "SUBSCRIBE")};
  if (redisAsyncCommandArgv(ctx_, &RedisConnection::onReply, pending, static_cast<int>(args.size()),
                            argv.data(), lens.data()) != REDIS_OK) {
    RedisReply error;
    error.str = "command refused";
    auto h = std::move(pending->handler);
    delete pending;
    net::post(ioc_, [h = std::move(h), error] {
      if (h) h(error);
    });
  }
}

void RedisConnection::close() {
  if (!ctx_) return;
  redisAsyncContext* ctx = ctx_;
  ctx_ = nullptr;
  up_ = false;
  downCalled_ = true;  // a close we asked for is not news
  ctx->data = nullptr;
  redisAsyncFree(ctx);  // runs pending callbacks with null replies, then cleanup
}

}  // namespace vroom::server
