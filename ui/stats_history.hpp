// Per-peer history of getStats() samples: the bridge polls cumulative counters (~1/s per
// peer); this turns them into per-second rates for the stats plots and the quality badges.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "enum_names.hpp"
#include "peer_connection.hpp"

namespace vroom::ui {

// One second (or whatever the poll interval was) of a peer's link, as rates.
struct StatsPoint {
  double tMs = 0;  // time of the later sample of the pair
  float kbpsIn = 0, kbpsOut = 0;
  float lossPercent = 0;  // inbound packets lost / (lost + received) over the interval
  float rttMs = 0;        // 0: not measured yet
  float jitterMs = 0;
  float fps = 0;              // inbound frames per second
  int width = 0, height = 0;  // inbound video size; 0 x 0: no video received
};

enum class Quality { Unknown, Good, Fair, Poor };
inline constexpr EnumName<Quality> kQualityNames[] = {{Quality::Unknown, "unknown"},
                                                      {Quality::Good, "good"},
                                                      {Quality::Fair, "fair"},
                                                      {Quality::Poor, "poor"}};
constexpr std::string_view toString(Quality quality) {
  return nameOf(kQualityNames, quality, "unknown");
}

inline constexpr std::size_t kMaxStatsPoints = 60;  // a minute at one poll per second
inline constexpr std::size_t kQualityWindow = 3;    // points averaged for the badge

// The quality rule, applied to one point (the badge uses qualityOf(series) below):
//   Poor    loss > 5 %  or rtt > 400 ms  or (receiving video and fps < 10)
//   Fair    loss > 1 %  or rtt > 200 ms  or jitter > 30 ms  or (receiving video and fps < 20)
//   Good    otherwise.
// "Receiving video" means the point has a frame size; rtt 0 means not measured and is ignored.
Quality qualityOf(const StatsPoint& point);
// The rule applied to the mean of the last kQualityWindow points, so one bad second does not
// flip the badge; Unknown for an empty series (fewer than two samples were added).
Quality qualityOf(const std::deque<StatsPoint>& series);

// The rates between two cumulative samples `elapsedMs` apart (elapsedMs > 0, and no counter
// went backwards: the caller checks both).
StatsPoint rateBetween(const PeerStats& before, const PeerStats& after, double elapsedMs,
                       double nowMs);
// True when a counter went backwards: the browser recreated the stream or the connection, so
// the older sample is no baseline for rates any more.
bool countersReset(const PeerStats& before, const PeerStats& after);

class StatsHistory {
 public:
  // Records a cumulative sample taken at `nowMs`. The first sample of a peer (and the first
  // after a counter reset or a clock going backwards) only sets the baseline; a sample at the
  // same time as the previous one updates latest() but adds no point.
  void add(const std::string& peerId, double nowMs, const PeerStats& cumulative);
  // Forgets every peer not listed (peers that left the room).
  void retain(const std::vector<std::string>& peerIds);
  void clear() { peers_.clear(); }

  // nullptr for a peer never sampled.
  const std::deque<StatsPoint>* series(const std::string& peerId) const;
  // The last raw sample: codecs, candidate types, frame size.
  const PeerStats* latest(const std::string& peerId) const;
  Quality quality(const std::string& peerId) const;
  std::size_t peerCount() const { return peers_.size(); }

 private:
  struct Peer {
    PeerStats baseline;  // the sample rates are measured from
    double baselineMs = 0;
    PeerStats latest;
    std::deque<StatsPoint> points;
  };
  std::map<std::string, Peer> peers_;
};

}  // namespace vroom::ui
