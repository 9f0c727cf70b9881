// Lobby form -> protocol intent: broadcast hosts create (an existing id is an error the
// person must see), conference members and viewers join.
#include "session_actions.hpp"

namespace vroom::ui {

CommandResult SessionActions::tryJoin(const LobbyForm& form) {
  const std::string room = protocol::trimBlanks(form.room);
  const std::string name = protocol::trimBlanks(form.name);
  const Credentials credentials{form.token, form.password};
  if (form.mode == LobbyMode::Broadcast && form.role == LobbyRole::Host)
    return session_.create(room, name, protocol::Mode::Broadcast, form.audioOnly, credentials);
  if (form.mode == LobbyMode::Broadcast)
    return session_.join(room, name, protocol::Role::Viewer, credentials);
  return session_.join(room, name, std::nullopt, credentials);
}

}  // namespace vroom::ui
