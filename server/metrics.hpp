// /metrics: the registry's gauges and counters plus the transport's, in the Prometheus text
// exposition format (version 0.0.4).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "room_registry.hpp"

namespace vroom::server {

struct TransportStats {  // counted on every io thread
  std::atomic<std::uint64_t> httpRequests = 0;
  std::atomic<std::uint64_t> wsAccepted = 0;          // upgrades that completed
  std::atomic<std::uint64_t> wsRejectedOrigin = 0;    // upgrades refused with 403
  std::atomic<std::uint64_t> connectionsRefused = 0;  // over --max-connections
  // WebSocket traffic: reads and writes are system calls, so frames per write says how well
  // frames queued for one socket are gathered.
  std::atomic<std::uint64_t> wsReads = 0;      // reads that returned bytes
  std::atomic<std::uint64_t> wsWrites = 0;     // writes (each gathers up to 32 frames)
  std::atomic<std::uint64_t> wsFramesOut = 0;  // frames written, control frames included
};

std::string renderMetrics(const RoomRegistry& registry, const TransportStats& transport);

class Cluster;
// With --redis: the cluster's gauges and counters (docs/architecture.md, Cluster), appended.
std::string renderClusterMetrics(const Cluster& cluster);

}  // namespace vroom::server
