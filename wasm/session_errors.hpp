// Every error the session can show, as one enum (server codes, media failures, network),
// and the sentence a person sees for each: the catalogue of what the user is told.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "media_devices.hpp"
#include "protocol.hpp"

namespace vroom {

// The one table of session errors: X(Code, "name", "sentence", "sentence when sharing a
// screen" or ""). The name is the JS API's error code (www/vroom.d.ts); "{room}" in a
// sentence is replaced by the room's name. Adding an error is one line here (and vroom.d.ts).
#define VROOM_SESSION_ERRORS(X)                                                                    \
  X(None, "none", "", "")                                                                          \
  /* network */                                                                                    \
  X(ServerUnreachable, "server_unreachable", /* could not (re)connect within the retry budget */   \
    "Cannot reach the vroom server. Check your connection and try again.", "")                     \
  X(SessionReplaced, "session_replaced", /* another tab or device resumed this session */          \
    "This session was opened in another tab or window. Rejoin here to continue.", "")              \
  X(ProtocolError, "protocol_error", /* the server closed us for a protocol violation (a bug) */   \
    "The server and this page disagree about the protocol. Reload the page.", "")                  \
  X(VersionMismatch, "version_mismatch",                                                           \
    "This page is out of date for the server. Reload the page.", "")                               \
  /* server user errors */                                                                         \
  X(RoomExists, "room_exists", "A broadcast with the id {room} is already live. Pick another id.", \
    "")                                                                                            \
  X(RoomNotFound, "room_not_found", "No broadcast named {room} is live. Check the id.", "")        \
  X(RoomFull, "room_full", "The room {room} is full. Try again later.", "")                        \
  X(RoomClosed, "room_closed", "The broadcast has ended: the host left.", "")                      \
  X(NotInRoom, "not_in_room", "You are not in a room any more. Join again.", "")                   \
  X(AlreadyInRoom, "already_in_room", "You are already in a room. Leave it first.", "")            \
  X(NotAllowed, "not_allowed", "That is not allowed in this room.", "")                            \
  X(RateLimited, "rate_limited",                                                                   \
    "You are sending messages too fast. Wait a moment and try again.", "")                         \
  X(InvalidRoomId, "invalid_room_id",                                                              \
    "Room ids use letters, digits, '.', '_' and '-' (at most 64 characters).", "")                 \
  X(InvalidName, "invalid_name",                                                                   \
    "Enter a name of 1 to 40 characters, without control characters.", "")                         \
  X(ChatTooLong, "chat_too_long", "That message is too long. Shorten it and send again.", "")      \
  X(ChatEmpty, "chat_empty", "Type a message first.", "")                                          \
  /* who may enter, moderation */                                                                  \
  X(TokenRequired, "token_required", /* the server admits only holders of a join token */          \
    "This server lets in only people with an invitation. Open the link you were given (it "        \
    "carries your join token).",                                                                   \
    "")                                                                                            \
  X(TokenInvalid, "token_invalid",                                                                 \
    "Your invitation is not valid for this server. Ask whoever invited you for a new link.", "")   \
  X(TokenExpired, "token_expired",                                                                 \
    "Your invitation has expired (or is not valid yet). Ask for a new link.", "")                  \
  X(TokenWrongRoom, "token_wrong_room",                                                            \
    "Your invitation is for another room than {room}. Open the link you were given.", "")          \
  X(PasswordRequired, "password_required", /* the lobby asks for the room's password */            \
    "The room {room} has a password. Type it in the Room password field and join again.", "")      \
  X(WrongPassword, "wrong_password",                                                               \
    "That password is not right for {room}. Check it and try again.", "")                          \
  X(TooManyAttempts, "too_many_attempts",                                                          \
    "Too many wrong passwords were tried from your network. Wait a minute, then try again.", "")   \
  X(RoomLocked, "room_locked",                                                                     \
    "The room {room} is locked: a moderator stopped new people from joining.", "")                 \
  X(Banned, "banned", /* removed for the room's lifetime: refused when trying to come back */      \
    "A moderator removed you from {room}. You cannot rejoin while it lasts.", "")                  \
  X(Removed, "removed", /* a moderator removed you (the sentence names who) */                     \
    "A moderator removed you from the room.", "")                                                  \
  X(RoomEnded, "room_ended",                                                                       \
    /* a moderator ended the room for everyone */ "A moderator ended the room for everyone.", "")  \
  X(MuteRequested,                                                                                 \
    "mute_requested", /* a notice, not an error: a moderator asked you to mute (you are muted) */  \
    "A moderator asked you to mute. Your microphone is off; unmute it when you want to speak.",    \
    "")                                                                                            \
  X(SfuUnavailable, "sfu_unavailable", /* the room needs the video server and it is down */        \
    "The video server cannot be reached, so video may stutter or pause until it is back. vroom "   \
    "keeps trying.",                                                                               \
    "")                                                                                            \
  /* media */                                                                                      \
  X(MediaPermissionDenied, "media_permission_denied",                                              \
    "Camera and microphone access was denied. Allow it in the browser's address bar, then try "    \
    "again.",                                                                                      \
    "Screen sharing was not allowed. Allow it in the browser to share.")                           \
  X(MediaNoDevice, "media_no_device",                                                              \
    "No camera or microphone was found. Connect one, or join without it.", "")                     \
  X(MediaDeviceInUse, "media_device_in_use",                                                       \
    "Your camera or microphone is in use by another application. Close it and try again.", "")     \
  X(MediaInsecureContext, "media_insecure_context",                                                \
    "Camera and microphone need a secure page (https). Open vroom over https.", "")                \
  X(MediaAborted, "media_aborted", "Starting the camera was interrupted. Try again.",              \
    "Screen sharing was cancelled.")                                                               \
  X(MediaNeedsUserGesture, "media_needs_user_gesture",                                             \
    "The browser starts the camera and microphone only after a click or key press. Click the "     \
    "page, then try again.",                                                                       \
    "The browser starts screen sharing only from a click or key press. Click Share screen to try " \
    "again.")                                                                                      \
  X(MediaUnknown, "media_unknown",                                                                 \
    "The camera or microphone could not be started. Try another device.", "")                      \
  X(SpeakerUnavailable, "speaker_unavailable", /* the chosen speaker is gone, not allowed, or the  \
                                                  browser cannot choose */                         \
    "That speaker could not be used (it is gone, or this browser cannot choose one). Sound keeps " \
    "playing where it was.",                                                                       \
    "")                                                                                            \
  /* local rules */                                                                                \
  X(ScreenShareUnavailable, "screen_share_unavailable",                                            \
    "Screen sharing is not available here (audio-only room, or you are watching).", "")            \
  X(NotConnected, "not_connected",                                                                 \
    /* a command that needs the room before joining it */ "Join a room first.", "")                \
  X(PeerConnectionUnavailable, "peer_connection_unavailable",                                      \
    "The browser refused to create a media connection. Reload the page.", "")

enum class SessionErrorCode {
#define VROOM_X(code, name, sentence, screenSentence) code,
  VROOM_SESSION_ERRORS(VROOM_X)
#undef VROOM_X
};

struct SessionError {
  SessionErrorCode code = SessionErrorCode::None;
  std::string message;  // for people; empty for None
  bool operator==(const SessionError&) const = default;
};

std::string_view toString(SessionErrorCode code);  // "room_exists", "media_permission_denied"
std::optional<SessionErrorCode> sessionErrorFromString(std::string_view name);
SessionErrorCode fromProtocol(protocol::ErrorCode code);
SessionErrorCode fromMedia(MediaErrorCode code);

// The message shown for `code`; `room` names the room where it helps. Screen-share media
// errors get their own wording through `screen`.
std::string userMessage(SessionErrorCode code, std::string_view room = {}, bool screen = false);
SessionError makeError(SessionErrorCode code, std::string_view room = {}, bool screen = false);
// What is wrong with a room id and display name before they are sent (None when nothing):
// the rules of protocol::isValidRoomId and protocol::checkName, in the sentences the lobby
// shows and the session reports (InvalidRoomId, InvalidName).
SessionError checkEntry(std::string_view room, std::string_view name);
// The sentences of what a moderator did to you: Removed (`ban`: for the room's lifetime),
// RoomEnded (`broadcast`: a broadcast rather than a meeting) and MuteRequested; `who` is the
// moderator's name.
SessionError moderationNotice(SessionErrorCode code, std::string_view who, bool ban = false,
                              bool broadcast = false);

}  // namespace vroom
