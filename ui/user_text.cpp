// The glyph-or-run choice for text people wrote, and placing runs as ImGui items.
#include "user_text.hpp"

#include <algorithm>
#include <cmath>

#include "text_renderer.hpp"
#include "text_shaping.hpp"

namespace vroom::ui {
namespace {

ImVec2 glyphSize(std::string_view text, float wrapWidth) {
  return ImGui::CalcTextSize(text.data(), text.data() + text.size(), false,
                             wrapWidth > 0.0f ? wrapWidth : -1.0f);
}

void glyphsWrapped(std::string_view text) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
}

// A run's top-left corner on a whole device pixel, so its texels map one to one to pixels.
ImVec2 snapped(ImVec2 pos) {
  const TextRenderer* renderer = TextRenderer::current();
  const float ratio = renderer ? renderer->pixelRatio() : 1.0f;
  return ImVec2(std::round(pos.x * ratio) / ratio, std::round(pos.y * ratio) / ratio);
}

// The run of `text`, rasterised if needed; null for the glyph path.
const TextRun* runOf(std::string_view text, ImU32 colour, float wrapWidth) {
  TextRenderer* renderer = TextRenderer::current();
  if (!renderer || !needsShaping(text)) return nullptr;
  return renderer->runs().get(text, wrapWidth, colour);
}

}  // namespace

bool drawsAsRun(std::string_view text) {
  return TextRenderer::current() && needsShaping(text);
}

ImVec2 userTextSize(std::string_view text, ImU32 colour, float wrapWidth) {
  const TextRun* run = runOf(text, colour, wrapWidth);
  return run ? run->size : glyphSize(text, wrapWidth);
}

ImVec2 drawUserText(ImDrawList* draw, ImVec2 pos, ImU32 colour, std::string_view text,
                    float wrapWidth) {
  if (const TextRun* run = runOf(text, colour, wrapWidth)) {
    const ImVec2 at = snapped(pos);
    draw->AddImage(run->texture, at, ImVec2(at.x + run->size.x, at.y + run->size.y));
    return run->size;
  }
  draw->AddText(nullptr, 0.0f, pos, colour, text.data(), text.data() + text.size(), wrapWidth);
  return glyphSize(text, wrapWidth);
}

ImVec2 drawUserLine(ImDrawList* draw, ImVec2 pos, ImU32 colour, std::string_view own,
                    std::string_view rest) {
  const ImVec2 first = drawUserText(draw, pos, colour, own);
  draw->AddText(ImVec2(pos.x + first.x, pos.y), colour, rest.data(), rest.data() + rest.size());
  const ImVec2 second = glyphSize(rest, 0.0f);
  return ImVec2(first.x + second.x, std::max(first.y, second.y));
}

ImVec2 userLineSize(std::string_view own, std::string_view rest, ImU32 colour) {
  const ImVec2 first = userTextSize(own, colour);
  const ImVec2 second = glyphSize(rest, 0.0f);
  return ImVec2(first.x + second.x, std::max(first.y, second.y));
}

void userTextWrapped(std::string_view text) {
  TextRenderer* renderer = TextRenderer::current();
  if (!renderer || !needsShaping(text)) return glyphsWrapped(text);
  const float width = ImGui::GetContentRegionAvail().x;
  const ImU32 colour = ImGui::GetColorU32(ImGuiCol_Text);
  const TextRun* run = renderer->runs().find(text, width, colour);
  if (!run) {
    const ImVec2 estimate = glyphSize(text, width);
    if (!ImGui::IsRectVisible(estimate)) {
      ImGui::Dummy(estimate);
      return;
    }
    run = renderer->runs().get(text, width, colour);
  }
  if (!run) return glyphsWrapped(text);  // the browser could not draw it: unshaped, not nothing
  ImVec2 at = ImGui::GetCursorScreenPos();
  if (run->direction == TextDirection::Rtl) at.x += std::max(0.0f, width - run->size.x);
  ImGui::SetCursorScreenPos(snapped(at));
  ImGui::Image(run->texture, run->size);
}

}  // namespace vroom::ui
