// The ICE credentials of an SDP, for the tests of ICE restarts through Janus: read the first
// ice-ufrag, or rewrite every ice-ufrag and ice-pwd as a restart's offer would.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace vroom::server::testing {

// The first a=ice-ufrag of `sdp` ("" when there is none).
inline std::string iceUfrag(const std::string& sdp) {
  constexpr std::string_view kTag = "a=ice-ufrag:";
  const auto at = sdp.find(kTag);
  if (at == std::string::npos) return "";
  const auto start = at + kTag.size();
  return sdp.substr(start, sdp.find_first_of("\r\n", start) - start);
}

// `sdp` as its ICE restart would offer it: every ice-ufrag and ice-pwd replaced.
inline std::string withNewIceCredentials(const std::string& sdp) {
  std::istringstream lines(sdp);
  std::string out;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("a=ice-ufrag:", 0) == 0) line = "a=ice-ufrag:rst1";
    if (line.rfind("a=ice-pwd:", 0) == 0) line = "a=ice-pwd:restartrestartrestartrest";
    out += line + "\r\n";
  }
  return out;
}

}  // namespace vroom::server::testing
