// Shared harness for the browser tests: starts the real vroom server on a free loopback port,
// launches Debian's Chromium through playwright-core with the fake camera and microphone, and
// offers helpers to read the page's status region, record its network traffic and save
// screenshots.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const SERVER_BIN = process.env.VROOM_SERVER_BIN || path.join(ROOT, 'build/native/server/vroom-server');
export const SITE_DIR = process.env.VROOM_SITE_DIR || path.join(ROOT, 'build/wasm/site');
export const ARTIFACTS = process.env.VROOM_ARTIFACTS || path.join(ROOT, 'build/browser-artifacts');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Starts vroom-server on an ephemeral port; resolves once it prints its listening line.
 * `wrap` prefixes the command (e.g. ['ip', 'netns', 'exec', NS] to run it in a namespace).
 * `logged(event)` counts the log lines it wrote with event=NAME (its stderr keeps only the
 * last 20,000 characters).
 */
export async function startServer(extraArgs = [], { port = 0, root = SITE_DIR, wrap = [] } = {}) {
  const command = [...wrap, SERVER_BIN, '--port', String(port), '--root', root, ...extraArgs];
  const child = spawn(command[0], command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' },
  });
  let stderr = '', partial = '';
  const events = new Map();  // how many log lines of each event=NAME the server wrote
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20000);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      const name = line.match(/ event=(\S+)/)?.[1];
      if (name) events.set(name, (events.get(name) ?? 0) + 1);
    }
  });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 15000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/vroom listening on (https?:\/\/\S+)/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${stderr}`)); });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    logged: (event) => events.get(event) ?? 0,
    // Resolves to the exit code (null when it had to be killed: `forced` then says so).
    async stop() {
      const { code, forced } = await stopChild(child, 'vroom-server');
      this.forced = forced;
      return code;
    },
  };
}

/**
 * Stops a child process: `signal`, then SIGKILL if it is still there `graceMs` later (a test
 * file must never wait for good on a process that ignores its signal). Resolves to
 * { code, signal, forced }; a forced stop is logged with `name`.
 */
export async function stopChild(child, name, { signal = 'SIGTERM', graceMs = 10000 } = {}) {
  // Already gone, by exit or by a signal (a test's SIGKILL): there is no 'exit' to wait for.
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode, forced: false };
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  child.kill(signal);
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    console.log(`# ${name} (pid ${child.pid}) was still running ${graceMs} ms after ${signal}: killed`);
    child.kill('SIGKILL');
  }, graceMs);
  const result = await exited;
  clearTimeout(timer);
  return { ...result, forced };
}

/**
 * One real server and one browser for a whole test file: started before its tests, stopped
 * after them. `env.server` and `env.browser` are set once `before` ran; `env.serverExit`
 * holds the server's exit code after the file.
 */
export function sharedServerAndBrowser(serverArgs = []) {
  const env = {};
  before(async () => {
    env.server = await startServer(serverArgs);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.serverExit = await env.server?.stop();
  });
  return env;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Text of one field of the page's status region ("state", "error", ...). */
export async function statusText(page, field) {
  // page.evaluate with one argument works alike in Playwright and Puppeteer pages.
  return page.evaluate((f) => document.querySelector(`#status [data-field="${f}"]`)?.textContent ?? '', field);
}

/** Waits until the status region's field matches `pattern`; fails with the region's text. */
export async function waitForStatus(page, field, pattern, timeout = 40000) {
  try {
    // A page that is navigating has no status for a moment: poll through it.
    await eventually(async () => pattern.test(await statusText(page, field).catch(() => '')),
      { timeout, interval: 100 });
  } catch (err) {
    const region = await page.evaluate(() => document.querySelector('#status')?.innerText ?? '(no status region)')
      .catch(() => '(page gone)');
    throw new Error(`status ${field} never matched ${pattern}; status region:\n${region}`);
  }
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The room's background colour: overlay pixels are those that differ from it. */
export const ROOM_BACKGROUND = [0x0d, 0x0f, 0x14];

/**
 * Counts pixels of a PNG (base64) within `within` (sum of channel differences) of the colour
 * `near`, or not within it when `outside` is set; decoded in the page itself (no image
 * library in node). Works with Playwright and Puppeteer pages.
 */
export async function countPixels(page, pngBase64, { near, within = 24, outside = false }) {
  return page.evaluate(async ({ base64, near, within, outside }) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const distance = Math.abs(data[i] - near[0]) + Math.abs(data[i + 1] - near[1]) + Math.abs(data[i + 2] - near[2]);
      if ((distance <= within) !== outside) count++;
    }
    return { count, total: data.length / 4 };
  }, { base64: pngBase64, near, within, outside });
}

/**
 * countPixels over what the person sees on the overlay canvas (video beneath included), for
 * Playwright pages: a page screenshot clipped to the canvas, since an element screenshot
 * scrolls the element into view first, which makes the overlay draw a frame and would hide
 * what is being checked.
 */
