// The browser composition root: wires the Web* seams into a RoomSession, draws the ImGui
// overlay over the video layer, receives DOM input and JS results from www/vroom-api.js,
// and publishes the session's snapshot to the page (events, status region).
#pragma once

#include <emscripten/val.h>

#include <memory>
#include <string>

#include "gl_renderer.hpp"
#include "imgui_web_platform.hpp"
#include "js_runtime.hpp"
#include "overlay.hpp"
#include "room_session.hpp"
#include "session_actions.hpp"
#include "web_clock.hpp"
#include "web_media_devices.hpp"
#include "web_signaling_channel.hpp"
#include "web_video_surface.hpp"

struct ImGuiContext;

namespace vroom::bridge {

class WebApp {
 public:
  // `runtime` is the page's BrowserRuntime (bridge/web_runtime.js); `options` the plain
  // object given to createRoom (signalingUrl, room, name, mode, role, audioOnly, token,
  // password, autoJoin, microphone, camera, ui).
  WebApp(emscripten::val runtime, emscripten::val options);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  // Empty when the app started; otherwise a sentence saying what is missing (e.g. WebGL2).
  std::string startupError() const { return startupError_; }

  // Draws one overlay frame; returns how many more frames are wanted right away (input still
  // queued or ImGui settling). 0 means the overlay is idle until the next event.
  int frame(double nowMs);
  int framesDrawn() const { return framesDrawn_; }

  void resize(double cssWidth, double cssHeight, double pixelRatio);
  void pointerMove(double x, double y) { platform_.pointerMove(float(x), float(y)); }
  void pointerButton(int button, bool down) { platform_.pointerButton(button, down); }
  void wheel(double dx, double dy) { platform_.wheel(float(dx), float(dy)); }
  void key(const std::string& key, bool down, bool ctrl, bool shift, bool alt, bool meta) {
    platform_.key(key, down, ctrl, shift, alt, meta);
  }
  void text(const std::string& utf8) { platform_.text(utf8); }
  void focus(bool focused) { platform_.focus(focused); }
  bool wantsKeyboard() const;

  // Results and events from BrowserRuntime.
  void resolve(double requestId, bool ok, emscripten::val value) {
    runtime_.resolve(requestId, ok, value);
  }
  void deliver(const std::string& objectId, const std::string& event, emscripten::val data) {
    runtime_.deliver(objectId, event, data);
  }

  // Commands of the JS API. Each returns "" when accepted, else an error code
  // ("invalid_room_id", "not_connected", ...); outcomes arrive through published state.
  std::string join(emscripten::val overrides);
  std::string leave();
  std::string setMicrophone(bool on);
  std::string setCamera(bool on);
  std::string startScreenShare();
  std::string stopScreenShare();
  std::string sendChat(const std::string& text);
  std::string selectDevice(const std::string& kind, const std::string& deviceId);
  // Moderators: outcomes arrive as the snapshot's `moderation` (or an error).
  std::string removePeer(const std::string& peerId, bool ban);
  std::string requestMute(const std::string& peerId);
  std::string lockRoom(bool locked);
  std::string endRoom();
  std::string clearNotice();
  // Per-peer statistics, resolved through runtime.statsReady(requestId, stats).
  void requestStats(const std::string& peerId, double requestId);

 private:
  void publishState();
  void loadFonts();
  void startLobbyMedia();
  void pollStats();
  static std::string errorCode(const CommandResult& result);
  std::string moderate(CommandResult result);

  JsRuntime runtime_;
  WebSignalingChannel signaling_;
  WebMediaDevices media_;
  WebClock clock_;
  WebRandom random_;
  WebVideoSurface surface_;
  std::unique_ptr<RoomSession> session_;
  std::unique_ptr<ui::SessionActions> actions_;
  ui::Overlay overlay_;
  bool showUi_ = true;

  ImGuiContext* imgui_ = nullptr;
  GlRenderer renderer_;
  ImGuiWebPlatform platform_;
  std::string startupError_;
  float fontPixelRatio_ = 0;
  int framesDrawn_ = 0;
  int settleFrames_ = 0;
  std::uint64_t publishedRevision_ = ~0ull;
  TimerId statsTimer_ = kNoTimer;
};

}  // namespace vroom::bridge
