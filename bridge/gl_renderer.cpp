// WebGL2 context creation through Emscripten's html5 API and a Dear ImGui renderer for it.
// The renderer owns the whole context, so unlike ImGui's stock GL3 backend it never reads GL
// state back (each glGet* is a synchronous round trip to the GPU process in Chromium; with
// the stock backend's ~20 per frame they were the largest cost of a vroom page in a call).
#include "gl_renderer.hpp"

#include <GLES3/gl3.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <imgui.h>

// WebGL 2 has it (the pixel-pack buffer's read-back); GLES 3 headers do not declare it.
extern "C" void glGetBufferSubData(GLenum target, GLintptr offset, GLsizeiptr size, void* data);

namespace vroom::bridge {
namespace {

constexpr const char* kVertexShader = R"(#version 300 es
precision highp float;
uniform mat4 projection;
layout (location = 0) in vec2 position;
layout (location = 1) in vec2 uv;
layout (location = 2) in vec4 color;
out vec2 fragUv;
out vec4 fragColor;
void main() {
  fragUv = uv;
  fragColor = color;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

// ImGui's vertex colours are straight alpha; the canvas is premultiplied, so premultiply here.
constexpr const char* kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D atlas;
in vec2 fragUv;
in vec4 fragColor;
layout (location = 0) out vec4 outColor;
void main() {
  vec4 c = fragColor * texture(atlas, fragUv);
  outColor = vec4(c.rgb * c.a, c.a);
}
)";

GLuint compile(GLenum kind, const char* source) {
  const GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);  // once, at start-up
  if (ok != GL_TRUE) {
    char log[512] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "vroom: overlay shader did not compile: %s\n", log);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

// Points the three vertex attributes at ImDrawVerts starting `base` bytes into the buffer.
void pointAttributes(std::size_t base) {
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(base + offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(base + offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert),
                        reinterpret_cast<void*>(base + offsetof(ImDrawVert, col)));
}

}  // namespace

bool GlRenderer::init() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.alpha = true;
  attrs.premultipliedAlpha = true;
  attrs.depth = false;
  attrs.stencil = false;
  attrs.antialias = false;  // ImGui anti-aliases its own geometry
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  // The renderer uses WebGL 2's core only. Emscripten would otherwise enable every extension
  // the browser offers, one synchronous round trip to the GPU process each: about 60 ms of a
  // cold start in Chromium (bridge/CMakeLists.txt also drops that code from the glue).
  attrs.enableExtensionsByDefault = EM_FALSE;
  const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE handle = emscripten_webgl_create_context("!canvas", &attrs);
  if (handle <= 0) return false;
  if (emscripten_webgl_make_context_current(handle) != EMSCRIPTEN_RESULT_SUCCESS ||
      !createObjects()) {
    emscripten_webgl_destroy_context(handle);
    return false;
  }
  context_ = static_cast<int>(handle);
  ImGui::GetIO().BackendRendererName = "vroom_webgl2";
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  return true;
}

bool GlRenderer::createObjects() {
  const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, kFragmentShader);
  if (!vs || !fs) return false;
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint linked = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (linked != GL_TRUE) return false;
  projection_ = glGetUniformLocation(program_, "projection");
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "atlas"), 0);

  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glGenBuffers(1, &ebo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  pointAttributes(0);

  // Fixed state for the context's whole life: nobody else draws into it.
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied output
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glActiveTexture(GL_TEXTURE0);
  glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
  return true;
}

void GlRenderer::invalidateFontTexture() {
  if (fontTexture_ && context_) {
    emscripten_webgl_make_context_current(context_);
    glDeleteTextures(1, &fontTexture_);
  }
  fontTexture_ = 0;
  ImGui::GetIO().Fonts->SetTexID(nullptr);
}

ImTextureID GlRenderer::createTexture(int width, int height, const std::uint32_t* pixels) {
  if (!context_) return nullptr;
  emscripten_webgl_make_context_current(context_);
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture));
}

void GlRenderer::destroyTexture(ImTextureID texture) {
  if (!context_ || !texture) return;
  emscripten_webgl_make_context_current(context_);
  const GLuint name = GLuint(reinterpret_cast<std::intptr_t>(texture));
  glDeleteTextures(1, &name);
}

