// Snapshot members for UI tests: a connected person with a name and a role, which each test
// then gives the media, streams or flags it is about.
#pragma once

#include <string>

#include "session_snapshot.hpp"

namespace vroom::test {

inline MemberSnapshot member(const std::string& id, const std::string& name,
                             protocol::Role role = protocol::Role::Member) {
  MemberSnapshot m;
  m.id = id;
  m.name = name;
  m.role = role;
  m.connection = LinkState::Connected;
  return m;
}

}  // namespace vroom::test
