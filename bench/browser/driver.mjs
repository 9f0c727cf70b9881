// Browser benchmarks (vroom issue 8, parts 2-5) for scripts/bench: starts vroom-server over a
// temp root (site + baseline pages) and the PeerJS server, runs each part in one Chromium and
// prints markdown rows "| metric | value | baseline | ratio |" on stdout; progress on stderr.
// Usage: node bench/browser/driver.mjs --server BIN --site DIR [--quick] [--parts a,b,...]
import { readFileSync } from 'node:fs';

import { runGlassLatency } from './glass_latency.mjs';
import { runJoinTime } from './join_time.mjs';
import { runTurnJoin } from './turn_join.mjs';
import { launchBrowser, log, prepareRoot, startPeerServer, startVroomServer } from './lib.mjs';
import { runMeshFps } from './mesh_fps.mjs';
import { runPayload } from './payload.mjs';
import { runProfile } from './cpu_profile.mjs';

const ALL_PARTS = ['join', 'turn', 'latency', 'mesh', 'payload', 'profile'];

function parseArgs(argv) {
  const args = { server: '', site: '', quick: false, parts: ALL_PARTS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--server') args.server = argv[++i];
    else if (a === '--site') args.site = argv[++i];
    else if (a === '--quick') args.quick = true;
    else if (a === '--parts') args.parts = argv[++i].split(',');
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.server || !args.site) throw new Error('usage: driver.mjs --server BIN --site DIR [--quick] [--parts a,b]');
  const unknown = args.parts.filter((p) => !ALL_PARTS.includes(p));
  if (unknown.length) throw new Error(`unknown part(s): ${unknown.join(', ')}`);
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const q = args.quick;
  const root = await prepareRoot(args.site);
  const vroom = await startVroomServer(args.server, root.dir);
  const peer = await startPeerServer();
  // The other party of a 2-page test runs in a second browser: a browser presents video at
  // full rate only in its front page, and every user has their own browser in front.
  const browser = await launchBrowser();
  const other = await launchBrowser();
  const rows = [];
  const notes = [];
  const started = Date.now();
  const part = async (name, fn) => {
    if (!args.parts.includes(name)) return;
    const t = Date.now();
    log(`${name}: start`);
    try {
      const out = await fn();
      rows.push(...(out.rows || out));
      if (out.notes) notes.push(...out.notes);
    } catch (err) {
      log(`${name} failed: ${err.stack || err}`);
      rows.push(`| ${name}: not measured (${String(err.message).split('\n')[0].replace(/\|/g, '/')}) | | | |`);
    }
    log(`${name}: done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  };
  try {
    const ctx = { other, vroomUrl: vroom.url, peerPort: peer.port, rootDir: root.dir };
    await part('join', () => runJoinTime(browser, { ...ctx, joins: q ? 5 : 30 }));
    await part('turn', () => runTurnJoin(browser, { ...ctx, serverBin: args.server, joins: q ? 3 : 10 }));
    await part('latency', () => runGlassLatency(browser, { ...ctx, seconds: q ? 3 : 10 }));
    await part('mesh', () => runMeshFps(browser, { ...ctx, sizes: q ? [2, 4] : [2, 4, 6], rounds: q ? [] : [3, 3, 2], slot: q ? 1 : 2, settle: q ? 8 : 20 }));
    await part('payload', () => runPayload(browser, { ...ctx, loads: q ? 3 : 10 }));
    await part('profile', () => runProfile(browser, { ...ctx, seconds: q ? 2 : 5 }));
  } finally {
    await browser.close().catch(() => {});
    await other.close().catch(() => {});
    await vroom.stop();
    await peer.stop();
    root.remove();
  }
  log(`browser benchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`${rows.join('\n')}\n`);
  if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
  process.stdout.write(`\n${readFileSync(new URL('./method.md', import.meta.url), 'utf8')}`);
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
