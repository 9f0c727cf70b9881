// Error codes to names and user-facing sentences, from the one table in the header, so the
// UI, the JS API and the tests agree on what each failure says.
#include "session_errors.hpp"

namespace vroom {

namespace {

struct ErrorEntry {
  SessionErrorCode code;
  std::string_view name, sentence, screenSentence;
};

constexpr ErrorEntry kErrors[] = {
#define VROOM_X(code, name, sentence, screenSentence) \
  {SessionErrorCode::code, name, sentence, screenSentence},
    VROOM_SESSION_ERRORS(VROOM_X)
#undef VROOM_X
};

const ErrorEntry& entry(SessionErrorCode code) {
  for (const auto& e : kErrors)
    if (e.code == code) return e;
  return kErrors[0];
}

}  // namespace

std::string_view toString(SessionErrorCode code) {
  return entry(code).name;
}

std::optional<SessionErrorCode> sessionErrorFromString(std::string_view name) {
  for (const auto& e : kErrors)
    if (e.name == name) return e.code;
  return std::nullopt;
}

SessionErrorCode fromProtocol(protocol::ErrorCode code) {
  using protocol::ErrorCode;
  if (code == ErrorCode::UnsupportedVersion) return SessionErrorCode::VersionMismatch;
  if (protocol::isProtocolError(code)) return SessionErrorCode::ProtocolError;
  if (code == ErrorCode::UnknownPeer) return SessionErrorCode::NotAllowed;
  if (code == ErrorCode::TooLong) return SessionErrorCode::ChatTooLong;
  // Every other user error has the same name on the wire and in the JS API.
  return sessionErrorFromString(protocol::toString(code)).value_or(SessionErrorCode::ProtocolError);
}

SessionErrorCode fromMedia(MediaErrorCode code) {
  switch (code) {
    case MediaErrorCode::PermissionDenied:
      return SessionErrorCode::MediaPermissionDenied;
    case MediaErrorCode::NoDevice:
      return SessionErrorCode::MediaNoDevice;
    case MediaErrorCode::DeviceInUse:
      return SessionErrorCode::MediaDeviceInUse;
    case MediaErrorCode::InsecureContext:
      return SessionErrorCode::MediaInsecureContext;
    case MediaErrorCode::Aborted:
      return SessionErrorCode::MediaAborted;
    case MediaErrorCode::NeedsUserGesture:
      return SessionErrorCode::MediaNeedsUserGesture;
    case MediaErrorCode::Unknown:
      return SessionErrorCode::MediaUnknown;
  }
  return SessionErrorCode::MediaUnknown;
}

std::string userMessage(SessionErrorCode code, std::string_view room, bool screen) {
  const ErrorEntry& e = entry(code);
  std::string text(screen && !e.screenSentence.empty() ? e.screenSentence : e.sentence);
  const std::string name = room.empty() ? std::string("this room") : "'" + std::string(room) + "'";
  if (const auto at = text.find("{room}"); at != std::string::npos) text.replace(at, 6, name);
  return text;
}

SessionError makeError(SessionErrorCode code, std::string_view room, bool screen) {
  return SessionError{code, userMessage(code, room, screen)};
}

SessionError checkEntry(std::string_view room, std::string_view name) {
  using protocol::NameProblem;
  if (room.empty()) return {SessionErrorCode::InvalidRoomId, "Type a room name."};
  if (!protocol::isValidRoomId(room)) return makeError(SessionErrorCode::InvalidRoomId);
  switch (protocol::checkName(name)) {
    case NameProblem::None:
      return {};
    case NameProblem::Empty:
      return {SessionErrorCode::InvalidName, "Type your name so others know who you are."};
    case NameProblem::TooLong:
      return {SessionErrorCode::InvalidName, "Your name is too long (" +
                                                 std::to_string(protocol::kMaxNameChars) +
                                                 " characters at most)."};
    case NameProblem::Invalid:
      break;
  }
  return {SessionErrorCode::InvalidName,
          "Your name needs visible characters and no control characters."};
}

SessionError moderationNotice(SessionErrorCode code, std::string_view who, bool ban,
                              bool broadcast) {
  const std::string name = who.empty() ? std::string("A moderator") : std::string(who);
  switch (code) {
    case SessionErrorCode::Removed:
      return {code, name + " removed you from the room." +
                        (ban ? std::string(" You cannot rejoin while it lasts.") : std::string())};
    case SessionErrorCode::RoomEnded:
      return {code,
              name + (broadcast ? " ended the broadcast." : " ended the meeting for everyone.")};
    case SessionErrorCode::MuteRequested:
      return {code, name +
                        " asked you to mute. Your microphone is off; unmute it when you want "
                        "to speak."};
    default:
      return makeError(code);
  }
}

}  // namespace vroom
