// RoomActions carried out by a RoomSession: the one place that maps a lobby form onto
// create (broadcast host) or join (conference, viewer).
#pragma once

#include "room_actions.hpp"
#include "room_session.hpp"

namespace vroom::ui {

class SessionActions final : public RoomActions {
 public:
  explicit SessionActions(RoomSession& session) : session_(session) {}

  void join(const LobbyForm& form) override;
  void leave() override { session_.leave(); }
  void setMicrophone(bool on) override { session_.setMicEnabled(on); }
  void setCamera(bool on) override { session_.setCameraEnabled(on); }
  void startScreenShare() override { session_.startScreenShare(); }
  void stopScreenShare() override { session_.stopScreenShare(); }
  void sendChat(const std::string& text) override { session_.sendChat(text); }
  void selectDevice(DeviceKind kind, const std::string& deviceId) override {
    session_.selectDevice(kind, deviceId);
  }
  void clearError() override { session_.clearError(); }
  void removePeer(const std::string& peerId, bool ban) override {
    session_.removePeer(peerId, ban);
  }
  void requestMute(const std::string& peerId) override { session_.requestMute(peerId); }
  void setRoomLocked(bool locked) override { session_.setRoomLocked(locked); }
  void endRoom() override { session_.endRoom(); }
  void clearNotice() override { session_.clearNotice(); }

 private:
  RoomSession& session_;
};

// The trimmed room id and name a form submits.
std::string trimmedField(const std::string& text);

}  // namespace vroom::ui
