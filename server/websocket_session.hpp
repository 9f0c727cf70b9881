// One /ws connection after its upgrade: the ClientSink the registry talks to. It speaks
// RFC 6455 itself over the socket (ws_frame.hpp), so that one read takes in every frame that
// has arrived and one gathered write sends every frame queued meanwhile, and an idle
// connection holds no buffer and no timer (its IoThread's read buffer and sweep serve all).
// The registry may call the sink from any io thread: the outbox has its own lock.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include "compact_queue.hpp"
#include "io_thread.hpp"
#include "log.hpp"
#include "server_state.hpp"
#include "ws_frame.hpp"

namespace vroom::server {

namespace beast = boost::beast;
namespace net = boost::asio;

inline constexpr std::size_t kMaxOutboxBytes = 4 * 1024 * 1024;  // a reader this slow is dropped
inline constexpr auto kCloseTimeout = std::chrono::seconds(3);   // for the close handshake
inline constexpr int kReadRoundsPerWakeup = 4;  // then the thread serves others before more
inline constexpr int kBusyAfterReads = 8;       // reads within kQuietAfter of each other
inline constexpr auto kQuietAfter = std::chrono::seconds(2);
inline constexpr std::size_t kBusyReadBytes = 4096;

// Stream: a plain Socket (io_thread.hpp), or beast::ssl_stream over a TcpStream for TLS.
template <class Stream>
class WebSocketSession final : public std::enable_shared_from_this<WebSocketSession<Stream>>,
                               public ClientSink,
                               public IoSession,
                               private ws::ReaderEvents {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, Socket>;

  WebSocketSession(Stream&& stream, ServerState& state, IoThread& thread, AddressSlot slot)
      : stream_(std::move(stream)),
        state_(state),
        thread_(thread),
        slot_(std::move(slot)),
        reader_(state.config.registry.limits.maxMessageBytes) {
    thread_.add(*this);
  }
  ~WebSocketSession() override {
    forget();
    thread_.remove(*this);
  }

  // On the session's thread: sends the 101 response, joins the registry, takes in the bytes
  // that came with the upgrade request (`early`) and starts reading.
  void start(std::string response, std::string early) {
    lastRead_ = std::chrono::steady_clock::now();
    queue(makeFrame(std::move(response)), kRaw);
    if constexpr (kTls) {
      tls_ = std::make_unique<TlsBuffers>();
    } else {
      beast::error_code ec;
      stream_.non_blocking(true, ec);
      if (ec) return drop();
    }
    if (state_.stopping) {
      requestClose(protocol::kCloseGoingAway, "server shutting down");
    } else {
      ++state_.transport.wsAccepted;
      if (Cluster* cluster = state_.cluster.get()) {
        link_ = cluster->open(*this, slot_.address());
      } else {
        state_.registry.with([&](RoomRegistry& r) {
          id_ = r.connect(*this, std::chrono::steady_clock::now(), slot_.address());
          registered_ = true;
        });
      }
      log::debug("ws_open", {{"conn", std::to_string(id_)}});
    }
    if (!early.empty()) consume(early.data(), early.size());
    readMore();
  }

  // ---- ClientSink: called by the registry, under its lock, from any io thread ----
  void send(const std::string& frame) override { sendShared(makeFrame(frame)); }
  // A fan-out's frame is queued as the registry's shared buffer, not copied per member.
  void sendShared(const Frame& frame) override {
    const std::lock_guard lock(outMutex_);
    if (closeQueued_) return;
    if (outboxBytes_ + frame->size() > kMaxOutboxBytes) {
      // A peer that does not read would make us buffer without bound: drop the socket. Not
      // from inside this registry call though, the registry is iterating its own state.
      closeQueued_ = true;
      closingSince_ = std::chrono::steady_clock::now();
      postToSelf([](WebSocketSession& self) {
        log::warn("ws_slow_reader", {{"conn", std::to_string(self.id_)}});
        self.drop();
      });
      return;
    }
    queueLocked(frame, ws::Opcode::Text);
  }
  // Asked by the registry before handing over held frames: it stops at kHandOverBytes and
  // waits for drain(), which the session then calls once it has caught up.
  std::size_t backlogBytes() const override {
    const std::lock_guard lock(outMutex_);
    if (outboxBytes_ >= kHandOverBytes) needsDrain_ = true;
    return outboxBytes_;
  }
  void close(int closeCode, std::string_view reason) override {
    // The registry (or the cluster) has already forgotten this connection. With --redis the
    // cluster keeps track itself, and this flag is not used.
    if (!state_.cluster) registered_ = false;
    requestClose(closeCode, reason);
  }

  // ---- IoSession: on the session's thread; the server is stopping ----
  void shutdown() override {
    forget();
    requestClose(protocol::kCloseGoingAway, "server shutting down");
  }

  // ---- IoSession: on the session's thread; sweep() every IoThread::kSweepEvery ----
  void sweep(std::chrono::steady_clock::time_point now) override {
    if (socketClosed_) return;
    bool closing = false, overdue = false;
    {
      const std::lock_guard lock(outMutex_);
      closing = closeQueued_;
      overdue = closing && now - closingSince_ >= kCloseTimeout;
    }
    if (overdue) drop();  // the peer never finished the close handshake
    if (closing) return;
    quietDown(now);
    const auto idle = state_.config.idleTimeout;
    if (now - lastRead_ >= idle) {
      log::debug("ws_idle", {{"conn", std::to_string(id_)}});
      forget();
      requestClose(protocol::kCloseTimeout, "idle: no pong in time");
    } else if (now - lastRead_ >= idle / 2 && !pingSent_) {
      pingSent_ = true;  // anything read clears it; the peer's pong is something read
      queue(makeFrame(std::string()), ws::Opcode::Ping);
    }
  }

 private:
  static constexpr std::size_t kTlsReadBytes = 16 * 1024;
  static constexpr auto kRaw = static_cast<ws::Opcode>(0xFF);  // bytes sent as they are (101)

  struct Out {
    Frame payload;
    ws::Opcode opcode = ws::Opcode::Text;
  };

  Socket& tcpSocket() {
    if constexpr (kTls) {
      return beast::get_lowest_layer(stream_).socket();
    } else {
      return stream_;
    }
  }

  // Runs f(*this) on the session's thread, unless the session is already being destroyed.
  template <class F>
  void postToSelf(F f) {
    auto self = this->weak_from_this().lock();
    if (!self) return;
    net::post(thread_.context(), [self = std::move(self), f = std::move(f)] { f(*self); });
  }

  // ---- reading ----
  //
  // A quiet connection waits for readability with no buffer of its own and then reads into
  // its thread's buffer. Waiting costs a system call each time (Asio re-arms the descriptor
  // with epoll_ctl), so a busy connection reads into a small buffer of its own instead: Asio
  // then attempts the read as soon as it is started and needs no re-arming. After
  // kQuietAfter without a read the sweep takes the buffer back.

  void readMore() {
    if (socketClosed_) return;
    if constexpr (kTls) {
      stream_.async_read_some(
          net::buffer(tls_->read, kTlsReadBytes),
          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->ended(ec);
            self->gotBytes();
            self->consume(self->tls_->read, n);
            self->readMore();
          });
    } else if (busy_) {
      stream_.async_read_some(
          net::buffer(busy_.get(), kBusyReadBytes),
          [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
            self->onBusyRead(ec, n);
          });
    } else {
      // What an idle connection keeps pending: sized exactly (see ExactAllocator).
      stream_.async_wait(net::socket_base::wait_read,
                         exactSize([self = this->shared_from_this()](beast::error_code ec) {
                           if (ec) return self->ended(ec);
                           self->readAvailable();
                         }));
    }
  }

