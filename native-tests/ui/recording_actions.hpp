// A RoomActions fake for UI tests: records what the overlay or a panel asked for, in order.
#pragma once

#include <string>
#include <vector>

#include "room_actions.hpp"

namespace vroom::ui {

class RecordingActions : public RoomActions {
 public:
  void join(const LobbyForm&) override { calls.push_back("join"); }
  void leave() override { calls.push_back("leave"); }
  void setMicrophone(bool on) override { calls.push_back(on ? "mic:on" : "mic:off"); }
  void setCamera(bool on) override { calls.push_back(on ? "cam:on" : "cam:off"); }
  void startScreenShare() override { calls.push_back("share:start"); }
  void stopScreenShare() override { calls.push_back("share:stop"); }
  void sendChat(const std::string& text) override {
    calls.push_back("chat");
    chats.push_back(text);
  }
  void selectDevice(DeviceKind, const std::string&) override { calls.push_back("device"); }
  void clearError() override { calls.push_back("clearError"); }
  void removePeer(const std::string& id, bool ban) override {
    calls.push_back("remove:" + id + (ban ? ":ban" : ""));
  }
  void requestMute(const std::string& id) override { calls.push_back("mute:" + id); }
  void setRoomLocked(bool locked) override { calls.push_back(locked ? "lock" : "unlock"); }
  void endRoom() override { calls.push_back("end"); }
  void clearNotice() override { calls.push_back("clearNotice"); }

  std::vector<std::string> calls;
  std::vector<std::string> chats;
};

}  // namespace vroom::ui
