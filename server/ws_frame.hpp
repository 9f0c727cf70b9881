// RFC 6455 framing as the server speaks it: an incremental reader of client frames (masked,
// possibly fragmented, control frames between the fragments) and the header of the frames the
// server sends (never masked, never fragmented). No sockets: fed bytes, it calls back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vroom::server::ws {

enum class Opcode : std::uint8_t {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xA,
};

inline constexpr int kCloseProtocolError = 1002;
inline constexpr int kCloseNoStatus = 1005;  // a close frame without a code (never sent)
inline constexpr std::size_t kMaxControlPayload = 125;
inline constexpr std::size_t kMaxHeaderBytes = 10;  // of a server frame: 2 + 8 length bytes

// The size of the header writeHeader() writes for a payload of `payloadBytes`.
constexpr std::size_t headerSize(std::size_t payloadBytes) {
  return payloadBytes < 126 ? 2 : payloadBytes <= 0xFFFF ? 4 : 10;
}

// Writes the header of one unmasked final frame of `payloadBytes` to `out` (room for
// kMaxHeaderBytes); returns its length.
std::size_t writeHeader(std::uint8_t* out, Opcode opcode, std::size_t payloadBytes);

// A close frame's payload: the code (network order) and the reason, clipped to fit the 125
// bytes of a control frame without cutting a UTF-8 sequence.
std::string closePayload(int code, std::string_view reason);

// Whether a peer may send `code` in a close frame (RFC 6455 7.4, IANA registry).
bool isValidCloseCode(int code);

class ReaderEvents {
 public:
  virtual ~ReaderEvents() = default;
  // A complete message, or the first maxMessageBytes + 1 bytes of a longer one (the rest of it
  // is read and dropped). Text is not checked for UTF-8 here: the protocol scan does that.
  // `payload` is valid only during the call.
  virtual void onMessage(bool text, std::string_view payload) = 0;
  virtual void onPing(std::string_view payload) = 0;
  virtual void onPong(std::string_view payload) = 0;
  // The peer's close frame (code kCloseNoStatus when it carried none). The reader stops.
  virtual void onClose(int code, std::string_view reason) = 0;
  // The peer broke the framing: close with `closeCode` (1002, or 1007 for a close reason that
  // is not UTF-8). The reader stops.
  virtual void onProtocolError(int closeCode, std::string_view why) = 0;
};

class Reader {
 public:
  explicit Reader(std::size_t maxMessageBytes) : maxMessage_(maxMessageBytes) {}

  // Consumes `size` bytes at `data`, which it unmasks in place, calling `events` for what
  // completes. Returns false once it has reported a close or an error; it then ignores
  // everything. Split anywhere, the same bytes give the same events.
  bool feed(char* data, std::size_t size, ReaderEvents& events);

  bool stopped() const { return stopped_; }
  // Bytes kept between feeds (a message or control frame split across reads).
  std::size_t bufferedBytes() const {
    return split_ ? sizeof(Split) + split_->message.capacity() + split_->control.capacity() : 0;
  }

 private:
  bool parseHeader(ReaderEvents& events);  // header_ complete: validate it, set up the frame
  void endFrame(ReaderEvents& events);     // the current frame's payload is all in
  void endControl(ReaderEvents& events, std::string_view payload);
  bool fail(ReaderEvents& events, int code, std::string_view why);  // stops; returns false
  void releaseMessageBuffer();

  std::size_t maxMessage_;
  // What is kept between feeds, allocated only while something is split: a message split
  // across frames or reads (up to maxMessage_ + 1 bytes), a control frame's payload split
  // across reads. An idle connection's reader holds nothing.
  struct Split {
    std::string message;
    std::string control;
  };
  Split& split() {
    if (!split_) split_ = std::make_unique<Split>();
    return *split_;
  }
  bool messageEmpty() const { return !split_ || split_->message.empty(); }
  std::unique_ptr<Split> split_;
  std::uint64_t remaining_ = 0;  // payload bytes left in the current frame
  std::uint8_t header_[14] = {};
  std::uint8_t headerLen_ = 0;
  std::uint8_t mask_[4] = {};
  std::uint8_t maskPos_ = 0;
  Opcode opcode_ = Opcode::Continuation;  // of the current frame
  bool inPayload_ = false;                // header done, payload bytes follow
  bool fin_ = false;
  bool inMessage_ = false;  // a data message has started and not finished
  bool messageText_ = false;
  bool dropping_ = false;  // the rest of an oversized message, already delivered in part
  bool stopped_ = false;
};

}  // namespace vroom::server::ws
