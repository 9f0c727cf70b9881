// libFuzzer entry for protocol::decode: any bytes, decoded as either side, must never crash,
// throw or leak, and whatever decodes must survive encode -> decode unchanged. The server's
// scanClient() path must answer exactly as decode() does, refusals word for word.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol.hpp"
#include "protocol_scan.hpp"

using namespace vroom::protocol;

namespace {

void checkScanAgreesWithDecode(std::string_view text) {
  const Limits limits;
  const auto decoded = decode(text, Sender::Client, limits);
  const auto scanned = scanClient(text, limits);
  if (!scanned.ok()) {
    if (decoded.ok() || decoded.error().code != scanned.error().code ||
        decoded.error().message != scanned.error().message)
      std::abort();
    return;
  }
  const auto viaScan = decodeScanned(scanned.value(), limits);
  if (decoded.ok() != viaScan.ok()) std::abort();
  if (!decoded.ok()) {
    if (decoded.error().code != viaScan.error().code ||
        decoded.error().message != viaScan.error().message ||
        decoded.error().type != viaScan.error().type)
      std::abort();
    return;
  }
  if (!(decoded.value() == viaScan.value())) std::abort();
  // A relayed signal is its data verbatim with `from` stamped: the client reads the same.
  if (scanned.value().isSignal) {
    const std::string frame = encodeSignalFrame("p1", scanned.value().data);
    const auto relayed = decode(frame, Sender::Server, std::string::npos);
    const auto& sent = std::get<Signal>(decoded.value());
    if (!relayed.ok() || std::get<Signal>(relayed.value()).data != sent.data ||
        std::get<Signal>(relayed.value()).from != "p1")
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  checkScanAgreesWithDecode(text);
  for (Sender sender : {Sender::Client, Sender::Server}) {
    const auto decoded = decode(text, sender);
    if (!decoded.ok()) {
      // Every refusal names a code and says why.
      if (decoded.error().message.empty()) std::abort();
      continue;
    }
    const std::string again = encode(decoded.value());
    const auto redecoded = decode(again, sender);
    if (!redecoded.ok() || !(redecoded.value() == decoded.value())) std::abort();
    if (typeName(redecoded.value()) != typeName(decoded.value())) std::abort();
  }
  return 0;
}
