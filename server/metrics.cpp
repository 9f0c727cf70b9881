// renderMetrics(): every error code is listed, zero or not, so dashboards see stable series.
#include "metrics.hpp"

#include "cluster.hpp"

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

std::string renderClusterMetrics(const Cluster& cluster) {
  std::string out;
  const auto& stats = cluster.stats();
  metric(out, "vroom_cluster_redis_up", "gauge",
         "1 while both connections to Redis are up, else 0.", cluster.busUp() ? 1 : 0);
  metric(out, "vroom_cluster_relayed_out_total", "counter",
         "Messages published to other nodes' channels.", stats.relayedOut);
  metric(out, "vroom_cluster_relayed_in_total", "counter",
         "Messages received on this node's channel.", stats.relayedIn);
  metric(out, "vroom_cluster_handoffs_total", "counter",
         "Clients moved to the node that owns their room.", stats.handedOff);
  metric(out, "vroom_cluster_hosted_clients", "gauge",
         "Clients of other nodes in rooms owned here.", stats.hosted);
  metric(out, "vroom_cluster_remote_clients", "gauge",
         "Clients connected here whose room another node owns.", stats.remote);
  metric(out, "vroom_cluster_nodes_lost_total", "counter",
         "Other nodes noticed dead (heartbeat expired).", stats.nodesLost);
  metric(out, "vroom_cluster_rooms_served_while_down_total", "counter",
         "Rooms entered here without an owner check because Redis was unreachable.",
         stats.busDownLocal);
  metric(out, "vroom_cluster_room_saves_total", "counter",
         "Room states written to Redis (each after a change, or to renew its expiry).",
         stats.roomsSaved);
  metric(out, "vroom_cluster_rooms_taken_over_total", "counter",
         "Rooms rebuilt here from the state a dead owner saved.", stats.roomsTakenOver);
  metric(out, "vroom_cluster_held_messages", "gauge",
         "Messages for other nodes held while Redis is unreachable.", stats.held);
  metric(out, "vroom_cluster_dropped_messages_total", "counter",
         "Messages for other nodes lost because the hold was full.", stats.dropped);
  return out;
}

}  // namespace vroom::server
