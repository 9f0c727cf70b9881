// Tile derivation rules, kept apart from drawing so they are tested as plain data.
#include "tiles.hpp"

#include <cctype>

namespace vroom::ui {

namespace {

// The first character (a whole UTF-8 sequence) of `word`, upper-cased when it is ASCII.
std::string firstCharacter(const std::string& word) {
  const unsigned char c = static_cast<unsigned char>(word[0]);
  const std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  std::string letter = word.substr(0, length);
  if (length == 1) letter[0] = static_cast<char>(std::toupper(c));
  return letter;
}

}  // namespace

std::string initialsOf(const std::string& name) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < name.size()) {
    const std::size_t start = name.find_first_not_of(' ', i);
    if (start == std::string::npos) break;
    const std::size_t end = name.find(' ', start);
    words.push_back(name.substr(start, end == std::string::npos ? std::string::npos : end - start));
    i = end == std::string::npos ? name.size() : end;
  }
  if (words.empty()) return "?";
  std::string out = firstCharacter(words.front());
  if (words.size() > 1) out += firstCharacter(words.back());
  return out;
}

std::vector<TileInfo> tilesFor(const SessionSnapshot& s) {
  std::vector<TileInfo> tiles;
  const bool broadcast = s.mode == protocol::Mode::Broadcast;
  const bool viewer = broadcast && s.self.role == protocol::Role::Viewer;

  auto addMember = [&](const MemberSnapshot& m) {
    TileInfo camera;
    camera.id = m.id;
    camera.peerId = m.id;
    camera.name = m.name;
    camera.initials = initialsOf(m.name);
    camera.micOn = m.media.audio;
    camera.speaking = m.speaking;
    camera.host = m.role == protocol::Role::Host;
    camera.connection = m.connection;
    if (!s.audioOnly && m.media.video) camera.streamId = m.cameraStreamId;
    // A share that replaced the camera leaves no camera to show: the screen tile stands in.
    const bool replacedByScreen = !m.screenStreamId.empty() && m.cameraStreamId.empty();
    if (!replacedByScreen) tiles.push_back(camera);
    if (!m.screenStreamId.empty()) {
      TileInfo screen = camera;
      screen.id = m.id + ":screen";
      screen.name = m.name + " (screen)";
      screen.streamId = m.screenStreamId;
      screen.screen = true;
      tiles.push_back(screen);
    }
  };

  if (!viewer) {
    TileInfo self;
    self.id = "self";
    self.peerId = s.self.id;
    self.name = s.self.name.empty() ? "You" : s.self.name + " (you)";
    self.initials = initialsOf(s.self.name.empty() ? "You" : s.self.name);
    self.local = true;
    self.micOn = s.local.microphoneOn && s.local.hasMicrophone;
    self.speaking = s.local.speaking;
    self.host = s.self.role == protocol::Role::Host;
    if (!s.audioOnly && s.local.cameraOn && s.local.hasCamera) self.streamId = s.local.streamId;
    tiles.push_back(self);
    if (s.local.sharing && !s.local.screenStreamId.empty()) {
      TileInfo screen = self;
      screen.id = "self:screen";
      screen.name = "Your screen";
      screen.streamId = s.local.screenStreamId;
      screen.screen = true;
      tiles.push_back(screen);
    }
  }
  for (const MemberSnapshot& m : s.members) {
    // A broadcast host sends only: viewers get no tiles (the host sees a count instead).
    if (broadcast && !viewer && m.role == protocol::Role::Viewer) continue;
    if (viewer && m.role != protocol::Role::Host) continue;
    addMember(m);
  }
  return tiles;
}

LayoutMode layoutModeFor(const SessionSnapshot& s, bool speakerView) {
  if (s.mode == protocol::Mode::Broadcast) return LayoutMode::Stage;
  return speakerView ? LayoutMode::Speaker : LayoutMode::Grid;
}

}  // namespace vroom::ui
