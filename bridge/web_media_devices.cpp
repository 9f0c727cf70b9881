// The runtime's "media" object id carries devicechange and trackended events.
#include "web_media_devices.hpp"

namespace vroom::bridge {
namespace {

using emscripten::val;

std::string stringField(const val& object, const char* key) {
  const val field = object[key];
  return field.isString() ? field.as<std::string>() : std::string();
}

}  // namespace

MediaErrorCode mediaErrorCodeFromName(const std::string& name) {
  if (name == "NotAllowedError" || name == "SecurityError" || name == "PermissionDeniedError")
    return MediaErrorCode::PermissionDenied;
  if (name == "NotFoundError" || name == "OverconstrainedError" || name == "DevicesNotFoundError")
    return MediaErrorCode::NoDevice;
  if (name == "NotReadableError" || name == "TrackStartError") return MediaErrorCode::DeviceInUse;
  if (name == "InsecureContext") return MediaErrorCode::InsecureContext;
  if (name == "AbortError") return MediaErrorCode::Aborted;
  if (name == "InvalidStateError" || name == "InvalidAccessError")
    return MediaErrorCode::NeedsUserGesture;
  return MediaErrorCode::Unknown;
}

WebMediaDevices::WebMediaDevices(JsRuntime& runtime) : runtime_(runtime) {
  runtime_.listen("media", [this](const std::string& event, const val& data) {
    if (event == "devicechange")
      triggerDeviceChange();
    else if (event == "trackended")
      triggerTrackEnded(data.as<std::string>());
  });
}

WebMediaDevices::~WebMediaDevices() {
  runtime_.unlisten("media");
}

JsRuntime::ResultCallback WebMediaDevices::mediaResult(MediaCallback done) {
  return [alive = std::weak_ptr<bool>(alive_), done = std::move(done)](bool ok, const val& v) {
    if (alive.expired()) return;
    if (!ok) {
      const JsError error = jsError(v);
      return done(fail(MediaError{mediaErrorCodeFromName(error.name), error.message}));
    }
    done(LocalMedia{stringField(v, "streamId"), stringField(v, "audioTrackId"),
                    stringField(v, "videoTrackId")});
  };
}

void WebMediaDevices::getUserMedia(const MediaConstraints& constraints, MediaCallback done) {
  val want = val::object();
  want.set("audio", constraints.audio);
  want.set("video", constraints.video);
  want.set("audioDeviceId", constraints.audioDeviceId);
  want.set("videoDeviceId", constraints.videoDeviceId);
  runtime_.request("mediaGetUser", mediaResult(std::move(done)), want);
}

void WebMediaDevices::getDisplayMedia(MediaCallback done) {
  runtime_.request("mediaGetDisplay", mediaResult(std::move(done)));
}

void WebMediaDevices::enumerateDevices(
    std::function<void(Result<std::vector<DeviceInfo>, MediaError>)> done) {
  runtime_.request("mediaEnumerate", [alive = std::weak_ptr<bool>(alive_), done = std::move(done)](
                                         bool ok, const val& v) {
    if (alive.expired()) return;
    if (!ok) {
      const JsError error = jsError(v);
      return done(fail(MediaError{mediaErrorCodeFromName(error.name), error.message}));
    }
    std::vector<DeviceInfo> devices;
    const int count = v["length"].as<int>();
    for (int i = 0; i < count; ++i) {
      const val d = v[i];
      const std::string kind = stringField(d, "kind");
      DeviceInfo info;
      info.deviceId = stringField(d, "deviceId");
      info.label = stringField(d, "label");
      info.kind = kind == "videoinput"    ? DeviceKind::VideoInput
                  : kind == "audiooutput" ? DeviceKind::AudioOutput
                                          : DeviceKind::AudioInput;
      devices.push_back(std::move(info));
    }
    done(std::move(devices));
  });
}

void WebMediaDevices::setTrackEnabled(const std::string& trackId, bool enabled) {
  runtime_.js().call<void>("trackSetEnabled", trackId, enabled);
}

void WebMediaDevices::stopTrack(const std::string& trackId) {
  runtime_.js().call<void>("trackStop", trackId);
}

void WebMediaDevices::setAudioOutput(const std::string& deviceId,
                                     std::function<void(Result<std::monostate, MediaError>)> done) {
  runtime_.request(
      "mediaSetAudioOutput",
      [alive = std::weak_ptr<bool>(alive_), done = std::move(done)](bool ok, const val& v) {
        if (alive.expired()) return;
        if (!ok) {
          const JsError error = jsError(v);
          return done(fail(MediaError{mediaErrorCodeFromName(error.name), error.message}));
        }
        done(std::monostate{});
      },
      deviceId);
}

}  // namespace vroom::bridge
