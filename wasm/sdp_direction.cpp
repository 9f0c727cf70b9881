// withoutIncomingMedia(): one pass over the SDP's lines.
#include "sdp_direction.hpp"

namespace vroom {

namespace {

// The lines with which a description announces the streams it sends. Chromium creates a
// receiver for each SSRC it is told of, whatever the direction says, and decodes what comes.
bool announcesStream(std::string_view line) {
  return line.starts_with("a=ssrc:") || line.starts_with("a=ssrc-group:") ||
         line.starts_with("a=msid:");
}

}  // namespace

std::string withoutIncomingMedia(std::string_view sdp) {
  std::string out;
  out.reserve(sdp.size());
  std::size_t start = 0;
  while (start < sdp.size()) {
    std::size_t end = sdp.find('\n', start);
    end = end == std::string_view::npos ? sdp.size() : end + 1;
    std::string_view line = sdp.substr(start, end - start);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    const std::string_view ending = sdp.substr(start + line.size(), end - start - line.size());
    if (announcesStream(line)) {
      start = end;
      continue;
    }
    if (line == "a=sendrecv")
      out.append("a=recvonly");
    else if (line == "a=sendonly")
      out.append("a=inactive");
    else
      out.append(line);
    out.append(ending);
    start = end;
  }
  return out;
}

}  // namespace vroom
