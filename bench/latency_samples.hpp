// Latency samples of one measurement window and their percentiles (sorted on demand: a few
// hundred thousand samples per window, so no histogram approximation is needed).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace vroom::bench {

class LatencySamples {
 public:
  void clear() { nanos_.clear(); }
  void add(std::uint64_t nanos) { nanos_.push_back(nanos); }
  std::size_t size() const { return nanos_.size(); }

  // Nearest-rank percentile in microseconds, 0 when empty. `p` in [0, 100].
  double percentileUs(double p) {
    if (nanos_.empty()) return 0;
    std::sort(nanos_.begin(), nanos_.end());
    std::size_t rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(nanos_.size()));
    rank = std::min(rank, nanos_.size() - 1);
    return static_cast<double>(nanos_[rank]) / 1000.0;
  }

 private:
  std::vector<std::uint64_t> nanos_;
};

}  // namespace vroom::bench
