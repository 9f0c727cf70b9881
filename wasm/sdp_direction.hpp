// A broadcast host never takes media from a viewer: before the host applies a viewer's offer
// or answer, every direction in it is turned so that the viewer may only receive. The host's
// browser then sends the broadcast and accepts nothing back.
#pragma once

#include <string>
#include <string_view>

namespace vroom {

// "a=sendrecv" -> "a=recvonly", "a=sendonly" -> "a=inactive" (session level and every media
// section), and the streams it announces (a=ssrc, a=ssrc-group, a=msid lines) removed;
// everything else, line endings included, is left exactly as it was.
std::string withoutIncomingMedia(std::string_view sdp);

}  // namespace vroom
