// Headless Dear ImGui for tests: a context whose font atlas is built the way the browser
// builds it (ui::TextRenderer, here over the fake rasterizer of fake_text.hpp: 13 px lines,
// ASCII 7 px wide), no renderer, frames driven by the test, and ImGui's test-engine hooks
// recording each item's label and rect so a test can click a button by its label.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include <imgui.h>
#include <imgui_internal.h>

#include "fake_text.hpp"
#include "item_hooks.hpp"
#include "text_renderer.hpp"

namespace vroom::test {

class ImGuiHarness : public ui::ItemObserver {
 public:
  explicit ImGuiHarness(float width = 1280, float height = 800);
  ~ImGuiHarness() override;
  ImGuiHarness(const ImGuiHarness&) = delete;
  ImGuiHarness& operator=(const ImGuiHarness&) = delete;

  using Draw = std::function<void()>;

  // Runs one full frame (NewFrame, draw, Render) and records the items drawn.
  void frame(const Draw& draw);
  // Runs a few frames so windows that auto-size settle.
  void settle(const Draw& draw, int frames = 3);

  // Items of the last frame, by label: the text before any "##", or the id after it when
  // the item shows no text ("##room" -> "room").
  bool has(const std::string& label) const;
  std::optional<ImRect> rectOf(const std::string& label) const;
  bool isDisabled(const std::string& label) const;
  std::vector<std::string> labels() const;
  // Whether the last frame drew, directly in the window named `window`, an item whose id is
  // `label` (for widgets such as combos that report no label to the hooks).
  bool hasItemIn(const std::string& window, const std::string& label) const;

  // Clicks the centre of the item labelled `label` (press frame, release frame).
  // Returns false if no such item was drawn in the last frame.
  bool click(const std::string& label, const Draw& draw);
  // Types text into the item labelled `label` (clicking it first to focus it).
  bool type(const std::string& label, const std::string& text, const Draw& draw);
  void pressKey(ImGuiKey key, const Draw& draw);
  void resize(float width, float height);

  // Strings the next frames show besides what is typed (the glyph atlas adds their glyphs
  // before each frame, as the browser build does with frameText).
  void setTexts(std::vector<std::string> texts) { texts_ = std::move(texts); }
  ui::TextRenderer& text() { return text_; }
  FakeGlyphRasterizer& rasterizer() { return rasterizer_; }
  FakeTextureStore& textures() { return textures_; }
  // Textures the last frame's draw data used (the font atlas's and text runs').
  std::set<ImTextureID> texturesDrawn() const;

  // Called by ImGui's hooks (ui/item_hooks.hpp) while this harness is the active one.
  void itemAdd(ImGuiID id, const ImRect& rect) override;
  void itemInfo(ImGuiID id, const char* label, ImGuiItemStatusFlags flags) override;

 private:
  struct Item {
    std::string label;
    ImRect rect;
    bool disabled = false;
  };
  void prepareText();

  ImGuiContext* context_ = nullptr;
  FakeGlyphRasterizer rasterizer_;
  FakeTextureStore textures_;
  ui::TextRenderer text_{rasterizer_, textures_, 13.0f};
  std::vector<std::string> texts_;
  std::unordered_map<ImGuiID, ImRect> rects_;
  std::unordered_map<ImGuiID, bool> disabled_;
  std::unordered_map<std::string, Item> items_;  // last frame
  std::unordered_map<std::string, Item> building_;
};

}  // namespace vroom::test
