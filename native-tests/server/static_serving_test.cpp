// How the site's files are served: SiteFiles' choices (coding, ETag, cache lifetime, hashes
// computed once per file version) and the same over real loopback HTTP (Content-Encoding,
// Vary, 304 without a body, HEAD, 406).
#include <openssl/evp.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "server.hpp"
#include "site_files.hpp"

namespace vroom::server::testing {
namespace {

namespace fs = std::filesystem;

std::string sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  return hex;
}

const std::string kWasm("\0asm\1\0\0\0 the module", 19);
const std::string kWasmBr = "BROTLI BYTES";
const std::string kWasmGz = "GZIP BYTES, LONGER";

// A site as bridge/package_site.mjs leaves it: the plain module and wasm with precompressed
// siblings, a content-hashed copy of the wasm, one with a hash that does not match, a page.
class StaticSite : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("vroom_static_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(root_);
    write("index.html", "<h1>vroom</h1>");
    write("vroom.wasm", kWasm);
    write("vroom.wasm.br", kWasmBr);
    write("vroom.wasm.gz", kWasmGz);
    hashedWasm_ = "vroom." + sha256Hex(kWasm).substr(0, 8) + ".wasm";
    write(hashedWasm_, kWasm);
    write(hashedWasm_ + ".br", kWasmBr);
    write("vroom.00000000.wasm", kWasm);  // claims a hash it does not have
    write("style.css", "body{}");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(root_ / name, std::ios::binary | std::ios::trunc) << bytes;
  }

  fs::path root_;
  std::string hashedWasm_;
  static inline int counter_ = 0;
};

using Status = StaticResponse::Status;

TEST_F(StaticSite, PicksTheRepresentationAndTheCacheLifetime) {
  SiteFiles site(root_);
  const auto br = site.lookup("/vroom.wasm", "gzip, deflate, br");
  ASSERT_EQ(br.status, Status::Ok);
  EXPECT_EQ(br.coding, ContentCoding::Brotli);
  EXPECT_EQ(br.file.filename(), "vroom.wasm.br");
  EXPECT_EQ(br.contentType, "application/wasm");  // the resource's type, not brotli's
  EXPECT_EQ(br.etag, "\"" + sha256Hex(kWasmBr).substr(0, 32) + "\"");
  EXPECT_EQ(br.cacheControl, kCacheRevalidate);  // an unhashed name
  EXPECT_TRUE(br.varies);

  const auto identity = site.lookup("/vroom.wasm", std::nullopt);
  EXPECT_EQ(identity.coding, ContentCoding::Identity);
  EXPECT_EQ(identity.file.filename(), "vroom.wasm");
  EXPECT_EQ(identity.etag, "\"" + sha256Hex(kWasm).substr(0, 32) + "\"");
  EXPECT_TRUE(identity.varies);

  const auto hashed = site.lookup("/" + hashedWasm_, "gzip");  // no .gz beside it
  EXPECT_EQ(hashed.coding, ContentCoding::Identity);
  EXPECT_EQ(hashed.cacheControl, kCacheImmutable);
  EXPECT_EQ(site.lookup("/vroom.00000000.wasm", "br").cacheControl, kCacheRevalidate);

  const auto css = site.lookup("/style.css", "br");
  EXPECT_EQ(css.coding, ContentCoding::Identity);
  EXPECT_FALSE(css.varies);
  EXPECT_EQ(css.cacheControl, kCacheRevalidate);

  EXPECT_EQ(site.lookup("/style.css", "identity;q=0").status, Status::NotAcceptable);
  EXPECT_EQ(site.lookup("/vroom.wasm.br", "br").status, Status::NotFound);  // only by coding
  EXPECT_EQ(site.lookup("/missing.wasm", "br").status, Status::NotFound);
}