  void onBusyRead(const beast::error_code& ec, std::size_t n) {
    if (ec == net::error::operation_aborted && quieting_ && !socketClosed_) {
      quieting_ = false;  // the sweep cancelled the read to take the buffer back
      busy_.reset();
      return readMore();
    }
    if (ec) return ended(ec);
    quieting_ = false;  // bytes came before the cancel did: still busy
    gotBytes();
    consume(busy_.get(), n);
    if (socketClosed_) return;
    if (n == kBusyReadBytes) return readAvailable();  // there may be more: drain it
    readMore();
  }

  // Reads until the socket is empty (a read shorter than the buffer), at most a few buffers
  // per wakeup: the rest waits behind the thread's other work, read on without a new wait
  // (edge-triggered readiness would not report the bytes already there again).
  void readAvailable() {
    if constexpr (!kTls) {
      for (int round = 0; round < kReadRoundsPerWakeup; ++round) {
        if (socketClosed_) return;
        beast::error_code ec;
        char* buffer = thread_.readBuffer();
        const std::size_t n =
            stream_.read_some(net::buffer(buffer, IoThread::kReadBufferBytes), ec);
        if (ec == net::error::would_block || ec == net::error::try_again) return readMore();
        if (ec) return ended(ec);
        gotBytes();
        consume(buffer, n);
        if (n < IoThread::kReadBufferBytes) return readMore();
      }
      postToSelf([](WebSocketSession& self) { self.readAvailable(); });
    }
  }

