// libFuzzer entry for protocol::decode: any bytes, decoded as either side, must never crash,
// throw or leak, and whatever decodes must survive encode -> decode unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol.hpp"

using namespace vroom::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
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
