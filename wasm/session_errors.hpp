// Every error the session can show, as one enum (server codes, media failures, network),
// and the sentence a person sees for each: what happened and what to do about it.
#pragma once

#include <string>
#include <string_view>

#include "media_devices.hpp"
#include "protocol.hpp"

namespace vroom {

enum class SessionErrorCode {
  None,
  // network
  ServerUnreachable,  // could not (re)connect within the retry budget
  SessionReplaced,    // another tab or device resumed this session
  ProtocolError,      // the server closed us for a protocol violation (a bug)
  VersionMismatch,
  // server user errors
  RoomExists,
  RoomNotFound,
  RoomFull,
  RoomClosed,
  NotInRoom,
  AlreadyInRoom,
  NotAllowed,
  RateLimited,
  InvalidRoomId,
  InvalidName,
  ChatTooLong,
  // who may enter, moderation
  TokenRequired,  // the server admits only holders of a join token
  TokenInvalid,
  TokenExpired,
  TokenWrongRoom,
  PasswordRequired,  // the lobby asks for the room's password
  WrongPassword,
  TooManyAttempts,
  RoomLocked,
  Banned,         // removed for the room's lifetime: refused when trying to come back
  Removed,        // a moderator removed you (the sentence names who)
  RoomEnded,      // a moderator ended the room for everyone
  MuteRequested,  // a notice, not an error: a moderator asked you to mute (you are muted)
  // media
  MediaPermissionDenied,
  MediaNoDevice,
  MediaDeviceInUse,
  MediaInsecureContext,
  MediaAborted,
  MediaNeedsUserGesture,
  MediaUnknown,
  SpeakerUnavailable,  // the chosen speaker is gone, not allowed, or the browser cannot choose
  // local rules
  ScreenShareUnavailable,
  NotConnected,  // a command that needs the room before joining it
  PeerConnectionUnavailable,
};

struct SessionError {
  SessionErrorCode code = SessionErrorCode::None;
  std::string message;  // for people; empty for None
  bool operator==(const SessionError&) const = default;
};

std::string_view toString(SessionErrorCode code);  // "room_exists", "media_permission_denied"
SessionErrorCode fromProtocol(protocol::ErrorCode code);
SessionErrorCode fromMedia(MediaErrorCode code);

// The message shown for `code`; `room` names the room where it helps. Screen-share media
// errors get their own wording through `screen`.
std::string userMessage(SessionErrorCode code, std::string_view room = {}, bool screen = false);
SessionError makeError(SessionErrorCode code, std::string_view room = {}, bool screen = false);
// The sentences of what a moderator did to you: Removed (`ban`: for the room's lifetime),
// RoomEnded (`broadcast`: a broadcast rather than a meeting) and MuteRequested; `who` is the
// moderator's name.
SessionError moderationNotice(SessionErrorCode code, std::string_view who, bool ban = false,
                              bool broadcast = false);

}  // namespace vroom
