// Janus, vroom-server (--mesh-max 2; or several nodes and a Redis) and Chromium in a network
// namespace of the test file's own (Janus never gathers ICE on loopback): a veth pair with
// 10.203.0.1 inside, no route out.
// sfuEnvironment() registers the hooks that make and remove it and returns what they made;
// openAt() opens a page there, joined; videoStreams(), decodedFrames() and
// videoStreamsAdvancing() read a page's video (inboundVideo() describes it for a failure);
// blockJanusMedia() cuts the media path to Janus.
// Needs root and Debian's janus (`skip` says why not). `NS_EXEC` prefixes a command to run it in
// the namespace; another browser (firefox/sfu.test.js's Firefox) is started and stopped with
// sfuEnvironment's `more` hooks.
import { afterEach, after, before } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ARTIFACTS, CHROMIUM_ARGS, eventually, startServer, stopChild, waitForStatus, watchConsole } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isRoot = process.getuid?.() === 0;
const hasJanus = existsSync('/usr/bin/janus');
export const skip = (!isRoot && 'needs root for a network namespace') || (!hasJanus && 'needs janus (scripts/setup)');
const tag = String(process.pid % 100000);
const NS = `vroom-sfu-${tag}`;
export const ADDRESS = '10.203.0.1';
export const env = {};

const sh = (...args) => execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
export const NS_EXEC = ['ip', 'netns', 'exec', NS];
const inNs = (...args) => sh(...NS_EXEC, ...args);

function makeNamespace() {
  sh('ip', 'netns', 'add', NS);
  inNs('ip', 'link', 'set', 'lo', 'up');
  inNs('sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1');
  inNs('ip', 'link', 'add', 'sf0', 'type', 'veth', 'peer', 'name', 'sf1');
  inNs('ip', 'link', 'set', 'sf1', 'up');
  inNs('ip', 'addr', 'add', `${ADDRESS}/24`, 'dev', 'sf0');
  inNs('ip', 'link', 'set', 'sf0', 'up');
}

// Janus inside the namespace, configured by scripts/janus-config under a temporary folder.
export async function startJanus(dir) {
  const wsPort = 18188 + (process.pid % 500);
  const low = 40000 + (process.pid % 200) * 100;
  // A restarted Janus keeps the secret the server was started with.
  if (!existsSync(path.join(dir, 'secret')))
    writeFileSync(path.join(dir, 'secret'), `sfu-test-${process.pid}-${Date.now()}\n`, { mode: 0o600 });
  sh(path.join(ROOT, 'scripts/janus-config'), '--dir', path.join(dir, 'conf'), '--secret-file', path.join(dir, 'secret'),
    '--ws-port', String(wsPort), '--ports', `${low}-${low + 99}`, '--log', path.join(dir, 'janus.log'),
    '--ice-address', ADDRESS, '--debug-level', '4');
  const child = spawn('ip', ['netns', 'exec', NS, '/usr/bin/janus', '-C', path.join(dir, 'conf/janus.jcfg'),
    '-F', path.join(dir, 'conf')], { stdio: 'ignore' });
  await eventually(() => new Promise((resolve) => {
    const socket = inNsConnect(wsPort, resolve);
    socket.on('error', () => resolve(false));
  }), { timeout: 10000, message: 'Janus accepting connections' });
  return {
    url: `ws://127.0.0.1:${wsPort}`, secretFile: path.join(dir, 'secret'), log: path.join(dir, 'janus.log'),
    ports: [low, low + 99],
    stop: (signal = 'SIGTERM') => stopChild(child, 'janus', { signal }),
  };
}

