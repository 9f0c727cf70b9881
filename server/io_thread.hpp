// One io_context and the thread that runs it (`--threads N` makes N of them), with what the
// connections it owns share: the buffer every socket of the thread reads into, the scratch a
// gathered write is built in, and the sweep that gives each WebSocket its keep-alive ping and
// its idle and close deadlines, so that no connection holds a timer or a buffer while idle.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ws_frame.hpp"

namespace vroom::server {

class IoThread;

// A connection the sweep visits. Linked into its IoThread's list, touched only on that thread.
class Swept {
 public:
  virtual void sweep(std::chrono::steady_clock::time_point now) = 0;

 protected:
  ~Swept() = default;

 private:
  friend class IoThread;
  Swept* prev_ = nullptr;
  Swept* next_ = nullptr;
};

class IoThread {
 public:
  static constexpr std::size_t kReadBufferBytes = 64 * 1024;
  // Frames per write(v): Asio passes at most 64 buffers to one call, two per frame.
  static constexpr std::size_t kMaxGather = 32;
  static constexpr auto kSweepEvery = std::chrono::milliseconds(500);

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

  void add(Swept& s) {
    s.prev_ = nullptr;
    s.next_ = head_;
    if (head_) head_->prev_ = &s;
    head_ = &s;
  }
  void remove(Swept& s) {
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
      for (Swept* s = head_; s;) {
        Swept* next = s->next_;  // a sweep never destroys the session, but may relink nothing
        s->sweep(now);
        s = next;
      }
      startSweeping();
    });
  }
  void stopSweeping() { sweepTimer_.cancel(); }

 private:
  boost::asio::io_context ioc_{1};
  boost::asio::steady_timer sweepTimer_{ioc_};
  Swept* head_ = nullptr;
  std::unique_ptr<char[]> readBuffer_ = std::make_unique<char[]>(kReadBufferBytes);
  std::unique_ptr<WriteScratch> scratch_ = std::make_unique<WriteScratch>();
};

}  // namespace vroom::server
