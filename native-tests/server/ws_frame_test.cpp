// The server's RFC 6455 framing (server/ws_frame.*) and opening handshake (ws_handshake.*):
// client frames of every length encoding, fragments with control frames between them, the
// same events however the bytes are split, every framing refusal, and the oversize cap.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol.hpp"
#include "raw_ws_client.hpp"
#include "ws_frame.hpp"
#include "ws_handshake.hpp"

namespace vroom::server::ws {
namespace {

using testing::clientFrame;
using testing::FrameSpec;

std::string text(std::string payload, bool fin = true) {
  return testing::textFrame(std::move(payload), fin);
}
std::string continuation(std::string payload, bool fin = true) {
  return testing::continuationFrame(std::move(payload), fin);
}
std::string control(std::uint8_t opcode, std::string payload) {
  return testing::controlFrame(opcode, std::move(payload));
}
std::string closeFrame(int code, std::string reason = "") {
  return control(0x8, closePayload(code, reason));
}

class Recorder : public ReaderEvents {
 public:
  std::vector<std::string> events;
  void onMessage(bool isText, std::string_view p) override {
    events.push_back((isText ? "text:" : "binary:") + std::string(p));
  }
  void onPing(std::string_view p) override { events.push_back("ping:" + std::string(p)); }
  void onPong(std::string_view p) override { events.push_back("pong:" + std::string(p)); }
  void onClose(int code, std::string_view reason) override {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
  void onProtocolError(int code, std::string_view) override {
    events.push_back("error:" + std::to_string(code));
  }
};

// Feeds `bytes` in pieces of `chunk` bytes (0: all at once); returns the events.
std::vector<std::string> feedAll(std::string bytes, std::size_t chunk = 0,
                                 std::size_t max = 1 << 20) {
  Reader reader(max);
  Recorder recorder;
  if (chunk == 0) chunk = bytes.size();
  for (std::size_t at = 0; at < bytes.size(); at += chunk)
    reader.feed(bytes.data() + at, std::min(chunk, bytes.size() - at), recorder);
  return recorder.events;
}

TEST(WsFrame, EveryLengthEncodingCarriesItsPayload) {
  for (std::size_t n : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 200000u}) {
    SCOPED_TRACE(n);
    std::string payload(n, 'x');
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(feedAll(text(payload)), std::vector<std::string>{"text:" + payload});
  }
}

TEST(WsFrame, FragmentsWithControlFramesBetweenThemMakeOneMessage) {
  const std::string bytes =
      text("{\"type\":", false) + control(0x9, "p1") + continuation("\"hello\"", false) +
      control(0xA, "") + continuation(",\"version\":1}") +
      clientFrame({.opcode = 0x2, .payload = "bin"}) + closeFrame(1000, "bye");
  const std::vector<std::string> expected = {"ping:p1",
                                             "pong:", "text:{\"type\":\"hello\",\"version\":1}",
                                             "binary:bin", "close:1000:bye"};
  EXPECT_EQ(feedAll(bytes), expected);
}

TEST(WsFrame, TheSameEventsHoweverTheBytesAreSplit) {
  const std::string bytes = text(std::string(300, 'a')) + text("frag", false) +
                            control(0x9, "ping") + continuation(std::string(70000, 'b')) +
                            text("") + closeFrame(1001);
  const auto whole = feedAll(bytes);
  ASSERT_EQ(whole.size(), 5u);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 13u, 125u, 4096u}) {
    SCOPED_TRACE(chunk);
    EXPECT_EQ(feedAll(bytes, chunk), whole);
  }
  // Every split into two pieces, over the first frames (headers and payload boundaries).
  const std::string head = bytes.substr(0, 400);
  const auto expected = feedAll(head);
  for (std::size_t cut = 1; cut < head.size(); ++cut) {
    Reader reader(1 << 20);
    Recorder recorder;
    std::string copy = head;
    reader.feed(copy.data(), cut, recorder);
    reader.feed(copy.data() + cut, copy.size() - cut, recorder);
    ASSERT_EQ(recorder.events, expected) << "cut at " << cut;
  }
}

struct Refusal {
  const char* label;
  std::string bytes;
  int code;
};

TEST(WsFrame, EveryFramingErrorStopsTheReaderWithItsCloseCode) {
  const std::vector<Refusal> cases = {
      {"reserved bit", clientFrame({.payload = "x", .rsv = 0x40}), 1002},
      {"unknown opcode", clientFrame({.opcode = 0x3, .payload = "x"}), 1002},
      {"unknown control opcode", clientFrame({.opcode = 0xB, .payload = ""}), 1002},
      {"unmasked", clientFrame({.payload = "x", .masked = false}), 1002},
      {"fragmented ping", clientFrame({.opcode = 0x9, .payload = "", .fin = false}), 1002},
      {"ping over 125 bytes", control(0x9, std::string(126, 'p')), 1002},
      {"continuation first", continuation("x"), 1002},
      {"text inside a fragmented message", text("a", false) + text("b"), 1002},
      {"16-bit length under 126", clientFrame({.payload = "short", .lengthForm = 2}), 1002},
      {"64-bit length under 65536", clientFrame({.payload = "short", .lengthForm = 8}), 1002},
      {"64-bit length with its top bit", std::string("\x81\xff\x80\0\0\0\0\0\0\0", 10), 1002},
      {"close of one byte", control(0x8, "x"), 1002},
      {"close code 999", closeFrame(999), 1002},
      {"close code 1005", closeFrame(1005), 1002},
      {"close code 1006", closeFrame(1006), 1002},
      {"close code 2000", closeFrame(2000), 1002},
      {"close code 5000", closeFrame(5000), 1002},
      {"close reason not UTF-8", control(0x8, std::string("\x03\xe8\xff", 3)), 1007},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    Reader reader(1 << 20);
    Recorder recorder;
    std::string bytes = c.bytes + text("after");  // never read: the reader has stopped
    EXPECT_FALSE(reader.feed(bytes.data(), bytes.size(), recorder));
    EXPECT_TRUE(reader.stopped());
    ASSERT_FALSE(recorder.events.empty());
    EXPECT_EQ(recorder.events.back(), "error:" + std::to_string(c.code));
  }
}

