// WebApp: the frame loop on demand (the JS host runs requestAnimationFrame only while a frame
// is wanted, and only changes ImGui draws ask for one), the session's wiring to the browser
// seams, statistics from the page, state deltas to it, and the JS API's commands.
#include "web_app.hpp"

#include <emscripten/val.h>

#include <algorithm>
#include <cmath>

#include <imgui.h>
#include <imgui_internal.h>  // the input field's selection
#include <nlohmann/json.hpp>

#include "frame_difference.hpp"
#include "frame_text.hpp"
#include "snapshot_delta.hpp"
#include "theme.hpp"
#include "tile_layers.hpp"
#include "web_peer_connection.hpp"

namespace vroom::bridge {
namespace {

using emscripten::val;

// ImGui needs a couple of frames after input to settle hover and focus states.
constexpr int kSettleFrames = 2;

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

// One statistics sample of a peer connection as web_runtime.js flattens it.
PeerStats peerStatsFrom(const nlohmann::json& j) {
  const auto number = [&](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
  };
  const auto text = [&](const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  PeerStats s;
  s.bytesSent = std::uint64_t(number("bytesSent"));
  s.bytesReceived = std::uint64_t(number("bytesReceived"));
  s.packetsSent = std::uint64_t(number("packetsSent"));
  s.packetsReceived = std::uint64_t(number("packetsReceived"));
  s.packetsLost = std::uint64_t(number("packetsLost"));
  s.framesEncoded = std::uint64_t(number("framesEncoded"));
  s.framesDecoded = std::uint64_t(number("framesDecoded"));
  s.roundTripTimeMs = number("roundTripTimeMs");
  s.jitterMs = number("jitterMs");
  s.framesPerSecond = number("framesPerSecond");
  s.frameWidth = int(number("frameWidth"));
  s.frameHeight = int(number("frameHeight"));
  s.audioCodec = text("audioCodec");
  s.videoCodec = text("videoCodec");
  s.localCandidateType = text("localCandidateType");
  s.remoteCandidateType = text("remoteCandidateType");
  s.audioLevel = number("audioLevel");
  return s;
}

}  // namespace

WebApp::WebApp(val runtime, val options)
    : runtime_(std::move(runtime)), signaling_(runtime_), media_(runtime_), surface_(runtime_) {
  showUi_ = boolOption(options, "ui", true);
  applyOptions(options, overlay_.lobbyForm());

  SessionConfig config;
  config.serverUrl = stringOption(options, "signalingUrl");
  config.sfu = boolOption(options, "sfu", false);  // experimental: docs/sfu.md
  // The page's own ICE servers and transport policy live in the runtime (web_runtime.js).
  PeerConnectionFactory factory = webPeerConnectionFactory(runtime_);
  session_ = std::make_unique<RoomSession>(
      SessionSeams{signaling_, media_, clock_, random_, std::move(factory)}, config);
  actions_ = std::make_unique<ui::SessionActions>(*session_);
  session_->onChange([this] { onSessionChange(); });
  runtime_.listen("video", [this](const std::string& event, const val& data) {
    if (event != "resize") return;
    overlay_.setVideoSize(data["streamId"].as<std::string>(), data["width"].as<float>(),
                          data["height"].as<float>());
    if (imgui_) arrangeTiles(*snapshot());  // tiles only: no frame
  });

  if (showUi_) {
    IMGUI_CHECKVERSION();
    imgui_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(imgui_);
    ui::addItemObserver(&semantics_);
    platform_.init();
    ui::theme::apply();
  }

  const bool microphone = boolOption(options, "microphone", true);
  const bool camera = boolOption(options, "camera", true);
  startLobbyMedia();
  if (!microphone) session_->setMicrophone(false);
  if (!camera) session_->setCamera(false);
  overlay_.chat().utcOffsetMinutes = static_cast<int>(numberOption(options, "utcOffsetMinutes"));
  if (boolOption(options, "autoJoin", false)) join(val::undefined());
}

WebApp::~WebApp() {
  session_->onChange(nullptr);
  session_->leave();
  session_.reset();
  runtime_.unlisten("video");
  if (imgui_) {
    ui::removeItemObserver(&semantics_);
    ImGui::SetCurrentContext(imgui_);
    ImGui::DestroyContext(imgui_);
  }
}

void WebApp::startLobbyMedia() {
  const ui::LobbyForm& form = overlay_.lobbyForm();
  if (!ui::sendsMedia(form)) return;  // viewers only watch: no camera or microphone prompt
  session_->startPreview(true, !form.audioOnly);
  session_->refreshDevices();
}

const std::shared_ptr<const SessionSnapshot>& WebApp::snapshot() {
  if (!current_ || current_->revision != session_->revision())
    current_ = std::make_shared<const SessionSnapshot>(session_->snapshot());
  return current_;
}

bool WebApp::framesMayWait() {
  const double now = double(clock_.nowMs());
  return ui::settingUpCall(*snapshot(), joinedAtMs_ < 0 ? 0.0 : now - joinedAtMs_);
}

void WebApp::onSessionChange() {
  if (snapshot()->state != SessionState::Joined)
    joinedAtMs_ = -1;
  else if (joinedAtMs_ < 0)
    joinedAtMs_ = double(clock_.nowMs());
  if (!statePending_) {
    statePending_ = true;
    runtime_.js().call<void>("statePending");  // takeState() from a microtask
  }
  syncAudible(*snapshot());
  if (!imgui_) return;
  // The tiles follow at once; an ImGui frame only when something it draws changed. Settle
  // frames, not one: ImGui hides a new auto-sized window (a notice, a panel) on its first
  // frame, so a change that arrives without input would otherwise stay unseen.
  const auto& now = snapshot();
  arrangeTiles(*now);
  if (!drawn_ || overlay_.drawsDifference(*drawn_, *now)) wantFrames(kSettleFrames);
}

void WebApp::arrangeTiles(const SessionSnapshot& now) {
  overlay_.arrange(now, surface_);
  // Layers follow the layout: only changes reach the server (and only in an SFU room).
  session_->wantLayers(ui::layersFor(overlay_.tiles(), overlay_.layout()));
}

void WebApp::syncAudible(const SessionSnapshot& now) {
  std::vector<std::string> ids;
  for (const MemberSnapshot& member : now.members)
    if (!member.audioStreamId.empty()) ids.push_back(member.audioStreamId);
  std::sort(ids.begin(), ids.end());
  if (ids == audible_) return;
  audible_ = ids;
  val list = val::array();
  for (const auto& id : ids) list.call<void>("push", id);
  runtime_.js().call<void>("audioAudible", list);
}

void WebApp::wantFrames(int frames) {
  settleFrames_ = std::max(settleFrames_, frames);
  runtime_.js().call<void>("requestFrame");
}

std::string WebApp::takeState() {
  statePending_ = false;
  const auto& now = snapshot();
  if (published_ && published_->revision == now->revision) return {};
  std::string delta = snapshotDelta(published_.get(), *now);
  for (std::string& sentence : announcer_.update(published_.get(), *now, double(clock_.nowMs())))
    announcements_.push_back(std::move(sentence));
  published_ = now;
  return delta;
}

void WebApp::stats(const std::string& samplesJson) {
  const nlohmann::json samples = nlohmann::json::parse(samplesJson, nullptr, false);
  if (!samples.is_array()) return;
  // Which member each peer connection belongs to (links are replaced, so asked each time).
  std::unordered_map<std::string, std::string> owners;
  for (const MemberSnapshot& m : snapshot()->members)
    if (const std::string pc = connectionOf(m.id); !pc.empty()) owners[pc] = m.id;
  bool badgeChanged = false;
  const double now = static_cast<double>(clock_.nowMs());
  for (const nlohmann::json& sample : samples) {
    if (!sample.is_object() || !sample.contains("pc") || !sample["pc"].is_string()) continue;
    const auto owner = owners.find(sample["pc"].get<std::string>());
    if (owner == owners.end()) continue;
    if (session_->mediaPath() == protocol::MediaPathKind::Sfu) {
      // One subscriber connection carries every member: its streams go to their members.
      for (const auto& [member, stats] : statsByMember(sample))
        badgeChanged = addStats(member, now, stats) || badgeChanged;
      continue;
    }
    badgeChanged = addStats(owner->second, now, peerStatsFrom(sample)) || badgeChanged;
  }
  if (!imgui_) return;
  if (badgeChanged) arrangeTiles(*snapshot());
  if (overlay_.panel() == ui::Panel::Stats) wantFrames(1);
}

bool WebApp::addStats(const std::string& member, double now, const PeerStats& stats) {
  session_->setAudioLevel(member, stats.audioLevel);
  ui::StatsHistory& history = overlay_.stats();
  const ui::Quality before = history.quality(member);
  history.add(member, now, stats);
  return history.quality(member) != before;
}

std::map<std::string, PeerStats> WebApp::statsByMember(const nlohmann::json& sample) const {
  std::map<std::string, PeerStats> out;
  const auto streams = sample.find("streams");
  if (streams == sample.end() || !streams->is_object()) return out;
  for (const auto& [mid, figures] : streams->items()) {
    const std::string member = session_->memberOfStream(mid);
    if (member.empty() || !figures.is_object()) continue;
    const PeerStats stats = peerStatsFrom(figures);
    auto [it, added] = out.emplace(member, stats);
    if (added) continue;
    // A member's audio and video streams, as one member's figures.
    PeerStats& sum = it->second;
    sum.bytesReceived += stats.bytesReceived;
    sum.packetsReceived += stats.packetsReceived;
    sum.packetsLost += stats.packetsLost;
    sum.framesDecoded += stats.framesDecoded;
    sum.jitterMs = std::max(sum.jitterMs, stats.jitterMs);
    sum.framesPerSecond = std::max(sum.framesPerSecond, stats.framesPerSecond);
    sum.frameWidth = std::max(sum.frameWidth, stats.frameWidth);
    sum.frameHeight = std::max(sum.frameHeight, stats.frameHeight);
    sum.audioLevel = std::max(sum.audioLevel, stats.audioLevel);
    if (sum.audioCodec.empty()) sum.audioCodec = stats.audioCodec;
    if (sum.videoCodec.empty()) sum.videoCodec = stats.videoCodec;
  }
  return out;
}

std::string WebApp::connectionOf(const std::string& peerId) const {
  const PeerNegotiator* negotiator = session_->negotiatorFor(peerId);
  const auto* pc = negotiator ? dynamic_cast<const WebPeerConnection*>(&negotiator->pc()) : nullptr;
  return pc ? pc->id() : std::string();
}

emscripten::val WebApp::peerConnections() {
  val out = val::object();
  const SfuLinks* sfu = session_->sfuLinks();
  for (const MemberSnapshot& m : snapshot()->members) {
    const std::string pc = connectionOf(m.id);
    if (pc.empty()) continue;
    val mids = val::array();
    if (sfu && session_->negotiatorFor(m.id) == sfu->subscriber())
      for (const std::string& mid : session_->streamsOfMember(m.id)) mids.call<void>("push", mid);
    val entry = val::object();
    entry.set("pc", pc);
    entry.set("mids", mids);
    out.set(m.id, entry);
  }
  return out;
}

void WebApp::resize(double cssWidth, double cssHeight, double pixelRatio) {
  platform_.resize(float(cssWidth), float(cssHeight), float(pixelRatio));
  overlay_.setDisplaySize(float(cssWidth), float(cssHeight));
  presented_.clear();  // the page resized the canvas, and maybe the pixel ratio changed
  wantFrames(kSettleFrames);
}

void WebApp::loadFonts(const SessionSnapshot& snapshot) {
  // The browser rasterises the glyphs this frame's strings need (ui/glyph_atlas.hpp) at the
  // device pixel ratio, scaled back, so text stays crisp on high-density screens.
  const std::string typed = ui::typedText(ImGui::GetIO());
  const std::vector<std::string_view> texts =
      ui::frameText(snapshot, overlay_.lobbyForm(), overlay_.chat(), typed);
  if (text_.beginFrame(platform_.pixelRatio(), texts)) renderer_.invalidateFontTexture();
  if (text_.pending()) wantFrames(kSettleFrames);  // more glyphs next frame
}

int WebApp::frame(double nowMs) {
  if (!imgui_) return 0;
  ImGui::SetCurrentContext(imgui_);
  // Text typed into a field the page just focused waits until ImGui edits that field (a few
  // frames at most: a disabled field never will).
  if (startingEdit_ != 0 && (GImGui->ActiveId == startingEdit_ || --startingFrames_ < 0))
    startingEdit_ = 0;
  platform_.holdText(startingEdit_ != 0);
  const bool typed = platform_.hasPendingKeys();
  const bool inputPending = platform_.newFrame(nowMs);
  drawn_ = snapshot();
  loadFonts(*drawn_);
  if (renderer_.newFrame()) presented_.clear();  // a new atlas: every region draws anew
  semantics_.beginFrame();
  ui::semantics::setActive(&semantics_);
  ImGui::NewFrame();
  overlay_.draw(*drawn_, *actions_, surface_);  // arranges the tiles (a resize, a pin)
  session_->wantLayers(ui::layersFor(overlay_.tiles(), overlay_.layout()));
  ImGui::Render();
  ui::semantics::setActive(nullptr);
  semantics_.endFrame();
  text_.endFrame();
  present();
  ++framesDrawn_;
  // ImGui sizes a new window in its first frame and shows it in the next: the page's first
  // frame has nothing to show, so its second runs at once rather than a display refresh (and
  // whatever else the page does meanwhile) later.
  if (framesDrawn_ == 1 && framesPresented_ == 0) return frame(nowMs);

  if (inputPending || typed || overlay_.wantsFrames())
    settleFrames_ = kSettleFrames;
  else if (settleFrames_ > 0)
    --settleFrames_;
  return settleFrames_;
}

void WebApp::present() {
  // The page shows the regions ImGui drew on, each in a small canvas of its own. Only regions
  // whose place or content changed are rasterised (ui/soft_renderer.hpp, on this thread, into
  // their pixels alone); a frame that changed nothing visible costs no drawing at all.
  const std::vector<ui::DrawnRegion> regions = ui::drawnRegions(*ImGui::GetDrawData());
  const bool sameCount = regions.size() == presented_.size();
  if (sameCount && std::equal(regions.begin(), regions.end(), presented_.begin())) return;
  const float ratio = platform_.pixelRatio();
  const int fbWidth = int(std::lround(platform_.width() * ratio));
  const int fbHeight = int(std::lround(platform_.height() * ratio));
  if (fbWidth <= 0 || fbHeight <= 0) return;
  std::vector<ui::PixelArea> dirty;
  pendingRects_.clear();  // x, y, w, h (device px), dirty per region
  for (std::size_t i = 0; i < regions.size(); ++i) {
    const Rect& r = regions[i].rect;
    ui::PixelArea a;
    a.x = std::clamp(int(std::lround(r.x * ratio)), 0, fbWidth - 1);
    a.y = std::clamp(int(std::lround(r.y * ratio)), 0, fbHeight - 1);
    a.width = std::clamp(int(std::lround((r.x + r.width) * ratio)) - a.x, 1, fbWidth - a.x);
    a.height = std::clamp(int(std::lround((r.y + r.height) * ratio)) - a.y, 1, fbHeight - a.y);
    const bool changed = i >= presented_.size() || !(presented_[i] == regions[i]);
    if (changed) dirty.push_back(a);
    pendingRects_.insert(pendingRects_.end(), {float(a.x), float(a.y), float(a.width),
                                               float(a.height), changed ? 1.0f : 0.0f});
  }
  presented_ = regions;
  pendingRatio_ = ratio;
  patchPixels_.clear();
  if (!dirty.empty()) renderer_.render(*ImGui::GetDrawData(), dirty, patchPixels_);
  handOver();
}

void WebApp::handOver() {
  ++framesPresented_;
  runtime_.js().call<void>(
      "presentOverlay",
      val(emscripten::typed_memory_view(pendingRects_.size(), pendingRects_.data())),
      val(emscripten::typed_memory_view(patchPixels_.size(), patchPixels_.data())), pendingRatio_);
}

std::string WebApp::takeSemantics() {
  if (!imgui_) return {};
  std::string changes = ui::semantics::diff(mirrored_, semantics_.nodes());
  if (!changes.empty()) mirrored_ = semantics_.nodes();
  return changes;
}

unsigned WebApp::semanticsFocus() const {
  if (!imgui_) return 0;
  ImGui::SetCurrentContext(imgui_);
  return ui::semantics::focusedItem(semantics_);
}

void WebApp::semanticsAction(unsigned id, const std::string& action) {
  if (!imgui_) return;
  const ui::semantics::Node* node = semantics_.find(id);
  if (!node) return;
  ImGui::SetCurrentContext(imgui_);
  if (node->role == ui::semantics::Role::Tile) {
    // Tiles are the page's, not ImGui items: focus takes ImGui's ring away, a press pins.
    if (action == "focus") ui::semantics::clearFocus();
    if (action == "activate") overlay_.pressTile(id);  // the next frame arranges the tiles
    wantFrames(kSettleFrames);
    return;
  }
  if (action == "focus") ui::semantics::focusItem(*node);
  if (action == "activate") ui::semantics::activateItem(*node);
  const bool text =
      node->role == ui::semantics::Role::TextField || node->role == ui::semantics::Role::Password;
  if (text && (action == "activate" || action == "edit") && GImGui->ActiveId != node->id) {
    startingEdit_ = node->id;
    startingFrames_ = 4;
  }
  // Typing into a field's input: start editing it unless ImGui already is (after Escape or
  // Enter it is not, while the page's focus stayed on the field).
  if (action == "edit" && GImGui->ActiveId != node->id) ui::semantics::activateItem(*node, true);
  wantFrames(kSettleFrames);
}

std::string WebApp::selectedText() const {
  if (!imgui_) return {};
  ImGui::SetCurrentContext(imgui_);
  const ImGuiContext& g = *GImGui;
  const ImGuiInputTextState& state = g.InputTextState;
  if (g.ActiveId == 0 || state.ID != g.ActiveId || !state.HasSelection()) return {};
  const int from = std::min(state.Stb.select_start, state.Stb.select_end);
  const int to = std::max(state.Stb.select_start, state.Stb.select_end);
  std::string out(std::size_t(to - from) * 4 + 1, '\0');
  const int bytes =
      ImTextStrToUtf8(out.data(), int(out.size()), state.TextW.Data + from, state.TextW.Data + to);
  out.resize(std::size_t(bytes));
  return out;
}

void WebApp::setMoreContrast(bool more) {
  if (!imgui_) return;
  ImGui::SetCurrentContext(imgui_);
  ui::theme::apply(1.0f, more);
  presented_.clear();
  wantFrames(kSettleFrames);
}

std::string WebApp::takeAnnouncements() {
  if (announcements_.empty()) return {};
  std::string out = nlohmann::json(announcements_).dump();
  announcements_.clear();
  return out;
}

bool WebApp::wantsKeyboard() const {
  if (!imgui_) return false;
  ImGui::SetCurrentContext(imgui_);
  return ImGui::GetIO().WantCaptureKeyboard || ImGui::GetIO().WantTextInput;
}

std::string WebApp::errorCode(const CommandResult& result) {
  return result.ok() ? std::string() : std::string(toString(result.error().code));
}

std::string WebApp::join(val overrides) {
  ui::LobbyForm& form = overlay_.lobbyForm();
  applyOptions(overrides, form);
  session_->clearError();
  return errorCode(actions_->tryJoin(form));
}

std::string WebApp::leave() {
  actions_->leave();
  return {};
}

std::string WebApp::setMicrophone(bool on) {
  return errorCode(actions_->trySetMicrophone(on));
}
std::string WebApp::setCamera(bool on) {
  return errorCode(actions_->trySetCamera(on));
}
std::string WebApp::startScreenShare() {
  return errorCode(actions_->tryStartScreenShare());
}

std::string WebApp::stopScreenShare() {
  actions_->stopScreenShare();
  return {};
}

std::string WebApp::sendChat(const std::string& text) {
  return errorCode(actions_->trySendChat(text));
}

std::string WebApp::removePeer(const std::string& peerId, bool ban) {
  session_->clearError();
  return errorCode(actions_->tryRemovePeer(peerId, ban));
}
std::string WebApp::requestMute(const std::string& peerId) {
  session_->clearError();
  return errorCode(actions_->tryRequestMute(peerId));
}
std::string WebApp::lockRoom(bool locked) {
  session_->clearError();
  return errorCode(actions_->trySetRoomLocked(locked));
}
std::string WebApp::endRoom() {
  session_->clearError();
  return errorCode(actions_->tryEndRoom());
}
std::string WebApp::clearNotice() {
  actions_->clearNotice();
  return {};
}

// The JS API names a device by its role (vroom.d.ts) or by the browser's kind.
constexpr EnumName<DeviceKind> kDeviceRoleNames[] = {{DeviceKind::AudioInput, "microphone"},
                                                     {DeviceKind::VideoInput, "camera"},
                                                     {DeviceKind::AudioOutput, "speaker"}};

std::string WebApp::selectDevice(const std::string& kind, const std::string& deviceId) {
  auto parsed = valueOf(kDeviceRoleNames, kind);
  if (!parsed) parsed = valueOf(kDeviceKindNames, kind);
  if (!parsed) return "invalid_device_kind";
  actions_->selectDevice(*parsed, deviceId);
  return {};
}

}  // namespace vroom::bridge
