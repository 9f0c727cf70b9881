// The PeerJS baseline for scripts/bench: npm `peer`'s own PeerServer with its defaults except
// the connection cap (5000 by default, below the idle-memory test's 10k).
// Usage: node peerjs_server.mjs [port]   (prints "listening <port>" once ready)
import { PeerServer } from "peer";

const port = Number(process.argv[2] ?? 0);
PeerServer({ port, host: "127.0.0.1", concurrent_limit: 1_000_000 }, (server) => {
  console.log(`listening ${server.address().port}`);
});
