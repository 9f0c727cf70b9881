// The browser composition root: owns the ImGui context, the WebGL renderer and the overlay
// state, receives DOM input from www/vroom-api.js and tells it when a frame is wanted.
#pragma once

#include <emscripten/val.h>

#include <string>

#include "gl_renderer.hpp"
#include "imgui_web_platform.hpp"
#include "lobby.hpp"

struct ImGuiContext;

namespace vroom::bridge {

class WebApp {
 public:
  // `host` is the JS side of one mounted room (see www/vroom-api.js): it receives
  // requestFrame() and publish(state) calls.
  explicit WebApp(emscripten::val host);
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

  // Whether ImGui wants the keyboard/mouse (the page should not treat the event as its own).
  bool wantsKeyboard() const;
  bool wantsPointer() const;

 private:
  void loadFonts();
  void publishState();

  emscripten::val host_;
  ImGuiContext* imgui_ = nullptr;
  GlRenderer renderer_;
  ImGuiWebPlatform platform_;
  ui::LobbyForm lobby_;
  ui::LobbyView lobbyView_;
  std::string startupError_;
  float fontPixelRatio_ = 0;
  int framesDrawn_ = 0;
  int settleFrames_ = 0;
  std::string lastPublished_;
};

}  // namespace vroom::bridge
