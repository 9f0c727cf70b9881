// The semantics tree of an ImGui frame: every interactive item with its role, accessible
// name, state and bounds, built from ImGui's item hooks plus the few annotations the UI code
// adds where the hooks cannot tell (a toggle, a text field's name and value, the chat log, the
// people list, tiles). The bridge mirrors it into an invisible DOM (bridge/web_semantics.js).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "item_hooks.hpp"

namespace vroom::ui::semantics {

// One table: each role's name on the wire (web_semantics.js maps it to a DOM element).
#define VROOM_SEMANTIC_ROLES(X) \
  X(None, "none")               \
  X(Button, "button")           \
  X(Toggle, "toggle")           \
  X(Checkbox, "checkbox")       \
  X(Radio, "radio")             \
  X(TextField, "textbox")       \
  X(Password, "password")       \
  X(ComboBox, "combobox")       \
  X(ListBox, "listbox")         \
  X(Option, "option")           \
  X(Log, "log")                 \
  X(List, "list")               \
  X(ListItem, "listitem")       \
  X(Text, "text")               \
  X(Status, "status")           \
  X(Region, "region")           \
  X(Tile, "tile")

enum class Role : std::uint8_t {
#define X(value, name) value,
  VROOM_SEMANTIC_ROLES(X)
#undef X
};
std::string_view roleName(Role role);

// State bits of a node.
inline constexpr std::uint32_t kDisabled = 1u << 0;
inline constexpr std::uint32_t kChecked = 1u << 1;    // checkbox, radio, selected option
inline constexpr std::uint32_t kPressed = 1u << 2;    // toggle on
inline constexpr std::uint32_t kExpanded = 1u << 3;   // combo box or tree node, open
inline constexpr std::uint32_t kCollapsed = 1u << 4;  // the same, closed
inline constexpr std::uint32_t kInvalid = 1u << 5;    // a refused value; `description` says why

struct Node {
  std::uint32_t id = 0;
  std::uint32_t parent = 0;  // a group node's id, 0 at the top
  Role role = Role::Button;
  std::string name;
  std::string value;        // a text field's text, a combo box's choice
  std::string description;  // a shortcut, or why a field is invalid
  std::uint32_t state = 0;
  float x = 0, y = 0, w = 0, h = 0;  // CSS pixels, like ImGui's coordinates
  std::uint32_t window = 0;          // the ImGui window the item is in (for focus)
  bool operator==(const Node&) const = default;
};

// Builds one frame's nodes. Register it (addItemObserver) and make it active while a frame is
// drawn; nodes() is the tree of the last finished frame, in drawing order (which is the
// keyboard order: windows top to bottom as drawn, items as submitted).
class Recorder : public ItemObserver {
 public:
  void beginFrame();
  void endFrame();

  void itemAdd(ImGuiID id, const ImRect& rect) override;
  void itemInfo(ImGuiID id, const char* label, ImGuiItemStatusFlags flags) override;

  // Sets what the hooks could not tell about item `id` (creating its node if the hooks gave
  // no label, e.g. a combo box). Empty strings keep what the node has; Role::None hides it.
  void annotate(std::uint32_t id, Role role, std::string_view name, std::uint32_t state,
                std::string_view value = {}, std::string_view description = {});
  // Groups: nodes added until endGroup() are its children.
  void beginGroup(std::uint32_t id, Role role, std::string_view name, const ImRect& rect);
  void endGroup();
  // A node that is not an ImGui item (a chat message, a tile).
  void addNode(Node node);

  const std::vector<Node>& nodes() const { return nodes_; }
  const Node* find(std::uint32_t id) const;

 private:
  Node& nodeFor(std::uint32_t id);
  std::vector<Node> building_;
  std::unordered_map<std::uint32_t, std::size_t> index_;  // id -> position in building_
  std::unordered_map<std::uint32_t, ImRect> rects_;
  std::unordered_map<std::uint32_t, std::uint32_t> windows_;
  std::vector<std::uint32_t> groups_;
  std::vector<Node> nodes_;
  std::unordered_map<std::uint32_t, std::size_t> nodeIndex_;
};

// The recorder the UI code's annotations go to (none: annotations do nothing).
void setActive(Recorder* recorder);
Recorder* active();

// Annotations for UI code, about the item just drawn (ImGui's last item).
void annotateLast(Role role, std::string_view name = {}, std::uint32_t state = 0,
                  std::string_view value = {}, std::string_view description = {});
// About an item by its ImGui id (ImGui::GetID(label) before a BeginCombo).
void annotateId(std::uint32_t id, Role role, std::string_view name, std::uint32_t state,
                std::string_view value = {});
// A group spanning the current window (a child window such as the chat log).
void beginWindowGroup(std::string_view key, Role role, std::string_view name);
void endGroup();
// A plain node with the given key (hashed in ImGui's id stack) and screen rect.
void node(std::string_view key, Role role, std::string_view name, const ImRect& rect,
          std::uint32_t state = 0);

// The text item just drawn (ImGui::Text and friends have no id), as a node keyed by `key`:
// words people read that are not controls (the top bar, a toast, a counter).
void textLast(std::string_view key, std::string_view text, Role role = Role::Text);
// A group with the given key over `rect`; nodes until endGroup() are its children.
void beginGroupAt(std::string_view key, Role role, std::string_view name, const ImRect& rect);

// A group around the last item (a person's row holding its moderation buttons).
void beginLastGroup(Role role, std::string_view name);

// Acting on the current ImGui context between frames, as assistive technology asks through the
// mirror. Focus moves ImGui's keyboard focus (and its visible ring) to the node's item;
// activation presses it on the next frame through ImGui's own activation path (the one the
// keyboard's Enter takes), so a press from the mirror runs the same code as a click.
void focusItem(const Node& node);
// The page's focus went to a node that is no ImGui item (a tile): ImGui's ring goes away.
void clearFocus();
// `keepText`: a text field goes on with its text and caret (typing after Escape); without it
// the field selects its text, as a browser's input does when Tab reaches it.
void activateItem(const Node& node, bool keepText = false);
// The node ImGui's keyboard focus is on: the text field being edited, else the item the
// keyboard focus is on; 0 when none.
std::uint32_t focusedItem(const Recorder& recorder);

// The change between two frames' trees, as JSON for the page:
// {"set":[node...],"remove":[id...],"order":[id...]} with "order" only when the order of ids
// changed; "" when nothing changed. Node: {"id","parent","role","name","value","desc",
// "state","x","y","w","h"} (bounds rounded to whole pixels).
std::string diff(const std::vector<Node>& before, const std::vector<Node>& after);

}  // namespace vroom::ui::semantics
