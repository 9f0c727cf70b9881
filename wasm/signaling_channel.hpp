// The signaling socket seam (a WebSocket in the browser). The core decides when to open,
// what to send and when to close; the implementation reports what happened.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace vroom {

class SignalingChannel {
 public:
  virtual ~SignalingChannel() = default;

  // Starts connecting; completion is reported by onOpen, failure by onClosed. Opening while
  // a socket is already open or opening replaces it (the old one reports nothing more).
  virtual void open(const std::string& url) = 0;
  // Ignored unless open.
  virtual void send(const std::string& text) = 0;
  // Closes without reporting onClosed for this socket (the core asked for it).
  virtual void close(int code, std::string_view reason) = 0;

  void onOpen(std::function<void()> callback) { open_ = std::move(callback); }
  void onMessage(std::function<void(const std::string&)> callback) {
    message_ = std::move(callback);
  }
  // The socket went away without the core asking (or failed to open): code 1006 when the
  // network dropped it.
  void onClosed(std::function<void(int code, const std::string& reason)> callback) {
    closed_ = std::move(callback);
  }

 protected:
  void triggerOpen() {
    if (open_) open_();
  }
  void triggerMessage(const std::string& text) {
    if (message_) message_(text);
  }
  void triggerClosed(int code, const std::string& reason) {
    if (closed_) closed_(code, reason);
  }

 private:
  std::function<void()> open_;
  std::function<void(const std::string&)> message_;
  std::function<void(int, const std::string&)> closed_;
};

}  // namespace vroom
