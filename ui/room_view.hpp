// What the person chose to look at in a room (the open side panel, grid or speaker view, the
// pinned tile) and the one place the toolbar's, the shortcuts' and tile clicks' requests change it.
#pragma once

#include <string>

namespace vroom::ui {

enum class Panel { None, Chat, People, Stats };

// A change of view the toolbar or a shortcut asks for; the session is not involved.
enum class ViewRequest {
  None,
  ToggleChat,
  TogglePeople,
  ToggleStats,
  ToggleSpeakerView,
  ToggleHelp,  // '?': the keyboard help
  Back,        // Esc: close the help, else unpin the pinned tile, else close the panel
};

struct RoomView {
  Panel panel = Panel::None;
  bool speakerView = false;
  std::string pinned;     // tile id; empty: nothing pinned
  bool helpOpen = false;  // the keyboard help ('?')

  // Applies `request`; true when it opened the chat (whose input then takes keyboard focus).
  bool apply(ViewRequest request);
  // A click on tile `id` pins it and shows speaker view; a click on the pinned tile unpins it.
  void clickTile(const std::string& id);
};

}  // namespace vroom::ui
