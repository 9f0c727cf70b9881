// Maps DOM input (already converted to CSS pixels and KeyboardEvent.key names by
// www/vroom-api.js) onto Dear ImGui 1.86's IO arrays.
#include "imgui_web_platform.hpp"

#include <cstring>
#include <unordered_map>

#include <imgui.h>

namespace vroom::bridge {
namespace {

// Key slots in io.KeysDown[]; ImGui 1.86 maps its named keys onto these through io.KeyMap.
enum Slot {
  kTab = 1,
  kLeft,
  kRight,
  kUp,
  kDown,
  kPageUp,
  kPageDown,
  kHome,
  kEnd,
  kInsert,
  kDelete,
  kBackspace,
  kSpace,
  kEnter,
  kEscape,
  kA,
  kC,
  kV,
  kX,
  kY,
  kZ,
  kCtrl,
  kShift,
  kAlt,
  kSuper,
};
enum Modifier { kModCtrl = 1, kModShift = 2, kModAlt = 4, kModSuper = 8 };

int slotFor(const std::string& key) {
  static const std::unordered_map<std::string, int> kSlots = {
      {"Tab", kTab},
      {"ArrowLeft", kLeft},
      {"ArrowRight", kRight},
      {"ArrowUp", kUp},
      {"ArrowDown", kDown},
      {"PageUp", kPageUp},
      {"PageDown", kPageDown},
      {"Home", kHome},
      {"End", kEnd},
      {"Insert", kInsert},
      {"Delete", kDelete},
      {"Backspace", kBackspace},
      {" ", kSpace},
      {"Enter", kEnter},
      {"Escape", kEscape},
      {"a", kA},
      {"A", kA},
      {"c", kC},
      {"C", kC},
      {"v", kV},
      {"V", kV},
      {"x", kX},
      {"X", kX},
      {"y", kY},
      {"Y", kY},
      {"z", kZ},
      {"Z", kZ},
      {"Control", kCtrl},
      {"Shift", kShift},
      {"Alt", kAlt},
      {"Meta", kSuper},
  };
  const auto it = kSlots.find(key);
  return it == kSlots.end() ? 0 : it->second;
}

}  // namespace

void ImGuiWebPlatform::init() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "vroom_web";
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would force frames when idle
  io.IniFilename = nullptr;
  io.KeyMap[ImGuiKey_Tab] = kTab;
  io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
  io.KeyMap[ImGuiKey_RightArrow] = kRight;
  io.KeyMap[ImGuiKey_UpArrow] = kUp;
  io.KeyMap[ImGuiKey_DownArrow] = kDown;
  io.KeyMap[ImGuiKey_PageUp] = kPageUp;
  io.KeyMap[ImGuiKey_PageDown] = kPageDown;
  io.KeyMap[ImGuiKey_Home] = kHome;
  io.KeyMap[ImGuiKey_End] = kEnd;
  io.KeyMap[ImGuiKey_Insert] = kInsert;
  io.KeyMap[ImGuiKey_Delete] = kDelete;
  io.KeyMap[ImGuiKey_Backspace] = kBackspace;
  io.KeyMap[ImGuiKey_Space] = kSpace;
  io.KeyMap[ImGuiKey_Enter] = kEnter;
  io.KeyMap[ImGuiKey_KeyPadEnter] = kEnter;
  io.KeyMap[ImGuiKey_Escape] = kEscape;
  io.KeyMap[ImGuiKey_A] = kA;
  io.KeyMap[ImGuiKey_C] = kC;
  io.KeyMap[ImGuiKey_V] = kV;
  io.KeyMap[ImGuiKey_X] = kX;
  io.KeyMap[ImGuiKey_Y] = kY;
  io.KeyMap[ImGuiKey_Z] = kZ;
}

