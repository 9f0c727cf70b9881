// Unguessable identifiers for peer ids and resume tokens: 128 bits from the kernel CSPRNG.
#pragma once

#include <string>

namespace vroom::server {

inline constexpr std::size_t kRandomIdBytes = 16;  // 128 bits

// 32 lowercase hex characters from getrandom(2); each call is an independent draw, so no id
// tells anything about another. Aborts if the kernel cannot supply randomness (never weaker).
std::string randomId();

}  // namespace vroom::server
