// The token subcommand's options (boost::program_options) and its checks: the same rules the
// server applies when the token comes back (room id, name, role).
#include "token_command.hpp"

#include <ostream>
#include <string>

#include <boost/program_options.hpp>

#include "join_token.hpp"
#include "protocol.hpp"
#include "server_config.hpp"

namespace vroom::server {

namespace po = boost::program_options;

std::optional<std::chrono::seconds> parseDuration(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      break;
    case 'm':
      unit = 60, text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600, text.remove_suffix(1);
      break;
    case 'd':
      unit = 86400, text.remove_suffix(1);
      break;
    default:
      break;
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const std::int64_t value = std::stoll(std::string(text));
  if (value <= 0) return std::nullopt;
  return std::chrono::seconds(value * unit);
}

int runTokenCommand(int argc, const char* const argv[], std::ostream& out, std::ostream& err,
                    std::int64_t nowUnix) {
  std::string secret, secretFile, room, name, role = "member", ttl = "1h", subject;
  po::options_description desc(
      "Usage: vroom-server token --token-secret SECRET --room ROOM --name NAME [OPTION]...\n"
      "Print a join token (an HS256 JWT) for a server started with the same --token-secret.\n\n"
      "Options");
  desc.add_options()("help,h", "print this help and exit")(
      "token-secret", po::value(&secret)->value_name("SECRET"), "the server's --token-secret")(
      "token-secret-file", po::value(&secretFile)->value_name("FILE"),
      "read the secret from the first line of FILE (keeps it out of `ps`)")(
      "room", po::value(&room)->value_name("ROOM"), "the room id the token opens (required)")(
      "name", po::value(&name)->value_name("NAME"), "the holder's display name (required)")(
      "role", po::value(&role)->value_name("ROLE"),
      "viewer (watch a broadcast), member (join a conference), host (also go live), or "
      "moderator (also moderate); default member")(
      "ttl", po::value(&ttl)->value_name("DURATION"),
      "how long it is valid: 90, 90s, 30m, 2h, 7d (default 1h)")(
      "sub", po::value(&subject)->value_name("ID"),
      "a stable user id: a ban then follows the person, not the name");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);  // skips "token"
    po::notify(vm);
  } catch (const std::exception& e) {
    err << "vroom-server token: " << e.what() << "\nTry 'vroom-server token --help'.\n";
    return 2;
  }
  if (vm.count("help")) {
    out << desc << "\nThe token's claims: room, name, role, exp (and iat; sub when given).\n";
    return 0;
  }
  const auto refuse = [&](const std::string& why) {
    err << "vroom-server token: " << why << "\nTry 'vroom-server token --help'.\n";
    return 2;
  };
  if (auto problem = readSecretFile("token-secret", secretFile, secret)) return refuse(*problem);
  if (secret.empty()) return refuse("--token-secret (or --token-secret-file) is required");
  if (!protocol::isValidRoomId(room))
    return refuse("--room must be 1-64 characters of A-Z a-z 0-9 _ . -");
  const auto normalized = protocol::normalizeName(name);
  if (!normalized) return refuse("--name must be 1-40 characters without control characters");
  const auto parsedRole = tokenRoleFromString(role);
  if (!parsedRole) return refuse("--role must be viewer, member, host or moderator");
  const auto lifetime = parseDuration(ttl);
  if (!lifetime || *lifetime > std::chrono::hours(24 * 365))
    return refuse("--ttl must be a duration such as 90s, 30m, 2h or 7d (at most 365d)");

  JoinClaims claims;
  claims.room = room;
  claims.name = *normalized;
  claims.role = *parsedRole;
  claims.subject = subject;
  claims.issuedAt = nowUnix;
  claims.expiresAt = nowUnix + lifetime->count();
  out << mintJoinToken(claims, secret) << '\n';
  return 0;
}

}  // namespace vroom::server
