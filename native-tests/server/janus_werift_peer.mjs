// A real WebRTC endpoint (werift) for janus_media_test, driven line by line over stdin/stdout:
//   publish:   prints {"type":"offer","sdp"} (audio+video sendonly, an ffmpeg test pattern),
//              reads the answer line, prints {"event":"connected"} when DTLS is up.
//   subscribe: reads an offer line, prints the answer, {"event":"connected"}, then
//              {"event":"media","audio":N,"video":N} (RTP packets received) twice a second;
//              answers each further offer line (a renegotiation or an ICE restart) the same way.
// Exits when stdin closes.
import readline from 'node:readline';
import { RTCPeerConnection, useOPUS, useVP8 } from 'werift';
import { TestPattern } from '../../browser-tests/thirdparty/werift_peer.js';

const mode = process.argv[2];
const say = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);
const lines = readline.createInterface({ input: process.stdin });
const queue = [];
let waiter = null;
lines.on('line', (line) => {
  if (waiter) { const w = waiter; waiter = null; w(line); } else queue.push(line);
});
const nextLine = () => (queue.length ? Promise.resolve(queue.shift())
  : new Promise((resolve) => { waiter = resolve; }));

// No STUN server (werift's default is a public one) and no IPv6: host candidates only, on the
// addresses of the test's network namespace.
const pc = new RTCPeerConnection({
  iceServers: [],
  iceUseIpv6: false,
  bundlePolicy: 'max-bundle',
  codecs: { audio: [useOPUS()], video: [useVP8()] },
});
// Started at once in publish mode; whatever happens, ffmpeg is stopped before exiting.
const pattern = mode === 'publish' ? new TestPattern().start() : null;
let source = null;
process.on('exit', () => {  // last resort, synchronous: never leave ffmpeg running
  if (source?.ffmpeg && source.ffmpeg.exitCode === null) {
    try { process.kill(source.ffmpeg.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});
const gathered = () => new Promise((resolve) => {
  if (pc.iceGatheringState === 'complete') return resolve();
  pc.iceGatheringStateChange.subscribe((state) => { if (state === 'complete') resolve(); });
});
pc.connectionStateChange.subscribe((state) => {
  if (state === 'connected') say({ event: 'connected' });
  if (state === 'failed') say({ event: 'failed' });
});
const received = { audio: 0, video: 0 };
pc.ontrack = ({ track }) => {
  track.onReceiveRtp.subscribe(() => { received[track.kind]++; });
};

const exit = async (code) => {
  clearInterval(ticker);
  if (pattern) await (await pattern.catch(() => null))?.stop();
  await Promise.race([pc.close().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
  process.exit(code);
};
lines.on('close', () => exit(0));
process.on('SIGTERM', () => exit(0));
const ticker = setInterval(() => {
  if (mode === 'subscribe' && pc.connectionState === 'connected') say({ event: 'media', ...received });
}, 500);

if (mode === 'publish') {
  source = await pattern;
  pc.addTransceiver(source.track('audio'), { direction: 'sendonly' });
  pc.addTransceiver(source.track('video'), { direction: 'sendonly' });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered();
  say({ type: 'offer', sdp: pc.localDescription.sdp });
  const answer = JSON.parse(await nextLine());
  await pc.setRemoteDescription(answer);
} else if (mode === 'subscribe') {
  for (;;) {
    const offer = JSON.parse(await nextLine());
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered();
    say({ type: 'answer', sdp: pc.localDescription.sdp });
  }
} else {
  process.stderr.write('usage: janus_werift_peer.mjs publish|subscribe\n');
  process.exit(2);
}
