// The lobby: the form a person fills in before entering a room (room id, name, mode, role,
// audio-only, a password when the room has one or the person sets one) and its validation.
// Drawn with ImGui; validation is plain code so it is tested.
#pragma once

#include <string>
#include <vector>

#include "media_devices.hpp"

namespace vroom::ui {

enum class LobbyMode { Conference = 0, Broadcast = 1 };
enum class LobbyRole { Host = 0, Viewer = 1 };

struct LobbyForm {
  std::string room;
  std::string name;
  LobbyMode mode = LobbyMode::Conference;
  LobbyRole role = LobbyRole::Host;
  bool audioOnly = false;
  std::string token;         // a join token (createRoom's `token`, the page's ?token=); never shown
  std::string password;      // the room's password, or the one a first person sets
  bool setPassword = false;  // the person opened "Set a password"
  std::string audioInputId;  // chosen microphone / camera; empty: the browser's default
  std::string videoInputId;
  std::string audioOutputId;  // chosen speaker; empty: the system default
};

// What the lobby shows besides the form: whether a join is under way and the last error.
struct LobbyView {
  bool busy = false;                // joining: the button is disabled and says so
  bool waiting = false;             // a viewer waiting for the broadcast: "Stop waiting"
  bool passwordAsked = false;       // the server wants this room's password: the field shows
  bool focusPassword = false;       // put the keyboard in the password field (once, when asked)
  std::string errorMessage;         // shown in red above the button, empty when none
  std::string statusMessage;        // a neutral line such as "Connecting..."
  std::vector<DeviceInfo> devices;  // microphones and cameras to choose from (may be empty)
  float top = -1.0f;                // window top in px; negative: centred vertically
  float* measuredHeight = nullptr;  // if set, receives the window's height (for placement)
};

enum class LobbyAction { None, Join, DeviceChanged, StopWaiting };

// Whether the form sends a camera and microphone (a broadcast's viewer only watches and
// listens): the lobby's pickers, its preview and the page's camera prompt follow it.
bool sendsMedia(const LobbyForm& form);

// Empty when the form can be submitted, otherwise a sentence telling the person what to fix.
std::string validateLobby(const LobbyForm& form);

// Draws the lobby window (centred horizontally) and returns Join when the person submits a
// valid form (button or Enter), DeviceChanged when a microphone, camera or speaker was
// picked (the form holds the new ids), StopWaiting when a waiting viewer gives up. Requires
// a current ImGui frame.
LobbyAction drawLobby(LobbyForm& form, const LobbyView& view);

// The height of the device pickers the lobby does not show yet but will once the browser names
// the devices (Firefox lists them blank, or not at all, until the camera is allowed). Whatever
// is placed above the lobby leaves room for them, so the lobby does not move when they appear.
// Requires an ImGui context (its frame height).
float lobbyPendingPickersHeight(const LobbyForm& form, const std::vector<DeviceInfo>& devices);

}  // namespace vroom::ui
