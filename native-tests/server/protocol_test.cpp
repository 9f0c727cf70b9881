// Tests of wasm/protocol: every message type round-trips, and a table of malformed inputs
// each yields its expected error code (and never throws or crashes).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol.hpp"
#include "protocol_scan.hpp"

namespace vroom::protocol {
namespace {

using nlohmann::json;

PeerInfo peer(std::string id, std::string name, Role role, MediaState media = {}) {
  return PeerInfo{std::move(id), std::move(name), role, media};
}

struct RoundTripCase {
  const char* label;
  Sender sender;  // who sends it, i.e. how the receiver decodes it
  Message message;
};

std::vector<RoundTripCase> roundTripCases() {
  Welcome welcome{1, "tok-abc", true, Limits{1000, 200, 8, 12.5, 30}, {}};
  welcome.iceServers.push_back(IceServer{{"stun:stun.example.org:3478"}, "", ""});
  welcome.iceServers.push_back(
      IceServer{{"turn:t.example.org?transport=udp", "turns:t.example.org"}, "u", "p"});
  Joined joined{peer("me", "Ann", Role::Host, {false, true, true}),
                "room-1",
                Mode::Broadcast,
                true,
                {peer("v1", "Bob", Role::Viewer)},
                true};
  return {
      {"hello", Sender::Client, Hello{1, ""}},
      {"hello with token", Sender::Client, Hello{1, "0123456789abcdef"}},
      {"create conference", Sender::Client, Create{"r1", "Ann", Mode::Conference, false}},
      {"create broadcast audio-only", Sender::Client,
       Create{"a.b-c_D", "Zoë", Mode::Broadcast, true}},
      {"join no role", Sender::Client, Join{"r1", "Bob", std::nullopt}},
      {"join as viewer", Sender::Client, Join{"r1", "Bob", Role::Viewer}},
      {"join as host", Sender::Client, Join{"r1", "Bob", Role::Host}},
      {"join as viewer, waiting", Sender::Client, Join{"r1", "Bob", Role::Viewer, true}},
      {"leave", Sender::Client, Leave{}},
      {"media", Sender::Client, SetMedia{{false, true, true}}},
      {"signal to", Sender::Client,
       Signal{"peer-2", "", json{{"sdp", "v=0\r\n"}, {"kind", "offer"}}}},
      {"chat from client", Sender::Client, Chat{"hello there", "", "", 0}},
      {"ping from client", Sender::Client, Ping{42}},
      {"pong from client", Sender::Client, Pong{43}},
      {"welcome", Sender::Server, welcome},
      {"welcome no ice", Sender::Server, Welcome{1, "t", false, Limits{}, {}}},
      {"joined", Sender::Server, joined},
      {"joined empty", Sender::Server,
       Joined{peer("me", "Ann", Role::Member), "r", Mode::Conference, false, {}, false}},
      {"peer-joined", Sender::Server,
       PeerJoined{peer("p", "Pat", Role::Viewer, {true, false, false})}},
      {"peer-left", Sender::Server, PeerLeft{"p"}},
      {"peer-media", Sender::Server, PeerMedia{"p", {true, true, false}}},
      {"left", Sender::Server, Left{}},
      {"room-closed", Sender::Server, RoomClosedMsg{"host_left"}},
      {"error with type", Sender::Server, ErrorMsg{ErrorCode::RoomFull, "full", "join"}},
      {"error without type", Sender::Server, ErrorMsg{ErrorCode::InvalidJson, "bad", ""}},
      {"signal from", Sender::Server,
       Signal{"", "peer-1", json{{"candidate", "candidate:1 1 udp 2 1.2.3.4 5 typ host"}}}},
      {"chat from server", Sender::Server, Chat{"hi 👋", "peer-1", "Ann", 1700000000123}},
      {"ping from server", Sender::Server, Ping{7}},
      {"pong from server", Sender::Server, Pong{8}},
      {"ice-servers", Sender::Server,
       IceServersMsg{{IceServer{{"turn:127.0.0.1:3478?transport=udp", "turns:t.example:5349"},
                                "1700003600:peer-1",
                                "c2VjcmV0"}}}},
      {"ice-servers empty", Sender::Server, IceServersMsg{}},
      {"waiting", Sender::Server, Waiting{"launch-1"}},
      {"create with credentials", Sender::Client,
       Create{"r1", "Ann", Mode::Broadcast, false, "ey.jw.t", "s3cret"}},
      {"join with credentials", Sender::Client,
       Join{"r1", "Bob", std::nullopt, false, "ey.jw.t", "pass word"}},
      {"remove", Sender::Client, Remove{"p2", false}},
      {"remove and ban", Sender::Client, Remove{"p2", true}},
      {"request-mute", Sender::Client, RequestMute{"p2"}},
      {"lock", Sender::Client, Lock{true}},
      {"unlock", Sender::Client, Lock{false}},
      {"end-room", Sender::Client, EndRoom{}},
      {"joined with moderators", Sender::Server,
       Joined{
           peer("me", "Ann", Role::Member), "r", Mode::Conference, false, {}, false, {"me"}, true}},
      {"room-state", Sender::Server, RoomState{{"a", "b"}, true, "a"}},
      {"room-state handed on", Sender::Server, RoomState{{"b"}, false, ""}},
      {"removed", Sender::Server, Removed{"p2", "p1", "Ann", true}},
      {"mute-requested", Sender::Server, MuteRequested{"p2", "p1", "Ann"}},
      {"room-closed ended", Sender::Server, RoomClosedMsg{"ended", "p1", "Ann"}},
      // media through the video server
      {"hello able to use the sfu", Sender::Client, Hello{1, "", true}},
      {"media-path sfu", Sender::Server, MediaPath{MediaPathKind::Sfu, true, 3}},
      {"media-path mesh", Sender::Server, MediaPath{MediaPathKind::Mesh, false, 0}},
      {"sfu-offer from the publisher", Sender::Client, SfuOffer{"v=0\r\nm=video 9 ..."}},
      {"sfu-offer of the subscriber link", Sender::Server,
       SfuOffer{"v=0\r\n", {{"0", "p1", "audio"}, {"1", "p1", "video"}, {"2", "p2", "video"}}}},
      {"sfu-offer of the subscriber link, every publisher gone", Sender::Server,
       SfuOffer{"v=0\r\n", {}}},
      {"sfu-answer to the publisher", Sender::Server, SfuAnswer{"v=0\r\nanswer"}},
      {"sfu-answer of the subscriber", Sender::Client, SfuAnswer{"v=0\r\nanswer"}},
      {"sfu-candidate", Sender::Client,
       SfuCandidate{SfuLink::Subscriber, "candidate:1 1 udp 2 10.0.0.1 5000 typ host", "0", 0}},
      {"sfu-candidate without mid", Sender::Client,
       SfuCandidate{SfuLink::Publisher, "candidate:1 1 udp 2 10.0.0.1 5000 typ host", "", -1}},
      {"sfu-candidate end", Sender::Client, SfuCandidate{SfuLink::Publisher, "", "", -1}},
      {"sfu-candidate end of one m-line", Sender::Client,
       SfuCandidate{SfuLink::Subscriber, "", "0", 0}},
      {"sfu-layer low", Sender::Client, SfuLayer{"p2", Layer::Low}},
      {"sfu-layer off", Sender::Client, SfuLayer{"p2", Layer::Off}},
      {"sfu-restart", Sender::Client, SfuRestart{}},
      {"sfu-send-layer medium", Sender::Server, SfuSendLayer{Layer::Medium}},
      {"sfu-send-layer off", Sender::Server, SfuSendLayer{Layer::Off}},
      {"sfu-hangup publisher", Sender::Server, SfuHangup{SfuLink::Publisher}},
      {"sfu-hangup subscriber", Sender::Server, SfuHangup{SfuLink::Subscriber}},
  };
}

TEST(ProtocolRoundTrip, EveryMessageTypeSurvivesEncodeThenDecode) {
  for (const auto& c : roundTripCases()) {
    SCOPED_TRACE(c.label);
    const std::string text = encode(c.message);
    const auto decoded = decode(text, c.sender);
    ASSERT_TRUE(decoded.ok()) << text << " -> " << decoded.error().message;
    EXPECT_EQ(decoded.value(), c.message) << text;
    EXPECT_EQ(typeName(decoded.value()), typeName(c.message));
    const json j = json::parse(text, nullptr, false);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.value("type", ""), typeName(c.message));
  }
}

TEST(ProtocolRoundTrip, CoversEveryAlternativeOfMessage) {
  std::vector<bool> seen(std::variant_size_v<Message>, false);
  for (const auto& c : roundTripCases()) seen[c.message.index()] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "alternative " << i;
}

TEST(ProtocolWire, UsesTheDocumentedNames) {
  EXPECT_EQ(encode(SetMedia{}),
            R"({"media":{"audio":true,"screen":false,"video":true},"type":"media"})");
  EXPECT_EQ(encode(ErrorMsg{ErrorCode::NotAllowed, "no", "signal"}),
            R"({"code":"not_allowed","message":"no","offendingType":"signal","type":"error"})");
  EXPECT_EQ(encode(PeerLeft{"x"}), R"({"id":"x","type":"peer-left"})");
  EXPECT_EQ(encode(RoomClosedMsg{"host_left"}), R"({"reason":"host_left","type":"room-closed"})");
  EXPECT_EQ(encode(IceServersMsg{{IceServer{{"turn:h:3478"}, "9:p", "x"}}}),
            R"({"iceServers":[{"credential":"x","urls":["turn:h:3478"],"username":"9:p"}],)"
            R"("type":"ice-servers"})");
  EXPECT_EQ(encode(Waiting{"show"}), R"({"room":"show","type":"waiting"})");
  EXPECT_EQ(encode(Hello{1, "", true}), R"({"sfu":true,"type":"hello","version":1})");
  EXPECT_EQ(encode(MediaPath{MediaPathKind::Sfu, false, 2}),
            R"({"epoch":2,"path":"sfu","publish":false,"type":"media-path"})");
  EXPECT_EQ(encode(SfuOffer{"x", {{"3", "p", "video"}}}),
            R"({"sdp":"x","streams":[{"kind":"video","mid":"3","peer":"p"}],"type":"sfu-offer"})");
  EXPECT_EQ(encode(SfuCandidate{SfuLink::Subscriber, "c", "0", 1}),
            R"({"candidate":"c","link":"subscriber","sdpMLineIndex":1,"sdpMid":"0",)"
            R"("type":"sfu-candidate"})");
  EXPECT_EQ(encode(SfuLayer{"p", Layer::Medium}),
            R"({"layer":"medium","peer":"p","type":"sfu-layer"})");
  EXPECT_EQ(encode(SfuRestart{}), R"({"type":"sfu-restart"})");
  EXPECT_EQ(encode(SfuSendLayer{Layer::Low}), R"({"layer":"low","type":"sfu-send-layer"})");
  EXPECT_EQ(encode(SfuHangup{SfuLink::Subscriber}), R"({"link":"subscriber","type":"sfu-hangup"})");
  EXPECT_EQ(encode(ErrorMsg{ErrorCode::SfuUnavailable, "m", ""}),
            R"({"code":"sfu_unavailable","message":"m","type":"error"})");
  EXPECT_EQ(encode(Join{"show", "Bo", Role::Viewer, true}),
            R"({"name":"Bo","role":"viewer","room":"show","type":"join","wait":true})");
  EXPECT_EQ(encode(Join{"show", "Bo", Role::Viewer}),
            R"({"name":"Bo","role":"viewer","room":"show","type":"join"})");
  const json welcome = json::parse(encode(Welcome{}));
  for (const char* key : {"maxMessageBytes", "maxChatChars", "maxRoomSize", "messagesPerSecond",
                          "resumeWindowSeconds"})
    EXPECT_TRUE(welcome["limits"].contains(key)) << key;
}

TEST(ProtocolDecode, ClientCannotChooseItsFrom) {
  const auto decoded =
      decode(R"({"type":"signal","to":"b","from":"forged","data":{}})", Sender::Client);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Signal>(decoded.value()).from, "");
  const auto chat = decode(R"({"type":"chat","text":"x","from":"forged","ts":5})", Sender::Client);
  ASSERT_TRUE(chat.ok());
  EXPECT_EQ(std::get<Chat>(chat.value()).from, "");
  EXPECT_EQ(std::get<Chat>(chat.value()).ts, 0);
}

