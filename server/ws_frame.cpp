// The RFC 6455 reader and header writer (see ws_frame.hpp).
#include "ws_frame.hpp"

#include <algorithm>
#include <cstring>

#include "protocol.hpp"

namespace vroom::server::ws {

namespace {

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kMasked = 0x80;

bool isControl(Opcode op) {
  return (static_cast<std::uint8_t>(op) & 0x8) != 0;
}

bool isKnown(std::uint8_t op) {
  return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

// XORs `n` bytes with the 4-byte key starting at key offset `pos`, 8 bytes at a time.
void unmask(char* data, std::size_t n, const std::uint8_t mask[4], std::uint8_t& pos) {
  std::uint8_t key[8];
  for (int j = 0; j < 8; ++j) key[j] = mask[(pos + j) & 3];
  std::uint64_t key8;
  std::memcpy(&key8, key, 8);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    word ^= key8;
    std::memcpy(data + i, &word, 8);
  }
  for (; i < n; ++i) data[i] = static_cast<char>(data[i] ^ key[i & 7]);
  pos = static_cast<std::uint8_t>((pos + n) & 3);
}

// 2, then the whole header once the second byte says how long it is.
std::size_t headerSize(const std::uint8_t* header, std::size_t have) {
  if (have < 2) return 2;
  const std::uint8_t len7 = header[1] & 0x7F;
  const std::size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  return 2 + ext + ((header[1] & kMasked) ? 4 : 0);
}

}  // namespace

std::size_t writeHeader(std::uint8_t* out, Opcode opcode, std::size_t payloadBytes) {
  out[0] = static_cast<std::uint8_t>(kFin | static_cast<std::uint8_t>(opcode));
  if (payloadBytes < 126) {
    out[1] = static_cast<std::uint8_t>(payloadBytes);
    return 2;
  }
  if (payloadBytes <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<std::uint8_t>(payloadBytes >> 8);
    out[3] = static_cast<std::uint8_t>(payloadBytes);
    return 4;
  }
  out[1] = 127;
  const auto length = static_cast<std::uint64_t>(payloadBytes);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<std::uint8_t>(length >> (56 - 8 * i));
  return 10;
}

std::string closePayload(int code, std::string_view reason) {
  std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
  // Never end inside a UTF-8 sequence: back up over continuation bytes to a lead byte.
  if (keep < reason.size())
    while (keep > 0 && (static_cast<unsigned char>(reason[keep]) & 0xC0) == 0x80) --keep;
  std::string out;
  out.reserve(2 + keep);
  out += static_cast<char>((code >> 8) & 0xFF);
  out += static_cast<char>(code & 0xFF);
  out.append(reason.substr(0, keep));
  return out;
}

bool isValidCloseCode(int code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

bool Reader::feed(char* data, std::size_t size, ReaderEvents& events) {
  while (size > 0 && !stopped_) {
    if (!inPayload_) {
      const std::size_t need = headerSize(header_, headerLen_);
      const std::size_t take = std::min(need - headerLen_, size);
      std::memcpy(header_ + headerLen_, data, take);
      headerLen_ = static_cast<std::uint8_t>(headerLen_ + take);
      data += take;
      size -= take;
      // The first two bytes say whether the frame is acceptable at all: refuse it at once.
      if (headerLen_ == 2 && need == 2) {
        const std::uint8_t op = header_[0] & 0x0F;
        const bool control = (op & 0x8) != 0;
        if (header_[0] & kReservedBits)
          return fail(events, kCloseProtocolError, "reserved bits set");
        if (!isKnown(op)) return fail(events, kCloseProtocolError, "unknown opcode");
        if (!(header_[1] & kMasked))
          return fail(events, kCloseProtocolError, "client frames must be masked");
        if (control && !(header_[0] & kFin))
          return fail(events, kCloseProtocolError, "fragmented control frame");
        if (control && (header_[1] & 0x7F) > kMaxControlPayload)
          return fail(events, kCloseProtocolError, "control frame over 125 bytes");
        continue;  // the rest of the header, if the length needs more bytes
      }
      if (headerLen_ < headerSize(header_, headerLen_)) continue;
      if (!parseHeader(events)) return false;
      if (remaining_ == 0) {
        endFrame(events);
        continue;
      }
      // Fast path: a whole unfragmented message, or a whole control frame, within this read is
      // unmasked in place and handed on without a copy.
      const bool control = isControl(opcode_);
      if (remaining_ <= size &&
          (control || (fin_ && !dropping_ && messageEmpty() && opcode_ != Opcode::Continuation &&
                       remaining_ <= maxMessage_))) {
        const auto n = static_cast<std::size_t>(remaining_);
        unmask(data, n, mask_, maskPos_);
        const std::string_view view(data, n);
        data += n;
        size -= n;
        remaining_ = 0;
        inPayload_ = false;
        headerLen_ = 0;
        if (control) {
          endControl(events, view);
        } else {
          inMessage_ = false;
          events.onMessage(messageText_, view);
        }
        continue;
      }
    }
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, size));
    unmask(data, take, mask_, maskPos_);
    if (isControl(opcode_)) {
      split().control.append(data, take);
    } else if (!dropping_) {
      std::string& message = split().message;
      message.append(data, std::min(take, maxMessage_ + 1 - message.size()));
      if (message.size() > maxMessage_) {
        // Over the cap: the receiver refuses it from its first maxMessage_ + 1 bytes; the
        // rest of the message is read and dropped.
        events.onMessage(messageText_, message);
        dropping_ = true;
        releaseMessageBuffer();
      }
    }
    data += take;
    size -= take;
    remaining_ -= take;
    if (remaining_ == 0) endFrame(events);
  }
  return !stopped_;
}

