// Recording a frame's semantics from ImGui's hooks and the UI's annotations, and the diff the
// page applies to its mirror.
#include "semantics.hpp"

#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace vroom::ui::semantics {
namespace {

Recorder* gActive = nullptr;

struct RoleName {
  Role role;
  std::string_view name;
};
constexpr RoleName kRoles[] = {
#define X(value, name) {Role::value, name},
    VROOM_SEMANTIC_ROLES(X)
#undef X
};

// "Join" -> "Join"; "Join##x" -> "Join"; "##room" -> "" (the UI annotates those).
std::string visibleLabel(const char* label) {
  std::string text = label ? label : "";
  const auto hashes = text.find("##");
  return hashes == std::string::npos ? text : text.substr(0, hashes);
}

void place(Node& node, const ImRect& rect) {
  node.x = std::round(rect.Min.x);
  node.y = std::round(rect.Min.y);
  node.w = std::round(rect.Max.x) - node.x;
  node.h = std::round(rect.Max.y) - node.y;
}

// The diff is written straight into a string rather than built as a JSON tree: it runs after
// every frame the overlay draws.
void appendString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void appendNumber(std::string& out, double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  out += text;
}

void appendNode(std::string& out, const Node& n) {
  out += "{\"id\":";
  appendNumber(out, n.id);
  out += ",\"parent\":";
  appendNumber(out, n.parent);
  out += ",\"role\":";
  appendString(out, roleName(n.role));
  out += ",\"name\":";
  appendString(out, n.name);
  out += ",\"value\":";
  appendString(out, n.value);
  out += ",\"desc\":";
  appendString(out, n.description);
  out += ",\"state\":";
  appendNumber(out, n.state);
  for (const auto& [key, value] : {std::pair{",\"x\":", n.x}, std::pair{",\"y\":", n.y},
                                   std::pair{",\"w\":", n.w}, std::pair{",\"h\":", n.h}}) {
    out += key;
    appendNumber(out, value);
  }
  out += '}';
}

}  // namespace

std::string_view roleName(Role role) {
  for (const RoleName& r : kRoles)
    if (r.role == role) return r.name;
  return "none";
}

void Recorder::beginFrame() {
  building_.clear();
  index_.clear();
  rects_.clear();
  windows_.clear();
  groups_.clear();
}

void Recorder::endFrame() {
  // Nodes annotated before their item was added (a combo box) get their rect now; hidden
  // nodes and nodes whose item never appeared are dropped.
  nodes_.clear();
  nodeIndex_.clear();
  std::unordered_set<std::uint32_t> kept;
  for (Node& n : building_) {
    if (n.role == Role::None) continue;
    if (n.w <= 0 && n.h <= 0) {
      const auto rect = rects_.find(n.id);
      if (rect == rects_.end()) continue;
      place(n, rect->second);
    }
    if (n.window == 0) {
      const auto window = windows_.find(n.id);
      if (window != windows_.end()) n.window = window->second;
    }
    if (n.parent != 0 && !kept.count(n.parent)) n.parent = 0;
    kept.insert(n.id);
    nodeIndex_[n.id] = nodes_.size();
    nodes_.push_back(std::move(n));
  }
  building_.clear();
  index_.clear();
}

const Node* Recorder::find(std::uint32_t id) const {
  const auto it = nodeIndex_.find(id);
  return it == nodeIndex_.end() ? nullptr : &nodes_[it->second];
}

Node& Recorder::nodeFor(std::uint32_t id) {
  const auto it = index_.find(id);
  if (it != index_.end()) return building_[it->second];
  index_[id] = building_.size();
  Node& n = building_.emplace_back();
  n.id = id;
  n.parent = groups_.empty() ? 0 : groups_.back();
  const auto rect = rects_.find(id);
  if (rect != rects_.end()) place(n, rect->second);
  const auto window = windows_.find(id);
  if (window != windows_.end()) n.window = window->second;
  return n;
}

void Recorder::itemAdd(ImGuiID id, const ImRect& rect) {
  if (id == 0) return;
  rects_[id] = rect;
  if (GImGui && GImGui->CurrentWindow) windows_[id] = GImGui->CurrentWindow->ID;
}

void Recorder::itemInfo(ImGuiID id, const char* label, ImGuiItemStatusFlags flags) {
  if (id == 0) return;
  Node& n = nodeFor(id);
  if (n.name.empty()) n.name = visibleLabel(label);
  if (flags & ImGuiItemStatusFlags_Checkable) {
    n.role = Role::Checkbox;
    if (flags & ImGuiItemStatusFlags_Checked) n.state |= kChecked;
  } else if (flags & ImGuiItemStatusFlags_Openable) {
    n.state |= (flags & ImGuiItemStatusFlags_Opened) ? kExpanded : kCollapsed;
  }
  if (GImGui && (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled)) n.state |= kDisabled;
}

void Recorder::annotate(std::uint32_t id, Role role, std::string_view name, std::uint32_t state,
                        std::string_view value, std::string_view description) {
  if (id == 0) return;
  Node& n = nodeFor(id);
  n.role = role;
  if (!name.empty()) n.name = name;
  n.state = (n.state & kDisabled) | state;
  if (GImGui && (GImGui->CurrentItemFlags & ImGuiItemFlags_Disabled)) n.state |= kDisabled;
  n.value = value;
  n.description = description;
}

void Recorder::beginGroup(std::uint32_t id, Role role, std::string_view name, const ImRect& rect) {
  Node& n = nodeFor(id);
  n.role = role;
  n.name = name;
  place(n, rect);
  groups_.push_back(id);
}

void Recorder::endGroup() {
  if (!groups_.empty()) groups_.pop_back();
}