TEST(ProtocolDecode, TrimsNamesAndIgnoresUnknownFields) {
  const auto decoded =
      decode(R"({"type":"join","room":"r","name":"  Ann \t","future":[1,2]})", Sender::Client);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<Join>(decoded.value()).name, "Ann");
  const auto create = decode(R"({"type":"create","room":"r","name":"A"})", Sender::Client);
  ASSERT_TRUE(create.ok());  // mode and audioOnly are optional
  EXPECT_EQ(std::get<Create>(create.value()).mode, Mode::Conference);
}

TEST(ProtocolDecode, ChatCapFollowsTheGivenLimits) {
  const std::string text = R"({"type":"chat","text":")" + std::string(20, 'x') + R"("})";
  Limits limits;
  limits.maxChatChars = 20;
  EXPECT_TRUE(decode(text, Sender::Client, limits).ok());
  limits.maxChatChars = 19;
  const auto tooLong = decode(text, Sender::Client, limits);
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error().code, ErrorCode::TooLong);
  EXPECT_EQ(tooLong.error().type, "chat");
}

struct MalformedCase {
  const char* label;
  std::string text;
  Sender sender;
  ErrorCode expected;
};

// A valid signal whose JSON nests exactly `depth` levels (message object, data object, arrays).
std::string nested(int depth) {
  return R"({"type":"signal","to":"p","data":{"x":)" + std::string(depth - 2, '[') +
         std::string(depth - 2, ']') + "}}";
}

