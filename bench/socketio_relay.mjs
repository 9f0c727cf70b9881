// The socket.io baseline for scripts/bench: the smallest useful signaling relay. A client
// emits join(room) and gets joined([ids of the others]); the others get peer-joined(id);
// signal({to, data}) reaches socket `to` as signal({from, data}).
// Usage: node socketio_relay.mjs [port]   (prints "listening <port>" once ready)
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] ?? 0);
const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });

io.on("connection", (socket) => {
  socket.on("join", (room) => {
    if (typeof room !== "string") return;
    socket.join(room);
    const members = [...(io.sockets.adapter.rooms.get(room) ?? [])].filter((id) => id !== socket.id);
    socket.emit("joined", members);
    socket.to(room).emit("peer-joined", socket.id);
  });
  socket.on("signal", (message) => {
    if (!message || typeof message.to !== "string") return;
    io.to(message.to).emit("signal", { from: socket.id, data: message.data });
  });
});

http.listen(port, "127.0.0.1", () => {
  console.log(`listening ${http.address().port}`);
});
