// Part 5: payload and time to an interactive lobby. Every response the vroom page downloads
// up to its lobby (html, css, js, wasm, icon), compressed in node with gzip -9 and brotli
// q11, against livekit-client, peerjs and simple-peer bundled minimal-app style by esbuild.
import path from 'node:path';
import zlib from 'node:zlib';
import { HERE, bundle, log, median, newContext, openPage, row, sleep, vroomState } from './lib.mjs';

const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const brotli = (buf) => zlib.brotliCompressSync(buf, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
}).length;
const sizes = (buf) => ({ raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) });
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

// Everything one cold load of the vroom page fetches until the lobby is drawn.
async function vroomDownloads(browser, vroomUrl) {
  const context = await newContext(browser);
  const responses = [];
  context.on('response', (r) => responses.push(r));
  try {
    const page = await openPage(context, vroomUrl, vroomState('State: idle'));
    await sleep(500);  // late requests (the icon)
    const files = [];
    const seen = new Set();
    for (const r of responses) {
      if (!r.url().startsWith(vroomUrl) || r.status() !== 200 || seen.has(r.url())) continue;
      seen.add(r.url());  // a file fetched twice (the icon) is counted once
      const body = await r.body().catch(() => null);
      if (body) files.push({ name: new URL(r.url()).pathname, ...sizes(body) });
    }
    await page.close();
    return files;
  } finally {
    await context.close();
  }
}

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

export async function runPayload(browser, { vroomUrl, peerPort, loads }) {
  const files = await vroomDownloads(browser, vroomUrl);
  const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }),
    { raw: 0, gzip: 0, brotli: 0 });
  log(`payload vroom: ${files.length} files, ${kib(total.raw)} raw, ${kib(total.gzip)} gzip, ${kib(total.brotli)} brotli`);

  const libs = {};
  for (const [name, entry] of [['livekit-client', 'livekit_client.js'], ['peerjs', 'peerjs.js'], ['simple-peer', 'simple_peer.js']]) {
    libs[name] = sizes(await bundle(path.join(HERE, 'entries', entry)));
    log(`payload ${name}: ${kib(libs[name].raw)} minified, ${kib(libs[name].gzip)} gzip, ${kib(libs[name].brotli)} brotli`);
  }

  const vroomReady = await readyTimes(browser, vroomUrl, vroomState('State: idle'), () => window.__bench.readyAt(), loads);
  const dcl = () => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
  const bareReady = await readyTimes(browser, `${vroomUrl}bare.html?room=r&name=n`, '!!window.bare', dcl, loads);
  const pjReady = await readyTimes(browser, `${vroomUrl}peerjs_call.html?id=x&port=${peerPort}`, '!!window.pj', dcl, loads);
  log(`ready ms: vroom lobby ${median(vroomReady).toFixed(0)}, bare ${median(bareReady).toFixed(0)}, peerjs page ${median(pjReady).toFixed(0)}`);

  const rows = [];
  for (const [name, lib] of Object.entries(libs)) {
    rows.push(row(`Download, gzip -9 bytes: vroom page (all ${files.length} files) vs ${name} bundle (esbuild --minify)`, total.gzip, lib.gzip));
    rows.push(row(`Download, brotli q11 bytes: vroom page vs ${name} bundle`, total.brotli, lib.brotli));
  }
  rows.push(row(`Navigation to interactive, median ms of ${loads} cold loads: vroom lobby drawn vs bare-API page script ready`,
    median(vroomReady), median(bareReady)));
  rows.push(row('Navigation to interactive, median ms: vroom lobby drawn vs PeerJS page (bundle) script ready',
    median(vroomReady), median(pjReady)));
  const notes = [
    `vroom page files (raw / gzip -9 / brotli q11): ${files.map((f) => `\`${f.name}\` ${kib(f.raw)} / ${kib(f.gzip)} / ${kib(f.brotli)}`).join('; ')}.`,
    '',
  ];
  return { rows, notes };
}