TEST(WsFrame, ValidCloseFramesStopTheReader) {
  for (int code : {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999}) {
    SCOPED_TRACE(code);
    EXPECT_EQ(feedAll(closeFrame(code, "r") + text("after")),
              std::vector<std::string>{"close:" + std::to_string(code) + ":r"});
  }
  EXPECT_EQ(feedAll(control(0x8, "") + text("after")), std::vector<std::string>{"close:1005:"});
}

TEST(WsFrame, AMessageOverTheCapIsHandedOnAtCapPlusOneAndTheRestDropped) {
  const std::size_t cap = 256;
  const std::string big(1000, 'z');
  // Whole, and in fragments; either way the next message arrives intact.
  for (const std::string& bytes :
       {text(big) + text("next"), text(big.substr(0, 200), false) +
                                      continuation(big.substr(200, 300), false) + control(0x9, "") +
                                      continuation(big.substr(500)) + text("next")}) {
    for (std::size_t chunk : {0u, 1u, 100u}) {
      SCOPED_TRACE(chunk);
      const std::vector<std::string> expected = {"text:" + std::string(cap + 1, 'z'), "text:next"};
      auto events = feedAll(bytes, chunk, cap);
      std::erase(events, "ping:");
      EXPECT_EQ(events, expected);
    }
  }
}

TEST(WsFrame, NoMemoryIsKeptAfterALargeMessage) {
  Reader reader(1 << 20);
  Recorder recorder;
  std::string bytes = text(std::string(100000, 'm'));
  // In pieces, so the message is assembled in the reader's own buffer.
  for (std::size_t at = 0; at < bytes.size(); at += 1000)
    reader.feed(bytes.data() + at, std::min<std::size_t>(1000, bytes.size() - at), recorder);
  ASSERT_EQ(recorder.events.size(), 1u);
  EXPECT_LE(reader.bufferedBytes(), 64u);
}

TEST(WsFrame, ServerHeadersUseTheMinimalLengthEncoding) {
  std::uint8_t header[kMaxHeaderBytes];
  EXPECT_EQ(writeHeader(header, Opcode::Text, 0), 2u);
  EXPECT_EQ(header[0], 0x81);
  EXPECT_EQ(header[1], 0);
  EXPECT_EQ(writeHeader(header, Opcode::Close, 125), 2u);
  EXPECT_EQ(header[0], 0x88);
  EXPECT_EQ(header[1], 125);
  EXPECT_EQ(writeHeader(header, Opcode::Text, 126), 4u);
  EXPECT_EQ(header[1], 126);
  EXPECT_EQ((header[2] << 8) | header[3], 126);
  EXPECT_EQ(writeHeader(header, Opcode::Text, 65535), 4u);
  EXPECT_EQ(writeHeader(header, Opcode::Pong, 65536), 10u);
  EXPECT_EQ(header[0], 0x8A);
  EXPECT_EQ(header[1], 127);
  EXPECT_EQ(header[7], 1);  // 0x0000000000010000
  EXPECT_EQ(header[8], 0);
  for (std::size_t n : {0u, 125u, 126u, 65535u, 65536u})
    EXPECT_EQ(headerSize(n), writeHeader(header, Opcode::Text, n));
}

TEST(WsFrame, CloseReasonsAreClippedOnACharacterBoundary) {
  std::string reason;
  for (int i = 0; i < 100; ++i) reason += "\xc3\xa9";  // é
  const std::string payload = closePayload(1008, reason);
  EXPECT_LE(payload.size(), kMaxControlPayload);
  EXPECT_EQ(static_cast<unsigned char>(payload[0]), 0x03);
  EXPECT_EQ(static_cast<unsigned char>(payload[1]), 0xf0);
  EXPECT_TRUE(protocol::isValidUtf8(payload.substr(2)));
  EXPECT_EQ(closePayload(1000, "ok"), std::string("\x03\xe8ok", 4));
}

TEST(WsHandshake, AcceptKeyIsTheRfcsAndMalformedKeysAreRefused) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  for (const char* bad :
       {"", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ===",
        "dGhlIHNhbXBsZSBub25j*Q==", "dGhlIHNhbXBsZSBub25jZQ=x"})
    EXPECT_FALSE(acceptKey(bad).has_value()) << bad;
  const std::string response = switchingProtocols("abc=", "vroom-server");
  EXPECT_EQ(response.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u);
  EXPECT_NE(response.find("\r\nSec-WebSocket-Accept: abc=\r\n"), std::string::npos);
  EXPECT_EQ(response.substr(response.size() - 4), "\r\n\r\n");
}

}  // namespace
}  // namespace vroom::server::ws
