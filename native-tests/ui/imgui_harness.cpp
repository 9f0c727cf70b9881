// The harness's frame loop and what it records of ImGui's item hooks (ui/item_hooks.*,
// which the product's semantics mirror observes too).
#include "imgui_harness.hpp"

#include <cstdarg>

#include "frame_text.hpp"

namespace vroom::test {
namespace {

ImGuiHarness* gActive = nullptr;  // hooks are free functions; one harness at a time

// "Join" -> "Join"; "Join##x" -> "Join"; an item with no visible text ("##room") is named by
// its id part ("room") so tests can still find it.
std::string visibleLabel(const char* label) {
  std::string text = label ? label : "";
  const auto hashes = text.find("##");
  if (hashes == std::string::npos) return text;
  if (hashes > 0) return text.substr(0, hashes);
  return text.substr(text.find_first_not_of('#'));
}

}  // namespace

ImGuiHarness::ImGuiHarness(float width, float height) {
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  context_->TestEngineHookItems = true;
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = 1.0f / 60.0f;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  for (int i = 0; i < ImGuiKey_COUNT; ++i) io.KeyMap[i] = i;
  gActive = this;
  ui::addItemObserver(this);
  prepareText();  // builds the atlas; no texture upload
  text_.endFrame();
}

ImGuiHarness::~ImGuiHarness() {
  gActive = nullptr;
  ui::removeItemObserver(this);
  ImGui::DestroyContext(context_);
}

void ImGuiHarness::prepareText() {
  const std::string typed = ui::typedText(ImGui::GetIO());
  std::vector<std::string_view> texts{typed};
  texts.insert(texts.end(), texts_.begin(), texts_.end());
  text_.beginFrame(1.0f, texts);
}

std::set<ImTextureID> ImGuiHarness::texturesDrawn() const {
  std::set<ImTextureID> out;
  ImGui::SetCurrentContext(context_);
  const ImDrawData* data = ImGui::GetDrawData();
  for (int i = 0; data && i < data->CmdListsCount; ++i)
    for (const ImDrawCmd& cmd : data->CmdLists[i]->CmdBuffer)
      if (cmd.ElemCount > 0) out.insert(cmd.GetTexID());
  return out;
}

void ImGuiHarness::resize(float width, float height) {
  ImGui::SetCurrentContext(context_);
  ImGui::GetIO().DisplaySize = ImVec2(width, height);
}

void ImGuiHarness::frame(const Draw& draw) {
  ImGui::SetCurrentContext(context_);
  gActive = this;
  building_.clear();
  rects_.clear();
  prepareText();
  ImGui::NewFrame();
  draw();
  ImGui::Render();
  text_.endFrame();
  items_ = std::move(building_);
  building_.clear();
}

void ImGuiHarness::settle(const Draw& draw, int frames) {
  for (int i = 0; i < frames; ++i) frame(draw);
}

bool ImGuiHarness::hasItemIn(const std::string& window, const std::string& label) const {
  ImGui::SetCurrentContext(context_);
  const ImGuiWindow* w = ImGui::FindWindowByName(window.c_str());
  return w && rects_.count(ImHashStr(label.c_str(), 0, w->ID)) > 0;
}

bool ImGuiHarness::has(const std::string& label) const {
  return items_.count(label) > 0;
}

std::optional<ImRect> ImGuiHarness::rectOf(const std::string& label) const {
  const auto it = items_.find(label);
  if (it == items_.end()) return std::nullopt;
  return it->second.rect;
}

bool ImGuiHarness::isDisabled(const std::string& label) const {
  const auto it = items_.find(label);
  return it != items_.end() && it->second.disabled;
}

std::vector<std::string> ImGuiHarness::labels() const {
  std::vector<std::string> out;
  for (const auto& [label, item] : items_) out.push_back(label);
  return out;
}

bool ImGuiHarness::click(const std::string& label, const Draw& draw) {
  const auto rect = rectOf(label);
  if (!rect) return false;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = rect->GetCenter();
  frame(draw);  // hover
  io.MouseDown[0] = true;
  frame(draw);
  io.MouseDown[0] = false;
  frame(draw);
  return true;
}

bool ImGuiHarness::type(const std::string& label, const std::string& text, const Draw& draw) {
  if (!click(label, draw)) return false;
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
  frame(draw);
  return true;
}

void ImGuiHarness::pressKey(ImGuiKey key, const Draw& draw) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[io.KeyMap[key]] = true;
  frame(draw);
  io.KeysDown[io.KeyMap[key]] = false;
  frame(draw);
}

void ImGuiHarness::itemAdd(ImGuiID id, const ImRect& rect) {
  if (gActive != this) return;
  if (id != 0) rects_[id] = rect;
}

void ImGuiHarness::itemInfo(ImGuiID id, const char* label, ImGuiItemStatusFlags) {
  if (gActive != this) return;
  const std::string text = visibleLabel(label);
  if (text.empty()) return;
  const auto it = rects_.find(id);
  Item item{text, it != rects_.end() ? it->second : ImRect()};
  item.disabled = (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled) != 0;
  building_[text] = item;
}

}  // namespace vroom::test
