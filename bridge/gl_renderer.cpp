// WebGL2 context creation through Emscripten's html5 API and ImGui's stock GL3 backend.
#include "gl_renderer.hpp"

#include <GLES3/gl3.h>
#include <emscripten/html5.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

namespace vroom::bridge {

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
  const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE handle = emscripten_webgl_create_context("!canvas", &attrs);
  if (handle <= 0) return false;
  if (emscripten_webgl_make_context_current(handle) != EMSCRIPTEN_RESULT_SUCCESS) {
    emscripten_webgl_destroy_context(handle);
    return false;
  }
  if (!ImGui_ImplOpenGL3_Init("#version 300 es")) {
    emscripten_webgl_destroy_context(handle);
    return false;
  }
  context_ = static_cast<int>(handle);
  return true;
}

void GlRenderer::shutdown() {
  if (!context_) return;
  ImGui_ImplOpenGL3_Shutdown();
  emscripten_webgl_destroy_context(context_);
  context_ = 0;
}

void GlRenderer::render(int framebufferWidth, int framebufferHeight) {
  if (!context_) return;
  emscripten_webgl_make_context_current(context_);
  glViewport(0, 0, framebufferWidth, framebufferHeight);
  glClearColor(0.0f, 0.0f, 0.0f, 0.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace vroom::bridge
