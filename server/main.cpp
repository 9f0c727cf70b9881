// vroom-server: parse flags, listen, print the one listening line, run until SIGTERM/SIGINT.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "server.hpp"

int main(int argc, char* argv[]) {
  using namespace vroom::server;
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
