// Lobby form -> protocol intent: broadcast hosts create (an existing id is an error the
// person must see), conference members and viewers join.
#include "session_actions.hpp"

namespace vroom::ui {

std::string trimmedField(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

CommandResult SessionActions::tryJoin(const LobbyForm& form) {
  const std::string room = trimmedField(form.room);
  const std::string name = trimmedField(form.name);
  const Credentials credentials{form.token, form.password};
  if (form.mode == LobbyMode::Broadcast && form.role == LobbyRole::Host)
    return session_.create(room, name, protocol::Mode::Broadcast, form.audioOnly, credentials);
  if (form.mode == LobbyMode::Broadcast)
    return session_.join(room, name, protocol::Role::Viewer, credentials);
  return session_.join(room, name, std::nullopt, credentials);
}

}  // namespace vroom::ui
