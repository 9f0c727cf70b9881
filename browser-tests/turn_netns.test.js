// Calls where the direct path is blocked, in network namespaces this test creates: Ada and
// Bob each get a namespace routed through a third that runs vroom-server and coturn, and
// nftables there drops what would go between them. With the default ICE policy the call
// connects through the relay; a call that started direct falls back to the relay by itself
// when the direct path is cut mid-call. Needs root (CI runs as root); loopback-free but
// confined to the namespaces, which are deleted afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, eventually, mediaFigures, playingRemoteVideos, screenshot, startServer, waitForStatus, watchConsole } from './harness.js';
import { startCoturn } from './coturn.js';

const isRoot = process.getuid?.() === 0;
const tag = String(process.pid % 100000);
const NS = { srv: `vroom-srv-${tag}`, a: `vroom-a-${tag}`, b: `vroom-b-${tag}` };
const SRV_A = '10.201.1.1', ADA = '10.201.1.2', SRV_B = '10.201.2.1', BOB = '10.201.2.2';
const env = {};

const sh = (...args) => execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const inNs = (ns, ...args) => sh('ip', 'netns', 'exec', ns, ...args);

function makeNetwork() {
  for (const ns of Object.values(NS)) {
    sh('ip', 'netns', 'add', ns);
    inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  }
  for (const [side, srvIp, ip, dev] of [['a', SRV_A, ADA, `va${tag}`], ['b', SRV_B, BOB, `vb${tag}`]]) {
    sh('ip', 'link', 'add', `${dev}s`, 'netns', NS.srv, 'type', 'veth', 'peer', 'name', `${dev}p`, 'netns', NS[side]);
    inNs(NS.srv, 'ip', 'addr', 'add', `${srvIp}/24`, 'dev', `${dev}s`);
    inNs(NS.srv, 'ip', 'link', 'set', `${dev}s`, 'up');
    inNs(NS[side], 'ip', 'addr', 'add', `${ip}/24`, 'dev', `${dev}p`);
    inNs(NS[side], 'ip', 'link', 'set', `${dev}p`, 'up');
    inNs(NS[side], 'ip', 'route', 'add', 'default', 'via', srvIp);
  }
  inNs(NS.srv, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');  // Ada <-> Bob directly, until blocked
}

// Drops everything routed between Ada's and Bob's networks; traffic to the server's own
// addresses (signaling, TURN) still arrives.
function blockDirectPath() {
  inNs(NS.srv, 'nft', 'add table inet vroomtest');
  inNs(NS.srv, 'nft', 'add chain inet vroomtest forward { type filter hook forward priority 0; policy drop; }');
}
function unblockDirectPath() {
  try { inNs(NS.srv, 'nft', 'delete table inet vroomtest'); } catch { /* not blocked */ }
}

async function launchIn(ns, serverIp) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-netns-'));
  const wrapper = path.join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  env.dirs.push(dir);
  // Plain http on a 10.x address is no secure context: let the camera work there for the test.
  return chromium.launch({ executablePath: wrapper, headless: true,
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=http://${serverIp}:${env.port}`] });
}

before(async () => {
  if (!isRoot) return;
  env.dirs = [];
  makeNetwork();
  const wrap = ['ip', 'netns', 'exec', NS.srv];
  env.turn = await startCoturn({ listen: [SRV_A, SRV_B], relay: SRV_A, wrap });
  env.server = await startServer(['--host', '0.0.0.0', '--turn-secret-file', env.turn.secretFile,
    '--turn-url', env.turn.url(SRV_A, 'udp')], { wrap });
  env.port = new URL(env.server.url).port;
  env.browsers = [await launchIn(NS.a, SRV_A), await launchIn(NS.b, SRV_B)];
});

after(async () => {
  if (!isRoot) return;
  for (const browser of env.browsers || []) await browser.close().catch(() => {});
  await env.server?.stop();
  await env.turn?.stop();
  for (const ns of Object.values(NS)) { try { sh('ip', 'netns', 'del', ns); } catch { /* never made */ } }
  for (const dir of env.dirs || []) rmSync(dir, { recursive: true, force: true });
});

async function join(room) {
  const pages = [];
  for (const [i, [name, host]] of [['Ada', SRV_A], ['Bob', SRV_B]].entries()) {
    const page = await env.browsers[i].newPage({ viewport: { width: 900, height: 600 } });
    page.problems = watchConsole(page);
    await page.goto(`http://${host}:${env.port}/?${new URLSearchParams({ room, name, autojoin: 1 })}`);
    await waitForStatus(page, 'state', /State: joined/);
    pages.push(page);
  }
  return pages;
}

const paths = (page) => page.evaluate(async () => Object.values(await window.vroomRoom.getStats()).map((s) => s.path));

async function framesIncrease(pages, message) {
  const before = await Promise.all(pages.map(mediaFigures));
  await new Promise((r) => setTimeout(r, 1500));
  const later = await Promise.all(pages.map(mediaFigures));
  pages.forEach((_, i) => assert.ok(later[i][0]?.framesDecoded > before[i][0]?.framesDecoded, `${message}: page ${i} decodes frames`));
}

test('with the direct path blocked the call connects through the relay, no relay-only flag', { skip: !isRoot && 'needs root for network namespaces' }, async () => {
  blockDirectPath();
  const pages = await join(`blocked-${Date.now()}`);
  for (const page of pages) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'remote video plays' });
    // The stats name the pair in use a moment after media flows on it.
    await eventually(async () => (await paths(page)).length === 1 && (await paths(page))[0] !== '', { message: 'the path is known' });
    assert.deepEqual(await paths(page), ['relayed']);
  }
  await framesIncrease(pages, 'relayed');
  await screenshot(pages[1], 'turn-netns-blocked');
  for (const page of pages) { assert.deepEqual(page.problems, []); await page.close(); }
  unblockDirectPath();
});

test('a direct call whose path fails mid-call falls back to the relay by itself', { skip: !isRoot && 'needs root for network namespaces' }, async () => {
  unblockDirectPath();
  const pages = await join(`fallback-${Date.now()}`);
  for (const page of pages) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'remote video plays' });
    await eventually(async () => (await paths(page))[0] === 'direct', { message: 'the call starts direct' });
  }
  blockDirectPath();
  const cutAt = Date.now();
  for (const page of pages) {
    await eventually(async () => (await paths(page))[0] === 'relayed', { timeout: 30000, message: 'the call moves to the relay' });
  }
  const relayedAt = Date.now();
  // The path is the relay's once ICE selects it; frames follow once the decoder has a new
  // keyframe through it.
  await eventually(async () => {
    try { await framesIncrease(pages, 'after the fallback'); return true; } catch { return false; }
  }, { timeout: 15000, interval: 0, message: 'after the fallback: both pages decode frames through the relay' });
  console.log(`# fell back to the relay ${relayedAt - cutAt} ms after the direct path was cut, frames through it ${Date.now() - cutAt} ms after`);
  for (const page of pages) await page.close();
  unblockDirectPath();
});
