// The browser composition root: wires the Web* seams into a RoomSession, lays out the tiles
// and draws the ImGui overlay on demand, receives DOM input, statistics and JS results from
// www/vroom-api.js and web_runtime.js, and hands the page the session's state as deltas.
#pragma once

#include <emscripten/val.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "announcer.hpp"
#include "draw_regions.hpp"
#include "imgui_web_platform.hpp"
#include "js_runtime.hpp"
#include "overlay.hpp"
#include "room_session.hpp"
#include "semantics.hpp"
#include "soft_renderer.hpp"
#include "session_actions.hpp"
#include "text_debug.hpp"
#include "text_renderer.hpp"
#include "web_clock.hpp"
#include "web_glyph_rasterizer.hpp"
#include "web_media_devices.hpp"
#include "web_signaling_channel.hpp"
#include "web_video_surface.hpp"

struct ImGuiContext;

namespace vroom::bridge {

class WebApp {
 public:
  // `runtime` is the page's BrowserRuntime (bridge/web_runtime.js); `options` the plain
  // object given to createRoom (signalingUrl, room, name, mode, role, audioOnly, token,
  // password, autoJoin, microphone, camera, ui).
  WebApp(emscripten::val runtime, emscripten::val options);
  ~WebApp();
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  // Draws one overlay frame and has the page show the regions it drew on; returns how many
  // more frames are wanted right away (input still queued or ImGui settling). 0 means the
  // overlay is idle until the next event.
  int frame(double nowMs);
  int framesDrawn() const { return framesDrawn_; }
  // A frame the session's changes ask for may wait for idle time: the call is being set up
  // (ui::settingUpCall). The page draws for input at once regardless.
  bool framesMayWait();

  void resize(double cssWidth, double cssHeight, double pixelRatio);
  void pointerMove(double x, double y) { platform_.pointerMove(float(x), float(y)); }
  void pointerButton(int button, bool down) { platform_.pointerButton(button, down); }
  void wheel(double dx, double dy) { platform_.wheel(float(dx), float(dy)); }
  void key(const std::string& key, bool down, bool ctrl, bool shift, bool alt, bool meta) {
    platform_.key(key, down, ctrl, shift, alt, meta);
  }
  void text(const std::string& utf8) { platform_.text(utf8); }
  void focus(bool focused) { platform_.focus(focused); }
  bool wantsKeyboard() const;

  // Results and events from BrowserRuntime.
  void resolve(double requestId, bool ok, emscripten::val value) {
    runtime_.resolve(requestId, ok, value);
  }
  void deliver(const std::string& objectId, const std::string& event, emscripten::val data) {
    runtime_.deliver(objectId, event, data);
  }
  // One statistics sample of every live peer connection, taken by web_runtime.js:
  // JSON [{"pc": id, "audioLevel": 0..1, "bytesReceived": ..., ...}, ...]. Feeds speaking,
  // the quality badges and the stats panel.
  void stats(const std::string& samplesJson);

  // The JS API's state: JSON of what changed since the last call (wasm/snapshot_delta.hpp),
  // "" when nothing did. The page takes it after each command and once after a burst of
  // session changes (a microtask), so one mute is one delta, not one rebuild per step.
  std::string takeState();
  // {peerId: {pc: peerConnectionId, mids: [...]}} of the members with a connection, for the
  // JS API's getStats: `mids` names the member's streams on the video server's subscriber
  // connection, which carries every member's (empty on the mesh: the connection is theirs).
  emscripten::val peerConnections();

  // Commands of the JS API, through the same SessionActions as the overlay's buttons. Each
  // returns "" when accepted, else an error code ("invalid_room_id", "not_connected", ...);
  // outcomes arrive through published state.
  std::string join(emscripten::val overrides);
  std::string leave();
  std::string setMicrophone(bool on);
  std::string setCamera(bool on);
  std::string startScreenShare();
  std::string stopScreenShare();
  std::string sendChat(const std::string& text);
  std::string selectDevice(const std::string& kind, const std::string& deviceId);
  // Moderators: outcomes arrive as the state's `moderation` (or an error).
  std::string removePeer(const std::string& peerId, bool ban);
  std::string requestMute(const std::string& peerId);
  std::string lockRoom(bool locked);
  std::string endRoom();
  std::string clearNotice();

