// ImGui's test-engine hook functions, defined once for the product and the native tests,
// forwarding to the registered ItemObservers.
#include "item_hooks.hpp"

#include <algorithm>
#include <vector>

namespace vroom::ui {
namespace {

std::vector<ItemObserver*>& observers() {
  static std::vector<ItemObserver*> list;
  return list;
}

}  // namespace

void addItemObserver(ItemObserver* observer) {
  auto& list = observers();
  if (std::find(list.begin(), list.end(), observer) == list.end()) list.push_back(observer);
  if (GImGui) GImGui->TestEngineHookItems = true;
}

void removeItemObserver(ItemObserver* observer) {
  auto& list = observers();
  list.erase(std::remove(list.begin(), list.end(), observer), list.end());
}

}  // namespace vroom::ui

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect& bb, ImGuiID id) {
  for (vroom::ui::ItemObserver* o : vroom::ui::observers()) o->itemAdd(id, bb);
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label,
                                  ImGuiItemStatusFlags flags) {
  for (vroom::ui::ItemObserver* o : vroom::ui::observers()) o->itemInfo(id, label, flags);
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) {
  return nullptr;
}