  void gotBytes() {
    state_.transport.wsReads.fetch_add(1, std::memory_order_relaxed);
    lastRead_ = std::chrono::steady_clock::now();
    pingSent_ = false;
    if constexpr (!kTls) {
      if (!busy_ && ++recentReads_ >= kBusyAfterReads)
        busy_ = std::make_unique<char[]>(kBusyReadBytes);
    }
  }

  // From the sweep: a connection quiet for kQuietAfter gives its read buffer back.
  void quietDown(std::chrono::steady_clock::time_point now) {
    if constexpr (!kTls) {
      if (now - lastRead_ < kQuietAfter) return;
      recentReads_ = 0;
      if (!busy_ || quieting_) return;
      {
        const std::lock_guard lock(outMutex_);
        if (writing_) return;  // cancel() would end the wait for writability too
      }
      quieting_ = true;
      beast::error_code ignored;
      stream_.cancel(ignored);  // onBusyRead() goes back to waiting
    }
  }

  void consume(char* data, std::size_t size) {
    if (reader_.stopped()) return;  // after a close or an error: read to the end and drop
    reader_.feed(data, size, *this);
  }

  // The peer's side of the connection is gone (EOF, reset) or the socket was closed.
  void ended(const beast::error_code& ec) {
    if (ec != net::error::operation_aborted)
      log::debug("ws_closed", {{"conn", std::to_string(id_)}, {"why", ec.message()}});
    forget();
    closeSocket();
  }

  // ---- ws::ReaderEvents ----

  void onMessage(bool text, std::string_view payload) override {
    if (!text) {
      // Binary frames are not part of the protocol: a protocol error like any other.
      if (!state_.cluster && !isRegistered()) return;
      send(protocol::encode(protocol::ErrorMsg{protocol::ErrorCode::InvalidMessage,
                                               "binary frames are not accepted", ""}));
      forget();
      requestClose(protocol::kClosePolicy, "binary frame");
      return;
    }
    if (Cluster* cluster = state_.cluster.get()) return cluster->receive(link_, payload);
    state_.registry.with([&](RoomRegistry& r) {
      if (registered_) r.receive(id_, payload, std::chrono::steady_clock::now());
    });
  }
  // Each ping or pong costs a token of the rate limit; a ping is answered with its payload.
  void onPing(std::string_view payload) override {
    control();
    queue(makeFrame(std::string(payload)), ws::Opcode::Pong);
  }
  void onPong(std::string_view) override { control(); }
  void onClose(int code, std::string_view) override {
    // The client closed with 1001: its page is gone for good (docs/protocol.md, Resume).
    if (code == static_cast<int>(protocol::kCloseGoingAway)) {
      if (Cluster* cluster = state_.cluster.get()) cluster->goingAway(link_);
      state_.registry.with([&](RoomRegistry& r) {
        if (!registered_) return;
        registered_ = false;
        r.goingAway(id_, std::chrono::steady_clock::now());
      });
    }
    forget();
    closeReceived_ = true;
    // Echo the code (none for none); the connection ends once our close frame is out.
    requestClose(code == ws::kCloseNoStatus ? 0 : code, "");
    afterClose();
  }
  void onProtocolError(int closeCode, std::string_view why) override {
    log::debug("ws_protocol_error", {{"conn", std::to_string(id_)}, {"why", std::string(why)}});
    forget();
    closeReceived_ = true;  // nothing more is read from a peer that broke the framing
    requestClose(closeCode, why);
  }

  void control() {
    if (Cluster* cluster = state_.cluster.get()) return cluster->control(link_);
    state_.registry.with([&](RoomRegistry& r) {
      if (registered_) r.control(id_, std::chrono::steady_clock::now());
    });
  }

  bool isRegistered() {
    return state_.registry.with([&](RoomRegistry&) { return registered_; });
  }

  // Tells the registry this socket is gone (once); the peer enters its resume window.
  void forget() {
    if (Cluster* cluster = state_.cluster.get()) return cluster->disconnect(link_);
    state_.registry.with([&](RoomRegistry& r) {
      if (!registered_) return;
      registered_ = false;
      r.disconnect(id_, std::chrono::steady_clock::now());
    });
  }

  // ---- writing ----

  void queue(Frame payload, ws::Opcode opcode) {
    const std::lock_guard lock(outMutex_);
    if (closeQueued_) return;
    queueLocked(std::move(payload), opcode);
  }
  void queueLocked(Frame payload, ws::Opcode opcode) {
    outboxBytes_ += payload->size();
    outbox_.push_back(Out{std::move(payload), opcode});
    scheduleFlush();
  }

