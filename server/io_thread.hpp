// One io_context and the thread that runs it (`--threads N` makes N of them), with what the
// connections it owns share: the buffer every socket of the thread reads into, the scratch a
// gathered write is built in, the writes deferred until the thread has run what was ready, and
// the sweep that gives each WebSocket its keep-alive ping and its idle and close deadlines, so
// that no connection holds a timer or a buffer while idle.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ws_frame.hpp"

namespace vroom::server {

class IoThread;

// A connection an IoThread owns: linked into its list for the sweep, and flushed when the
// thread has run what was ready. Touched only on that thread.
class IoSession {
 public:
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;
  virtual void flush() = 0;

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
  }
  void remove(IoSession& s) {
    if (s.prev_) s.prev_->next_ = s.next_;
    if (s.next_) s.next_->prev_ = s.prev_;
    if (head_ == &s) head_ = s.next_;
    s.prev_ = s.next_ = nullptr;
  }

  void startSweeping() {
    sweepTimer_.expires_after(kSweepEvery);
    sweepTimer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      const auto now = std::chrono::steady_clock::now();
      for (IoSession* s = head_; s;) {
        IoSession* next = s->next_;  // a sweep never destroys a session (handlers own them)
        s->sweep(now);
        s = next;
      }
      startSweeping();
    });
  }
  void stopSweeping() { sweepTimer_.cancel(); }

 private:
  void flushDeferred() {
    // A flush can ask for another (the registry hands a caught-up peer more): run them all.
    while (!deferred_.empty()) {
      flushing_.swap(deferred_);
      for (auto& s : flushing_) s->flush();
      flushing_.clear();
    }
  }

  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer sweepTimer_{ioc_};
  IoSession* head_ = nullptr;
  std::vector<std::shared_ptr<IoSession>> deferred_;
  std::vector<std::shared_ptr<IoSession>> flushing_;
  std::unique_ptr<char[]> readBuffer_ = std::make_unique<char[]>(kReadBufferBytes);
  std::unique_ptr<WriteScratch> scratch_ = std::make_unique<WriteScratch>();
};

}  // namespace vroom::server
