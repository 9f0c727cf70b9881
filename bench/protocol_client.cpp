// Protocol names for the command line and the factory over the three adapters.
#include "protocol_client.hpp"

namespace vroom::bench {

std::string_view toString(Proto proto) {
  switch (proto) {
    case Proto::Vroom:
      return "vroom";
    case Proto::PeerJs:
      return "peerjs";
    case Proto::SocketIo:
      return "socketio";
  }
  return "?";
}

bool protoFromString(std::string_view text, Proto& out) {
  for (Proto p : {Proto::Vroom, Proto::PeerJs, Proto::SocketIo}) {
    if (toString(p) == text) {
      out = p;
      return true;
    }
  }
  return false;
}

std::unique_ptr<ProtocolClient> makeProtocolClient(Proto proto, std::size_t index,
                                                   std::size_t roomSize,
                                                   const std::string& roomPrefix) {
  switch (proto) {
    case Proto::Vroom:
      return makeVroomClient(index, roomSize, roomPrefix);
    case Proto::PeerJs:
      return makePeerJsClient(index, roomSize, roomPrefix);
    case Proto::SocketIo:
      return makeSocketIoClient(index, roomSize, roomPrefix);
  }
  return nullptr;
}

}  // namespace vroom::bench