void GlRenderer::uploadFontTexture() {
  // Built by ui::GlyphAtlas in RGBA32 (not through GetTexDataAsRGBA32, which would link
  // ImGui's stb_truetype builder and default font for an atlas that is not built yet).
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (!atlas->TexPixelsRGBA32) return;
  const ImTextureID texture =
      createTexture(atlas->TexWidth, atlas->TexHeight,
                    reinterpret_cast<const std::uint32_t*>(atlas->TexPixelsRGBA32));
  fontTexture_ = GLuint(reinterpret_cast<std::intptr_t>(texture));
  atlas->SetTexID(texture);
}

bool GlRenderer::startRead(const std::vector<Area>& areas, int framebufferHeight) {
  if (!context_ || readSync_) return false;
  emscripten_webgl_make_context_current(context_);
  std::size_t bytes = 0;
  for (const Area& a : areas) bytes += std::size_t(a.width) * std::size_t(a.height) * 4;
  if (!pixelBuffer_) glGenBuffers(1, &pixelBuffer_);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, pixelBuffer_);
  if (bytes > pixelBufferBytes_) {
    glBufferData(GL_PIXEL_PACK_BUFFER, GLsizeiptr(bytes), nullptr, GL_STREAM_READ);
    pixelBufferBytes_ = bytes;
  }
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  std::size_t offset = 0;
  for (const Area& a : areas) {
    glReadPixels(a.x, framebufferHeight - a.y - a.height, a.width, a.height, GL_RGBA,
                 GL_UNSIGNED_BYTE, reinterpret_cast<void*>(offset));
    offset += std::size_t(a.width) * std::size_t(a.height) * 4;
  }
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  readSync_ = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
  glFlush();
  readAreas_ = areas;
  return true;
}

bool GlRenderer::finishRead(PixelBuffer& out, Wait wait) {
  if (!context_ || !readSync_) return false;
  emscripten_webgl_make_context_current(context_);
  const GLsync sync = static_cast<GLsync>(readSync_);
  if (wait == Wait::No) {
    const GLenum status = glClientWaitSync(sync, 0, 0);  // a poll: never waits
    if (status != GL_ALREADY_SIGNALED && status != GL_CONDITION_SATISFIED) return false;
  }  // else getBufferSubData below blocks until the GPU is done
  glDeleteSync(sync);
  readSync_ = nullptr;
  std::size_t bytes = 0;
  for (const Area& a : readAreas_) bytes += std::size_t(a.width) * std::size_t(a.height) * 4;
  unsigned char* pixels = out.resize(bytes);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, pixelBuffer_);
  glGetBufferSubData(GL_PIXEL_PACK_BUFFER, 0, GLsizeiptr(bytes), pixels);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  // GL rows run bottom-up and the canvas holds premultiplied colour: flip and divide.
  for (const Area& a : readAreas_) {
    const std::size_t row = std::size_t(a.width) * 4;
    unsigned char* swap = swapRow_.resize(row);
    for (int top = 0, bottom = a.height - 1; top < bottom; ++top, --bottom) {
      unsigned char* upper = pixels + std::size_t(top) * row;
      unsigned char* lower = pixels + std::size_t(bottom) * row;
      std::memcpy(swap, upper, row);
      std::memcpy(upper, lower, row);
      std::memcpy(lower, swap, row);
    }
    const std::size_t size = row * std::size_t(a.height);
    for (std::size_t i = 0; i < size; i += 4) {
      const unsigned alpha = pixels[i + 3];
      if (alpha == 0 || alpha == 255) continue;
      for (std::size_t c = 0; c < 3; ++c) {  // no std::min: at -Oz it stays a call
        const unsigned straight = (pixels[i + c] * 255u + alpha / 2) / alpha;
        pixels[i + c] = static_cast<unsigned char>(straight > 255u ? 255u : straight);
      }
    }
    pixels += size;
  }
  return true;
}