void ImGuiWebPlatform::resize(float cssWidth, float cssHeight, float pixelRatio) {
  width_ = cssWidth > 1 ? cssWidth : 1;
  height_ = cssHeight > 1 ? cssHeight : 1;
  pixelRatio_ = pixelRatio > 0 ? pixelRatio : 1;
}

void ImGuiWebPlatform::pointerMove(float x, float y) {
  // Consecutive moves collapse into one: only the latest position matters.
  if (!queue_.empty() && queue_.back().kind == Event::Move) {
    queue_.back().x = x;
    queue_.back().y = y;
    return;
  }
  queue_.push_back(Event{.kind = Event::Move, .x = x, .y = y});
}

void ImGuiWebPlatform::pointerButton(int button, bool down) {
  if (button < 0 || button >= 5) return;
  queue_.push_back(Event{.kind = Event::Button, .code = button, .down = down});
}

void ImGuiWebPlatform::wheel(float dx, float dy) {
  queue_.push_back(Event{.kind = Event::Wheel, .x = dx, .y = dy});
}

void ImGuiWebPlatform::key(const std::string& key, bool down, bool ctrl, bool shift, bool alt,
                           bool meta) {
  const int slot = slotFor(key);
  if (slot == 0) return;
  const int mods = (ctrl ? kModCtrl : 0) | (shift ? kModShift : 0) | (alt ? kModAlt : 0) |
                   (meta ? kModSuper : 0);
  queue_.push_back(Event{.kind = Event::Key, .code = slot, .down = down, .mods = mods});
}

void ImGuiWebPlatform::text(const std::string& utf8) {
  queue_.push_back(Event{.kind = Event::Text, .text = utf8});
}

void ImGuiWebPlatform::focus(bool focused) {
  queue_.push_back(Event{.kind = Event::Focus, .down = focused});
}

bool ImGuiWebPlatform::newFrame(double nowMs) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(width_, height_);
  io.DisplayFramebufferScale = ImVec2(pixelRatio_, pixelRatio_);
  // Frames are drawn on demand, so the gap between two can be long: cap the step so timed
  // ImGui behaviour (double-click, key repeat) stays sane.
  const double delta = lastMs_ > 0 ? (nowMs - lastMs_) / 1000.0 : 1.0 / 60.0;
  io.DeltaTime = static_cast<float>(delta > 0.0 ? (delta < 0.25 ? delta : 0.25) : 1.0 / 60.0);
  lastMs_ = nowMs;
  io.MouseWheel = io.MouseWheelH = 0.0f;

  // Trickle: at most one button or key transition per frame, so a click whose press and
  // release both arrived since the last frame is still seen as a click.
  bool transitionApplied = false;
  while (!queue_.empty()) {
    Event& e = queue_.front();
    const bool isTransition = e.kind == Event::Button || e.kind == Event::Key;
    if (isTransition && transitionApplied) break;
    if (e.kind == Event::Text && holdText_) break;
    switch (e.kind) {
      case Event::Move:
        io.MousePos = ImVec2(e.x, e.y);
        break;
      case Event::Button:
        io.MouseDown[e.code] = e.down;
        break;
      case Event::Wheel:
        io.MouseWheelH += e.x;
        io.MouseWheel += e.y;
        break;
      case Event::Key:
        io.KeysDown[e.code] = e.down;
        io.KeyCtrl = (e.mods & kModCtrl) != 0;
        io.KeyShift = (e.mods & kModShift) != 0;
        io.KeyAlt = (e.mods & kModAlt) != 0;
        io.KeySuper = (e.mods & kModSuper) != 0;
        break;
      case Event::Text:
        io.AddInputCharactersUTF8(e.text.c_str());
        break;
      case Event::Focus:
        io.AddFocusEvent(e.down);
        if (!e.down) {
          std::memset(io.KeysDown, 0, sizeof(io.KeysDown));
          io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
        }
        break;
    }
    transitionApplied |= isTransition;
    queue_.pop_front();
  }
  return !queue_.empty();
}

}  // namespace vroom::bridge
