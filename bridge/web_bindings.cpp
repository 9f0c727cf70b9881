// embind exports: the WebApp class as JS sees it (constructed by www/vroom-api.js).
#include <emscripten/bind.h>

#include "web_app.hpp"

using vroom::bridge::WebApp;

EMSCRIPTEN_BINDINGS(vroom_web_app) {
  emscripten::class_<WebApp>("WebApp")
      .constructor<emscripten::val>()
      .function("startupError", &WebApp::startupError)
      .function("frame", &WebApp::frame)
      .function("framesDrawn", &WebApp::framesDrawn)
      .function("resize", &WebApp::resize)
      .function("pointerMove", &WebApp::pointerMove)
      .function("pointerButton", &WebApp::pointerButton)
      .function("wheel", &WebApp::wheel)
      .function("key", &WebApp::key)
      .function("text", &WebApp::text)
      .function("focus", &WebApp::focus)
      .function("wantsKeyboard", &WebApp::wantsKeyboard)
      .function("wantsPointer", &WebApp::wantsPointer);
}