std::vector<MalformedCase> malformedCases() {
  const auto C = Sender::Client;
  const auto S = Sender::Server;
  const std::string chatOk(kMaxChatChars, 'a');
  const std::string chatLong(kMaxChatChars + 1, 'a');
  std::string chatLongUnicode;
  for (std::size_t i = 0; i <= kMaxChatChars; ++i) chatLongUnicode += "é";
  return {
      // not JSON / bad bytes / too deep -> invalid_json (1007)
      {"empty", "", C, ErrorCode::InvalidJson},
      {"whitespace", "   ", C, ErrorCode::InvalidJson},
      {"truncated object", R"({"type":"hello","version":1)", C, ErrorCode::InvalidJson},
      {"truncated string", R"({"type":"hel)", C, ErrorCode::InvalidJson},
      {"trailing garbage", R"({"type":"leave"} x)", C, ErrorCode::InvalidJson},
      {"single quotes", R"({'type':'leave'})", C, ErrorCode::InvalidJson},
      {"comment", R"({"type":"leave"/* c */})", C, ErrorCode::InvalidJson},
      {"trailing comma", R"({"type":"leave",})", C, ErrorCode::InvalidJson},
      {"invalid utf-8 in string", "{\"type\":\"chat\",\"text\":\"\xff\"}", C,
       ErrorCode::InvalidJson},
      {"overlong utf-8", "{\"type\":\"chat\",\"text\":\"\xc0\xaf\"}", C, ErrorCode::InvalidJson},
      {"utf-8 surrogate", "{\"type\":\"chat\",\"text\":\"\xed\xa0\x80\"}", C,
       ErrorCode::InvalidJson},
      {"truncated utf-8", "{\"type\":\"chat\",\"text\":\"\xe2\x82\"}", C, ErrorCode::InvalidJson},
      {"lone surrogate escape", R"({"type":"chat","text":"\ud800"})", C, ErrorCode::InvalidJson},
      {"nul byte", std::string("{\"type\":\"leave\"}\0", 17), C, ErrorCode::InvalidJson},
      {"deep nesting", nested(kMaxJsonDepth + 1), C, ErrorCode::InvalidJson},
      {"very deep nesting", std::string(100000, '['), C, ErrorCode::MessageTooBig},
      {"deep nesting under cap", std::string(5000, '[') + std::string(5000, ']'), C,
       ErrorCode::InvalidJson},
      // size cap -> message_too_big (1009)
      {"over the size cap",
       R"({"type":"chat","text":")" + std::string(kMaxMessageBytes, 'a') + "\"}", C,
       ErrorCode::MessageTooBig},
      // valid JSON, wrong shape -> invalid_message (1008)
      {"array", "[]", C, ErrorCode::InvalidMessage},
      {"string", R"("hello")", C, ErrorCode::InvalidMessage},
      {"number", "42", C, ErrorCode::InvalidMessage},
      {"null", "null", C, ErrorCode::InvalidMessage},
      {"no type", R"({"version":1})", C, ErrorCode::InvalidMessage},
      {"type not a string", R"({"type":7})", C, ErrorCode::InvalidMessage},
      {"unknown type", R"({"type":"explode"})", C, ErrorCode::InvalidMessage},
      {"type with wrong case", R"({"type":"Hello","version":1})", C, ErrorCode::InvalidMessage},
      {"server type from client", R"({"type":"welcome","version":1,"resumeToken":"t"})", C,
       ErrorCode::InvalidMessage},
      {"client type from server", R"({"type":"create","room":"r","name":"n"})", S,
       ErrorCode::InvalidMessage},
      {"hello without version", R"({"type":"hello"})", C, ErrorCode::InvalidMessage},
      {"hello version string", R"({"type":"hello","version":"1"})", C, ErrorCode::InvalidMessage},
      {"hello version float", R"({"type":"hello","version":1.5})", C, ErrorCode::InvalidMessage},
      {"hello version huge", R"({"type":"hello","version":18446744073709551615})", C,
       ErrorCode::InvalidMessage},
      {"hello token number", R"({"type":"hello","version":1,"resumeToken":5})", C,
       ErrorCode::InvalidMessage},
      {"create without room", R"({"type":"create","name":"n"})", C, ErrorCode::InvalidMessage},
      {"create without name", R"({"type":"create","room":"r"})", C, ErrorCode::InvalidMessage},
      {"create room number", R"({"type":"create","room":1,"name":"n"})", C,
       ErrorCode::InvalidMessage},
      {"create bad mode", R"({"type":"create","room":"r","name":"n","mode":"party"})", C,
       ErrorCode::InvalidMessage},
      {"create audioOnly string", R"({"type":"create","room":"r","name":"n","audioOnly":"yes"})", C,
       ErrorCode::InvalidMessage},
      {"join bad role", R"({"type":"join","room":"r","name":"n","role":"admin"})", C,
       ErrorCode::InvalidMessage},
      {"join role null", R"({"type":"join","room":"r","name":"n","role":null})", C,
       ErrorCode::InvalidMessage},
      {"media missing", R"({"type":"media"})", C, ErrorCode::InvalidMessage},
      {"media partial", R"({"type":"media","media":{"audio":true}})", C, ErrorCode::InvalidMessage},
      {"media mistyped", R"({"type":"media","media":{"audio":1,"video":true,"screen":false}})", C,
       ErrorCode::InvalidMessage},
      {"signal without to", R"({"type":"signal","data":{}})", C, ErrorCode::InvalidMessage},
      {"signal empty to", R"({"type":"signal","to":"","data":{}})", C, ErrorCode::InvalidMessage},
      {"signal without data", R"({"type":"signal","to":"p"})", C, ErrorCode::InvalidMessage},
      {"signal data string", R"({"type":"signal","to":"p","data":"sdp"})", C,
       ErrorCode::InvalidMessage},
      {"chat without text", R"({"type":"chat"})", C, ErrorCode::InvalidMessage},
      {"chat text array", R"({"type":"chat","text":["a"]})", C, ErrorCode::InvalidMessage},
      {"ping ts string", R"({"type":"ping","ts":"now"})", C, ErrorCode::InvalidMessage},
      {"welcome bad limits",
       R"({"type":"welcome","version":1,"resumeToken":"t","limits":{"maxRoomSize":-1}})", S,
       ErrorCode::InvalidMessage},
      {"welcome ice not array",
       R"({"type":"welcome","version":1,"resumeToken":"t","iceServers":{}})", S,
       ErrorCode::InvalidMessage},
      {"welcome ice url number",
       R"({"type":"welcome","version":1,"resumeToken":"t","iceServers":[{"urls":[1]}]})", S,
       ErrorCode::InvalidMessage},
      {"joined member not object",
       R"({"type":"joined","self":{"id":"a","name":"b","role":"member"},"room":"r","mode":"conference","members":[1]})",
       S, ErrorCode::InvalidMessage},
      {"joined bad role",
       R"({"type":"joined","self":{"id":"a","name":"b","role":"king"},"room":"r","mode":"conference","members":[]})",
       S, ErrorCode::InvalidMessage},
      {"error unknown code", R"({"type":"error","code":"oops","message":"m"})", S,
       ErrorCode::InvalidMessage},
      {"server signal without from", R"({"type":"signal","data":{}})", S,
       ErrorCode::InvalidMessage},
      {"server chat without from", R"({"type":"chat","text":"x"})", S, ErrorCode::InvalidMessage},
      // Found by the fuzzer: an empty `from` re-encoded as a client's chat.
      {"server chat empty from", R"({"type":"chat","text":"~hi","from":"","ts":170000000012})", S,
       ErrorCode::InvalidMessage},
      // media through the video server
      {"hello sfu string", R"({"type":"hello","version":1,"sfu":"yes"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-offer without sdp", R"({"type":"sfu-offer"})", C, ErrorCode::InvalidMessage},
      {"sfu-offer empty sdp", R"({"type":"sfu-offer","sdp":""})", C, ErrorCode::InvalidMessage},
      {"sfu-offer sdp object", R"({"type":"sfu-offer","sdp":{"type":"offer"}})", C,
       ErrorCode::InvalidMessage},
      {"sfu-answer sdp number", R"({"type":"sfu-answer","sdp":1})", C, ErrorCode::InvalidMessage},
      {"sfu-candidate without link", R"({"type":"sfu-candidate","candidate":"c"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-candidate unknown link", R"({"type":"sfu-candidate","link":"janus","candidate":"c"})",
       C, ErrorCode::InvalidMessage},
      {"sfu-candidate index huge",
       R"({"type":"sfu-candidate","link":"publisher","candidate":"c","sdpMLineIndex":99999})", C,
       ErrorCode::InvalidMessage},
      {"sfu-candidate index negative",
       R"({"type":"sfu-candidate","link":"publisher","candidate":"c","sdpMLineIndex":-5})", C,
       ErrorCode::InvalidMessage},
      {"sfu-layer without peer", R"({"type":"sfu-layer","layer":"low"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-layer empty peer", R"({"type":"sfu-layer","peer":"","layer":"low"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-layer unknown layer", R"({"type":"sfu-layer","peer":"p","layer":"4k"})", C,
       ErrorCode::InvalidMessage},
      {"media-path from a client", R"({"type":"media-path","path":"sfu"})", C,
       ErrorCode::InvalidMessage},
      {"media-path unknown path", R"({"type":"media-path","path":"p2p"})", S,
       ErrorCode::InvalidMessage},
      {"server sfu-offer streams not a list", R"({"type":"sfu-offer","sdp":"v=0","streams":{}})", S,
       ErrorCode::InvalidMessage},
      {"server sfu-offer stream without peer",
       R"({"type":"sfu-offer","sdp":"v=0","streams":[{"mid":"0","kind":"audio"}]})", S,
       ErrorCode::InvalidMessage},
      {"sfu-candidate from the server", R"({"type":"sfu-candidate","link":"publisher"})", S,
       ErrorCode::InvalidMessage},
      {"sfu-send-layer from a client", R"({"type":"sfu-send-layer","layer":"low"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-send-layer without layer", R"({"type":"sfu-send-layer"})", S,
       ErrorCode::InvalidMessage},
      {"sfu-hangup from a client", R"({"type":"sfu-hangup","link":"publisher"})", C,
       ErrorCode::InvalidMessage},
      {"sfu-hangup of no link", R"({"type":"sfu-hangup","link":"both"})", S,
       ErrorCode::InvalidMessage},
      // well-formed but bad values -> user errors (connection stays open)
      {"room id empty", R"({"type":"create","room":"","name":"n"})", C, ErrorCode::InvalidRoomId},
      {"room id space", R"({"type":"join","room":"a b","name":"n"})", C, ErrorCode::InvalidRoomId},
      {"room id slash", R"({"type":"join","room":"../etc","name":"n"})", C,
       ErrorCode::InvalidRoomId},
      {"room id unicode", R"({"type":"join","room":"café","name":"n"})", C,
       ErrorCode::InvalidRoomId},
      {"room id 65 chars", R"({"type":"join","room":")" + std::string(65, 'r') + R"(","name":"n"})",
       C, ErrorCode::InvalidRoomId},
      {"name empty", R"({"type":"join","room":"r","name":""})", C, ErrorCode::InvalidName},
      {"name only spaces", R"({"type":"join","room":"r","name":"   "})", C, ErrorCode::InvalidName},
      {"name with newline", R"({"type":"join","room":"r","name":"a\nb"})", C,
       ErrorCode::InvalidName},
      {"name with escape char", R"({"type":"join","room":"r","name":"a\u001bb"})", C,
       ErrorCode::InvalidName},
      {"name with C1 control", R"({"type":"join","room":"r","name":"a\u0085b"})", C,
       ErrorCode::InvalidName},
      {"name 41 chars", R"({"type":"create","room":"r","name":")" + std::string(41, 'n') + "\"}", C,
       ErrorCode::InvalidName},
      {"huge name", R"({"type":"create","room":"r","name":")" + std::string(60000, 'n') + "\"}", C,
       ErrorCode::InvalidName},
      {"chat over cap", R"({"type":"chat","text":")" + chatLong + "\"}", C, ErrorCode::TooLong},
      {"chat over cap in code points", R"({"type":"chat","text":")" + chatLongUnicode + "\"}", C,
       ErrorCode::TooLong},
  };
}

