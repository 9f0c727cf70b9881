// The protocol side of one load-generator connection: vroom, PeerJS's server or a socket.io
// relay. The Beast client and the traffic driver stay protocol-blind behind this interface.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vroom::bench {

enum class Proto { Vroom, PeerJs, SocketIo };

std::string_view toString(Proto proto);
bool protoFromString(std::string_view text, Proto& out);

// What one received frame meant to the driver.
enum class FrameKind {
  Setup,   // handshake/room traffic; replies (if any) were appended
  Signal,  // a relayed signal: its payload carries the send stamp
  Error,   // the server refused something (an `error` frame, a connect error)
  Ignored,
};

class ProtocolClient {
 public:
  virtual ~ProtocolClient() = default;
  // Path and query of the WebSocket upgrade request.
  virtual std::string target() const = 0;
  // Frames to send as soon as the WebSocket is open.
  virtual void onOpen(std::vector<std::string>& out) = 0;
  // Interprets one text frame; frames to send in reply are appended to `out`.
  virtual FrameKind onFrame(std::string_view frame, std::vector<std::string>& out) = 0;
  // Handshake done, room joined and every room mate addressable.
  virtual bool ready() const = 0;
  virtual std::size_t mateCount() const = 0;
  // A signal frame to room mate `mate` (0..mateCount-1) carrying `payload` as its opaque data.
  virtual std::string signalFrame(std::size_t mate, std::string_view payload) const = 0;
  // Why the client gave up, when onFrame returned Error.
  virtual std::string lastError() const { return {}; }
  // The most frames of `frameBytes` a second that the server's announced limits let this
  // client send (no announced limit: infinity).
  virtual double allowedPerSecond(std::size_t /*frameBytes*/) const {
    return std::numeric_limits<double>::infinity();
  }
};

// `index` numbers clients from 0; clients index/roomSize share a room named roomPrefix+that.
std::unique_ptr<ProtocolClient> makeProtocolClient(Proto proto, std::size_t index,
                                                   std::size_t roomSize,
                                                   const std::string& roomPrefix);

std::unique_ptr<ProtocolClient> makeVroomClient(std::size_t index, std::size_t roomSize,
                                                const std::string& roomPrefix);
std::unique_ptr<ProtocolClient> makePeerJsClient(std::size_t index, std::size_t roomSize,
                                                 const std::string& roomPrefix);
std::unique_ptr<ProtocolClient> makeSocketIoClient(std::size_t index, std::size_t roomSize,
                                                   const std::string& roomPrefix);

}  // namespace vroom::bench
