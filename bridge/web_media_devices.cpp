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

// The DOMException names getUserMedia and getDisplayMedia reject with (older spellings too).
constexpr EnumName<MediaErrorCode> kMediaErrorNames[] = {
    {MediaErrorCode::PermissionDenied, "NotAllowedError"},
    {MediaErrorCode::PermissionDenied, "SecurityError"},
    {MediaErrorCode::PermissionDenied, "PermissionDeniedError"},
    {MediaErrorCode::NoDevice, "NotFoundError"},
    {MediaErrorCode::NoDevice, "OverconstrainedError"},
    {MediaErrorCode::NoDevice, "DevicesNotFoundError"},
    {MediaErrorCode::DeviceInUse, "NotReadableError"},
    {MediaErrorCode::DeviceInUse, "TrackStartError"},
    {MediaErrorCode::InsecureContext, "InsecureContext"},
    {MediaErrorCode::Aborted, "AbortError"},
    {MediaErrorCode::NeedsUserGesture, "InvalidStateError"},
    {MediaErrorCode::NeedsUserGesture, "InvalidAccessError"}};

MediaErrorCode mediaErrorCodeFromName(const std::string& name) {
  return valueOf(kMediaErrorNames, name).value_or(MediaErrorCode::Unknown);
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
  return lifetime_.guard([done = std::move(done)](bool ok, const val& v) {
    if (!ok) {
      const JsError error = jsError(v);
      return done(fail(MediaError{mediaErrorCodeFromName(error.name), error.message}));
    }
    done(LocalMedia{stringField(v, "streamId"), stringField(v, "audioTrackId"),
                    stringField(v, "videoTrackId")});
  });
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
  runtime_.request(
      "mediaEnumerate", lifetime_.guard([done = std::move(done)](bool ok, const val& v) {
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
          info.kind = valueOf(kDeviceKindNames, kind).value_or(DeviceKind::AudioInput);
          devices.push_back(std::move(info));
        }
        done(std::move(devices));
      }));
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
      "mediaSetAudioOutput", lifetime_.guard([done = std::move(done)](bool ok, const val& v) {
        if (!ok) {
          const JsError error = jsError(v);
          return done(fail(MediaError{mediaErrorCodeFromName(error.name), error.message}));
        }
        done(std::monostate{});
      }),
      deviceId);
}

}  // namespace vroom::bridge
