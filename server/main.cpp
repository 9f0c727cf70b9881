// vroom-server: parse flags, listen, print the one listening line, run until SIGTERM/SIGINT.
// `vroom-server token ...` mints a join token instead (server/token_command.hpp).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "server.hpp"
#include "token_command.hpp"

int main(int argc, char* argv[]) {
  using namespace vroom::server;
  if (argc > 1 && std::string_view(argv[1]) == "token") {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return runTokenCommand(argc - 1, argv + 1, std::cout, std::cerr,
                           std::chrono::duration_cast<std::chrono::seconds>(now).count());
  }
  const ParsedOptions options = parseOptions(argc, argv, std::getenv("PORT"));
  if (!options.config) {
    (options.exitCode == 0 ? std::cout : std::cerr) << options.output << std::flush;
    return options.exitCode;
  }
  Server server(*options.config);
  if (!server.listen()) {
    std::cerr << "vroom-server: " << server.error() << '\n';
    return 1;
  }
  server.stopOnSignals();
  std::printf("vroom listening on %s\n", server.url().c_str());
  std::fflush(stdout);
  server.run();
  return 0;
}
