// FakeSignalingChannel: records what the core opens, sends and closes; the test plays the
// server by accepting, delivering frames and dropping the socket.
#pragma once

#include <string>
#include <vector>

#include "signaling_channel.hpp"

namespace vroom::fakes {

class FakeSignalingChannel : public SignalingChannel {
 public:
  enum class State { Closed, Opening, Open };

  void open(const std::string& url) override {
    opened.push_back(url);
    state = State::Opening;
  }
  void send(const std::string& text) override {
    if (state == State::Open) sent.push_back(text);
  }
  void close(int code, std::string_view reason) override {
    closes.push_back(code);
    state = State::Closed;
  }

  // ---- the test's side ----
  void accept() {
    state = State::Open;
    triggerOpen();
  }
  void deliver(const std::string& text) { triggerMessage(text); }
  // The network drops the socket (or it never opened).
  void drop(int code = 1006, const std::string& reason = "") {
    state = State::Closed;
    triggerClosed(code, reason);
  }

  State state = State::Closed;
  std::vector<std::string> opened;
  std::vector<std::string> sent;
  std::vector<int> closes;
};

}  // namespace vroom::fakes
