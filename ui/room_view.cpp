// The view rules: a panel button opens its panel or closes it, '?' toggles the help, Esc steps
// back one level.
#include "room_view.hpp"

namespace vroom::ui {
namespace {

Panel panelOf(ViewRequest request) {
  switch (request) {
    case ViewRequest::ToggleChat:
      return Panel::Chat;
    case ViewRequest::TogglePeople:
      return Panel::People;
    case ViewRequest::ToggleStats:
      return Panel::Stats;
    default:
      return Panel::None;
  }
}

}  // namespace

bool RoomView::apply(ViewRequest request) {
  switch (request) {
    case ViewRequest::None:
      return false;
    case ViewRequest::ToggleSpeakerView:
      speakerView = !speakerView;
      return false;
    case ViewRequest::ToggleHelp:
      helpOpen = !helpOpen;
      return false;
    case ViewRequest::Back:
      if (helpOpen)
        helpOpen = false;
      else if (!pinned.empty())
        pinned.clear();
      else
        panel = Panel::None;
      return false;
    case ViewRequest::ToggleChat:
    case ViewRequest::TogglePeople:
    case ViewRequest::ToggleStats: {
      const Panel wanted = panelOf(request);
      panel = panel == wanted ? Panel::None : wanted;
      return panel == Panel::Chat;
    }
  }
  return false;
}

void RoomView::clickTile(const std::string& id) {
  if (pinned == id) {
    pinned.clear();
  } else {
    pinned = id;
    speakerView = true;
  }
}

}  // namespace vroom::ui