TEST_F(StaticSite, HashesEachFileOncePerVersion) {
  SiteFiles site(root_);
  const auto first = site.lookup("/style.css", std::nullopt);
  const auto computed = site.hashesComputed();
  EXPECT_EQ(computed, 1u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(site.lookup("/style.css", std::nullopt).etag, first.etag);
  EXPECT_EQ(site.hashesComputed(), computed);

  write("style.css", "body{color:red}");  // a rebuild while the server runs
  const auto changed = site.lookup("/style.css", std::nullopt);
  EXPECT_NE(changed.etag, first.etag);
  EXPECT_EQ(changed.etag, "\"" + sha256Hex("body{color:red}").substr(0, 32) + "\"");
  EXPECT_EQ(site.hashesComputed(), computed + 1);
}

struct NameCase {
  const char* name;
  const char* hex;
  bool hashed;
};

TEST(ContentHashedName, OnlyANameThatStatesItsOwnHash) {
  const std::vector<NameCase> cases = {
      {"vroom.1a2b3c4d.wasm", "1a2b3c4d99", true},
      {"vroom.1a2b3c4d.mjs", "1a2b3c4d", true},
      {"a.b.1a2b3c4d.js", "1a2b3c4d", true},
      {"vroom.1a2b3c4d.wasm", "1a2b3c4e", false},  // another content
      {"vroom.1A2B3C4D.wasm", "1a2b3c4d", false},  // the build writes lowercase
      {"vroom.1a2b3c4.wasm", "1a2b3c4d", false},
      {"vroom.wasm", "1a2b3c4d", false},
      {".1a2b3c4d.wasm", "1a2b3c4d", false},
      {"1a2b3c4d.wasm", "1a2b3c4d", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(isContentHashedName(c.name, c.hex), c.hashed);
  }
}

// ---- over the wire ----

class RunningSite : public StaticSite {
 protected:
  void SetUp() override {
    StaticSite::SetUp();
    ServerConfig config;
    config.port = 0;
    config.root = root_.string();
    config.logLevel = log::Level::Off;
    server_ = std::make_unique<Server>(std::move(config));
    ASSERT_TRUE(server_->listen()) << server_->error();
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
    StaticSite::TearDown();
  }
  HttpReply get(const std::string& target, const HeaderList& headers = {},
                http::verb method = http::verb::get) {
    return httpGet(server_->port(), target, method, headers);
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(RunningSite, SendsThePrecompressedFileOnlyToClientsThatAsk) {
  const HttpReply br = get("/vroom.wasm", {{http::field::accept_encoding, "gzip, deflate, br"}});
  EXPECT_EQ(br.status, 200);
  EXPECT_EQ(br.body, kWasmBr);
  EXPECT_EQ(br.header(http::field::content_encoding), "br");
  EXPECT_EQ(br.header(http::field::content_length), std::to_string(kWasmBr.size()));
  EXPECT_EQ(br.contentType, "application/wasm");
  EXPECT_EQ(br.header(http::field::vary), "Accept-Encoding");

  const HttpReply gzip = get("/vroom.wasm", {{http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(gzip.body, kWasmGz);
  EXPECT_EQ(gzip.header(http::field::content_encoding), "gzip");

  for (const HeaderList& asks : {HeaderList{}, HeaderList{{http::field::accept_encoding, ""}},
                                 HeaderList{{http::field::accept_encoding, "br;q=0, gzip;q=0"}},
                                 HeaderList{{http::field::accept_encoding, "deflate"}}}) {
    const HttpReply plain = get("/vroom.wasm", asks);
    EXPECT_EQ(plain.body, kWasm);
    EXPECT_EQ(plain.header(http::field::content_encoding), "");
    EXPECT_EQ(plain.header(http::field::vary), "Accept-Encoding");
  }
  // Two header lines are one list.
  const HttpReply split = get("/vroom.wasm", {{http::field::accept_encoding, "identity;q=0.1"},
                                              {http::field::accept_encoding, "br"}});
  EXPECT_EQ(split.header(http::field::content_encoding), "br");

  EXPECT_EQ(get("/vroom.wasm.br").status, 404);
  EXPECT_EQ(get("/vroom.wasm.gz", {{http::field::accept_encoding, "gzip"}}).status, 404);
  const HttpReply refused = get("/style.css", {{http::field::accept_encoding, "identity;q=0"}});
  EXPECT_EQ(refused.status, 406);
  EXPECT_EQ(get("/style.css").header(http::field::vary), "");  // nothing else to send
}

TEST_F(RunningSite, RevalidationAnswers304WithoutABody) {
  const HeaderList br = {{http::field::accept_encoding, "br"}};
  const HttpReply first = get("/vroom.wasm", br);
  const std::string etag = first.header(http::field::etag);
  ASSERT_EQ(etag.size(), 34u) << etag;
  EXPECT_NE(etag, get("/vroom.wasm").header(http::field::etag));  // one tag per representation

  for (const std::string& ifNoneMatch : {etag, "W/" + etag, "\"x\", " + etag, std::string("*")}) {
    SCOPED_TRACE(ifNoneMatch);
    const HttpReply again = get("/vroom.wasm", {{http::field::accept_encoding, "br"},
                                                {http::field::if_none_match, ifNoneMatch}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header(http::field::etag), etag);
    EXPECT_EQ(again.cacheControl, "no-cache");
    EXPECT_EQ(again.header(http::field::vary), "Accept-Encoding");
  }
  // The brotli tag does not name the uncompressed bytes, nor a stale file.
  EXPECT_EQ(get("/vroom.wasm", {{http::field::if_none_match, etag}}).status, 200);
  EXPECT_EQ(get("/vroom.wasm",
                {{http::field::accept_encoding, "br"}, {http::field::if_none_match, "\"0123\""}})
                .status,
            200);
  write("vroom.wasm.br", "A NEWER BUILD");
  const HttpReply rebuilt = get(
      "/vroom.wasm", {{http::field::accept_encoding, "br"}, {http::field::if_none_match, etag}});
  EXPECT_EQ(rebuilt.status, 200);
  EXPECT_EQ(rebuilt.body, "A NEWER BUILD");
  EXPECT_NE(rebuilt.header(http::field::etag), etag);
}

TEST_F(RunningSite, HashedNamesAreImmutableAndHeadMatchesGet) {
  const HeaderList br = {{http::field::accept_encoding, "br"}};
  const HttpReply hashed = get("/" + hashedWasm_, br);
  EXPECT_EQ(hashed.status, 200);
  EXPECT_EQ(hashed.cacheControl, "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/vroom.00000000.wasm").cacheControl, "no-cache");
  EXPECT_EQ(get("/").cacheControl, "no-cache");

  const HttpReply head = get("/" + hashedWasm_, br, http::verb::head);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  for (const auto field :
       {http::field::content_length, http::field::content_encoding, http::field::content_type,
        http::field::etag, http::field::cache_control, http::field::vary})
    EXPECT_EQ(head.header(field), hashed.header(field)) << field;
  const HttpReply headRevalidated =
      get("/" + hashedWasm_,
          {{http::field::if_none_match, hashed.header(http::field::etag)},
           {http::field::accept_encoding, "br"}},
          http::verb::head);
  EXPECT_EQ(headRevalidated.status, 304);
}

}  // namespace
}  // namespace vroom::server::testing