TEST(ProtocolDecode, MalformedInputsYieldTheirErrorCodes) {
  const auto cases = malformedCases();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto decoded = decode(c.text, c.sender);
    ASSERT_FALSE(decoded.ok()) << c.text.substr(0, 200);
    EXPECT_EQ(toString(decoded.error().code), toString(c.expected)) << decoded.error().message;
    EXPECT_FALSE(decoded.error().message.empty());
    EXPECT_LE(decoded.error().type.size(), 64u);
  }
  RecordProperty("malformed_cases", static_cast<int>(cases.size()));
}

TEST(ProtocolDecode, UserErrorsCarryTheOffendingType) {
  const auto decoded = decode(R"({"type":"join","room":"a b","name":"n"})", Sender::Client);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().type, "join");
  EXPECT_FALSE(isProtocolError(decoded.error().code));
  const auto unknown = decode(R"({"type":")" + std::string(500, 'z') + "\"}", Sender::Client);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, std::string(64, 'z'));  // echoed, but clipped
}

TEST(ProtocolDecode, DepthLimitIsExact) {
  EXPECT_TRUE(decode(nested(kMaxJsonDepth), Sender::Client).ok());
  EXPECT_FALSE(decode(nested(kMaxJsonDepth + 1), Sender::Client).ok());
  // Brackets inside strings are text, not nesting.
  const std::string inString =
      R"({"type":"signal","to":"p","data":{"sdp":")" + std::string(100, '[') + R"("}})";
  EXPECT_TRUE(decode(inString, Sender::Client).ok());
}

