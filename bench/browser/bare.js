// The bare-API baseline: vroom's signaling protocol (docs/protocol.md) and signal payloads
// spoken directly with WebSocket + RTCPeerConnection, remote video in plain <video>s. The
// joiner offers to every member it finds in `joined` (as vroom does), so no glare handling.
const params = new URLSearchParams(location.search);
const videos = document.getElementById('videos');
const peers = new Map();  // peer id -> { pc, chain, elements }
let socket = null;
let local = null;
let iceServers = [];

// Same constraints as vroom's runtime (bridge/web_runtime.js).
async function prepare() {
  local ??= await navigator.mediaDevices.getUserMedia({
    audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  });
  return local;
}

const send = (message) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));

function showRemote(id, stream) {
  const entry = peers.get(id);
  if (!entry || entry.elements.length) return;
  const video = document.createElement('video');
  Object.assign(video, { autoplay: true, playsInline: true, muted: true, srcObject: stream });
  const audio = document.createElement('audio');  // sound through <audio>, as vroom does
  Object.assign(audio, { autoplay: true, srcObject: stream });
  videos.append(video, audio);
  entry.elements.push(video, audio);
  video.play().catch(() => {});
}

function addPeer(id) {
  const pc = new RTCPeerConnection({ iceServers });
  const entry = { pc, chain: Promise.resolve(), elements: [] };
  peers.set(id, entry);
  pc.onicecandidate = ({ candidate }) =>
    send({ type: 'signal', to: id, data: { candidate: candidate ? candidate.toJSON() : null } });
  pc.ontrack = ({ streams }) => showRemote(id, streams[0]);
  return entry;
}

function removePeer(id) {
  const entry = peers.get(id);
  if (!entry) return;
  peers.delete(id);
  entry.pc.close();
  for (const el of entry.elements) { el.srcObject = null; el.remove(); }
}

async function offerTo(id) {
  const { pc } = addPeer(id);
  for (const track of local.getTracks()) pc.addTrack(track, local);
  await pc.setLocalDescription();
  send({ type: 'signal', to: id, data: { description: pc.localDescription.toJSON() } });
}

// Signals of one peer are applied in order: a candidate must not overtake its description.
async function onSignal(from, data) {
  const entry = peers.get(from) || addPeer(from);
  const { pc } = entry;
  if (data.description) {
    await pc.setRemoteDescription(data.description);
    if (data.description.type === 'offer') {
      for (const track of local.getTracks()) pc.addTrack(track, local);
      await pc.setLocalDescription();
      send({ type: 'signal', to: from, data: { description: pc.localDescription.toJSON() } });
    }
  } else if ('candidate' in data) {
    await pc.addIceCandidate(data.candidate || undefined).catch(() => {});
  }
}

function onMessage(message, resolveJoined, rejectJoined) {
  switch (message.type) {
    case 'welcome':
      iceServers = message.iceServers || [];
      send({ type: 'join', room: params.get('room'), name: params.get('name') || 'bare' });
      break;
    case 'joined':
      for (const member of message.members) offerTo(member.id);
      resolveJoined(message.self.id);
      break;
    case 'peer-left':
      removePeer(message.id);
      break;
    case 'signal': {
      const entry = peers.get(message.from) || addPeer(message.from);
      entry.chain = entry.chain.then(() => onSignal(message.from, message.data)).catch(() => {});
      break;
    }
    case 'error':
      rejectJoined(new Error(`${message.code}: ${message.message}`));
      break;
    default:
      break;  // peer-joined: the newcomer offers; chat, media, pong: not used here
  }
}

// Connects, says hello, joins; resolves with our peer id once `joined` arrives.
async function join() {
  await prepare();
  return new Promise((resolve, reject) => {
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket.onopen = () => send({ type: 'hello', version: 1 });
    socket.onmessage = (event) => onMessage(JSON.parse(event.data), resolve, reject);
    socket.onclose = () => reject(new Error('socket closed'));
  });
}

function leave() {
  send({ type: 'leave' });
  socket?.close();
  socket = null;
  for (const id of [...peers.keys()]) removePeer(id);
}

window.bare = { prepare, join, leave };
addEventListener('pagehide', leave);
if (params.get('autojoin') === '1') join().catch((err) => console.error(err));
