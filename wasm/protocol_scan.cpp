// scanClient() and the signal splice: a strict JSON validator with nlohmann's acceptance (a
// leading BOM, paired surrogate escapes, no comments) that remembers the top-level members
// the protocol reads. Fuzzed against decode() (native-tests/fuzz/protocol_fuzzer.cpp).
#include "protocol_scan.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

namespace vroom::protocol {

namespace {

enum class Kind { String, Number, Literal, Object, Array };

struct Slot {
  std::string_view raw;  // the value's JSON text
  Kind kind = Kind::Literal;
};

// The only fields decode() reads from a client message; everything else is ignored there.
constexpr std::array<std::string_view, 26> kClientKeys{
    "type",          "version", "resumeToken", "room", "name", "mode", "audioOnly", "role",
    "wait",          "media",   "to",          "data", "text", "ts",   "token",     "password",
    "peer",          "ban",     "locked",      "sfu",  "sdp",  "link", "candidate", "sdpMid",
    "sdpMLineIndex", "layer"};
constexpr std::array<std::string_view, 3> kMediaKeys{"audio", "video", "screen"};

template <std::size_t N>
struct Slots {
  const std::array<std::string_view, N>* keys;
  std::array<std::optional<Slot>, N> found{};
  void record(std::string_view key, Slot slot) {
    for (std::size_t i = 0; i < N; ++i)
      if ((*keys)[i] == key) found[i] = slot;  // the last duplicate wins, as in nlohmann
  }
  const std::optional<Slot>& operator[](std::string_view key) const {
    for (std::size_t i = 0; i < N; ++i)
      if ((*keys)[i] == key) return found[i];
    static const std::optional<Slot> none;
    return none;
  }
};

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // One whole JSON text. Members of a root object are recorded into `slots`.
  template <class S>
  bool document(S& slots, Kind& kind) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // nlohmann skips a leading BOM
    skipSpace();
    kind = kindAt();
    if (!(kind == Kind::Object ? object(slots) : skip(1))) return false;
    skipSpace();
    return pos_ == text_.size();
  }
  bool tooDeep() const { return tooDeep_; }

  // Reads the string literal starting at pos_, unescaped into *out when out is not null.
  bool string(std::string* out) {
    ++pos_;  // the opening quote
    for (;;) {
      const std::size_t start = pos_;
      pos_ = plainRunEnd(pos_);
      if (out) out->append(text_.substr(start, pos_ - start));
      if (pos_ >= text_.size()) return false;
      const auto c = static_cast<unsigned char>(text_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;  // raw control characters are not JSON
      if (pos_ >= text_.size()) return false;
      char unescaped = 0;
      switch (text_[pos_++]) {
        case '"':
          unescaped = '"';
          break;
        case '\\':
          unescaped = '\\';
          break;
        case '/':
          unescaped = '/';
          break;
        case 'b':
          unescaped = '\b';
          break;
        case 'f':
          unescaped = '\f';
          break;
        case 'n':
          unescaped = '\n';
          break;
        case 'r':
          unescaped = '\r';
          break;
        case 't':
          unescaped = '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half
            std::uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return false;
            pos_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          if (out) appendUtf8(*out, cp);
          continue;
        }
        default:
          return false;
      }
      if (out) out->push_back(unescaped);
    }
  }

 private:
  Kind kindAt() const {
    switch (peek()) {
      case '{':
        return Kind::Object;
      case '[':
        return Kind::Array;
      case '"':
        return Kind::String;
      case 't':
      case 'f':
      case 'n':
        return Kind::Literal;
      default:
        return Kind::Number;
    }
  }