TEST(ProtocolDecode, SizeCapIsExact) {
  const std::string head = R"({"type":"chat","text":")";
  const std::string text = head + std::string(10, 'a') + "\"}";
  EXPECT_TRUE(decode(text, Sender::Client, text.size()).ok());
  const auto over = decode(text, Sender::Client, text.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::MessageTooBig);
}

// ---- the server's scan (protocol_scan.hpp) answers as decode() does ----

void expectScanAgrees(const std::string& label, const std::string& text) {
  SCOPED_TRACE(label);
  const Limits limits;
  const auto decoded = decode(text, Sender::Client, limits);
  const auto scanned = scanClient(text, limits);
  const auto viaScan = scanned.ok() ? decodeScanned(scanned.value(), limits)
                                    : Result<Message, DecodeError>(fail(scanned.error()));
  ASSERT_EQ(decoded.ok(), viaScan.ok());
  if (!decoded.ok()) {
    EXPECT_EQ(decoded.error().code, viaScan.error().code);
    EXPECT_EQ(decoded.error().message, viaScan.error().message);
    EXPECT_EQ(decoded.error().type, viaScan.error().type);
    return;
  }
  EXPECT_EQ(decoded.value(), viaScan.value());
  EXPECT_EQ(std::holds_alternative<Signal>(decoded.value()), scanned.value().isSignal);
}

