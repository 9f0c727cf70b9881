// A network namespace of the test's own for the Janus media tests: `lo` up plus a veth pair
// whose both ends stay inside it (no dummy driver on every kernel), one end carrying kAddress,
// which exists nowhere else; no IPv6 on either. The test thread enters it (setns), so Janus,
// the werift peers and ffmpeg (all forked from that thread) and the test's own JanusClient live
// in it: ICE, RTP and the Janus API never see the host's interfaces. Deleted when it ends.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vroom::server::testing {

class TestNetns {
 public:
  // The only non-loopback address inside every such namespace (private, never routed).
  static constexpr const char* kAddress = "10.203.0.1";

  TestNetns() {
    static std::atomic<int> counter{0};
    name_ = "vroom-janus-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    if (::geteuid() != 0) {
      error_ =
          "not root: the Janus media tests need a network namespace of their own (ip netns "
          "add), so that ICE never uses the host's interfaces; run them as root (CI does)";
      return;
    }
    const std::string ns = "ip netns exec " + name_ + " ";
    const std::string setup =
        ns + "ip link set lo up && " + ns + "sysctl -qw net.ipv6.conf.default.disable_ipv6=1 && " +
        ns + "ip link add jn0 type veth peer name jn1 && " + ns + "ip link set jn1 up && " + ns +
        "ip addr add " + kAddress + "/24 dev jn0 && " + ns + "ip link set jn0 up";
    created_ = std::system(("ip netns add " + name_ + " >/dev/null 2>&1").c_str()) == 0;
    if (!created_ || std::system((setup + " >/dev/null 2>&1").c_str()) != 0) {
      error_ = "could not create the network namespace " + name_ + " (ip netns add, then " + setup +
               "): the Janus media tests run ICE only inside a namespace of their own";
      return;
    }
    original_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    const int target = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
    if (original_ < 0 || target < 0 || ::setns(target, CLONE_NEWNET) != 0) {
      error_ = "could not enter the network namespace " + name_;
    } else {
      entered_ = true;
    }
    if (target >= 0) ::close(target);
  }
  ~TestNetns() {
    if (entered_) (void)::setns(original_, CLONE_NEWNET);
    if (original_ >= 0) ::close(original_);
    if (created_ && std::system(("ip netns del " + name_ + " 2>/dev/null").c_str()) != 0)
      std::fprintf(stderr, "could not delete the network namespace %s\n", name_.c_str());
  }
  TestNetns(const TestNetns&) = delete;
  TestNetns& operator=(const TestNetns&) = delete;

  // Empty when the test thread is inside the namespace; otherwise why not.
  const std::string& error() const { return error_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string error_;
  bool created_ = false;
  bool entered_ = false;
  int original_ = -1;
};

}  // namespace vroom::server::testing
