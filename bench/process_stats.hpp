// Another process's resident memory and CPU time, from /proc/<pid>/status and /proc/<pid>/stat:
// the server-side figures of the relay and idle benchmarks.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace vroom::bench {

// VmRSS in KiB; -1 when the process or the field is missing.
inline long readRssKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// CPU seconds consumed so far, in user space and in the kernel (system calls, and the softirq
// work charged to them, such as loopback TCP delivery); both -1 when unreadable.
struct CpuTimes {
  double user = -1;
  double system = -1;
  double total() const { return user < 0 ? -1 : user + system; }
};

inline CpuTimes readCpuTimes(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) {
      stime = std::strtoull(field.c_str(), nullptr, 10);
      break;
    }
  }
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return {static_cast<double>(utime) / tick, static_cast<double>(stime) / tick};
}

// User + system CPU seconds consumed so far; -1 when unreadable.
inline double readCpuSeconds(int pid) { return readCpuTimes(pid).total(); }

}  // namespace vroom::bench