  // The close frame goes after everything queued; nothing is queued after it. Code 0: an
  // empty close frame (the answer to one that carried no code).
  void requestClose(int code, std::string_view reason) {
    const std::lock_guard lock(outMutex_);
    if (closeQueued_) return;
    closeQueued_ = true;
    closingSince_ = std::chrono::steady_clock::now();
    queueLocked(makeFrame(code == 0 ? std::string() : ws::closePayload(code, reason)),
                ws::Opcode::Close);
  }

  // Writes wait until the handlers that are ready have run (IoThread::run), so what they
  // queue for this socket leaves in one write; from another thread, the write is posted to
  // this session's. Called with outMutex_ held.
  void scheduleFlush() {
    if (flushPosted_ || writing_) return;
    auto self = this->weak_from_this().lock();
    if (!self) return;  // being destroyed: nothing will be written
    flushPosted_ = true;
    if (thread_.onThisThread()) {
      thread_.deferFlush(std::move(self));
    } else {
      net::post(thread_.context(), [self = std::move(self)] { self->flush(); });
    }
  }

  // Puts up to kMaxGather queued frames, from the unsent part of the first, into `headers`
  // (kMaxGather * ws::kMaxHeaderBytes) and `buffers` (2 * kMaxGather); returns the number of
  // buffers. Called with outMutex_ held.
  std::size_t gather(std::uint8_t* headers, net::const_buffer* buffers) {
    std::size_t count = 0;
    std::size_t skip = frontWritten_;
    const std::size_t frames = std::min(outbox_.size(), IoThread::kMaxGather);
    for (std::size_t i = 0; i < frames; ++i) {
      const Out& out = outbox_[i];
      std::uint8_t* header = headers + i * ws::kMaxHeaderBytes;
      const std::size_t headerBytes =
          out.opcode == kRaw ? 0 : ws::writeHeader(header, out.opcode, out.payload->size());
      const net::const_buffer parts[2] = {net::buffer(header, headerBytes),
                                          net::buffer(*out.payload)};
      for (const auto& part : parts) {
        if (skip >= part.size()) {  // already written, or empty
          skip -= part.size();
          continue;
        }
        buffers[count++] = part + skip;
        skip = 0;
      }
    }
    return count;
  }

  // `n` bytes went out: pops the frames they completed. Called with outMutex_ held.
  void written(std::size_t n) {
    state_.transport.wsWrites.fetch_add(1, std::memory_order_relaxed);
    std::uint64_t framesWritten = 0;
    while (n > 0 && !outbox_.empty()) {
      const Out& out = outbox_.front();
      const std::size_t size =
          (out.opcode == kRaw ? 0 : ws::headerSize(out.payload->size())) + out.payload->size();
      const std::size_t left = size - frontWritten_;
      if (n < left) {
        frontWritten_ += n;
        break;
      }
      n -= left;
      frontWritten_ = 0;
      outboxBytes_ -= out.payload->size();
      if (out.opcode == ws::Opcode::Close) closeSent_ = true;
      if (out.opcode != kRaw) ++framesWritten;
      outbox_.pop_front();
    }
    state_.transport.wsFramesOut.fetch_add(framesWritten, std::memory_order_relaxed);
  }

  // A contiguous run of buffers as Asio's ConstBufferSequence.
  struct BufferRun {
    using value_type = net::const_buffer;
    using const_iterator = const net::const_buffer*;
    const net::const_buffer* first;
    const net::const_buffer* last;
    const_iterator begin() const { return first; }
    const_iterator end() const { return last; }
  };

