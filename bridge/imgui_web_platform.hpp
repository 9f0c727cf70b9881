// Dear ImGui platform backend for vroom's browser build, fed by DOM events forwarded from JS.
// Implements: mouse/pointer position, buttons, wheel, keyboard (navigation + editing keys and
//   Ctrl/Cmd shortcuts), text input, focus, display size and pixel ratio, frame timing.
// Does not implement: clipboard to the OS, gamepads, mouse cursor shapes, IME composition.
// Input is queued and trickled so a press and release arriving between two frames both count.
#pragma once

#include <deque>
#include <string>

namespace vroom::bridge {

class ImGuiWebPlatform {
 public:
  void init();
  void resize(float cssWidth, float cssHeight, float pixelRatio);
  void pointerMove(float x, float y);
  void pointerButton(int button, bool down);
  void wheel(float dx, float dy);
  void key(const std::string& key, bool down, bool ctrl, bool shift, bool alt, bool meta);
  void text(const std::string& utf8);
  void focus(bool focused);

  // While set, text stays queued (a field the page focused is not editing yet: ImGui drops
  // text on a field's first frame).
  void holdText(bool hold) { holdText_ = hold; }
  // Applies queued input to ImGui's IO for the next frame; returns true if input remains
  // queued (the caller should draw another frame soon).
  bool newFrame(double nowMs);
  bool hasPendingInput() const { return !queue_.empty(); }
  // Whether keys or text are queued: what they open (a window ImGui sizes on its first frame,
  // such as the keyboard help) needs settle frames even when nothing else changes.
  bool hasPendingKeys() const {
    for (const Event& e : queue_)
      if (e.kind == Event::Key || e.kind == Event::Text) return true;
    return false;
  }

  float width() const { return width_; }
  float height() const { return height_; }
  float pixelRatio() const { return pixelRatio_; }

 private:
  struct Event {
    enum Kind { Move, Button, Wheel, Key, Text, Focus } kind = Move;
    float x = 0, y = 0;
    int code = 0;
    bool down = false;
    int mods = 0;  // kModCtrl | kModShift | kModAlt | kModSuper at the time of a key event
    std::string text;
  };
  std::deque<Event> queue_;
  float width_ = 1, height_ = 1, pixelRatio_ = 1;
  double lastMs_ = 0;
  bool holdText_ = false;
};

}  // namespace vroom::bridge