  // The root object (level 1): each member's value is skipped and recorded.
  template <class S>
  bool object(S& slots) {
    ++pos_;
    skipSpace();
    if (peek() == '}') return ++pos_, true;
    for (;;) {
      if (peek() != '"') return false;
      key_.clear();
      if (!string(&key_)) return false;
      skipSpace();
      if (peek() != ':') return false;
      ++pos_;
      skipSpace();
      const std::size_t start = pos_;
      const Kind kind = kindAt();
      if (!skip(2)) return false;
      slots.record(key_, Slot{text_.substr(start, pos_ - start), kind});
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        skipSpace();
        continue;
      }
      if (peek() == '}') return ++pos_, true;
      return false;
    }
  }

  // Validates the value at pos_ whose first container would sit at nesting `level`. A loop
  // with a one-bit-per-level stack, not recursion, over a raw pointer: a 64 KB run of
  // brackets is one tight pass. Strings, numbers and literals go through pos_.
  bool skip(int level) {
    const char* const begin = text_.data();
    const char* const end = begin + text_.size();
    const char* p = begin + pos_;
    const int room = kMaxJsonDepth - level;  // containers that may still open inside
    std::uint64_t arrays = 0;                // one bit per open container, 1 for an array
    int open = 0;
    bool needKey = false;
    // Runs one of the position-based readers from p.
    const auto via = [&](auto read) {
      pos_ = static_cast<std::size_t>(p - begin);
      const bool ok = read();
      p = begin + pos_;
      return ok;
    };
    for (;;) {
      p = afterSpace(p, end);
      if (needKey) {
        if (p == end || *p != '"' || !via([&] { return string(nullptr); })) return false;
        p = afterSpace(p, end);
        if (p == end || *p != ':') return false;
        p = afterSpace(p + 1, end);
      }
      const char c = p < end ? *p : '\0';
      if (c == '{' || c == '[') {
        if (open > room) return deep();
        p = afterSpace(p + 1, end);
        const bool isArray = c == '[';
        if (p < end && *p == (isArray ? ']' : '}')) {
          ++p;  // empty: a complete value, handled below
        } else {
          arrays = (arrays << 1) | (isArray ? 1u : 0u);
          ++open;
          needKey = !isArray;
          continue;
        }
      } else if (c == '"') {
        if (!via([&] { return string(nullptr); })) return false;
      } else if (c == 't') {
        if (!via([&] { return literal("true"); })) return false;
      } else if (c == 'f') {
        if (!via([&] { return literal("false"); })) return false;
      } else if (c == 'n') {
        if (!via([&] { return literal("null"); })) return false;
      } else if (!via([&] { return number(); })) {
        return false;
      }
      // After a complete value: close what ends here, or move on to the next element.
      for (;;) {
        if (open == 0) {
          pos_ = static_cast<std::size_t>(p - begin);
          return true;
        }
        p = afterSpace(p, end);
        if (p == end) return false;
        const bool inArray = (arrays & 1u) != 0;
        if (*p == ',') {
          ++p;
          needKey = !inArray;
          break;
        }
        if (*p != (inArray ? ']' : '}')) return false;
        ++p;
        arrays >>= 1;
        --open;
      }
    }
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, and finite as a double: nlohmann refuses
  // what overflows (1e999, or an integer of hundreds of digits).
  bool number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) ++pos_;
    } else {
      return false;
    }
    bool exponent = false;
    if (peek() == '.') {
      ++pos_;
      if (!isDigit(peek())) return false;
      while (isDigit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      exponent = true;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!isDigit(peek())) return false;
      while (isDigit(peek())) ++pos_;
    }
    if (!exponent && pos_ - start < 300) return true;  // cannot reach DBL_MAX
    const std::string digits(text_.substr(start, pos_ - start));
    return std::isfinite(std::strtod(digits.c_str(), nullptr));
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool hex4(std::uint32_t& out) {
    if (text_.size() - pos_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      out = out * 16 + digit;
    }
    return true;
  }

  static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  // Most tokens follow no space: one comparison says so.
  static const char* afterSpace(const char* p, const char* end) {
    while (p < end && static_cast<unsigned char>(*p) <= ' ' && isSpace(*p)) ++p;
    return p;
  }
  void skipSpace() {
    pos_ = static_cast<std::size_t>(afterSpace(text_.data() + pos_, text_.data() + text_.size()) -
                                    text_.data());
  }

  // The first quote, backslash or control character at or after i (or the end), eight bytes
  // at a time: a byte-wise test for zero (x ^ c) or for less than 0x20 sets a byte's high bit
  // only where one of them is (no borrow reaches a byte unless a byte below it matched).
  std::size_t plainRunEnd(std::size_t i) const {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const char* data = text_.data();
    const std::size_t n = text_.size();
    while (n - i >= 8) {
      std::uint64_t x = 0;
      std::memcpy(&x, data + i, 8);
      const std::uint64_t quote = x ^ (kOnes * '"');
      const std::uint64_t backslash = x ^ (kOnes * '\\');
      const std::uint64_t hits = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                 ((x - kOnes * 0x20) & ~x);
      if ((hits & kHigh) != 0) break;
      i += 8;
    }
    for (; i < n; ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c == '"' || c == '\\' || c < 0x20) break;
    }
    return i;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  static bool isDigit(char c) { return c >= '0' && c <= '9'; }
  bool deep() {
    tooDeep_ = true;
    return false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  bool tooDeep_ = false;
  std::string key_;  // the member key being read, unescaped
};

