// Janus fan-out benchmark (issue 14): one werift publisher (ffmpeg test pattern, Opus + VP8)
// in a VideoRoom and N werift subscribers in this one process; Janus's CPU (/proc/PID/stat,
// utime + stime) over a window at each N, per forwarded stream (one track to one subscriber,
// mediasoup's "consumer"). Run by scripts/bench-janus inside a network namespace of its own.
//   node bench/janus_fanout.mjs --url ws://127.0.0.1:PORT --secret-file F --janus-pid PID
//                               [--counts 10,50,100,200] [--window 6]
// Prints key=value lines on stdout (janus_N_...), progress on stderr.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { RTCPeerConnection, useOPUS, useVP8 } from 'werift';
import { TestPattern } from '../browser-tests/thirdparty/werift_peer.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const secret = readFileSync(args['secret-file'], 'utf8').split('\n')[0].trim();
const janusPid = Number(args['janus-pid']);
const counts = (args.counts || '10,50,100,200').split(',').map(Number);
const windowS = Number(args.window || 6);
const say = (text) => process.stderr.write(`janus-fanout: ${text}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const janusCpuS = () => {
  const stat = readFileSync(`/proc/${janusPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;  // utime, stime
};

// --- Janus API over one WebSocket: requests matched to replies by transaction. ---
const ws = new WebSocket(args.url, 'janus-protocol');
await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
const pending = new Map();
let nextTx = 1;
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  const waiter = pending.get(msg.transaction);
  if (!waiter || msg.janus === 'ack') return;
  pending.delete(msg.transaction);
  const error = msg.janus === 'error' ? msg.error?.reason
    : msg.plugindata?.data?.error;
  if (error) waiter.reject(new Error(error)); else waiter.resolve(msg);
});
const request = (body) => new Promise((resolve, reject) => {
  const transaction = `t${nextTx++}`;
  pending.set(transaction, { resolve, reject });
  ws.send(JSON.stringify({ ...body, transaction, apisecret: secret }));
  setTimeout(() => {
    if (pending.delete(transaction)) reject(new Error(`no reply to ${body.janus}`));
  }, 20000);
});
const session = (await request({ janus: 'create' })).data.id;
const keepalive = setInterval(() => { request({ janus: 'keepalive', session_id: session }).catch(() => {}); }, 15000);
const attach = async () => (await request({
  janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom',
})).data.id;
const message = (handle, body, jsep) => request({
  janus: 'message', session_id: session, handle_id: handle, body, ...(jsep ? { jsep } : {}),
});

const newPc = () => new RTCPeerConnection({
  iceServers: [], iceUseIpv6: false, bundlePolicy: 'max-bundle',
  codecs: { audio: [useOPUS()], video: [useVP8()] },
});
const gathered = (pc) => new Promise((resolve) => {
  if (pc.iceGatheringState === 'complete') return resolve();
  pc.iceGatheringStateChange.subscribe((s) => { if (s === 'complete') resolve(); });
});

const control = await attach();
const room = (await message(control, {
  request: 'create', admin_key: secret, publishers: 1, bitrate: 0,
})).plugindata.data.room;

// --- The publisher. ---
const pattern = await new TestPattern().start();
process.on('SIGTERM', () => { pattern.stop().finally(() => process.exit(1)); });
const pub = newPc();
const pubHandle = await attach();
const joined = await message(pubHandle, { request: 'join', ptype: 'publisher', room, display: 'bench' });
const feed = joined.plugindata.data.id;
pub.addTransceiver(pattern.track('audio'), { direction: 'sendonly' });
pub.addTransceiver(pattern.track('video'), { direction: 'sendonly' });
await pub.setLocalDescription(await pub.createOffer());
await gathered(pub);
const published = await message(pubHandle, { request: 'publish' },
  { type: 'offer', sdp: pub.localDescription.sdp });
await pub.setRemoteDescription(published.jsep);
for (const deadline = Date.now() + 20000; pub.connectionState !== 'connected'; await sleep(100)) {
  if (Date.now() > deadline) throw new Error('the publisher did not connect in 20 s');
}
await sleep(1000);  // Janus has the feed's media: subscribers can join it
say(`publisher up (room ${room}, feed ${feed})`);

