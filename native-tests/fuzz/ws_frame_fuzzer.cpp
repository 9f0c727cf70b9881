// libFuzzer target for the server's WebSocket frame reader (server/ws_frame.*): whatever the
// bytes, it never crashes, never hands on more than the cap plus one byte, stops for good on
// a close or an error, and reports the same events however the bytes are split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "ws_frame.hpp"

namespace {

using vroom::server::ws::Reader;

constexpr std::size_t kCap = 300;  // small, so inputs reach the oversize path

class Recorder : public vroom::server::ws::ReaderEvents {
 public:
  std::vector<std::string> events;
  void onMessage(bool text, std::string_view p) override {
    if (p.size() > kCap + 1) std::abort();
    events.push_back((text ? "t" : "b") + std::string(p));
  }
  void onPing(std::string_view p) override { events.push_back("i" + std::string(p)); }
  void onPong(std::string_view p) override { events.push_back("o" + std::string(p)); }
  void onClose(int code, std::string_view r) override {
    events.push_back("c" + std::to_string(code) + std::string(r));
  }
  void onProtocolError(int code, std::string_view) override {
    events.push_back("e" + std::to_string(code));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the piece size of the second feeding (1..256 bytes).
  const std::size_t piece = static_cast<std::size_t>(data[0]) + 1;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);

  Recorder whole;
  Reader wholeReader(kCap);
  std::string copy = input;  // the reader unmasks in place
  const bool wholeGoes = wholeReader.feed(copy.data(), copy.size(), whole);
  if (wholeGoes == wholeReader.stopped()) std::abort();

  Recorder pieces;
  Reader pieceReader(kCap);
  copy = input;
  for (std::size_t at = 0; at < copy.size(); at += piece)
    pieceReader.feed(copy.data() + at, std::min(piece, copy.size() - at), pieces);
  if (pieces.events != whole.events) std::abort();
  if (pieceReader.stopped() != wholeReader.stopped()) std::abort();
  // After a close or an error nothing more is reported.
  if (wholeReader.stopped()) {
    const std::size_t before = whole.events.size();
    std::string more = input;
    wholeReader.feed(more.data(), more.size(), whole);
    if (whole.events.size() != before) std::abort();
  }
  return 0;
}