  void flush() override {
    std::unique_lock lock(outMutex_);
    flushPosted_ = false;
    if (writing_ || socketClosed_) return;
    if constexpr (kTls) {
      if (outbox_.empty()) return;
      const std::size_t count = gather(tls_->headers, tls_->write);
      writing_ = true;
      lock.unlock();
      net::async_write(stream_, BufferRun{tls_->write, tls_->write + count},
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                         {
                           const std::lock_guard relock(self->outMutex_);
                           self->writing_ = false;
                           if (!ec) self->written(n);
                         }
                         if (ec) return self->writeFailed(ec);
                         self->flushed();
                       });
    } else {
      auto& scratch = thread_.scratch();
      while (!outbox_.empty()) {
        const std::size_t count = gather(scratch.headers.data(), scratch.buffers.data());
        lock.unlock();  // other threads may queue meanwhile: the frames gathered stay put
        beast::error_code ec;
        const std::size_t n = stream_.write_some(
            BufferRun{scratch.buffers.data(), scratch.buffers.data() + count}, ec);
        lock.lock();
        if (ec == net::error::would_block || ec == net::error::try_again) {
          writing_ = true;
          lock.unlock();
          stream_.async_wait(net::socket_base::wait_write,
                             [self = this->shared_from_this()](beast::error_code waitEc) {
                               {
                                 const std::lock_guard relock(self->outMutex_);
                                 self->writing_ = false;
                               }
                               if (waitEc) return self->writeFailed(waitEc);
                               self->flush();
                             });
          return;
        }
        if (ec) {
          lock.unlock();
          return writeFailed(ec);
        }
        written(n);
      }
      lock.unlock();
      flushed();
    }
  }

  // Everything queued has been written.
  void flushed() {
    bool drain = false;
    {
      const std::lock_guard lock(outMutex_);
      if (!outbox_.empty()) return scheduleFlush();
      drain = std::exchange(needsDrain_, false);
    }
    // Caught up: the registry hands over more of what it held for this peer, if anything.
    if (drain && state_.cluster) {
      state_.cluster->drain(link_);
    } else if (drain) {
      state_.registry.with([&](RoomRegistry& r) {
        if (registered_) r.drain(id_);
      });
    }
    afterClose();
  }

  void writeFailed(const beast::error_code& ec) {
    if (ec != net::error::operation_aborted)
      log::debug("ws_write_failed", {{"conn", std::to_string(id_)}, {"error", ec.message()}});
    drop();
  }

  // Both close frames have crossed: end the connection. The server closes TCP first (RFC
  // 6455 7.1.1): shut down sending, then read to the peer's FIN (the sweep bounds the wait).
  void afterClose() {
    bool sent = false;
    {
      const std::lock_guard lock(outMutex_);
      sent = closeSent_;
    }
    if (!sent || !closeReceived_ || tornDown_) return;
    tornDown_ = true;
    if constexpr (kTls) {
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->closeSocket(); });
    } else {
      beast::error_code ignored;
      stream_.shutdown(net::socket_base::shutdown_send, ignored);
    }
  }

  // Ends the connection at once: no close frame, the registry told the socket is gone.
  void drop() {
    forget();
    closeSocket();
  }
  void closeSocket() {
    if (socketClosed_) return;
    socketClosed_ = true;
    {
      const std::lock_guard lock(outMutex_);
      closeQueued_ = true;  // nothing more is queued for a closed socket
      outbox_.clear();
      outboxBytes_ = 0;
    }
    beast::error_code ignored;
    tcpSocket().close(ignored);
  }

  Stream stream_;
  ServerState& state_;
  IoThread& thread_;
  AddressSlot slot_;  // this connection's share of its address's cap
  ws::Reader reader_;
  ConnectionId id_ = 0;
  bool registered_ = false;   // guarded by the registry's lock
  Cluster::LinkId link_ = 0;  // with --redis: this connection in the cluster (cluster.hpp)

  // Guarded by outMutex_ (the registry queues from any thread).
  mutable std::mutex outMutex_;
  CompactQueue<Out> outbox_;
  std::size_t outboxBytes_ = 0;
  std::size_t frontWritten_ = 0;  // bytes of the first frame already written
  bool flushPosted_ = false;
  bool writing_ = false;  // waiting for the socket to take more, or a TLS write in flight
  bool closeQueued_ = false;
  bool closeSent_ = false;
  mutable bool needsDrain_ = false;  // the registry stopped handing over at kHandOverBytes
  std::chrono::steady_clock::time_point closingSince_{};

  // The session's own thread only.
  std::chrono::steady_clock::time_point lastRead_{};
  bool pingSent_ = false;
  int recentReads_ = 0;           // reads since the connection was last quiet
  std::unique_ptr<char[]> busy_;  // a busy connection's read buffer (plain TCP)
  bool quieting_ = false;         // the sweep cancelled the busy read
  bool closeReceived_ = false;
  bool tornDown_ = false;
  bool socketClosed_ = false;
  // TLS only: what the stream reads into, and the write in flight (the stream encrypts from
  // its buffers until it completes, so they cannot be the thread's scratch).
  struct TlsBuffers {
    char read[kTlsReadBytes];
    std::uint8_t headers[IoThread::kMaxGather * ws::kMaxHeaderBytes];
    net::const_buffer write[2 * IoThread::kMaxGather];
  };
  std::unique_ptr<TlsBuffers> tls_;
};

}  // namespace vroom::server
