// The one implementation of Dear ImGui's item hooks (IMGUI_ENABLE_TEST_ENGINE, on every
// build): each item ImGui adds, and its label and status, goes to the observers registered
// here: the semantics mirror in the product, the headless harness in native tests.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

namespace vroom::ui {

class ItemObserver {
 public:
  virtual ~ItemObserver() = default;
  // Every item with an id, with its bounding box (screen coordinates).
  virtual void itemAdd(ImGuiID id, const ImRect& rect) = 0;
  // Items that report a label (buttons, checkboxes, radio buttons, text fields, selectables,
  // tree nodes), with ImGuiItemStatusFlags (Checkable, Checked, Openable, Opened...).
  virtual void itemInfo(ImGuiID id, const char* label, ImGuiItemStatusFlags flags) = 0;
};

// Observers see the items of every ImGui context while registered (hooks are free
// functions); registering turns the context's hooks on (TestEngineHookItems).
void addItemObserver(ItemObserver* observer);
void removeItemObserver(ItemObserver* observer);

}  // namespace vroom::ui
