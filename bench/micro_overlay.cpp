// CPU time of one overlay frame (layout, tile labels, bars, panels: everything the overlay
// does on the CPU) with 9 tiles, in a headless ImGui context, and the same frame with the
// semantics mirror's share (the recorder behind ImGui's item hooks, and the diff the page
// takes); then the rasterising of a frame's regions (ui/soft_renderer.hpp), the lobby's and
// the room's. The mirror's DOM updates and the page's putImageData run in JS, not here.
#include <benchmark/benchmark.h>

#include <imgui.h>
#include <imgui_internal.h>

#include "draw_regions.hpp"
#include "overlay.hpp"
#include "semantics.hpp"
#include "soft_renderer.hpp"

namespace {

using namespace vroom;

struct NoActions final : ui::RoomActions {
  void join(const ui::LobbyForm&) override {}
  void leave() override {}
  void setMicrophone(bool) override {}
  void setCamera(bool) override {}
  void startScreenShare() override {}
  void stopScreenShare() override {}
  void sendChat(const std::string&) override {}
  void selectDevice(DeviceKind, const std::string&) override {}
  void clearError() override {}
};

struct NoSurface final : VideoSurface {
  void show(const std::string&, const Rect&, VideoLook) override {}
  void hide(const std::string&) override {}
  void label(const std::string&, const Rect&, const TileLabel&) override {}
  void unlabel(const std::string&) override {}
  void caption(const std::string&, float, float) override {}
};

SessionSnapshot nineTiles() {
  SessionSnapshot s;
  s.state = SessionState::Joined;
  s.room = "bench-room";
  s.self = {"self-id", "Ada Lovelace", protocol::Role::Member};
  s.local.hasMicrophone = s.local.hasCamera = true;
  s.local.streamId = "local";
  for (int i = 0; i < 8; ++i) {
    MemberSnapshot m;
    m.id = "peer" + std::to_string(i);
    m.name = "Participant " + std::to_string(i);
    m.connection = LinkState::Connected;
    m.cameraStreamId = "stream" + std::to_string(i);
    m.audioStreamId = m.cameraStreamId;
    m.speaking = i == 3;
    m.media.audio = i % 3 != 0;
    s.members.push_back(m);
  }
  for (int i = 0; i < 40; ++i)
    s.chat.push_back(
        {"peer1", "Participant 1", "message number " + std::to_string(i), 1000 * i, false});
  return s;
}

// Mirror: 0 off (the hooks are not even called), 1 the recorder and an unchanged frame's diff
// (the usual case: something else in the frame changed), 2 the recorder and a full diff
// against an empty tree (the page's first frame, or a new screen).
void frame(benchmark::State& state, int mirror) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(1280, 800);
  io.DeltaTime = 1.0f / 60.0f;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ui::Overlay overlay;
  overlay.setPanel(static_cast<ui::Panel>(state.range(0)));
  NoActions actions;
  NoSurface surface;
  const SessionSnapshot snapshot = nineTiles();
  PeerStats stats;
  for (int i = 0; i < 8; ++i)
    for (int t = 0; t < 10; ++t) {
      stats.bytesReceived = 40000ull * t;
      stats.bytesSent = 40000ull * t;
      stats.framesDecoded = 30ull * t;
      stats.roundTripTimeMs = 20;
      stats.frameWidth = 1280;
      stats.frameHeight = 720;
      overlay.stats().add("peer" + std::to_string(i), 1000.0 * t, stats);
    }
  ui::semantics::Recorder recorder;
  if (mirror > 0) ui::addItemObserver(&recorder);
  std::vector<ui::semantics::Node> mirrored;
  const std::vector<ui::semantics::Node> none;
  std::size_t vertices = 0;
  std::size_t diffBytes = 0;
  for (auto _ : state) {
    if (mirror > 0) {
      recorder.beginFrame();
      ui::semantics::setActive(&recorder);
    }
    ImGui::NewFrame();
    overlay.draw(snapshot, actions, surface);
    ImGui::Render();
    if (mirror > 0) {
      ui::semantics::setActive(nullptr);
      recorder.endFrame();
      const std::string changes =
          ui::semantics::diff(mirror == 2 ? none : mirrored, recorder.nodes());
      if (!changes.empty() && mirror == 1) mirrored = recorder.nodes();
      diffBytes = changes.size();
      benchmark::DoNotOptimize(diffBytes);
    }
    vertices = static_cast<std::size_t>(ImGui::GetDrawData()->TotalVtxCount);
    benchmark::DoNotOptimize(vertices);
  }
  if (mirror > 0) ui::removeItemObserver(&recorder);
  context->TestEngineHookItems = false;
  state.counters["nodes"] = static_cast<double>(recorder.nodes().size());
  state.counters["diff_bytes"] = static_cast<double>(diffBytes);
  if (overlay.tiles().size() != 9) state.SkipWithError("expected 9 tiles");
  state.counters["tiles"] = static_cast<double>(overlay.tiles().size());
  state.counters["vertices"] = static_cast<double>(vertices);
  ImGui::DestroyContext(context);
}
void overlayFrame(benchmark::State& state) {
  frame(state, 0);
}
void overlayFrameWithMirror(benchmark::State& state) {
  frame(state, 1);
}
void overlayFrameWithFullMirrorDiff(benchmark::State& state) {
  frame(state, 2);
}
// Arg: the side panel shown (0 none, 1 chat, 2 people, 3 stats). The mirror's cost per frame is
// the difference between a row with the mirror and the plain row of the same panel.
// Rasterising every region of one frame from scratch (what a new atlas, a resize or the first
// frame costs; later frames redraw only the regions that changed). Arg: -1 the lobby (1000 x
// 700, the bench's window), else the room with that side panel (1280 x 800).
void overlayRaster(benchmark::State& state) {
  ImGuiContext* context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  const bool lobby = state.range(0) < 0;
  io.DisplaySize = lobby ? ImVec2(1000, 700) : ImVec2(1280, 800);
  io.DeltaTime = 1.0f / 60.0f;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ui::SoftRenderer renderer;
  renderer.newFrame();
  ui::Overlay overlay;
  overlay.setDisplaySize(io.DisplaySize.x, io.DisplaySize.y);
  if (!lobby) overlay.setPanel(static_cast<ui::Panel>(state.range(0)));
  NoActions actions;
  NoSurface surface;
  SessionSnapshot snapshot = nineTiles();
  if (lobby) snapshot = SessionSnapshot{};
  for (int i = 0; i < 3; ++i) {  // windows size themselves over the first frames
    ImGui::NewFrame();
    overlay.draw(snapshot, actions, surface);
    ImGui::Render();
  }
  std::vector<ui::PixelArea> areas;
  for (const ui::DrawnRegion& r : ui::drawnRegions(*ImGui::GetDrawData()))
    areas.push_back({int(r.rect.x), int(r.rect.y), int(r.rect.width), int(r.rect.height)});
  double area = 0;
  for (const ui::PixelArea& a : areas) area += double(a.width) * a.height;
  ui::PixelBuffer out;
  for (auto _ : state) {
    renderer.render(*ImGui::GetDrawData(), areas, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["regions"] = double(areas.size());
  state.counters["pixels"] = area;
  state.counters["vertices"] = double(ImGui::GetDrawData()->TotalVtxCount);
  ImGui::DestroyContext(context);
}

BENCHMARK(overlayRaster)->ArgName("panel")->Arg(-1)->Arg(0)->Arg(1)->Arg(3)->Unit(benchmark::kMicrosecond);
BENCHMARK(overlayFrame)
    ->ArgName("panel")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(overlayFrameWithMirror)
    ->ArgName("panel")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(overlayFrameWithFullMirrorDiff)
    ->ArgName("panel")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