void GlRenderer::shutdown() {
  if (!context_) return;
  emscripten_webgl_make_context_current(context_);
  invalidateFontTexture();
  if (readSync_) glDeleteSync(static_cast<GLsync>(readSync_));
  readSync_ = nullptr;
  glDeleteBuffers(1, &pixelBuffer_);
  glDeleteBuffers(1, &vbo_);
  glDeleteBuffers(1, &ebo_);
  glDeleteVertexArrays(1, &vao_);
  glDeleteProgram(program_);
  emscripten_webgl_destroy_context(context_);
  context_ = 0;
}

bool GlRenderer::newFrame() {
  if (!context_ || fontTexture_) return false;
  emscripten_webgl_make_context_current(context_);
  uploadFontTexture();
  return true;
}

void GlRenderer::render(int framebufferWidth, int framebufferHeight,
                        const std::vector<Area>& areas) {
  if (!context_ || areas.empty()) return;
  emscripten_webgl_make_context_current(context_);
  glViewport(0, 0, framebufferWidth, framebufferHeight);
  glEnable(GL_SCISSOR_TEST);
  // GL's scissor counts rows from the bottom.
  const auto scissor = [&](const Area& a) {
    glScissor(a.x, framebufferHeight - a.y - a.height, a.width, a.height);
  };
  for (const Area& area : areas) {
    scissor(area);
    glClear(GL_COLOR_BUFFER_BIT);
  }

  const ImDrawData* data = ImGui::GetDrawData();
  if (!data || data->CmdListsCount == 0 || framebufferWidth <= 0 || framebufferHeight <= 0) return;
  const ImVec2 scale = data->FramebufferScale;
  const ImVec2 origin = data->DisplayPos;

  // Orthographic projection of ImGui's display rectangle onto clip space (y down).
  const float l = origin.x;
  const float r = origin.x + data->DisplaySize.x;
  const float t = origin.y;
  const float b = origin.y + data->DisplaySize.y;
  const float projection[16] = {
      2.0f / (r - l), 0.0f, 0.0f, 0.0f,  0.0f, 2.0f / (t - b),    0.0f,
      0.0f,           0.0f, 0.0f, -1.0f, 0.0f, (r + l) / (l - r), (t + b) / (b - t),
      0.0f,           1.0f};
  glUseProgram(program_);
  glUniformMatrix4fv(projection_, 1, GL_FALSE, projection);
  glBindVertexArray(vao_);

  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(list->VtxBuffer.Size) * GLsizeiptr(sizeof(ImDrawVert)),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER,
                 GLsizeiptr(list->IdxBuffer.Size) * GLsizeiptr(sizeof(ImDrawIdx)),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const int x0 = int((cmd.ClipRect.x - origin.x) * scale.x);
      const int y0 = int((cmd.ClipRect.y - origin.y) * scale.y);
      const int x1 = int(std::ceil((cmd.ClipRect.z - origin.x) * scale.x));
      const int y1 = int(std::ceil((cmd.ClipRect.w - origin.y) * scale.y));
      if (x1 <= x0 || y1 <= y0) continue;
      bool bound = false;
      for (const Area& area : areas) {
        // The command's clip within this area; most commands meet one area or none.
        const Area clip{std::max(x0, area.x), std::max(y0, area.y), 0, 0};
        const int right = std::min(x1, area.x + area.width);
        const int bottom = std::min(y1, area.y + area.height);
        if (right <= clip.x || bottom <= clip.y) continue;
        scissor(Area{clip.x, clip.y, right - clip.x, bottom - clip.y});
        if (!bound) {
          glBindTexture(GL_TEXTURE_2D, GLuint(reinterpret_cast<std::intptr_t>(cmd.GetTexID())));
          // WebGL has no base-vertex draws: point the attributes at this command's first vertex.
          if (cmd.VtxOffset != 0) pointAttributes(std::size_t(cmd.VtxOffset) * sizeof(ImDrawVert));
          bound = true;
        }
        glDrawElements(GL_TRIANGLES, GLsizei(cmd.ElemCount),
                       sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                       reinterpret_cast<void*>(std::size_t(cmd.IdxOffset) * sizeof(ImDrawIdx)));
      }
      if (bound && cmd.VtxOffset != 0) pointAttributes(0);
    }
  }
}

}  // namespace vroom::bridge
