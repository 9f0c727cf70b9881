// The PeerJS baseline (esbuild entry, bundled by the driver into peerjs_call.bundle.js): a
// two-party call with npm `peerjs` against npm `peer`'s server. ?id=ID&port=P[&listen=1]:
// a listener answers every call; the other side calls it through window.pj.call(target).
import { Peer } from 'peerjs';

const params = new URLSearchParams(location.search);
const videos = document.getElementById('videos');
const calls = new Set();
let local = null;
let peer = null;

// Same constraints as vroom's runtime and the bare page.
async function prepare() {
  local ??= await navigator.mediaDevices.getUserMedia({
    audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  });
  return local;
}

function show(call, stream) {
  if (call.elements) return;
  const video = document.createElement('video');
  Object.assign(video, { autoplay: true, playsInline: true, muted: true, srcObject: stream });
  const audio = document.createElement('audio');
  Object.assign(audio, { autoplay: true, srcObject: stream });
  videos.append(video, audio);
  call.elements = [video, audio];
  video.play().catch(() => {});
}

function track(call) {
  calls.add(call);
  call.on('stream', (stream) => show(call, stream));
  call.on('close', () => {
    calls.delete(call);
    for (const el of call.elements || []) { el.srcObject = null; el.remove(); }
  });
}

// Connects to the PeerJS server; resolves once it says OPEN. No STUN: loopback only.
function connect() {
  return new Promise((resolve, reject) => {
    peer = new Peer(params.get('id'), {
      host: '127.0.0.1', port: Number(params.get('port')), path: '/', key: 'peerjs', secure: false,
      config: { iceServers: [] }, debug: 0,
    });
    peer.on('open', resolve);
    peer.on('error', reject);
    peer.on('call', (call) => { track(call); call.answer(local); });
  });
}

async function listen() {
  await prepare();
  await connect();
}

async function call(target) {
  await prepare();
  await connect();
  track(peer.call(target, local));
}

// Ends every call (between benchmark runs: PeerJS does not tell the other side itself).
function hangUpAll() {
  for (const c of [...calls]) c.close();
}

function leave() {
  hangUpAll();
  peer?.destroy();
  peer = null;
}

window.pj = { prepare, listen, call, hangUpAll, leave };
addEventListener('pagehide', leave);
if (params.get('listen') === '1') listen().catch((err) => console.error(err));