// Drops (true) or lets through again (false) every UDP packet to or from Janus's media ports
// in the namespace: the pages' path to the video server is lost while the signaling stays.
export function blockJanusMedia(blocked) {
  if (!blocked) {
    try { inNs('nft', 'delete table inet vroomsfu'); } catch { /* not blocked */ }
    return;
  }
  const [low, high] = env.janus.ports;
  inNs('nft', 'add table inet vroomsfu');
  inNs('nft', 'add chain inet vroomsfu input { type filter hook input priority 0; policy accept; }');
  inNs('nft', 'add rule inet vroomsfu input', 'udp', 'dport', `${low}-${high}`, 'drop');
  inNs('nft', 'add rule inet vroomsfu input', 'udp', 'sport', `${low}-${high}`, 'drop');
}

// Node runs outside the namespace: ask from inside it whether the port accepts connections.
function inNsConnect(port, resolve) {
  const probe = spawn('ip', ['netns', 'exec', NS, 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
  probe.on('exit', (code) => resolve(code === 0));
  return probe;
}

// redis-server inside the namespace, on its loopback, nothing persisted.
async function startRedis() {
  const port = 16379 + (process.pid % 500);
  const child = spawn('ip', ['netns', 'exec', NS, 'redis-server', '--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  await eventually(() => new Promise((resolve) => {
    const socket = inNsConnect(port, resolve);
    socket.on('error', () => resolve(false));
  }), { timeout: 10000, message: 'redis-server accepting connections' });
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child, 'redis-server') };
}