TEST(ProtocolScan, AgreesWithDecodeOnEveryCase) {
  for (const auto& c : malformedCases())
    if (c.sender == Sender::Client) expectScanAgrees(c.label, c.text);
  for (const auto& c : roundTripCases())
    if (c.sender == Sender::Client) expectScanAgrees(c.label, encode(c.message));
  const std::vector<std::string> more{
      R"({"type":"signal","to":"p","data":{"a":[1,2.5e-3,true,null,"\u00e9\ud83d\ude00"]}})",
      R"( {"data":{},"to":"p","type":"signal"} )",
      "\xEF\xBB\xBF{\"type\":\"leave\"}",
      R"({"type":"sig\u006eal","t\u006f":"p","data":{}})",
      R"({"type":"signal","to":"p","data":{},"data":[]})",
      R"({"type":"signal","to":"p","to":"","data":{}})",
      R"({"type":"media","media":{"audio":[[1]],"video":true,"screen":false,"x":{}}})",
      R"({"type":"media","media":{"audio":true,"video":true,"screen":false,"junk":[[[]]]}})",
      R"({"type":"chat","text":"hi","extra":{"deep":[[[[{}]]]]},"text":"bye"})",
      R"({"type":"join","room":"r","name":{"n":1}})",
      R"({"type":"hello","version":1,"resumeToken":["t"]})",
      R"({"type":{"nested":"signal"}})",
      R"({"type":"sfu-candidate","link":"publisher","candidate":{"c":1}})",
      R"({"type":"sfu-offer","sdp":"v=0","streams":[{"mid":"0"}]})",
      R"({"type":"hello","version":1,"sfu":[true]})",
      R"({"type":"ping","ts":-0.0e+5})",
      R"({"type":"ping","ts":01})",
      R"({"type":"ping","ts":1.})",
      R"({"type":"chat","text":"\ud800\u0041"})",
      R"({"type":"chat","text":"\udc00"})",
      R"({"type":"chat","text":"\x"})",
      "{\"type\":\"chat\",\"text\":\"a\tb\"}",
      R"({"type":"leave"}{)",
      R"({"type":"signal","to":"p","data":{"x":)" + std::string(40, '[') + "}}",
  };
  for (const auto& text : more) expectScanAgrees(text, text);
}

