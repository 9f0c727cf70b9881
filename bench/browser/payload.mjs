// Part 5: payload and time to an interactive lobby. The bytes Chromium receives (after the
// server's Content-Encoding, headers included) on a cold load of the vroom page up to its lobby
// and again on a reload; what the download is made of (wasm code, data, JS glue);
// against livekit-client, peerjs and simple-peer bundled minimal-app style by esbuild.
import path from 'node:path';
import zlib from 'node:zlib';
import { header, recordNetwork, waitForNetworkQuiet } from '../../browser-tests/harness.js';
import { HERE, bundle, log, median, newContext, openPage, row, vroomState, waitInPage } from './lib.mjs';
import { downloadParts } from './wasm_parts.mjs';

const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const brotli = (buf) => zlib.brotliCompressSync(buf, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
}).length;
const sizes = (buf) => ({ raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) });
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const FIRST_LOAD_TARGET = 250 * 1024;  // issue 11's targets
const RELOAD_TARGET = 5 * 1024;

// One cold load of the vroom page to its lobby, then a reload, as the network saw them:
// { first, reload }, each [{ name, status, cached, encoding, received, decoded }].
async function vroomLoads(browser, vroomUrl) {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const network = await recordNetwork(page);
    const load = async (go) => {
      network.clear();
      await go();
      await waitInPage(page, vroomState('State: idle'));
      await waitForNetworkQuiet(network);
      return network.list().filter((r) => r.url.startsWith(vroomUrl)).map((r) => ({
        name: new URL(r.url).pathname, status: r.status, cached: r.fromCache,
        encoding: header(r.headers, 'content-encoding') || 'identity', received: r.received, decoded: r.decoded,
      }));
    };
    const first = await load(() => page.goto(vroomUrl));
    const reload = await load(() => page.reload());
    return { first, reload };
  } finally {
    await context.close();
  }
}

const received = (requests) => requests.reduce((sum, r) => sum + r.received, 0);
const listing = (requests) => requests.map((r) => `\`${r.name}\` ${r.cached ? 'cache' : r.status}` +
  `${r.encoding === 'identity' ? '' : ` ${r.encoding}`} ${kib(r.received)}` +
  `${r.decoded && r.decoded !== r.received ? ` (${kib(r.decoded)} decoded)` : ''}`).join('; ');

// Navigation start -> ready, over `loads` cold loads (fresh context each: nothing cached).
async function readyTimes(browser, url, ready, measure, loads) {
  const times = [];
  for (let i = 0; i < loads; i++) {
    const context = await newContext(browser);
    try {
      const page = await openPage(context, url, ready);
      times.push(await page.evaluate(measure));
    } finally {
      await context.close();
    }
  }
  return times;
}

export async function runPayload(browser, { vroomUrl, peerPort, loads, rootDir }) {
  const { first, reload } = await vroomLoads(browser, vroomUrl);
  const firstBytes = received(first);
  const reloadBytes = received(reload);
  log(`payload vroom: first load ${first.length} requests, ${kib(firstBytes)} received; reload ${kib(reloadBytes)}`);
  const parts = downloadParts(rootDir);
  for (const p of parts) log(`payload part ${p.part}: ${kib(p.raw)} raw, ${kib(p.brotli)} brotli`);

  const libs = {};
  for (const [name, entry] of [['livekit-client', 'livekit_client.js'], ['peerjs', 'peerjs.js'], ['simple-peer', 'simple_peer.js']]) {
    libs[name] = sizes(await bundle(path.join(HERE, 'entries', entry)));
    log(`payload ${name}: ${kib(libs[name].raw)} minified, ${kib(libs[name].gzip)} gzip, ${kib(libs[name].brotli)} brotli`);
  }

  // Each cold load also reports where its time went: resource timing of the downloads and the
  // vroom:* User Timing marks of createRoom (www/vroom-api.js), in ms from navigation start.
  const vroomTimelines = await readyTimes(browser, vroomUrl, '!!window.__bench.readyAt()', () => {
    const ended = (pattern) => Math.max(0, ...performance.getEntriesByType('resource')
      .filter((r) => pattern.test(new URL(r.name).pathname)).map((r) => r.responseEnd));
    const mark = (name) => performance.getEntriesByName(`vroom:${name}`, 'mark')[0]?.startTime ?? NaN;
    return {
      'HTML received': performance.getEntriesByType('navigation')[0].responseEnd,
      'app.js and the module received': Math.max(ended(/\/app\.js$/), ended(/\.mjs$/)),
      'createRoom called (module evaluated)': mark('start'),
      'wasm received': ended(/\.wasm$/),
      'wasm compiled and instantiated': mark('wasm-ready'),
      'C++ app made (session, ImGui)': mark('app-ready'),
      'input, layout and accessibility mirror wired': mark('started'),
      'first overlay frame presented': mark('first-frame'),
      'lobby interactive (status reads idle, first frame presented)': window.__bench.readyAt(),
    };
  }, loads);
  const vroomReady = vroomTimelines.map((t) => t['lobby interactive (status reads idle, first frame presented)']);
  const phases = Object.keys(vroomTimelines[0]).map((phase) =>
    `${phase} ${median(vroomTimelines.map((t) => t[phase])).toFixed(0)}`);
  log(`ready timeline, median ms from navigation start: ${phases.join('; ')}`);
  const dcl = () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
  const bareReady = await readyTimes(browser, `${vroomUrl}bare.html?room=r&name=n`, '!!window.bare', dcl, loads);
  const pjReady = await readyTimes(browser, `${vroomUrl}peerjs_call.html?id=x&port=${peerPort}`, '!!window.pj', dcl, loads);
  log(`ready ms: vroom lobby ${median(vroomReady).toFixed(0)}, bare ${median(bareReady).toFixed(0)}, peerjs page ${median(pjReady).toFixed(0)}`);

  const rows = [
    row(`First load, bytes received until the lobby is interactive (${first.length} requests, headers included, as the server encodes them) vs the 250 KiB target`,
      firstBytes, FIRST_LOAD_TARGET),
    row(`Reload, bytes received again (${reload.length} requests: ${reload.filter((r) => r.cached).length} from the cache, ` +
      `${reload.filter((r) => !r.cached && r.status === 304).length} answered 304, ` +
      `${reload.filter((r) => !r.cached && r.status !== 304).length} downloaded) vs the 5 KiB target`, reloadBytes, RELOAD_TARGET),
  ];
  for (const [name, lib] of Object.entries(libs)) {
    rows.push(row(`Download, bytes received on a first load: vroom page vs ${name} bundle (esbuild --minify, brotli q11)`, firstBytes, lib.brotli));
  }
  rows.push(row(`Navigation to interactive, median ms of ${loads} cold loads: vroom lobby drawn vs bare-API page script ready`,
    median(vroomReady), median(bareReady)));
  rows.push(row('Navigation to interactive, median ms: vroom lobby drawn vs PeerJS page (bundle) script ready',
    median(vroomReady), median(pjReady)));
  const notes = [
    `vroom first load (status, Content-Encoding, bytes received): ${listing(first)}.`,
    '',
    `vroom reload: ${listing(reload)}.`,
    '',
    `What the download is made of (raw / brotli q11 of that part alone): ${parts.map((p) => `${p.part} ${kib(p.raw)} / ${kib(p.brotli)}`).join('; ')}.`,
    '',
    `Where a cold load of the vroom page goes until its lobby is interactive (median of ${loads} loads, ms from navigation start, each phase ending at the time shown): ${phases.join('; ')}.`,
    '',
  ];
  return { rows, notes };
}