// `more.nodes`: that many vroom-servers sharing their rooms through a Redis of the namespace's
// own (--redis), all driving the one Janus; `env.nodes` lists them and `env.ports` their ports
// (`env.server`, `env.port`: the first). Without it, one server.
// `more.start(env)` runs once the namespace, Janus, the servers and Chromium are up;
// `more.stop(env)` first in the teardown, while they still are (it must bound its own waits).
export function sfuEnvironment(more = {}) {
  before(async () => {
    if (skip) return;
    env.dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-sfu-'));
    makeNamespace();
    env.janus = await startJanus(env.dir);
    const args = ['--host', ADDRESS, '--janus', env.janus.url, '--janus-secret-file', env.janus.secretFile, '--mesh-max', '2'];
    const wrap = ['ip', 'netns', 'exec', NS];
    if (more.nodes) {
      env.redis = await startRedis();
      env.nodes = [];
      for (let i = 0; i < more.nodes; i++)
        env.nodes.push(await startServer([...args, '--redis', env.redis.url, '--node-id', `n${i}`], { wrap }));
      // Every node has Redis before any page arrives.
      for (const node of env.nodes)
        await eventually(() => node.logged('redis_up') > 0, { timeout: 10000, message: 'node reaches Redis' });
    } else {
      env.nodes = [await startServer(args, { wrap })];
    }
    env.server = env.nodes[0];
    env.ports = env.nodes.map((node) => new URL(node.url).port);
    env.port = env.ports[0];
    const wrapper = path.join(env.dir, 'chromium');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${NS} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    env.browser = await chromium.launch({ executablePath: wrapper, headless: true,
      // The fake camera at 10 frames/s: up to ten pages share this machine's two cores.
      args: [...CHROMIUM_ARGS.map((a) => (a === '--use-fake-device-for-media-stream' ? `${a}=fps=10` : a)),
        '--disable-features=WebRtcHideLocalIpsWithMdns',
        `--unsafely-treat-insecure-origin-as-secure=${env.ports.map((port) => `http://${ADDRESS}:${port}`).join(',')}`] });
    await more.start?.(env);
  });

  // A failed test leaves its pages open: close them, or they load every later test.
  afterEach(async () => {
    for (const context of env.browser?.contexts() ?? []) await context.close().catch(() => {});
  });

  // Every step bounded: a process that hangs on its way out is killed and named, never waited
  // for until the file's timeout.
  after(async () => {
    if (skip) return;
    try { await more.stop?.(env); } catch (err) { console.log(`# stopping the other browser: ${err.message}`); }
    const closed = env.browser?.close().then(() => true, () => true);
    if (closed && !await Promise.race([closed, new Promise((r) => setTimeout(r, 15000, false))]))
      console.log('# Chromium still closing after 15 s: killed with the namespace');
    for (const [i, node] of (env.nodes ?? []).entries()) {
      await node.stop();
      if (!node.forced) continue;
      // Never in the way of the rest of the teardown (Janus and the namespace still to go).
      try {
        mkdirSync(ARTIFACTS, { recursive: true });
        writeFileSync(path.join(ARTIFACTS, `sfu-server-stop-${tag}-${i}.log`), node.stderr());
      } catch (err) { console.log(`# the server's log not kept: ${err.message}`); }
    }
    await env.redis?.stop();
    await env.janus?.stop();
    let left = [];
    try { left = sh('ip', 'netns', 'pids', NS).split(/\s+/).filter(Boolean); } catch { /* never made */ }
    for (const pid of left) try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone meanwhile */ }
    if (left.length) console.log(`# ${left.length} processes left in the namespace: killed`);
    try { sh('ip', 'netns', 'del', NS); } catch { /* never made */ }
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

// A page of the namespace's server (of node `node`), joined with `params`.
export async function openAt(params, { node = 0 } = {}) {
  const page = await env.browser.newPage({ viewport: { width: 640, height: 400 } });
  page.problems = watchConsole(page);
  await page.goto(`http://${ADDRESS}:${env.ports[node]}/?${new URLSearchParams({ autojoin: 1, ...params })}`);
  await waitForStatus(page, 'state', /State: joined/);
  return page;
}

// Video streams a page sends and receives, over all of its connections: transceivers
// negotiated to receive video; video sources sent (one per camera, whatever its layers) and
// the simulcast layers sent (outbound-rtp video entries, one per rid), and of those the ones
// the senders have on (`encoding.active`: what someone watches).
export async function videoStreams(page) {
  return page.evaluate(async () => {
    let received = 0;
    const sources = new Set(), rids = [], active = [];
    for (const pc of window.vroomRoom._runtime.peerConnections()) {
      for (const t of pc.getTransceivers()) {
        if (t.receiver.track.kind === 'video' && /recv/.test(t.currentDirection || '')) received++;
        if (t.sender.track?.kind === 'video')
          for (const e of t.sender.getParameters().encodings ?? []) if (e.rid && e.active) active.push(e.rid);
      }
      (await pc.getStats()).forEach((s) => {
        if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
        sources.add(`${pc.testId ??= Math.random().toString(36).slice(2)}/${s.mediaSourceId}`);
        rids.push(s.rid ?? '');
      });
    }
    return { received, outbound: sources.size, layers: rids.sort().join(','), active: active.sort().join(',') };
  });
}

// Frames decoded so far per received video stream of a page, over all of its connections.
export function decodedFrames(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const pc of window.vroomRoom._runtime.peerConnections()) {
      pc.testId ??= Math.random().toString(36).slice(2);
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out[`${pc.testId}/${s.id}`] = s.framesDecoded || 0;
      });
    }
    return out;
  });
}

// How many received video streams of a page decode new frames within `ms` (a frozen tile's
// last frame does not count).
export async function videoStreamsAdvancing(page, ms = 700) {
  const before = await decodedFrames(page);
  await new Promise((r) => setTimeout(r, ms));
  const later = await decodedFrames(page);
  return Object.keys(later).filter((k) => later[k] > (before[k] ?? 0)).length;
}

// Each received video stream's figures, for a failure's message.
export function inboundVideo(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const pc of window.vroomRoom._runtime.peerConnections()) {
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video')
          out.push(`mid ${s.mid} ${s.frameWidth}x${s.frameHeight} bytes ${s.bytesReceived} frames ${s.framesDecoded} fps ${s.framesPerSecond ?? 0} key ${s.keyFramesDecoded} pli ${s.pliCount} nack ${s.nackCount}`);
      });
    }
    return out.join('; ');
  });
}