TEST(ProtocolScan, SignalDataIsRelayedAsItsBytes) {
  const std::string data = R"({ "type" : "offer", "sdp" : "v=0\r\n", "b":[ 1 , 2 ] })";
  const std::string text = R"({"type":"signal","data":)" + data + R"(,"to":"x"})";
  const auto scanned = scanClient(text, Limits{});  // its data is a view into text
  ASSERT_TRUE(scanned.ok());
  ASSERT_TRUE(scanned.value().isSignal);
  EXPECT_EQ(scanned.value().to, "x");
  EXPECT_EQ(scanned.value().data, data);  // verbatim: key order and spacing as sent
  // The relayed frame reads, for a client, as the encoder's would.
  Signal expected;
  expected.from = "p\"1";
  expected.data = json::parse(data);
  const auto relayed = decode(encodeSignalFrame("p\"1", scanned.value().data), Sender::Server);
  ASSERT_TRUE(relayed.ok());
  EXPECT_EQ(relayed.value(), Message{expected});
  EXPECT_EQ(encodeSignalFrame("p\"1", R"({"a":1})"), encode(Signal{"", "p\"1", json{{"a", 1}}}));
}

TEST(ProtocolErrors, NamesRoundTripAndClassesMatchCloseCodes) {
  for (int i = 0; i <= static_cast<int>(kLastErrorCode); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    SCOPED_TRACE(std::string(toString(code)));
    EXPECT_EQ(errorCodeFromString(toString(code)), code);
    EXPECT_EQ(isProtocolError(code), closeCodeFor(code) != 0);
  }
  EXPECT_EQ(closeCodeFor(ErrorCode::InvalidJson), 1007);
  EXPECT_EQ(closeCodeFor(ErrorCode::InvalidMessage), 1008);
  EXPECT_EQ(closeCodeFor(ErrorCode::HelloRequired), 1008);
  EXPECT_EQ(closeCodeFor(ErrorCode::UnsupportedVersion), 1008);
  EXPECT_EQ(closeCodeFor(ErrorCode::MessageTooBig), 1009);
  EXPECT_EQ(toString(ErrorCode::RoomExists), "room_exists");
  EXPECT_EQ(toString(ErrorCode::RateLimited), "rate_limited");
  EXPECT_FALSE(errorCodeFromString("nope").has_value());
}

