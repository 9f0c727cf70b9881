// One io_context and the thread that runs it (`--threads N` makes N of them), with what the
// connections it owns share: the buffer every socket of the thread reads into, the scratch a
// gathered write is built in, the writes deferred until the thread has run what was ready, and
// the sweep that gives each WebSocket its keep-alive ping and its idle and close deadlines, so
// that no connection holds a timer or a buffer while idle.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ws_frame.hpp"

namespace vroom::server {

// Sockets bound to an IoThread's io_context by its concrete executor, not the type-erased
// any_io_executor: 8 bytes instead of dozens in every socket and every pending operation.
using IoExecutor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, IoExecutor>;

// An allocator that is plain new/delete. A handler that names it is allocated at its own size;
// with the default, Asio hands an operation a block from its per-thread cache, sized for
// whatever larger operation freed it last, and an idle connection's pending read wait would
// keep that block for as long as the connection lives.
template <class T>
struct ExactAllocator {
  using value_type = T;
  ExactAllocator() = default;
  template <class U>
  ExactAllocator(const ExactAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
  friend bool operator==(ExactAllocator, ExactAllocator) { return true; }
  friend bool operator!=(ExactAllocator, ExactAllocator) { return false; }
};

// `f` as a completion handler allocated by ExactAllocator.
template <class F>
struct ExactHandler {
  F f;
  using allocator_type = ExactAllocator<void>;
  allocator_type get_allocator() const noexcept { return {}; }
  template <class... Args>
  void operator()(Args&&... args) {
    f(std::forward<Args>(args)...);
  }
};
template <class F>
ExactHandler<F> exactSize(F f) {
  return ExactHandler<F>{std::move(f)};
}

class IoThread;

// A connection an IoThread owns (HTTP or WebSocket), in its list from construction to
// destruction: swept every kSweepEvery, flushed when the thread has run what was ready, shut
// down when the server stops. Touched only on that thread.
class IoSession {
 public:
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
  virtual void flush() = 0;
  virtual void shutdown() = 0;  // the server is stopping: close (WebSockets with 1001)

 protected:
  ~IoSession() = default;

 private:
  friend class IoThread;
  IoSession* prev_ = nullptr;
  IoSession* next_ = nullptr;
};

class IoThread {
 public:
  static constexpr std::size_t kReadBufferBytes = 64 * 1024;
  // Frames per write(v): Asio passes at most 64 buffers to one call, two per frame.
  static constexpr std::size_t kMaxGather = 32;
  static constexpr auto kSweepEvery = std::chrono::milliseconds(500);
  // Deferred writes go out after this many handlers at most, however busy the thread is.
  static constexpr std::size_t kFlushAfter = 2048;

  // Headers and buffers of one gathered write: each frame is its header and its payload.
  struct WriteScratch {
    std::array<std::uint8_t, kMaxGather * ws::kMaxHeaderBytes> headers;
    std::array<boost::asio::const_buffer, 2 * kMaxGather> buffers;
  };

  IoThread() = default;
  ~IoThread() {
    deferred_.clear();  // sessions must go while their sockets' io_context is still there
    flushing_.clear();
  }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& context() { return ioc_; }
  char* readBuffer() { return readBuffer_.get(); }
  WriteScratch& scratch() { return *scratch_; }

  // Runs the context until it is stopped or out of work. Writes that this thread's handlers
  // asked for wait until nothing more is ready (or kFlushAfter handlers have run): frames that
  // many reads queue for one socket then leave in one write. An idle thread flushes after
  // every handler, so waiting adds nothing to latency when there is no load.
  void run() {
    while (ioc_.run_one() > 0) {
      std::size_t ran = 1;
      while (ran < kFlushAfter && ioc_.poll_one() > 0) ++ran;
      flushDeferred();
    }
  }
  bool onThisThread() { return ioc_.get_executor().running_in_this_thread(); }
  // From a handler of this thread: s->flush() runs once the ready handlers have.
  void deferFlush(std::shared_ptr<IoSession> s) { deferred_.push_back(std::move(s)); }

  void add(IoSession& s) {
    s.prev_ = nullptr;
    s.next_ = head_;
    if (head_) head_->prev_ = &s;
    head_ = &s;
    sessions_.fetch_add(1, std::memory_order_relaxed);
  }
  void remove(IoSession& s) {
    if (s.prev_) s.prev_->next_ = s.next_;
    if (s.next_) s.next_->prev_ = s.prev_;
    if (head_ == &s) head_ = s.next_;
    s.prev_ = s.next_ = nullptr;
    sessions_.fetch_sub(1, std::memory_order_relaxed);
  }
  // Open connections on this thread; read from any thread (the connection caps, shutdown).
  std::size_t sessionCount() const { return sessions_.load(std::memory_order_relaxed); }
  // On this thread: every session closes (none is destroyed meanwhile: handlers own them).
  void shutdownAll() {
    for (IoSession* s = head_; s;) {
      IoSession* next = s->next_;
      s->shutdown();
      s = next;
    }
  }

  void startSweeping() {
    sweeping_ = true;
    sweepTimer_.expires_after(kSweepEvery);
    sweepTimer_.async_wait([this](boost::system::error_code ec) {
      // A sweep that fell due before stopSweeping() ran completes without an error: the flag,
      // not the cancel, is what keeps it from arming again (and the thread from ever idling).
      if (ec || !sweeping_) return;
      const auto now = std::chrono::steady_clock::now();
      for (IoSession* s = head_; s;) {
        IoSession* next = s->next_;  // a sweep never destroys a session (handlers own them)
        s->sweep(now);
        s = next;
      }
      startSweeping();
    });
  }
  void stopSweeping() {
    sweeping_ = false;
    sweepTimer_.cancel();
  }

 private:
  void flushDeferred() {
    // A flush can ask for another (the registry hands a caught-up peer more): run them all.
    while (!deferred_.empty()) {
      flushing_.swap(deferred_);
      for (auto& s : flushing_) s->flush();
      flushing_.clear();
    }
  }

  // Declared before ioc_, so still there when ioc_'s destructor destroys the sessions that
  // its pending handlers own (they unlink themselves).
  IoSession* head_ = nullptr;
  std::atomic<std::size_t> sessions_ = 0;
  std::unique_ptr<char[]> readBuffer_ = std::make_unique<char[]>(kReadBufferBytes);
  std::unique_ptr<WriteScratch> scratch_ = std::make_unique<WriteScratch>();
  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer sweepTimer_{ioc_};
  bool sweeping_ = false;  // on this thread
  std::vector<std::shared_ptr<IoSession>> deferred_;  // cleared before ioc_ goes (~IoThread)
  std::vector<std::shared_ptr<IoSession>> flushing_;
};

}  // namespace vroom::server
