// Error codes to user-facing sentences. Kept in one table so the UI, the JS API and the
// tests agree on what each failure says.
#include "session_errors.hpp"

namespace vroom {

std::string_view toString(SessionErrorCode code) {
  switch (code) {
    case SessionErrorCode::None:
      return "none";
    case SessionErrorCode::ServerUnreachable:
      return "server_unreachable";
    case SessionErrorCode::SessionReplaced:
      return "session_replaced";
    case SessionErrorCode::ProtocolError:
      return "protocol_error";
    case SessionErrorCode::VersionMismatch:
      return "version_mismatch";
    case SessionErrorCode::RoomExists:
      return "room_exists";
    case SessionErrorCode::RoomNotFound:
      return "room_not_found";
    case SessionErrorCode::RoomFull:
      return "room_full";
    case SessionErrorCode::RoomClosed:
      return "room_closed";
    case SessionErrorCode::NotInRoom:
      return "not_in_room";
    case SessionErrorCode::AlreadyInRoom:
      return "already_in_room";
    case SessionErrorCode::NotAllowed:
      return "not_allowed";
    case SessionErrorCode::RateLimited:
      return "rate_limited";
    case SessionErrorCode::InvalidRoomId:
      return "invalid_room_id";
    case SessionErrorCode::InvalidName:
      return "invalid_name";
    case SessionErrorCode::ChatTooLong:
      return "chat_too_long";
    case SessionErrorCode::TokenRequired:
      return "token_required";
    case SessionErrorCode::TokenInvalid:
      return "token_invalid";
    case SessionErrorCode::TokenExpired:
      return "token_expired";
    case SessionErrorCode::TokenWrongRoom:
      return "token_wrong_room";
    case SessionErrorCode::PasswordRequired:
      return "password_required";
    case SessionErrorCode::WrongPassword:
      return "wrong_password";
    case SessionErrorCode::TooManyAttempts:
      return "too_many_attempts";
    case SessionErrorCode::RoomLocked:
      return "room_locked";
    case SessionErrorCode::Banned:
      return "banned";
    case SessionErrorCode::Removed:
      return "removed";
    case SessionErrorCode::RoomEnded:
      return "room_ended";
    case SessionErrorCode::MuteRequested:
      return "mute_requested";
    case SessionErrorCode::MediaPermissionDenied:
      return "media_permission_denied";
    case SessionErrorCode::MediaNoDevice:
      return "media_no_device";
    case SessionErrorCode::MediaDeviceInUse:
      return "media_device_in_use";
    case SessionErrorCode::MediaInsecureContext:
      return "media_insecure_context";
    case SessionErrorCode::MediaAborted:
      return "media_aborted";
    case SessionErrorCode::MediaNeedsUserGesture:
      return "media_needs_user_gesture";
    case SessionErrorCode::MediaUnknown:
      return "media_unknown";
    case SessionErrorCode::SpeakerUnavailable:
      return "speaker_unavailable";
    case SessionErrorCode::ScreenShareUnavailable:
      return "screen_share_unavailable";
    case SessionErrorCode::NotConnected:
      return "not_connected";
    case SessionErrorCode::PeerConnectionUnavailable:
      return "peer_connection_unavailable";
  }
  return "none";
}

SessionErrorCode fromProtocol(protocol::ErrorCode code) {
  using protocol::ErrorCode;
  switch (code) {
    case ErrorCode::InvalidJson:
    case ErrorCode::InvalidMessage:
    case ErrorCode::MessageTooBig:
    case ErrorCode::HelloRequired:
      return SessionErrorCode::ProtocolError;
    case ErrorCode::UnsupportedVersion:
      return SessionErrorCode::VersionMismatch;
    case ErrorCode::RoomExists:
      return SessionErrorCode::RoomExists;
    case ErrorCode::RoomNotFound:
      return SessionErrorCode::RoomNotFound;
    case ErrorCode::RoomFull:
      return SessionErrorCode::RoomFull;
    case ErrorCode::RoomClosed:
      return SessionErrorCode::RoomClosed;
    case ErrorCode::NotInRoom:
      return SessionErrorCode::NotInRoom;
    case ErrorCode::AlreadyInRoom:
      return SessionErrorCode::AlreadyInRoom;
    case ErrorCode::NotAllowed:
      return SessionErrorCode::NotAllowed;
    case ErrorCode::RateLimited:
      return SessionErrorCode::RateLimited;
    case ErrorCode::UnknownPeer:
      return SessionErrorCode::NotAllowed;
    case ErrorCode::InvalidRoomId:
      return SessionErrorCode::InvalidRoomId;
    case ErrorCode::InvalidName:
      return SessionErrorCode::InvalidName;
    case ErrorCode::TooLong:
      return SessionErrorCode::ChatTooLong;
    case ErrorCode::TokenRequired:
      return SessionErrorCode::TokenRequired;
    case ErrorCode::TokenInvalid:
      return SessionErrorCode::TokenInvalid;
    case ErrorCode::TokenExpired:
      return SessionErrorCode::TokenExpired;
    case ErrorCode::TokenWrongRoom:
      return SessionErrorCode::TokenWrongRoom;
    case ErrorCode::PasswordRequired:
      return SessionErrorCode::PasswordRequired;
    case ErrorCode::WrongPassword:
      return SessionErrorCode::WrongPassword;
    case ErrorCode::TooManyAttempts:
      return SessionErrorCode::TooManyAttempts;
    case ErrorCode::RoomLocked:
      return SessionErrorCode::RoomLocked;
    case ErrorCode::Banned:
      return SessionErrorCode::Banned;
  }
  return SessionErrorCode::ProtocolError;
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
  const std::string name = room.empty() ? std::string("this room") : "'" + std::string(room) + "'";
  switch (code) {
    case SessionErrorCode::None:
      return "";
    case SessionErrorCode::ServerUnreachable:
      return "Cannot reach the vroom server. Check your connection and try again.";
    case SessionErrorCode::SessionReplaced:
      return "This session was opened in another tab or window. Rejoin here to continue.";
    case SessionErrorCode::ProtocolError:
      return "The server and this page disagree about the protocol. Reload the page.";
    case SessionErrorCode::VersionMismatch:
      return "This page is out of date for the server. Reload the page.";
    case SessionErrorCode::RoomExists:
      return "A broadcast with the id " + name + " is already live. Pick another id.";
    case SessionErrorCode::RoomNotFound:
      return "No broadcast named " + name + " is live. Check the id.";
    case SessionErrorCode::RoomFull:
      return "The room " + name + " is full. Try again later.";
    case SessionErrorCode::RoomClosed:
      return "The broadcast has ended: the host left.";
    case SessionErrorCode::NotInRoom:
      return "You are not in a room any more. Join again.";
    case SessionErrorCode::AlreadyInRoom:
      return "You are already in a room. Leave it first.";
    case SessionErrorCode::NotAllowed:
      return "That is not allowed in this room.";
    case SessionErrorCode::RateLimited:
      return "You are sending messages too fast. Wait a moment and try again.";
    case SessionErrorCode::InvalidRoomId:
      return "Room ids use letters, digits, '.', '_' and '-' (at most 64 characters).";
    case SessionErrorCode::InvalidName:
      return "Enter a name of 1 to 40 characters, without control characters.";
    case SessionErrorCode::ChatTooLong:
      return "That message is too long. Shorten it and send again.";
    case SessionErrorCode::TokenRequired:
      return "This server lets in only people with an invitation. Open the link you were given "
             "(it carries your join token).";
    case SessionErrorCode::TokenInvalid:
      return "Your invitation is not valid for this server. Ask whoever invited you for a new "
             "link.";
    case SessionErrorCode::TokenExpired:
      return "Your invitation has expired (or is not valid yet). Ask for a new link.";
    case SessionErrorCode::TokenWrongRoom:
      return "Your invitation is for another room than " + name + ". Open the link you were given.";
    case SessionErrorCode::PasswordRequired:
      return "The room " + name +
             " has a password. Type it in the Room password field and join again.";
    case SessionErrorCode::WrongPassword:
      return "That password is not right for " + name + ". Check it and try again.";
    case SessionErrorCode::TooManyAttempts:
      return "Too many wrong passwords were tried from your network. Wait a minute, then try "
             "again.";
    case SessionErrorCode::RoomLocked:
      return "The room " + name + " is locked: a moderator stopped new people from joining.";
    case SessionErrorCode::Banned:
      return "A moderator removed you from " + name + ". You cannot rejoin while it lasts.";
    case SessionErrorCode::Removed:
      return "A moderator removed you from the room.";
    case SessionErrorCode::RoomEnded:
      return "A moderator ended the room for everyone.";
    case SessionErrorCode::MuteRequested:
      return "A moderator asked you to mute. Your microphone is off; unmute it when you want to "
             "speak.";
    case SessionErrorCode::MediaPermissionDenied:
      return screen ? "Screen sharing was not allowed. Allow it in the browser to share."
                    : "Camera and microphone access was denied. Allow it in the browser's "
                      "address bar, then try again.";
    case SessionErrorCode::MediaNoDevice:
      return "No camera or microphone was found. Connect one, or join without it.";
    case SessionErrorCode::MediaDeviceInUse:
      return "Your camera or microphone is in use by another application. Close it and try "
             "again.";
    case SessionErrorCode::MediaInsecureContext:
      return "Camera and microphone need a secure page (https). Open vroom over https.";
    case SessionErrorCode::MediaAborted:
      return screen ? "Screen sharing was cancelled."
                    : "Starting the camera was interrupted. Try again.";
    case SessionErrorCode::MediaNeedsUserGesture:
      return screen ? "The browser starts screen sharing only from a click or key press. Click "
                      "Share screen to try again."
                    : "The browser starts the camera and microphone only after a click or key "
                      "press. Click the page, then try again.";
    case SessionErrorCode::MediaUnknown:
      return "The camera or microphone could not be started. Try another device.";
    case SessionErrorCode::SpeakerUnavailable:
      return "That speaker could not be used (it is gone, or this browser cannot choose one). "
             "Sound keeps playing where it was.";
    case SessionErrorCode::ScreenShareUnavailable:
      return "Screen sharing is not available here (audio-only room, or you are watching).";
    case SessionErrorCode::NotConnected:
      return "Join a room first.";
    case SessionErrorCode::PeerConnectionUnavailable:
      return "The browser refused to create a media connection. Reload the page.";
  }
  return "";
}

SessionError makeError(SessionErrorCode code, std::string_view room, bool screen) {
  return SessionError{code, userMessage(code, room, screen)};
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