struct TextCase {
  const char* input;
  bool validRoom;
  std::optional<std::string> name;
};

TEST(ProtocolText, RoomIdsAndNames) {
  const std::vector<TextCase> cases = {
      {"abc", true, "abc"},
      {"A-b_c.9", true, "A-b_c.9"},
      {" Ann ", false, "Ann"},
      {"\xC2\xA0"
       "Ann"
       "\xE3\x80\x80",
       false, "Ann"},  // no-break space, ideographic space
      {"Zoë Ünal", false, "Zoë Ünal"},
      {"", false, std::nullopt},
      {"a\tb", false, std::nullopt},
      {"a\x7f", false, std::nullopt},
      {"\xff", false, std::nullopt},
      // Invisible format characters are removed, not refused: what is left is the name.
      {"\xE2\x80\xAE"
       "boB",
       false, "boB"},  // U+202E right-to-left override: "boB" no longer shows as "Bob"
      {"B\xE2\x80\x8B"
       "ob",
       false, "Bob"},  // U+200B zero-width space
      {"\xE2\x81\xA6"
       "Ann\xE2\x81\xA9",
       false, "Ann"},                                     // U+2066 .. U+2069 isolate
      {"A\xC2\xADnn\xEF\xBB\xBF", false, "Ann"},          // soft hyphen, BOM
      {"\xE2\x80\x8D\xE2\x80\x8C", false, std::nullopt},  // nothing but joiners
      {" \xE2\x80\x8F ", false, std::nullopt},            // a right-to-left mark between blanks
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(isValidRoomId(c.input), c.validRoom);
    EXPECT_EQ(normalizeName(c.input), c.name);
  }
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "ß";
  EXPECT_EQ(normalizeName(forty), forty);
  EXPECT_EQ(normalizeName(forty + "ß"), std::nullopt);
  EXPECT_EQ(codePointCount("aé👋"), 3u);
  EXPECT_TRUE(isValidUtf8("aé👋"));
  EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

struct ChatTextCase {
  const char* label;
  std::string text;
  std::string shown;
};

TEST(ProtocolText, ChatLosesControlAndBidiCharacters) {
  const std::vector<ChatTextCase> cases = {
      {"plain", "hello 👋", "hello 👋"},
      {"NUL", std::string("a\0b", 3), "ab"},
      {"ESC sequence", "\x1b[2Jgone", "[2Jgone"},
      {"bell and DEL", "a\x07\x7f b", "a b"},
      {"C1",
       "a\xC2\x85"
       "b",
       "ab"},
      {"line break kept, tab a space", "one\ntwo\tthree", "one\ntwo three"},
      {"carriage return", "a\r\nb", "a\nb"},
      {"line separator",
       "a\xE2\x80\xA8"
       "b",
       "a\nb"},
      {"override", "file\xE2\x80\xAEtxt.exe", "filetxt.exe"},
      {"isolates", "\xE2\x81\xA7x\xE2\x81\xA9", "x"},
      {"emoji joiner kept", "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",
       "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(cleanChatText(c.text), c.shown);
    EXPECT_EQ(cleanChatText(c.shown), c.shown);  // idempotent: a relay of a relay is the same
    // What the server decodes from a client, and a client from the server, is the clean text.
    const json wire{{"type", "chat"}, {"text", c.text}, {"from", "p"}, {"ts", 1}};
    for (Sender sender : {Sender::Client, Sender::Server}) {
      const auto decoded = decode(wire.dump(), sender);
      ASSERT_TRUE(decoded.ok()) << wire.dump();
      EXPECT_EQ(std::get<Chat>(decoded.value()).text, c.shown);
    }
  }
}

TEST(ProtocolEncode, NeverThrowsOnInvalidUtf8) {
  Chat chat{"bad \xff byte", "p", "n\xc3", 1};
  const std::string text = encode(chat);
  EXPECT_TRUE(isValidUtf8(text));
  EXPECT_TRUE(decode(text, Sender::Server).ok());
}

}  // namespace
}  // namespace vroom::protocol
