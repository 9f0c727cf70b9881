// HTTPS and WSS: the server loads a PEM certificate and key (a self-signed pair made here
// with OpenSSL), and a Beast TLS client fetches /healthz and completes the hello handshake.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "loopback_client.hpp"
#include "run_for.hpp"
#include "server.hpp"

namespace vroom::server::testing {
namespace {

namespace fs = std::filesystem;
namespace ssl = boost::asio::ssl;

// Writes a fresh self-signed P-256 certificate for 127.0.0.1 and its key; false on failure.
bool writeSelfSigned(const fs::path& certPath, const fs::path& keyPath) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  bool ok = key && cert;
  if (ok) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    ok = X509_sign(cert, key, EVP_sha256()) > 0;
  }
  if (ok) {
    FILE* c = std::fopen(certPath.c_str(), "w");
    FILE* k = std::fopen(keyPath.c_str(), "w");
    ok = c && k && PEM_write_X509(c, cert) &&
         PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
    if (c) std::fclose(c);
    if (k) std::fclose(k);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  return ok;
}

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vroom_tls_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "site");
    ASSERT_TRUE(writeSelfSigned(dir_ / "cert.pem", dir_ / "key.pem"));
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  ServerConfig config() const {
    ServerConfig c;
    c.port = 0;
    c.root = (dir_ / "site").string();
    c.tlsCert = (dir_ / "cert.pem").string();
    c.tlsKey = (dir_ / "key.pem").string();
    c.logLevel = log::Level::Off;
    return c;
  }
  fs::path dir_;
};

TEST_F(TlsServerTest, ServesHttpsAndWss) {
  Server server(config());
  ASSERT_TRUE(server.listen()) << server.error();
  EXPECT_EQ(server.url(), "https://127.0.0.1:" + std::to_string(server.port()));
  std::thread runner([&] { server.run(); });

  net::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);  // self-signed: what matters here is the server side
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  auto& socket = beast::get_lowest_layer(ws).socket();
  EXPECT_FALSE(runFor(
      ioc, socket,
      [&](auto h) {
        socket.async_connect({net::ip::make_address("127.0.0.1"), server.port()}, h);
      },
      3s));
  EXPECT_FALSE(runFor(
      ioc, socket, [&](auto h) { ws.next_layer().async_handshake(ssl::stream_base::client, h); },
      3s));
  EXPECT_FALSE(runFor(
      ioc, socket, [&](auto h) { ws.async_handshake("127.0.0.1", "/ws", h); }, 3s));
  const std::string hello = R"({"type":"hello","version":1})";
  EXPECT_FALSE(runFor(
      ioc, socket, [&](auto h) { ws.async_write(net::buffer(hello), h); }, 3s));
  beast::flat_buffer buffer;
  EXPECT_FALSE(runFor(
      ioc, socket, [&](auto h) { ws.async_read(buffer, h); }, 3s));
  const json welcome = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
  EXPECT_EQ(welcome.value("type", ""), "welcome");

  // A plain-text client on the TLS port gets nowhere, and the server keeps serving.
  EXPECT_EQ(httpGet(server.port(), "/healthz").status, 0);

  server.stop();
  // The WSS client sees the 1001 close too.
  buffer.clear();
  const auto ec = runFor(
      ioc, socket, [&](auto h) { ws.async_read(buffer, h); }, 3s);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.reason().code, 1001);
  runner.join();
}

TEST_F(TlsServerTest, MissingCertificateFailsToListen) {
  ServerConfig c = config();
  c.tlsCert = (dir_ / "nope.pem").string();
  Server server(c);
  EXPECT_FALSE(server.listen());
  EXPECT_NE(server.error().find("TLS"), std::string::npos) << server.error();
}

}  // namespace
}  // namespace vroom::server::testing