bool Reader::parseHeader(ReaderEvents& events) {
  fin_ = (header_[0] & kFin) != 0;
  opcode_ = static_cast<Opcode>(header_[0] & 0x0F);
  const std::uint8_t len7 = header_[1] & 0x7F;
  std::size_t pos = 2;
  std::uint64_t length = len7;
  if (len7 == 126) {
    length = (std::uint64_t{header_[2]} << 8) | header_[3];
    pos = 4;
    if (length < 126) return fail(events, kCloseProtocolError, "length not minimally encoded");
  } else if (len7 == 127) {
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | header_[2 + i];
    pos = 10;
    if (length >> 63) return fail(events, kCloseProtocolError, "length over 2^63");
    if (length <= 0xFFFF) return fail(events, kCloseProtocolError, "length not minimally encoded");
  }
  std::memcpy(mask_, header_ + pos, 4);
  maskPos_ = 0;
  if (opcode_ == Opcode::Continuation) {
    if (!inMessage_) return fail(events, kCloseProtocolError, "continuation without a message");
  } else if (!isControl(opcode_)) {
    if (inMessage_) return fail(events, kCloseProtocolError, "new message inside a fragmented one");
    inMessage_ = true;
    messageText_ = opcode_ == Opcode::Text;
  }
  remaining_ = length;
  inPayload_ = true;
  return true;
}

void Reader::endFrame(ReaderEvents& events) {
  inPayload_ = false;
  headerLen_ = 0;
  if (isControl(opcode_)) {
    std::string payload;
    if (split_) {
      payload.swap(split_->control);
      if (split_->message.empty()) split_.reset();
    }
    endControl(events, payload);
    return;
  }
  if (!fin_) return;  // more fragments follow
  inMessage_ = false;
  if (!dropping_)
    events.onMessage(messageText_, split_ ? std::string_view(split_->message) : std::string_view());
  dropping_ = false;
  releaseMessageBuffer();
}

void Reader::endControl(ReaderEvents& events, std::string_view payload) {
  switch (opcode_) {
    case Opcode::Ping:
      events.onPing(payload);
      break;
    case Opcode::Pong:
      events.onPong(payload);
      break;
    default: {  // Close
      if (payload.empty()) {
        stopped_ = true;
        events.onClose(kCloseNoStatus, {});
        break;
      }
      if (payload.size() == 1) {
        fail(events, kCloseProtocolError, "close frame of 1 byte");
        break;
      }
      const int code =
          (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
      if (!isValidCloseCode(code)) {
        fail(events, kCloseProtocolError, "invalid close code");
        break;
      }
      const std::string_view reason = payload.substr(2);
      if (!protocol::isValidUtf8(reason)) {
        fail(events, 1007, "close reason not UTF-8");
        break;
      }
      stopped_ = true;
      events.onClose(code, reason);
    }
  }
}

bool Reader::fail(ReaderEvents& events, int code, std::string_view why) {
  stopped_ = true;
  events.onProtocolError(code, why);
  return false;
}

void Reader::releaseMessageBuffer() {
  // The message is done with: an idle connection's reader holds nothing.
  if (!split_) return;
  if (split_->control.empty()) {
    split_.reset();
  } else {
    std::string().swap(split_->message);
  }
}

}  // namespace vroom::server::ws
