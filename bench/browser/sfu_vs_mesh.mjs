// Mesh vs SFU (issue 14), run by scripts/bench-sfu inside the network namespace it makes (Janus
// never gathers ICE on loopback): two vroom-servers on the namespace's 10.203.0.1, one without
// --janus (every room on the mesh) and one with it (a broadcast always through Janus, a
// conference past --mesh-max, default 4), and two Chromiums with the fake camera at --fps.
//   1. A broadcast to 1, then 4, then 8 viewers (viewers added to the same broadcast): the
//      host's upload (outbound-rtp bytesSent over all its connections) and the CPU of the host's
//      Chromium (its own instance: utime + stime of its process tree) over a window of
//      --window s, --settle s after every viewer plays; the viewers in the other Chromium. Then
//      --late-joins viewers join late, one at a time: join() to the first remote frame each.
//   2. A conference of --conference pages in one Chromium: frames presented per remote tile
//      (mesh_fps.mjs's measurement: --conf-settle s after every tile plays, each page --slot s
//      in front).
// Prints key=value lines on stdout (scripts/bench records them); progress and a summary with
// the ratios on stderr.
// Usage: node bench/browser/sfu_vs_mesh.mjs --server BIN --site DIR --janus-url URL
//   --janus-secret-file F [--janus-pid PID] [--address 10.203.0.1] [--viewers 1,4,8]
//   [--window 10] [--settle 5] [--late-joins 3] [--fps 10] [--conference 6] [--conf-settle 15] [--slot 2]
//   [--parts broadcast,conference]
import { chromiumCpuSeconds, launchBrowser, log, mean, median, newContext, openPage, processCpuSeconds, ratio, sleep,
  startVroomServer, vroomState, waitForRemoteVideos } from './lib.mjs';
import { measureRoomFps } from './mesh_fps.mjs';

function parseArgs(argv) {
  const args = {
    server: '', site: '', janusUrl: '', janusSecretFile: '', janusPid: 0, address: '10.203.0.1',
    viewers: [1, 4, 8], window: 10, settle: 5, fps: 10, conference: 6, confSettle: 15, slot: 2, lateJoins: 3,
    parts: ['broadcast', 'conference'],
  };
  const list = (v) => v.split(',').filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    i++;
    if (a === '--server') args.server = v;
    else if (a === '--site') args.site = v;
    else if (a === '--janus-url') args.janusUrl = v;
    else if (a === '--janus-secret-file') args.janusSecretFile = v;
    else if (a === '--janus-pid') args.janusPid = Number(v);
    else if (a === '--address') args.address = v;
    else if (a === '--viewers') args.viewers = list(v).map(Number).sort((x, y) => x - y);
    else if (a === '--window') args.window = Number(v);
    else if (a === '--settle') args.settle = Number(v);
    else if (a === '--late-joins') args.lateJoins = Number(v);
    else if (a === '--fps') args.fps = Number(v);
    else if (a === '--conference') args.conference = Number(v);
    else if (a === '--conf-settle') args.confSettle = Number(v);
    else if (a === '--slot') args.slot = Number(v);
    else if (a === '--parts') args.parts = list(v);
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.server || !args.site || !args.janusUrl || !args.janusSecretFile)
    throw new Error('usage: sfu_vs_mesh.mjs --server BIN --site DIR --janus-url URL --janus-secret-file F [...]');
  return args;
}

const out = (key, value) => process.stdout.write(`${key}=${typeof value === 'number' ? (Number.isFinite(value) ? +value.toFixed(3) : -1) : value}\n`);

const pageUrl = (base, params) => `${base}?${new URLSearchParams({ autojoin: 1, ...params })}`;

// Frames decoded so far per page (all its inbound video), to tell which viewers play in the window.
const decodedTotals = (pages) => Promise.all(pages.map((p) => p.evaluate(async () =>
  (await window.__bench.framesDecoded()).reduce((n, x) => n + x.frames, 0))));

