// WebApp: the frame loop on demand (the JS host runs requestAnimationFrame only while a frame
// is wanted), the session's wiring to the browser seams, and the JS API's commands.
#include "web_app.hpp"

#include <cmath>

#include <imgui.h>

#include "snapshot_js.hpp"
#include "theme.hpp"
#include "web_peer_connection.hpp"

namespace vroom::bridge {
namespace {

using emscripten::val;

constexpr float kFontSize = 16.0f;
constexpr const char* kFontPath = "/fonts/ui.ttf";  // embedded at link time (bridge/CMakeLists)
// ImGui needs a couple of frames after input to settle hover and focus states.
constexpr int kSettleFrames = 2;
// How often peer statistics (audio levels, bitrates, quality) are sampled.
constexpr std::int64_t kStatsPollMs = 500;

std::string stringOption(const val& options, const char* key, std::string fallback = {}) {
  const val v = options[key];
  return v.isString() ? v.as<std::string>() : fallback;
}

double numberOption(const val& options, const char* key, double fallback = 0) {
  const val v = options[key];
  return v.isNumber() ? v.as<double>() : fallback;
}

bool boolOption(const val& options, const char* key, bool fallback) {
  const val v = options[key];
  return v.isTrue() ? true : v.isFalse() ? false : fallback;
}

// createRoom options (or join() overrides) onto a lobby form.
void applyOptions(const val& options, ui::LobbyForm& form) {
  if (options.isUndefined() || options.isNull()) return;
  form.room = stringOption(options, "room", form.room);
  form.name = stringOption(options, "name", form.name);
  const std::string mode = stringOption(options, "mode");
  if (mode == "broadcast") form.mode = ui::LobbyMode::Broadcast;
  if (mode == "conference") form.mode = ui::LobbyMode::Conference;
  const std::string role = stringOption(options, "role");
  if (role == "viewer") form.role = ui::LobbyRole::Viewer;
  if (role == "host") form.role = ui::LobbyRole::Host;
  form.audioOnly = boolOption(options, "audioOnly", form.audioOnly);
  form.token = stringOption(options, "token", form.token);
  form.password = stringOption(options, "password", form.password);
  if (!form.password.empty()) form.setPassword = true;
}

}  // namespace

WebApp::WebApp(val runtime, val options)
    : runtime_(std::move(runtime)), signaling_(runtime_), media_(runtime_), surface_(runtime_) {
  showUi_ = boolOption(options, "ui", true);
  applyOptions(options, overlay_.lobbyForm());

  SessionConfig config;
  config.serverUrl = stringOption(options, "signalingUrl");
  // The page's own ICE servers and transport policy live in the runtime (web_runtime.js).
  PeerConnectionFactory factory = webPeerConnectionFactory(runtime_);
  session_ = std::make_unique<RoomSession>(
      SessionSeams{signaling_, media_, clock_, random_, std::move(factory)}, config);
  actions_ = std::make_unique<ui::SessionActions>(*session_);
  session_->onChange([this] {
    publishState();
    // Settle frames, not one: ImGui hides a new auto-sized window (a notice, a panel) on
    // its first frame, so a change that arrives without input would otherwise stay unseen
    // until the next mouse move.
    settleFrames_ = kSettleFrames;
    runtime_.js().call<void>("requestFrame");
  });
  runtime_.listen("video", [this](const std::string& event, const val& data) {
    if (event != "resize") return;
    overlay_.setVideoSize(data["streamId"].as<std::string>(), data["width"].as<float>(),
                          data["height"].as<float>());
  });

  if (showUi_) {
    IMGUI_CHECKVERSION();
    imgui_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(imgui_);
    platform_.init();
    ui::theme::apply();
    if (!renderer_.init()) {
      startupError_ =
          "Your browser could not start WebGL2, which vroom needs to draw its interface. "
          "Turn on hardware acceleration or try a current Chrome, Edge, Firefox or Safari.";
      return;
    }
  }

  const bool microphone = boolOption(options, "microphone", true);
  const bool camera = boolOption(options, "camera", true);
  startLobbyMedia();
  if (!microphone) session_->setMicEnabled(false);
  if (!camera) session_->setCameraEnabled(false);
  overlay_.chat().utcOffsetMinutes = static_cast<int>(numberOption(options, "utcOffsetMinutes"));
  statsTimer_ = clock_.setTimeout(kStatsPollMs, [this] { pollStats(); });
  publishState();
  if (boolOption(options, "autoJoin", false)) join(val::undefined());
}

WebApp::~WebApp() {
  clock_.clearTimeout(statsTimer_);
  session_->onChange(nullptr);
  session_->leave();
  session_.reset();
  runtime_.unlisten("video");
  if (imgui_) {
    ImGui::SetCurrentContext(imgui_);
    renderer_.shutdown();
    ImGui::DestroyContext(imgui_);
  }
}

void WebApp::startLobbyMedia() {
  const ui::LobbyForm& form = overlay_.lobbyForm();
  const bool viewer = form.mode == ui::LobbyMode::Broadcast && form.role == ui::LobbyRole::Viewer;
  if (viewer) return;  // viewers only watch: no camera or microphone prompt
  session_->startPreview(true, !form.audioOnly);
  session_->refreshDevices();
}

void WebApp::pollStats() {
  // One getStats per peer feeds the speaking indicator, the stats history and the quality
  // badges. The overlay redraws only when the stats panel is open or a badge changed.
  const SessionSnapshot s = session_->snapshot();
  for (const MemberSnapshot& m : s.members) {
    const std::string id = m.id;
    const bool hasAudio = !m.audioStreamId.empty();
    session_->requestStats(id, [this, id, hasAudio](Result<PeerStats, PeerError> stats) {
      if (!stats.ok()) return;
      if (hasAudio) session_->setAudioLevel(id, stats.value().audioLevel);
      ui::StatsHistory& history = overlay_.stats();
      const ui::Quality before = history.quality(id);
      history.add(id, static_cast<double>(clock_.nowMs()), stats.value());
      if (overlay_.panel() == ui::Panel::Stats || history.quality(id) != before)
        runtime_.js().call<void>("requestFrame");
    });
  }
  statsTimer_ = clock_.setTimeout(kStatsPollMs, [this] { pollStats(); });
}

void WebApp::resize(double cssWidth, double cssHeight, double pixelRatio) {
  platform_.resize(float(cssWidth), float(cssHeight), float(pixelRatio));
  settleFrames_ = kSettleFrames;
}

void WebApp::loadFonts() {
  // Rasterise the font at the device pixel ratio and scale it back, so text stays crisp on
  // high-density screens.
  const float ratio = platform_.pixelRatio();
  if (ratio == fontPixelRatio_) return;
  fontPixelRatio_ = ratio;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.OversampleH = 2;
  config.PixelSnapH = false;
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E,
                                    0x2190, 0x21FF, 0x25A0, 0x25FF, 0};
  if (!io.Fonts->AddFontFromFileTTF(kFontPath, kFontSize * ratio, &config, kRanges)) {
    ImFontConfig fallback;
    fallback.SizePixels = std::round(13.0f * ratio);
    io.Fonts->AddFontDefault(&fallback);
  }
  io.FontGlobalScale = 1.0f / ratio;
  renderer_.invalidateFontTexture();
}

