// The state of one link to a remote peer as the UI and the JS API show it: what the link
// (PeerNegotiator) reports, kept apart so the snapshot needs no negotiator.
#pragma once

#include <string_view>

#include "enum_names.hpp"

namespace vroom {

enum class LinkState { Connecting, Connected, Reconnecting, Failed, Closed };

inline constexpr EnumName<LinkState> kLinkStateNames[] = {{LinkState::Connecting, "connecting"},
                                                          {LinkState::Connected, "connected"},
                                                          {LinkState::Reconnecting, "reconnecting"},
                                                          {LinkState::Failed, "failed"},
                                                          {LinkState::Closed, "closed"}};

constexpr std::string_view toString(LinkState state) {
  return nameOf(kLinkStateNames, state, "closed");
}

}  // namespace vroom