Failure<DecodeError> failure(ErrorCode code, std::string message) {
  return fail(DecodeError{code, std::move(message), {}});
}

std::string unescapeString(std::string_view literal) {
  std::string out;
  Scanner(literal).string(&out);  // already validated
  return out;
}

bool isContainer(Kind kind) {
  return kind == Kind::Object || kind == Kind::Array;
}

// A value as the pruned text carries it: scalars verbatim; a container where a client message
// has none becomes null, which every field reader refuses with the same words.
void appendScalarOrNull(std::string& out, const Slot& slot) {
  out.append(isContainer(slot.kind) ? std::string_view("null") : slot.raw);
}

void appendMember(std::string& out, bool& first, std::string_view key) {
  if (!first) out.push_back(',');
  first = false;
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

std::string pruneClient(const Slots<kClientKeys.size()>& top) {
  std::string out = "{";
  bool first = true;
  for (std::size_t i = 0; i < kClientKeys.size(); ++i) {
    const auto& slot = top.found[i];
    if (!slot) continue;
    const std::string_view key = kClientKeys[i];
    appendMember(out, first, key);
    if (key == "media" && slot->kind == Kind::Object) {
      Slots<kMediaKeys.size()> media{&kMediaKeys};
      Kind kind = Kind::Object;
      Scanner(slot->raw).document(media, kind);  // already validated
      out.push_back('{');
      bool firstInner = true;
      for (std::size_t j = 0; j < kMediaKeys.size(); ++j) {
        if (!media.found[j]) continue;
        appendMember(out, firstInner, kMediaKeys[j]);
        appendScalarOrNull(out, *media.found[j]);
      }
      out.push_back('}');
    } else if (key == "data" && slot->kind == Kind::Object) {
      out.append("{}");  // only reached for signals refused for another field
    } else {
      appendScalarOrNull(out, *slot);
    }
  }
  out.push_back('}');
  return out;
}

}  // namespace

Result<ClientEnvelope, DecodeError> scanClient(std::string_view text, const Limits& limits) {
  if (auto refused = checkFrame(text, limits)) return fail(std::move(*refused));
  Slots<kClientKeys.size()> top{&kClientKeys};
  Scanner scanner(text);
  Kind rootKind = Kind::Literal;
  if (!scanner.document(top, rootKind)) {
    // decode() measures the nesting of the raw text before it parses: so do we, to refuse
    // with the same words.
    if (scanner.tooDeep() || jsonNestingDepth(text) > kMaxJsonDepth)
      return failure(ErrorCode::InvalidJson,
                     "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return failure(ErrorCode::InvalidJson, "not valid JSON");
  }
  if (rootKind != Kind::Object)
    return failure(ErrorCode::InvalidMessage, "a message must be an object");
  const auto& type = top["type"];
  if (!type || type->kind != Kind::String)
    return failure(ErrorCode::InvalidMessage, "a message needs a string 'type'");

  ClientEnvelope envelope;
  if (unescapeString(type->raw) == "signal") {
    const auto& to = top["to"];
    const auto& data = top["data"];
    if (to && to->kind == Kind::String && data && data->kind == Kind::Object) {
      envelope.to = unescapeString(to->raw);
      if (!envelope.to.empty()) {
        envelope.isSignal = true;
        envelope.data = data->raw;
        return envelope;
      }
    }
  }
  envelope.pruned = pruneClient(top);
  return envelope;
}

Result<Message, DecodeError> decodeScanned(const ClientEnvelope& envelope, const Limits& limits) {
  if (envelope.isSignal) {
    Signal signal;
    signal.to = envelope.to;
    signal.data = nlohmann::json::parse(envelope.data.begin(), envelope.data.end(), nullptr, false);
    return Message{std::move(signal)};
  }
  Limits unlimited = limits;  // the original text passed the size cap; null can outgrow []
  unlimited.maxMessageBytes = std::numeric_limits<std::size_t>::max();
  return decode(envelope.pruned, Sender::Client, unlimited);
}

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

std::string encodeSignalFrame(std::string_view from, std::string_view rawData) {
  std::string out;
  out.reserve(rawData.size() + from.size() + 40);
  out.append("{\"data\":");
  out.append(rawData);
  out.append(",\"from\":");
  appendJsonString(out, from);
  out.append(",\"type\":\"signal\"}");
  return out;
}

}  // namespace vroom::protocol
