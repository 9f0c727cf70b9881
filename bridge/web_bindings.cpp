// embind exports: the WebApp class as www/vroom-api.js sees it.
#include <emscripten/bind.h>

#include "web_app.hpp"

using vroom::bridge::WebApp;

EMSCRIPTEN_BINDINGS(vroom_web_app) {
  emscripten::class_<WebApp>("WebApp")
      .constructor<emscripten::val, emscripten::val>()
      .function("frame", &WebApp::frame)
      .function("framesDrawn", &WebApp::framesDrawn)
      .function("framesMayWait", &WebApp::framesMayWait)
      .function("resize", &WebApp::resize)
      .function("pointerMove", &WebApp::pointerMove)
      .function("pointerButton", &WebApp::pointerButton)
      .function("wheel", &WebApp::wheel)
      .function("key", &WebApp::key)
      .function("text", &WebApp::text)
      .function("focus", &WebApp::focus)
      .function("wantsKeyboard", &WebApp::wantsKeyboard)
      .function("resolve", &WebApp::resolve)
      .function("deliver", &WebApp::deliver)
      .function("stats", &WebApp::stats)
      .function("takeState", &WebApp::takeState)
      .function("peerConnections", &WebApp::peerConnections)
      .function("join", &WebApp::join)
      .function("leave", &WebApp::leave)
      .function("setMicrophone", &WebApp::setMicrophone)
      .function("setCamera", &WebApp::setCamera)
      .function("startScreenShare", &WebApp::startScreenShare)
      .function("stopScreenShare", &WebApp::stopScreenShare)
      .function("sendChat", &WebApp::sendChat)
      .function("selectDevice", &WebApp::selectDevice)
      .function("removePeer", &WebApp::removePeer)
      .function("requestMute", &WebApp::requestMute)
      .function("lockRoom", &WebApp::lockRoom)
      .function("endRoom", &WebApp::endRoom)
      .function("clearNotice", &WebApp::clearNotice)
      .function("takeSemantics", &WebApp::takeSemantics)
      .function("semanticsFocus", &WebApp::semanticsFocus)
      .function("semanticsAction", &WebApp::semanticsAction)
      .function("selectedText", &WebApp::selectedText)
      .function("takeAnnouncements", &WebApp::takeAnnouncements)
      .function("setMoreContrast", &WebApp::setMoreContrast)
      // Debugging and tests only (not in vroom.d.ts): see WebApp::textDebug.
      .function("textDebug", &WebApp::textDebug)
      .function("glyphInk", &WebApp::glyphInk);
}