export async function countOverlayPixels(page, colour) {
  const clip = await page.locator('canvas.vroom-overlay').boundingBox();
  const png = await page.screenshot({ clip });
  return countPixels(page, png.toString('base64'), colour);
}

/** Collects console errors and page errors so a test can assert there were none. */
export function watchConsole(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  return problems;
}

/** Opens the page with a deep link (query params) and waits for `state` to be reached. */
export async function openRoom(context, serverUrl, params, { state = /State: joined/, viewport } = {}) {
  const page = await context.newPage({ viewport: viewport || { width: 1000, height: 700 } });
  page.problems = watchConsole(page);
  await page.goto(`${serverUrl}?${new URLSearchParams(params)}`);
  if (state) await waitForStatus(page, 'state', state);
  return page;
}

/**
 * Media figures of a page, read from its live RTCPeerConnections: per connection, inbound
 * video frames decoded and audio bytes received, outbound bytes sent by kind, and an `id` that
 * names the same connection in every call.
 */
export async function mediaFigures(page) {
  return page.evaluate(async () => {
    const pcs = window.vroomRoom?._runtime?.peerConnections() || [];
    const out = [];
    for (const pc of pcs) {
      pc.testId ??= Math.random().toString(36).slice(2);
      const f = { id: pc.testId, state: pc.connectionState, framesDecoded: 0, audioBytesIn: 0, videoBytesIn: 0,
        audioBytesOut: 0, videoBytesOut: 0, videoTracksIn: 0, audioTracksIn: 0 };
      for (const r of pc.getReceivers()) {
        if (r.track.readyState !== 'live') continue;
        if (r.track.kind === 'video') f.videoTracksIn++;
        else f.audioTracksIn++;
      }
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') { f.framesDecoded += s.framesDecoded || 0; f.videoBytesIn += s.bytesReceived || 0; }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') f.audioBytesIn += s.bytesReceived || 0;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') f.audioBytesOut += s.bytesSent || 0;
        if (s.type === 'outbound-rtp' && s.kind === 'video') f.videoBytesOut += s.bytesSent || 0;
      });
      out.push(f);
    }
    return out;
  });
}

/** Remote (non-mirrored) <video> tiles of a page that are actually showing frames. */
export async function playingRemoteVideos(page) {
  return page.evaluate(() => [...document.querySelectorAll('.vroom-videos video')]
    .filter((v) => v.dataset.mirrored !== '1' && v.videoWidth > 0 && !v.paused)
    .map((v) => ({ streamId: v.dataset.streamId, width: v.videoWidth, height: v.videoHeight })));
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass; returns the last value. */
export async function eventually(fn, { timeout = 30000, interval = 250, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message}; last value: ${JSON.stringify(last)}`);
}

/** A response header by name, whatever its case ('' when absent). */
export const header = (headers, name) =>
  Object.entries(headers || {}).find(([k]) => k.toLowerCase() === name)?.[1] ?? '';

/**
 * Every HTTP request of a page through the DevTools protocol: status (as sent: 304 for a
 * revalidation), headers, whether the cache answered, `received` (bytes that came over the network: headers and body as sent, so
 * compressed; 0 for a cache hit) and `decoded` (body bytes after Content-Encoding).
 */
export async function recordNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId,
    { url: e.request.url, status: 0, headers: {}, fromCache: false, received: 0, decoded: 0, finished: false }));
  const update = (e, fields) => { const r = requests.get(e.requestId); if (r) Object.assign(r, fields); };
  cdp.on('Network.requestServedFromCache', (e) => update(e, { fromCache: true }));
  cdp.on('Network.responseReceived', (e) => update(e, {
    status: e.response.status, headers: e.response.headers,
    ...(e.response.fromDiskCache || e.response.fromPrefetchCache ? { fromCache: true } : {}),
  }));
  cdp.on('Network.dataReceived', (e) => { const r = requests.get(e.requestId); if (r) r.decoded += e.dataLength; });
  // The status as it came over the wire: Chromium reports a revalidated response as the cached
  // 200 it completed, so only this says 304. It may arrive before requestWillBeSent.
  const wireStatus = new Map();
  cdp.on('Network.responseReceivedExtraInfo', (e) => wireStatus.set(e.requestId, e.statusCode));
  cdp.on('Network.loadingFinished', (e) => update(e, { received: e.encodedDataLength, finished: true }));
  cdp.on('Network.loadingFailed', (e) => update(e, { failed: e.errorText, finished: true }));
  await cdp.send('Network.enable');
  return {
    list: () => [...requests.entries()].filter(([, r]) => r.url.startsWith('http'))
      .map(([id, r]) => ({ ...r, status: r.fromCache ? r.status : wireStatus.get(id) ?? r.status })),
    clear: () => { requests.clear(); wireStatus.clear(); },
  };
}

/** Polls (bounded) until every request seen so far has finished or failed. */
export async function waitForNetworkQuiet(network) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && network.list().some((r) => !r.finished)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
