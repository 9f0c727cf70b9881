// WebApp: frame loop on demand (the JS host drives requestAnimationFrame only while a frame
// is wanted), font loading at the device pixel ratio, and state publishing to the page.
#include "web_app.hpp"

#include <cmath>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include "theme.hpp"

namespace vroom::bridge {
namespace {

constexpr float kFontSize = 16.0f;
constexpr const char* kFontPath = "/fonts/ui.ttf";  // embedded at link time (bridge/CMakeLists)
// ImGui needs a couple of frames after input to settle hover and focus states.
constexpr int kSettleFrames = 2;

}  // namespace

WebApp::WebApp(emscripten::val host) : host_(std::move(host)) {
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
  lobbyView_.statusMessage.clear();
  publishState();
}

WebApp::~WebApp() {
  ImGui::SetCurrentContext(imgui_);
  renderer_.shutdown();
  ImGui::DestroyContext(imgui_);
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
  ImGui_ImplOpenGL3_DestroyFontsTexture();
}

int WebApp::frame(double nowMs) {
  if (!renderer_.ready()) return 0;
  ImGui::SetCurrentContext(imgui_);
  loadFonts();
  const bool inputPending = platform_.newFrame(nowMs);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();

  if (ui::drawLobby(lobby_, lobbyView_) == ui::LobbyAction::Join) {
    lobbyView_.errorMessage.clear();
    lobbyView_.statusMessage = "Joining rooms arrives with the signaling server.";
  }

  ImGui::Render();
  const float ratio = platform_.pixelRatio();
  renderer_.render(int(std::lround(platform_.width() * ratio)),
                   int(std::lround(platform_.height() * ratio)));
  ++framesDrawn_;
  publishState();

  if (inputPending) settleFrames_ = kSettleFrames;
  else if (settleFrames_ > 0) --settleFrames_;
  return inputPending ? kSettleFrames : settleFrames_;
}

bool WebApp::wantsKeyboard() const {
  ImGui::SetCurrentContext(imgui_);
  return ImGui::GetIO().WantCaptureKeyboard || ImGui::GetIO().WantTextInput;
}

bool WebApp::wantsPointer() const {
  ImGui::SetCurrentContext(imgui_);
  return ImGui::GetIO().WantCaptureMouse;
}

void WebApp::publishState() {
  // Only changes are sent: the page mirrors them into its status region.
  std::string state = "lobby";
  std::string error = lobbyView_.errorMessage;
  const std::string key = state + '\n' + error + '\n' + lobbyView_.statusMessage;
  if (key == lastPublished_) return;
  lastPublished_ = key;
  emscripten::val update = emscripten::val::object();
  update.set("state", state);
  update.set("error", error);
  update.set("message", lobbyView_.statusMessage);
  host_.call<void>("publish", update);
}

}  // namespace vroom::bridge
