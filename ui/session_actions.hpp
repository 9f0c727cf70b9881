// RoomActions carried out by a RoomSession: the one place that maps a lobby form onto
// create (broadcast host) or join (conference, viewer), and the one command path of both the
// overlay's buttons and the JS API (bridge/web_app.cpp), so the two cannot disagree on errors.
#pragma once

#include "room_actions.hpp"
#include "room_session.hpp"

namespace vroom::ui {

class SessionActions final : public RoomActions {
 public:
  explicit SessionActions(RoomSession& session) : session_(session) {}

  // The commands with the session's verdict, for callers that report it (the JS API).
  CommandResult tryJoin(const LobbyForm& form);
  CommandResult trySetMicrophone(bool on) { return session_.setMicrophone(on); }
  CommandResult trySetCamera(bool on) { return session_.setCamera(on); }
  CommandResult tryStartScreenShare() { return session_.startScreenShare(); }
  CommandResult trySendChat(const std::string& text) { return session_.sendChat(text); }
  CommandResult tryRemovePeer(const std::string& peerId, bool ban) {
    return session_.removePeer(peerId, ban);
  }
  CommandResult tryRequestMute(const std::string& peerId) { return session_.requestMute(peerId); }
  CommandResult trySetRoomLocked(bool locked) { return session_.setRoomLocked(locked); }
  CommandResult tryEndRoom() { return session_.endRoom(); }

  // RoomActions: the same commands for the overlay, whose errors show in the snapshot.
  void join(const LobbyForm& form) override { tryJoin(form); }
  void leave() override { session_.leave(); }
  void setMicrophone(bool on) override { trySetMicrophone(on); }
  void setCamera(bool on) override { trySetCamera(on); }
  void startScreenShare() override { tryStartScreenShare(); }
  void stopScreenShare() override { session_.stopScreenShare(); }
  void sendChat(const std::string& text) override { trySendChat(text); }
  void selectDevice(DeviceKind kind, const std::string& deviceId) override {
    session_.selectDevice(kind, deviceId);
  }
  void clearError() override { session_.clearError(); }
  void removePeer(const std::string& peerId, bool ban) override { tryRemovePeer(peerId, ban); }
  void requestMute(const std::string& peerId) override { tryRequestMute(peerId); }
  void setRoomLocked(bool locked) override { trySetRoomLocked(locked); }
  void endRoom() override { tryEndRoom(); }
  void clearNotice() override { session_.clearNotice(); }

 private:
  RoomSession& session_;
};

}  // namespace vroom::ui