// --- Subscribers: each its own handle and PeerConnection, counting RTP per kind. ---
const subscribers = [];
const addSubscriber = async () => {
  const handle = await attach();
  const offer = await message(handle, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
  const pc = newPc();
  const sub = { pc, handle, audio: 0, video: 0 };
  pc.ontrack = ({ track }) => { track.onReceiveRtp.subscribe(() => { sub[track.kind]++; }); };
  await pc.setRemoteDescription(offer.jsep);
  await pc.setLocalDescription(await pc.createAnswer());
  await gathered(pc);
  await message(handle, { request: 'start' }, { type: 'answer', sdp: pc.localDescription.sdp });
  const deadline = Date.now() + 30000;
  while (!(sub.audio > 0 && sub.video > 0)) {
    if (Date.now() > deadline) throw new Error('a subscriber received no media in 30 s');
    await sleep(100);
  }
  subscribers.push(sub);
};

const out = [];
const started = Date.now();
let previous = null;  // { streams, cores } of the last N: the marginal cost excludes ingest
try {
  for (const n of counts) {
    const t0 = Date.now();
    while (subscribers.length < n) {
      const batch = Math.min(10, n - subscribers.length);
      await Promise.all(Array.from({ length: batch }, addSubscriber));
    }
    say(`${n} subscribers receiving (${((Date.now() - t0) / 1000).toFixed(1)} s to add)`);
    await sleep(1500);  // past the new subscribers' keyframe requests
    const before = subscribers.map((s) => s.audio + s.video);
    const live0 = subscribers.map((s) => [s.audio, s.video]);
    const cpu0 = janusCpuS();
    const node0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    await sleep(windowS * 1000);
    const seconds = Number(process.hrtime.bigint() - w0) / 1e9;
    const cores = (janusCpuS() - cpu0) / seconds;
    const nodeUse = process.cpuUsage(node0);
    const packets = subscribers.reduce((sum, s, i) => sum + s.audio + s.video - before[i], 0);
    const flowing = subscribers.filter((s, i) => s.audio > live0[i][0] && s.video > live0[i][1]).length;
    const streams = 2 * n;  // audio + video to each subscriber
    const perCore = cores > 0 ? streams / cores : 0;
    out.push(
      `janus_${n}_streams=${streams}`,
      `janus_${n}_flowing=${flowing}`,
      `janus_${n}_cores=${cores.toFixed(4)}`,
      `janus_${n}_streams_per_core=${perCore.toFixed(0)}`,
      `janus_${n}_vs_mediasoup=${(perCore / 500).toFixed(2)}`,
      `janus_${n}_pps=${(packets / seconds).toFixed(0)}`,
      `janus_${n}_us_per_packet=${packets > 0 ? ((cores * seconds * 1e6) / packets).toFixed(1) : 0}`,
      `janus_${n}_receiver_cores=${((nodeUse.user + nodeUse.system) / 1e6 / seconds).toFixed(2)}`,
    );
    if (previous && cores > previous.cores) {
      out.push(`janus_${n}_marginal_streams_per_core=${((streams - previous.streams) / (cores - previous.cores)).toFixed(0)}`);
    }
    previous = { streams, cores };
    say(`N=${n}: Janus ${cores.toFixed(3)} cores for ${streams} streams (${flowing}/${n} flowing),`
      + ` ${perCore.toFixed(0)} streams/core, ${(packets / seconds).toFixed(0)} packets/s received`);
    if ((Date.now() - started) / 1000 > 90) { say('time is up: no larger N'); break; }
  }
} catch (error) {
  say(`stopped: ${error.message}`);
  out.push(`janus_error=${error.message.replace(/\s+/g, ' ')}`);
}
out.push(`janus_window_s=${windowS}`);
process.stdout.write(`${out.join('\n')}\n`);

// Cleanup: ffmpeg first (never left running), then the PeerConnections and the session.
clearInterval(keepalive);
await pattern.stop().catch(() => {});
await Promise.race([
  Promise.all([pub, ...subscribers.map((s) => s.pc)].map((pc) => pc.close().catch(() => {}))),
  sleep(3000),
]);
await message(control, { request: 'destroy', room, admin_key: secret }).catch(() => {});
ws.close();
process.exit(0);