// ['720p/none', '720p/none', '360p/cpu'] -> '2x720p/none,1x360p/cpu'.
const tally = (items) => {
  const counts = new Map();
  for (const x of items) counts.set(x, (counts.get(x) || 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([x, n]) => `${n}x${x}`).join(',') || 'none';
};

const LATE_TIMEOUT_MS = 15000;

// A viewer joining the running broadcast `room` late: a fresh page in `context`, its lobby
// ready, timed from join() to its first remote frame presented (ms, NaN after 15 s); it leaves
// and closes, so the audience is as before.
async function timeLateViewer(context, base, room) {
  const page = await openPage(context, `${base}?${new URLSearchParams({ room, name: 'Late', mode: 'broadcast', role: 'viewer' })}`,
    `${vroomState('State: idle')} && !!window.vroomRoom`);
  try {
    return await page.evaluate(async (timeoutMs) => {
      const frame = window.__bench.firstRemoteFrame();
      const t0 = performance.now();
      window.vroomRoom.join().catch(() => {});
      const timeout = new Promise((resolve) => setTimeout(() => resolve(NaN), timeoutMs));
      return (await Promise.race([frame, timeout])) - t0;
    }, LATE_TIMEOUT_MS);
  } finally {
    await page.evaluate(() => window.vroomRoom.leave()).catch(() => {});
    await page.close();
  }
}

// One broadcast on `base`'s server, its viewers added up to each count of `counts`; at each
// count, `lateJoins` late viewers timed one after another.
async function broadcast(mode, base, { hostBrowser, viewerBrowser, counts, window: windowS, settle, janusPid, lateJoins }) {
  const room = `bcast-${mode}-${process.pid}-${Date.now()}`;
  const hostContext = await newContext(hostBrowser);
  const viewerContext = await newContext(viewerBrowser);
  const results = {};
  try {
    const host = await openPage(hostContext, pageUrl(base, { room, name: 'Host', mode: 'broadcast', role: 'host' }),
      vroomState('State: joined'), 60000);
    const viewers = [];
    for (const n of counts) {
      const t0 = Date.now();
      while (viewers.length < n) {
        viewers.push(await openPage(viewerContext,
          pageUrl(base, { room, name: `V${viewers.length + 1}`, mode: 'broadcast', role: 'viewer' }),
          vroomState('State: joined'), 60000));
      }
      let playing = NaN;
      try {
        await waitForRemoteVideos(viewers, 1, 40000);
        playing = (Date.now() - t0) / 1000;
      } catch {
        log(`broadcast ${mode} to ${n}: not every viewer plays after 40 s; measuring what is there`);
      }
      await sleep(settle * 1000);
      const bytes = () => host.evaluate(() => window.__bench.bytesSent());
      const [b0, d0] = [await bytes(), await decodedTotals(viewers)];
      const c0 = chromiumCpuSeconds([hostBrowser.pid]);
      const v0 = chromiumCpuSeconds([viewerBrowser.pid]);
      const j0 = janusPid ? processCpuSeconds(janusPid) : NaN;
      const s0 = Date.now();
      // The upload read about every second too: a window still ramping up shows in the log.
      // Bytes are divided by the time between the stats' own timestamps: on a loaded machine a
      // page can take seconds to answer.
      const steps = [];
      let last = b0;
      while (Date.now() - s0 < windowS * 1000 - 1500) {
        await sleep(1000);
        const b = await bytes();
        if (b.at > last.at) steps.push((b.audio + b.video - last.audio - last.video) / ((b.at - last.at) / 1000));
        last = b;
      }
      await sleep(Math.max(0, s0 + windowS * 1000 - Date.now()));
      const elapsed = (Date.now() - s0) / 1000;
      const c1 = chromiumCpuSeconds([hostBrowser.pid]);
      const v1 = chromiumCpuSeconds([viewerBrowser.pid]);
      const j1 = janusPid ? processCpuSeconds(janusPid) : NaN;
      const [b1, d1] = [await bytes(), await decodedTotals(viewers)];
      const statsSeconds = (b1.at - b0.at) / 1000;
      const r = {
        upload_bytes_per_s: (b1.audio + b1.video - b0.audio - b0.video) / statsSeconds,
        video_upload_bytes_per_s: (b1.video - b0.video) / statsSeconds,
        host_cores: (c1 - c0) / elapsed,
        viewers_cores: (v1 - v0) / elapsed,
        janus_cores: mode === 'sfu' ? (j1 - j0) / elapsed : NaN,
        host_connections: b1.connections,
        // Each video encoding sending at the window's end, HEIGHTp/LIMIT, most common first.
        host_video_encodings: tally(b1.encodings),
        playing: `${d1.filter((d, i) => d > d0[i]).length}/${n}`,
        playing_s: playing,
      };
      if (mode !== 'sfu') delete r.janus_cores;
      const late = [];
      for (let i = 0; i < lateJoins; i++) late.push(await timeLateViewer(viewerContext, base, room));
      // A viewer with no frame after 15 s counts as 15 s: the median never hides a timeout.
      r.late_viewer_ms = median(late.map((x) => (Number.isFinite(x) ? x : LATE_TIMEOUT_MS)));
      r.late_viewer_failed = late.filter((x) => !Number.isFinite(x)).length;
      results[n] = r;
      log(`broadcast ${mode} to ${n}: upload ${Math.round(r.upload_bytes_per_s)} B/s over ${r.host_connections} ` +
        `connection(s) (each second: ${steps.map((x) => Math.round(x / 1000)).join(' ')} kB/s), ` +
        `video encodings ${r.host_video_encodings}; host Chromium ${r.host_cores.toFixed(2)} cores, ` +
        `viewers' ${r.viewers_cores.toFixed(2)}${mode === 'sfu' ? `, Janus ${r.janus_cores.toFixed(3)}` : ''}; ` +
        `${r.playing} viewers decoding (all playing ${playing.toFixed(1)} s after the first new join); ` +
        `a late viewer's first frame ${late.map((x) => (Number.isFinite(x) ? Math.round(x) : 'none')).join(', ') || 'not timed'} ms after its join`);
    }
  } finally {
    await hostContext.close().catch(() => {});
    await viewerContext.close().catch(() => {});
  }
  return results;
}

// What the pages of a conference are connected through: peer connections per page (mean).
const connectionsPerPage = async (pages) => ({
  connections: mean(await Promise.all(pages.map((p) => p.evaluate(() => window.__bench.connectedPeers())))),
});

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const common = ['--host', args.address];
  const servers = {
    mesh: await startVroomServer(args.server, args.site, common),
    sfu: await startVroomServer(args.server, args.site, [...common, '--janus', args.janusUrl,
      '--janus-secret-file', args.janusSecretFile]),
  };
  const base = {};
  for (const [mode, s] of Object.entries(servers)) base[mode] = `http://${args.address}:${s.port}/`;
  // The pages' origin is the namespace's address over http: secure for getUserMedia by flag.
  // Host candidates as addresses, not mDNS names (Janus does not resolve those).
  const extraArgs = ['--disable-features=WebRtcHideLocalIpsWithMdns',
    `--unsafely-treat-insecure-origin-as-secure=${Object.values(base).map((u) => u.slice(0, -1)).join(',')}`];
  const hostBrowser = await launchBrowser({ fakeFps: args.fps, extraArgs });
  const viewerBrowser = await launchBrowser({ fakeFps: args.fps, extraArgs });
  if (!hostBrowser.pid || !viewerBrowser.pid) throw new Error('could not find the Chromium processes');
  out('camera_fps', args.fps);
  out('window_s', args.window);
  const summary = [];
  try {
    if (args.parts.includes('broadcast')) {
      const r = {};
      for (const mode of ['mesh', 'sfu']) {
        try {
          r[mode] = await broadcast(mode, base[mode], { hostBrowser, viewerBrowser, counts: args.viewers,
            window: args.window, settle: args.settle, janusPid: args.janusPid, lateJoins: args.lateJoins });
        } catch (err) {
          log(`broadcast ${mode} failed: ${err.stack || err}`);
          r[mode] = {};
          out(`broadcast_${mode}_error`, String(err.message).split('\n')[0].replace(/=/g, ':'));
        }
        for (const [n, fields] of Object.entries(r[mode]))
          for (const [k, v] of Object.entries(fields)) out(`broadcast_${mode}_${n}_${k}`, v);
      }
      for (const n of args.viewers) {
        const m = r.mesh[n], s = r.sfu[n];
        if (m && s) summary.push(`broadcast to ${n}: upload SFU/mesh ${ratio(s.upload_bytes_per_s, m.upload_bytes_per_s)}, ` +
          `host CPU SFU/mesh ${ratio(s.host_cores, m.host_cores)}, ` +
          `a late viewer's first frame ${Math.round(m.late_viewer_ms)} ms mesh, ${Math.round(s.late_viewer_ms)} ms SFU`);
      }
    }
    if (args.parts.includes('conference')) {
      const n = args.conference;
      const r = {};
      for (const mode of ['mesh', 'sfu']) {
        try {
          r[mode] = await measureRoomFps(viewerBrowser, {
            label: `conference-${mode}`, n, slot: args.slot, settle: args.confSettle, inspect: connectionsPerPage,
            pageFor: (room, name) => [pageUrl(base[mode], { room, name }), vroomState('State: joined')],
          });
        } catch (err) {
          log(`conference ${mode} failed: ${err.stack || err}`);
          out(`conference_${mode}_error`, String(err.message).split('\n')[0].replace(/=/g, ':'));
          continue;
        }
        const x = r[mode];
        out(`conference_${mode}_presented_fps`, mean(x.presented));
        out(`conference_${mode}_tiles`, `${x.presented.length}/${x.expectedTiles}`);
        out(`conference_${mode}_decoded_fps`, mean(x.decoded));
        out(`conference_${mode}_background_fps`, mean(x.background));
        out(`conference_${mode}_playing_s`, x.playing);
        out(`conference_${mode}_connections_per_page`, x.connections);
        log(`conference ${mode} x${n}: ${x.presented.length}/${x.expectedTiles} tiles, presented ` +
          `${mean(x.presented).toFixed(1)} fps per tile in front (${mean(x.background).toFixed(1)} in the background), ` +
          `decoded ${mean(x.decoded).toFixed(1)}; ${x.connections.toFixed(1)} connections per page`);
      }
      if (r.mesh && r.sfu) summary.push(`conference of ${n}: presented fps per tile SFU/mesh ${ratio(mean(r.sfu.presented), mean(r.mesh.presented))}`);
    }
  } finally {
    await hostBrowser.close().catch(() => {});
    await viewerBrowser.close().catch(() => {});
    for (const s of Object.values(servers)) await s.stop();
  }
  for (const line of summary) log(line);
  log(`mesh vs SFU done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
