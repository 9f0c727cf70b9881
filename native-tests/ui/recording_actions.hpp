// A RoomActions fake for headless UI tests: records every command a panel asked for.
#pragma once

#include <string>
#include <vector>

#include "room_actions.hpp"

namespace vroom::test {

class RecordingActions : public ui::RoomActions {
 public:
  void join(const ui::LobbyForm&) override { calls.push_back("join"); }
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

  std::vector<std::string> calls;
  std::vector<std::string> chats;
};

}  // namespace vroom::test