int WebApp::frame(double nowMs) {
  if (!renderer_.ready()) return 0;
  ImGui::SetCurrentContext(imgui_);
  loadFonts();
  const bool inputPending = platform_.newFrame(nowMs);
  renderer_.newFrame();
  ImGui::NewFrame();
  overlay_.draw(session_->snapshot(), *actions_, surface_);
  ImGui::Render();
  const float ratio = platform_.pixelRatio();
  renderer_.render(int(std::lround(platform_.width() * ratio)),
                   int(std::lround(platform_.height() * ratio)));
  ++framesDrawn_;

  if (inputPending || overlay_.wantsFrames())
    settleFrames_ = kSettleFrames;
  else if (settleFrames_ > 0)
    --settleFrames_;
  return settleFrames_;
}

bool WebApp::wantsKeyboard() const {
  if (!imgui_) return false;
  ImGui::SetCurrentContext(imgui_);
  return ImGui::GetIO().WantCaptureKeyboard || ImGui::GetIO().WantTextInput;
}

void WebApp::publishState() {
  if (session_->revision() == publishedRevision_) return;
  publishedRevision_ = session_->revision();
  runtime_.js().call<void>("publish", snapshotToJs(session_->snapshot()));
}

std::string WebApp::errorCode(const CommandResult& result) {
  return result.ok() ? std::string() : std::string(toString(result.error().code));
}

std::string WebApp::join(val overrides) {
  ui::LobbyForm& form = overlay_.lobbyForm();
  applyOptions(overrides, form);
  const std::string problem = ui::validateLobby(form);
  if (!problem.empty()) {
    const std::string room = ui::trimmedField(form.room);
    return room.empty() || !protocol::isValidRoomId(room) ? "invalid_room_id" : "invalid_name";
  }
  session_->clearError();
  actions_->join(form);
  runtime_.js().call<void>("requestFrame");
  return {};
}

std::string WebApp::leave() {
  session_->leave();
  return {};
}

std::string WebApp::setMicrophone(bool on) {
  return errorCode(session_->setMicEnabled(on));
}
std::string WebApp::setCamera(bool on) {
  return errorCode(session_->setCameraEnabled(on));
}
std::string WebApp::startScreenShare() {
  return errorCode(session_->startScreenShare());
}

std::string WebApp::stopScreenShare() {
  session_->stopScreenShare();
  return {};
}

std::string WebApp::sendChat(const std::string& text) {
  return errorCode(session_->sendChat(text));
}

std::string WebApp::moderate(CommandResult result) {
  runtime_.js().call<void>("requestFrame");
  return errorCode(result);
}

std::string WebApp::removePeer(const std::string& peerId, bool ban) {
  session_->clearError();
  return moderate(session_->removePeer(peerId, ban));
}
std::string WebApp::requestMute(const std::string& peerId) {
  session_->clearError();
  return moderate(session_->requestMute(peerId));
}
std::string WebApp::lockRoom(bool locked) {
  session_->clearError();
  return moderate(session_->setRoomLocked(locked));
}
std::string WebApp::endRoom() {
  session_->clearError();
  return moderate(session_->endRoom());
}
std::string WebApp::clearNotice() {
  session_->clearNotice();
  return {};
}

std::string WebApp::selectDevice(const std::string& kind, const std::string& deviceId) {
  DeviceKind parsed;
  if (kind == "audioinput" || kind == "microphone")
    parsed = DeviceKind::AudioInput;
  else if (kind == "videoinput" || kind == "camera")
    parsed = DeviceKind::VideoInput;
  else if (kind == "audiooutput" || kind == "speaker")
    parsed = DeviceKind::AudioOutput;
  else
    return "invalid_device_kind";
  session_->selectDevice(parsed, deviceId);
  return {};
}

void WebApp::requestStats(const std::string& peerId, double requestId) {
  session_->requestStats(peerId, [this, requestId](Result<PeerStats, PeerError> stats) {
    runtime_.js().call<void>("statsReady", requestId,
                             stats.ok() ? statsToJs(stats.value()) : val::null());
  });
}

}  // namespace vroom::bridge