  // The semantics mirror (ui/semantics.hpp, bridge/web_semantics.js): what changed in the
  // overlay's tree since the last call as JSON ("" when nothing did), the node ImGui's keyboard
  // focus is on (0: none), and what assistive technology did to a node ("focus", "activate").
  std::string takeSemantics();
  unsigned semanticsFocus() const;
  void semanticsAction(unsigned id, const std::string& action);
  // The text selected in the field being edited (for the page's copy and cut events).
  std::string selectedText() const;
  // Sentences for the page's live region since the last call (ui/announcer.hpp), JSON array.
  std::string takeAnnouncements();
  // The page's `prefers-contrast: more` (ui/theme.hpp): opaque panels, brighter text, outlines.
  void setMoreContrast(bool more);

  // For tests and debugging, not part of the JS API (text_debug.hpp).
  emscripten::val textDebug() const { return textDebugToJs(text_); }
  int glyphInk(int codePoint) const { return glyphInkOf(text_, codePoint); }

 private:
  const std::shared_ptr<const SessionSnapshot>& snapshot();
  std::string connectionOf(const std::string& peerId) const;  // "" without a connection
  // Adds a member's figures to the stats history and its speaking level; true: its quality
  // badge changed.
  bool addStats(const std::string& member, double now, const PeerStats& stats);
  // The video server's subscriber connection: its received streams (by mid), per member.
  std::map<std::string, PeerStats> statsByMember(const nlohmann::json& sample) const;
  void onSessionChange();
  // Places the tiles for `now` and asks for the video layers that fit them.
  void arrangeTiles(const SessionSnapshot& now);
  // Each member is heard from the one stream `now` names: while a room moves to the video
  // server a member arrives twice (mesh and server), and is heard once.
  void syncAudible(const SessionSnapshot& now);
  void wantFrames(int frames);
  void present();
  void handOver();
  void loadFonts(const SessionSnapshot& snapshot);
  void startLobbyMedia();
  static std::string errorCode(const CommandResult& result);

  JsRuntime runtime_;
  WebSignalingChannel signaling_;
  WebMediaDevices media_;
  WebClock clock_;
  WebRandom random_;
  WebVideoSurface surface_;
  std::unique_ptr<RoomSession> session_;
  std::unique_ptr<ui::SessionActions> actions_;
  ui::Overlay overlay_;
  bool showUi_ = true;
  ui::semantics::Recorder semantics_;
  std::vector<ui::semantics::Node> mirrored_;  // the tree the page's mirror has
  std::uint32_t startingEdit_ = 0;             // a text field asked to edit, until ImGui edits it
  int startingFrames_ = 0;
  ui::Announcer announcer_;
  std::vector<std::string> announcements_;
  std::vector<std::string> audible_;  // the remote audio streams last named to the runtime

  ImGuiContext* imgui_ = nullptr;
  ui::SoftRenderer renderer_;
  WebGlyphRasterizer glyphRasterizer_{runtime_};
  ui::TextRenderer text_{glyphRasterizer_, renderer_};
  ImGuiWebPlatform platform_;
  int framesDrawn_ = 0;
  double joinedAtMs_ = -1;  // when the session last entered a room; negative: not in one
  int framesPresented_ = 0;  // overlay hand-overs to the page
  int settleFrames_ = 0;
  bool statePending_ = false;
  // One snapshot per session revision, shared by the frame, the page's state and the layout.
  std::shared_ptr<const SessionSnapshot> current_;
  std::shared_ptr<const SessionSnapshot> drawn_;      // what the last ImGui frame showed
  std::shared_ptr<const SessionSnapshot> published_;  // what the page's state says
  std::vector<ui::DrawnRegion> presented_;            // regions the page shows, in order
  std::vector<float> pendingRects_;  // the regions handed to presentOverlay
  ui::PixelBuffer patchPixels_;      // the new pixels of those that changed
  float pendingRatio_ = 1;
};

}  // namespace vroom::bridge
