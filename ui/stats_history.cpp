// Rates from cumulative getStats() counters, and the quality rule behind the tile badges.
#include "stats_history.hpp"

#include <algorithm>
#include <unordered_set>

namespace vroom::ui {
namespace {

// Counters that can only grow while the same RTP streams live.
bool wentBack(std::uint64_t before, std::uint64_t after) {
  return after < before;
}

std::uint64_t delta(std::uint64_t before, std::uint64_t after) {
  return after > before ? after - before : 0;
}

}  // namespace

Quality qualityOf(const StatsPoint& p) {
  const bool video = p.width > 0 && p.height > 0;
  if (p.lossPercent > 5.0f || p.rttMs > 400.0f || (video && p.fps < 10.0f)) return Quality::Poor;
  if (p.lossPercent > 1.0f || p.rttMs > 200.0f || p.jitterMs > 30.0f || (video && p.fps < 20.0f))
    return Quality::Fair;
  return Quality::Good;
}

Quality qualityOf(const std::deque<StatsPoint>& series) {
  if (series.empty()) return Quality::Unknown;
  const std::size_t n = std::min(series.size(), kQualityWindow);
  StatsPoint mean;
  int rttCount = 0;
  for (auto it = series.end() - static_cast<std::ptrdiff_t>(n); it != series.end(); ++it) {
    mean.lossPercent += it->lossPercent;
    mean.jitterMs += it->jitterMs;
    mean.fps += it->fps;
    if (it->rttMs > 0) {
      mean.rttMs += it->rttMs;
      ++rttCount;
    }
  }
  mean.lossPercent /= static_cast<float>(n);
  mean.jitterMs /= static_cast<float>(n);
  mean.fps /= static_cast<float>(n);
  if (rttCount > 0) mean.rttMs /= static_cast<float>(rttCount);
  // Whether video arrives now, not a few seconds ago: a camera turned off is no frozen video.
  mean.width = series.back().width;
  mean.height = series.back().height;
  return qualityOf(mean);
}

bool countersReset(const PeerStats& before, const PeerStats& after) {
  return wentBack(before.bytesSent, after.bytesSent) ||
         wentBack(before.bytesReceived, after.bytesReceived) ||
         wentBack(before.packetsSent, after.packetsSent) ||
         wentBack(before.packetsReceived, after.packetsReceived);
}

StatsPoint rateBetween(const PeerStats& before, const PeerStats& after, double elapsedMs,
                       double nowMs) {
  StatsPoint p;
  p.tMs = nowMs;
  if (elapsedMs <= 0) return p;
  // bytes * 8 / ms = kilobits per second.
  p.kbpsIn = static_cast<float>(
      static_cast<double>(delta(before.bytesReceived, after.bytesReceived)) * 8.0 / elapsedMs);
  p.kbpsOut = static_cast<float>(static_cast<double>(delta(before.bytesSent, after.bytesSent)) *
                                 8.0 / elapsedMs);
  // packetsLost may legitimately shrink (late duplicates are subtracted): count no loss then.
  const double lost = static_cast<double>(delta(before.packetsLost, after.packetsLost));
  const double received = static_cast<double>(delta(before.packetsReceived, after.packetsReceived));
  if (lost + received > 0) p.lossPercent = static_cast<float>(100.0 * lost / (lost + received));
  p.rttMs = static_cast<float>(std::max(0.0, after.roundTripTimeMs));
  p.jitterMs = static_cast<float>(std::max(0.0, after.jitterMs));
  if (after.framesPerSecond > 0) {
    p.fps = static_cast<float>(after.framesPerSecond);
  } else {
    // Browsers without inbound framesPerSecond still count decoded frames.
    p.fps = static_cast<float>(
        static_cast<double>(delta(before.framesDecoded, after.framesDecoded)) * 1000.0 / elapsedMs);
  }
  p.width = std::max(0, after.frameWidth);
  p.height = std::max(0, after.frameHeight);
  return p;
}

void StatsHistory::add(const std::string& peerId, double nowMs, const PeerStats& cumulative) {
  auto [it, inserted] = peers_.try_emplace(peerId);
  Peer& peer = it->second;
  peer.latest = cumulative;
  const double elapsed = nowMs - peer.baselineMs;
  if (inserted || elapsed < 0 || countersReset(peer.baseline, cumulative)) {
    peer.baseline = cumulative;
    peer.baselineMs = nowMs;
    return;
  }
  if (elapsed == 0) return;  // a duplicate poll: no interval to measure
  peer.points.push_back(rateBetween(peer.baseline, cumulative, elapsed, nowMs));
  while (peer.points.size() > kMaxStatsPoints) peer.points.pop_front();
  peer.baseline = cumulative;
  peer.baselineMs = nowMs;
}

void StatsHistory::retain(const std::vector<std::string>& peerIds) {
  const std::unordered_set<std::string> keep(peerIds.begin(), peerIds.end());
  for (auto it = peers_.begin(); it != peers_.end();) {
    if (keep.count(it->first))
      ++it;
    else
      it = peers_.erase(it);
  }
}

const std::deque<StatsPoint>* StatsHistory::series(const std::string& peerId) const {
  const auto it = peers_.find(peerId);
  return it == peers_.end() ? nullptr : &it->second.points;
}

const PeerStats* StatsHistory::latest(const std::string& peerId) const {
  const auto it = peers_.find(peerId);
  return it == peers_.end() ? nullptr : &it->second.latest;
}

Quality StatsHistory::quality(const std::string& peerId) const {
  const auto* points = series(peerId);
  return points ? qualityOf(*points) : Quality::Unknown;
}

}  // namespace vroom::ui
