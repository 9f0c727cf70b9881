// What the overlay can ask of the room: the UI never touches the session directly, so UI
// tests can record these calls and the bridge forwards them to RoomSession.
#pragma once

#include <string>

#include "lobby.hpp"
#include "media_devices.hpp"

namespace vroom::ui {

class RoomActions {
 public:
  virtual ~RoomActions() = default;
  virtual void join(const LobbyForm& form) = 0;  // create or join, as the form says
  virtual void leave() = 0;
  virtual void setMicrophone(bool on) = 0;
  virtual void setCamera(bool on) = 0;
  virtual void startScreenShare() = 0;
  virtual void stopScreenShare() = 0;
  virtual void sendChat(const std::string& text) = 0;
  virtual void selectDevice(DeviceKind kind, const std::string& deviceId) = 0;
  virtual void clearError() = 0;
  // Moderators (the session refuses anyone else, and so does the server). Empty by default
  // so sinks that never moderate (benchmarks, other panels' fakes) need not spell them out.
  virtual void removePeer(const std::string& /*peerId*/, bool /*ban*/) {}
  virtual void requestMute(const std::string& /*peerId*/) {}
  virtual void setRoomLocked(bool /*locked*/) {}
  virtual void endRoom() {}
  virtual void clearNotice() {}
};

}  // namespace vroom::ui