void Recorder::addNode(Node node) {
  Node& n = nodeFor(node.id);
  const std::uint32_t parent = n.parent;
  n = std::move(node);
  n.parent = parent;
}

void setActive(Recorder* recorder) {
  gActive = recorder;
}

Recorder* active() {
  return gActive;
}

void annotateLast(Role role, std::string_view name, std::uint32_t state, std::string_view value,
                  std::string_view description) {
  if (gActive) gActive->annotate(ImGui::GetItemID(), role, name, state, value, description);
}

void annotateId(std::uint32_t id, Role role, std::string_view name, std::uint32_t state,
                std::string_view value) {
  if (gActive) gActive->annotate(id, role, name, state, value);
}

void beginWindowGroup(std::string_view key, Role role, std::string_view name) {
  if (!gActive) return;
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  gActive->beginGroup(ImGui::GetID(key.data(), key.data() + key.size()), role, name,
                      window->Rect());
}

void endGroup() {
  if (gActive) gActive->endGroup();
}

void node(std::string_view key, Role role, std::string_view name, const ImRect& rect,
          std::uint32_t state) {
  if (!gActive) return;
  Node n;
  n.id = ImGui::GetID(key.data(), key.data() + key.size());
  n.role = role;
  n.name = name;
  n.state = state;
  place(n, rect);
  if (GImGui->CurrentWindow) n.window = GImGui->CurrentWindow->ID;
  gActive->addNode(std::move(n));
}

void textLast(std::string_view key, std::string_view text, Role role) {
  if (gActive) node(key, role, text, ImRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()));
}

void beginGroupAt(std::string_view key, Role role, std::string_view name, const ImRect& rect) {
  if (gActive)
    gActive->beginGroup(ImGui::GetID(key.data(), key.data() + key.size()), role, name, rect);
}

void beginLastGroup(Role role, std::string_view name) {
  if (gActive) gActive->beginGroup(ImGui::GetItemID(), role, name, GImGui->LastItemData.Rect);
}

void focusItem(const Node& node) {
  ImGuiContext& g = *GImGui;
  ImGuiWindow* window = ImGui::FindWindowByID(node.window);
  if (!window) return;
  ImGui::FocusWindow(window);
  g.NavWindow = window;
  g.NavId = node.id;
  g.NavLayer = ImGuiNavLayer_Main;
  g.NavFocusScopeId = window->RootWindow ? window->RootWindow->ID : window->ID;
  window->NavLastIds[ImGuiNavLayer_Main] = node.id;
  const ImRect rect(node.x, node.y, node.x + node.w, node.y + node.h);
  window->NavRectRel[ImGuiNavLayer_Main] = ImGui::WindowRectAbsToRel(window, rect);
  g.NavDisableHighlight = false;  // the ring shows, as after a keyboard move
  g.NavDisableMouseHover = true;
  g.NavMousePosDirty = false;
  g.NavIdIsAlive = true;
  ImGui::ScrollToRectEx(window, rect, ImGuiScrollFlags_KeepVisibleEdgeY);
}

void clearFocus() {
  ImGuiContext& g = *GImGui;
  if (g.ActiveId != 0) ImGui::ClearActiveID();
  g.NavId = 0;
  g.NavDisableHighlight = true;
}

void activateItem(const Node& node, bool keepText) {
  if (node.state & kDisabled) return;
  ImGuiContext& g = *GImGui;
  focusItem(node);
  g.NavNextActivateId = node.id;
  const bool text = node.role == Role::TextField || node.role == Role::Password;
  g.NavNextActivateFlags = text ? ImGuiActivateFlags_PreferInput : ImGuiActivateFlags_None;
  if (text && keepText) g.NavNextActivateFlags |= ImGuiActivateFlags_TryToPreserveState;
  // The field being edited stops now, not next frame: text typed before that frame belongs to
  // the field the page's focus moved to.
  if (text && g.ActiveId != 0 && g.ActiveId != node.id) ImGui::ClearActiveID();
}

std::uint32_t focusedItem(const Recorder& recorder) {
  const ImGuiContext& g = *GImGui;
  if (g.ActiveId != 0) {
    const Node* active = recorder.find(g.ActiveId);
    if (active && (active->role == Role::TextField || active->role == Role::Password))
      return active->id;
  }
  if (g.NavId != 0 && g.NavWindow && recorder.find(g.NavId)) return g.NavId;
  return 0;
}

std::string diff(const std::vector<Node>& before, const std::vector<Node>& after) {
  std::unordered_map<std::uint32_t, const Node*> old;
  old.reserve(before.size());
  for (const Node& n : before) old[n.id] = &n;
  std::string set;
  std::unordered_set<std::uint32_t> present;
  for (const Node& n : after) {
    present.insert(n.id);
    const auto it = old.find(n.id);
    if (it != old.end() && *it->second == n) continue;
    if (!set.empty()) set += ',';
    appendNode(set, n);
  }
  std::string remove;
  for (const Node& n : before) {
    if (present.count(n.id)) continue;
    if (!remove.empty()) remove += ',';
    appendNumber(remove, n.id);
  }
  bool sameOrder = before.size() == after.size();
  for (std::size_t i = 0; sameOrder && i < after.size(); ++i)
    sameOrder = before[i].id == after[i].id;
  if (set.empty() && remove.empty() && sameOrder) return {};
  std::string out = "{\"set\":[" + set + "],\"remove\":[" + remove + "]";
  if (!sameOrder) {
    out += ",\"order\":[";
    for (std::size_t i = 0; i < after.size(); ++i) {
      if (i > 0) out += ',';
      appendNumber(out, after[i].id);
    }
    out += ']';
  }
  return out + '}';
}

}  // namespace vroom::ui::semantics
