// renderMetrics(): every error code is listed, zero or not, so dashboards see stable series.
#include "metrics.hpp"

namespace vroom::server {

namespace {

void metric(std::string& out, const char* name, const char* type, const char* help,
            std::uint64_t value) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace

std::string renderMetrics(const RoomRegistry& registry, const TransportStats& transport) {
  std::string out;
  const auto& stats = registry.stats();
  metric(out, "vroom_connections", "gauge", "Open WebSocket connections.",
         registry.connectionCount());
  metric(out, "vroom_peers", "gauge",
         "Peers with a session, including those in their resume window.", registry.peerCount());
  metric(out, "vroom_rooms", "gauge", "Rooms that exist.", registry.roomCount());
  metric(out, "vroom_queued_bytes", "gauge",
         "Bytes held for peers that are away or catching up after a resume.",
         registry.queuedBytes());
  metric(out, "vroom_queue_dropped_total", "counter",
         "Frames for away or resuming peers dropped by the queue caps.", stats.queueDropped);
  metric(out, "vroom_messages_in_total", "counter", "Signaling frames received.", stats.messagesIn);
  metric(out, "vroom_messages_out_total", "counter", "Signaling frames sent.", stats.messagesOut);
  metric(out, "vroom_http_requests_total", "counter", "HTTP requests served.",
         transport.httpRequests);
  metric(out, "vroom_websocket_accepted_total", "counter", "WebSocket upgrades accepted.",
         transport.wsAccepted);
  metric(out, "vroom_websocket_rejected_origin_total", "counter",
         "WebSocket upgrades refused for their Origin.", transport.wsRejectedOrigin);
  metric(out, "vroom_connections_refused_total", "counter",
         "TCP connections refused over the connection caps.", transport.connectionsRefused);
  metric(out, "vroom_websocket_reads_total", "counter", "Socket reads that returned bytes.",
         transport.wsReads);
  metric(out, "vroom_websocket_writes_total", "counter",
         "Socket writes; each gathers the frames queued for its connection.", transport.wsWrites);
  metric(out, "vroom_websocket_frames_out_total", "counter",
         "WebSocket frames written, control frames included.", transport.wsFramesOut);
  out +=
      "# HELP vroom_errors_total Error frames sent, by code.\n# TYPE vroom_errors_total counter\n";
  for (int i = 0; i <= static_cast<int>(protocol::kLastErrorCode); ++i) {
    const auto code = static_cast<protocol::ErrorCode>(i);
    const auto it = stats.errors.find(code);
    out += "vroom_errors_total{code=\"";
    out += protocol::toString(code);
    out += "\"} ";
    out += std::to_string(it == stats.errors.end() ? 0 : it->second);
    out += '\n';
  }
  return out;
}

}  // namespace vroom::server
