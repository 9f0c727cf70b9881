// WebSocket bytes as a test chooses them: client frames built field by field (masked or not,
// fragmented, reserved bits, any length encoding) and a client on a plain socket that sends
// them and reads the server's frames raw, so the server's framing itself is what is tested.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <arpa/inet.h>

namespace vroom::server::testing {

struct FrameSpec {
  std::uint8_t opcode = 0x1;
  std::string payload;
  bool fin = true;
  bool masked = true;
  std::uint8_t rsv = 0;  // bits 0x70
  int lengthForm = -1;   // -1: minimal; 0: 7-bit; 2: 16-bit; 8: 64-bit (for refusals)
  std::uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
};

// A frame as a client sends it.
inline std::string clientFrame(const FrameSpec& f) {
  std::string out;
  out += static_cast<char>((f.fin ? 0x80 : 0) | f.rsv | f.opcode);
  const std::size_t n = f.payload.size();
  const int form = f.lengthForm >= 0 ? f.lengthForm : (n < 126 ? 0 : n <= 0xFFFF ? 2 : 8);
  const char maskBit = f.masked ? static_cast<char>(0x80) : 0;
  if (form == 0) {
    out += static_cast<char>(maskBit | static_cast<char>(n));
  } else if (form == 2) {
    out += static_cast<char>(maskBit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(maskBit | 127);
    for (int i = 7; i >= 0; --i) out += static_cast<char>(static_cast<std::uint64_t>(n) >> (8 * i));
  }
  if (f.masked) out.append(reinterpret_cast<const char*>(f.key), 4);
  for (std::size_t i = 0; i < n; ++i)
    out += f.masked ? static_cast<char>(f.payload[i] ^ f.key[i % 4]) : f.payload[i];
  return out;
}
inline std::string textFrame(std::string payload, bool fin = true) {
  return clientFrame({.opcode = 0x1, .payload = std::move(payload), .fin = fin});
}
inline std::string continuationFrame(std::string payload, bool fin = true) {
  return clientFrame({.opcode = 0x0, .payload = std::move(payload), .fin = fin});
}
inline std::string controlFrame(std::uint8_t opcode, std::string payload) {
  return clientFrame({.opcode = opcode, .payload = std::move(payload)});
}

class RawWsClient {
 public:
  struct Frame {
    int opcode = 0;
    bool fin = false;
    bool masked = false;
    std::string payload;
    int closeCode() const {  // of a close frame: its code, or 1005 for none
      if (payload.size() < 2) return 1005;
      return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
    }
  };

  ~RawWsClient() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Connects and sends an upgrade request with `early` bytes in the same write; returns the
  // response's status code (0 when none came). `head` then holds the response headers.
  int connect(std::uint16_t port, const std::string& early = "", const std::string& version = "13",
              const std::string& key = "dGhlIHNhbXBsZSBub25jZQ==") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 0;
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Version: " +
                          version + "\r\nSec-WebSocket-Key: " + key + "\r\n\r\n";
    send(request + early);
    while (buffer_.find("\r\n\r\n") == std::string::npos)
      if (!fill(std::chrono::seconds(3))) return 0;
    const auto end = buffer_.find("\r\n\r\n") + 4;
    head = buffer_.substr(0, end);
    buffer_.erase(0, end);
    return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0;
  }

  bool send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool sendText(const std::string& text) { return send(textFrame(text)); }

  // The next whole frame from the server, or nullopt on EOF (eof() true) or timeout.
  std::optional<Frame> readFrame(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto frame = parse()) return frame;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !fill(left)) return std::nullopt;
    }
  }
  // The next text frame's payload, skipping control frames (pings are answered).
  std::optional<std::string> readText(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    for (;;) {
      auto frame = readFrame(timeout);
      if (!frame) return std::nullopt;
      if (frame->opcode == 0x9) send(controlFrame(0xA, frame->payload));
      if (frame->opcode == 0x1) return frame->payload;
      if (frame->opcode == 0x8) return std::nullopt;
    }
  }
  // True when the server closed TCP (after its frames) within `timeout`.
  bool waitForEof(std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      buffer_.clear();
      fill(left);
    }
    return true;
  }
  bool eof() const { return eof_; }
  std::string head;

 private:
  bool fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  std::optional<Frame> parse() {
    if (buffer_.size() < 2) return std::nullopt;
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(buffer_[i]); };
    Frame f;
    f.fin = (b(0) & 0x80) != 0;
    f.opcode = b(0) & 0x0F;
    f.masked = (b(1) & 0x80) != 0;
    std::uint64_t len = b(1) & 0x7F;
    std::size_t pos = 2;
    if (len == 126) {
      if (buffer_.size() < 4) return std::nullopt;
      len = (b(2) << 8) | b(3);
      pos = 4;
    } else if (len == 127) {
      if (buffer_.size() < 10) return std::nullopt;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | b(2 + i);
      pos = 10;
    }
    if (f.masked) pos += 4;  // a server must not mask; the test checks f.masked
    if (buffer_.size() < pos + len) return std::nullopt;
    f.payload = buffer_.substr(pos, len);
    buffer_.erase(0, pos + len);
    return f;
  }

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace vroom::server::testing
