// The session error table: every code has one name and a sentence, names are unique and
// round-trip, wire errors map onto the session's codes, and "{room}" is filled in.
#include "session_errors.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace vroom {
namespace {

constexpr SessionErrorCode kAll[] = {
#define VROOM_X(code, name, sentence, screenSentence) SessionErrorCode::code,
    VROOM_SESSION_ERRORS(VROOM_X)
#undef VROOM_X
};

TEST(SessionErrors, EveryCodeHasAUniqueNameThatRoundTripsAndASentence) {
  std::set<std::string_view> names;
  for (SessionErrorCode code : kAll) {
    const std::string_view name = toString(code);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(sessionErrorFromString(name), code) << name;
    if (code != SessionErrorCode::None) {
      EXPECT_FALSE(userMessage(code).empty()) << name;
    }
  }
  EXPECT_EQ(sessionErrorFromString("no_such_error"), std::nullopt);
}

TEST(SessionErrors, WireErrorsMapOntoSessionCodes) {
  using protocol::ErrorCode;
  EXPECT_EQ(fromProtocol(ErrorCode::InvalidJson), SessionErrorCode::ProtocolError);
  EXPECT_EQ(fromProtocol(ErrorCode::HelloRequired), SessionErrorCode::ProtocolError);
  EXPECT_EQ(fromProtocol(ErrorCode::UnsupportedVersion), SessionErrorCode::VersionMismatch);
  EXPECT_EQ(fromProtocol(ErrorCode::UnknownPeer), SessionErrorCode::NotAllowed);
  EXPECT_EQ(fromProtocol(ErrorCode::TooLong), SessionErrorCode::ChatTooLong);
  EXPECT_EQ(fromProtocol(ErrorCode::RoomFull), SessionErrorCode::RoomFull);
  EXPECT_EQ(fromProtocol(ErrorCode::Banned), SessionErrorCode::Banned);
  // Every user error of the wire is a session error the person is told about.
  for (int i = 0; i <= static_cast<int>(protocol::kLastErrorCode); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (protocol::isProtocolError(code)) continue;
    EXPECT_NE(fromProtocol(code), SessionErrorCode::ProtocolError) << protocol::toString(code);
  }
}

TEST(SessionErrors, SentencesNameTheRoomAndTheScreen) {
  EXPECT_EQ(userMessage(SessionErrorCode::RoomFull, "standup"),
            "The room 'standup' is full. Try again later.");
  EXPECT_EQ(userMessage(SessionErrorCode::MediaAborted, {}, true), "Screen sharing was cancelled.");
  EXPECT_EQ(userMessage(SessionErrorCode::MediaAborted),
            "Starting the camera was interrupted. Try again.");
  EXPECT_EQ(userMessage(SessionErrorCode::ChatEmpty), "Type a message first.");
}

}  // namespace
}  // namespace vroom
