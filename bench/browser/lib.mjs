// Shared pieces of the browser benchmarks: a served root holding vroom's site and the
// baseline pages, the servers (vroom, PeerJS), Chromium with the test flags, page helpers,
// percentiles and the markdown rows scripts/bench prints.
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
const rootRequire = createRequire(path.join(ROOT, 'package.json'));
const { chromium } = rootRequire('playwright-core');
const benchRequire = createRequire(path.join(ROOT, 'bench/package.json'));
// Loaded when first used: parts that bundle nothing need no `npm ci` in bench/.
const esbuild = () => benchRequire('esbuild');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const log = (...args) => console.error('  [browser]', ...args);

/** A temp dir served by vroom-server: the built site plus the baseline pages and bundles. */
export async function prepareRoot(siteDir) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-bbench-'));
  cpSync(siteDir, dir, { recursive: true });
  for (const file of ['bare.html', 'bare.js', 'peerjs_call.html']) cpSync(path.join(HERE, file), path.join(dir, file));
  await esbuild().build({
    entryPoints: [path.join(HERE, 'peerjs_call.js')], bundle: true, minify: true,
    format: 'iife', platform: 'browser', outfile: path.join(dir, 'peerjs_call.bundle.js'), logLevel: 'error',
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bundles `entry` like a minimal app would ship it; returns the minified bytes. */
export async function bundle(entry) {
  const result = await esbuild().build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser',
    write: false, logLevel: 'error',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

// Spawns `cmd`; resolves with the child once a stdout line matches `ready` (group 1 = port).
function startProcess(cmd, args, ready, what) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${what} did not start:\n${output}`)); }, 15000);
    const onData = (chunk) => {
      output = (output + chunk).slice(-5000);
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({
          child, port: Number(match[1]),
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output = (output + chunk).slice(-5000); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${output}`)); });
  });
}

export async function startVroomServer(bin, rootDir, extraArgs = []) {
  const server = await startProcess(bin, ['--port', '0', '--root', rootDir, '--log-level', 'warn', ...extraArgs],
    /vroom listening on https?:\/\/[^:\s]+:(\d+)/, 'vroom-server');
  server.url = `http://127.0.0.1:${server.port}/`;
  return server;
}

export async function startPeerServer() {
  return startProcess(process.execPath, [path.join(ROOT, 'bench/peerjs_server.mjs'), '0'], /listening (\d+)/, 'PeerJS server');
}

/**
 * Chromium as the browser tests run it (fake camera and microphone, swiftshader); `fakeFps`
 * sets the fake camera's frame rate, `extraArgs` are added. `browser.pid` is its main process
 * (a child of this node process), the root of its tree for chromiumCpuSeconds().
 */
export async function launchBrowser({ fakeFps = 0, extraArgs = [] } = {}) {
  const { CHROMIUM_ARGS } = await import(path.join(ROOT, 'browser-tests/harness.js'));
  const args = CHROMIUM_ARGS.map((a) => (fakeFps && a === '--use-fake-device-for-media-stream' ? `${a}=fps=${fakeFps}` : a));
  const before = new Set(childPids(process.pid));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: [...args, ...extraArgs] });
  browser.pid = childPids(process.pid).find((pid) => !before.has(pid)) ?? 0;
  return browser;
}

const PROBE = readFileSync(path.join(HERE, 'probe.js'), 'utf8');
const STAMP = readFileSync(path.join(HERE, 'stamp.js'), 'utf8');

/** A fresh context whose pages all carry the probe (and, with `stamp`, the timestamp camera). */
export async function newContext(browser, { stamp = false, viewport = { width: 800, height: 600 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(PROBE);
  if (stamp) await context.addInitScript(STAMP);
  return context;
}

/**
 * Resolves once the JS expression `ready` is truthy in `page`, polled in the page every
 * `polling` ms; rejects after `timeout` ms. Not page.waitForFunction: that first evaluates
 * Playwright's injected script (a few hundred KB) in the page, a 15-35 ms main-thread task
 * that lands in the middle of a page's start-up and was counted as the page's own time.
 * page.evaluate of an expression costs the page 1-2 ms.
 */
export async function waitInPage(page, ready, { timeout = 30000, polling = 20 } = {}) {
  // A predicate may throw while the page is still loading (window.__bench not there yet): that
  // counts as not holding, and the last such error is named if it never holds.
  const { held, error } = await page.evaluate(`new Promise((resolve) => {
    const end = performance.now() + ${Number(timeout)};
    let error = '';
    const check = () => {
      let value = false;
      try { value = !!(${ready}); } catch (err) { error = String(err?.message || err); }
      if (value || performance.now() > end) resolve({ held: value, error });
      else setTimeout(check, ${Number(polling)});
    };
    check();
  })`);
  if (!held) throw new Error(`${ready} did not hold within ${timeout} ms${error ? ` (it last threw: ${error})` : ''}`);
}

/** Opens a page and waits until `ready` (a JS expression) holds in it. */
export async function openPage(context, url, ready, timeout = 30000) {
  const page = await context.newPage();
  page.on('pageerror', (err) => log(`page error (${url}): ${err.message}`));
  await page.goto(url);
  try {
    await waitInPage(page, ready, { timeout });
  } catch (err) {
    // Say where the page stood: a vroom page's status region, or its title.
    const status = await page.evaluate(() => (document.querySelector('#status')?.innerText || document.title)
      .replace(/\s+/g, ' ').trim()).catch(() => '(page gone)');
    err.message = `${url}: not ready after ${timeout} ms (${status}): ${err.message}`;
    throw err;
  }
  return page;
}

export const vroomState = (re) => `/${re}/.test(document.querySelector('#status [data-field="state"]')?.textContent || '')`;

/** Waits until every page presents `count` remote videos with frames (probe). */
export async function waitForRemoteVideos(pages, count, timeout = 30000) {
  await Promise.all(pages.map((page) => waitInPage(page,
    `window.__bench.remoteVideos().filter((v) => v.videoWidth > 0).length >= ${Number(count)}`, { timeout, polling: 100 })));
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
export const median = (values) => percentile(values, 50);
export const mean = (values) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);

const fmtNumber = (v, digits) => (Number.isFinite(v) ? v.toLocaleString('en-US', {
  minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, '') : 'n/a');

/** value / baseline to two places, or n/a when either is missing or the baseline is not positive. */
export function ratio(value, baseline) {
  return Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0 ? (value / baseline).toFixed(2) : 'n/a';
}

/** One markdown row: | metric | value | baseline | ratio | (ratio = value / baseline). */
export function row(metric, value, baseline, digits = 0) {
  return `| ${metric} | ${fmtNumber(value, digits)} | ${fmtNumber(baseline, digits)} | ${ratio(value, baseline)} |`;
}

const CLOCK_TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

function readProcs() {
  const procs = new Map();  // pid -> { ppid, comm, ticks }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');  // fields[0] is field 3 (state)
      procs.set(Number(entry), { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we read
    }
  }
  return procs;
}

function childPids(parent) {
  return [...readProcs()].filter(([, p]) => p.ppid === parent && /chrom/i.test(p.comm)).map(([pid]) => pid);
}

/**
 * CPU seconds (user + system) used so far by the Chromium processes under `roots` (default:
 * every one this driver started; a browser's `pid` from launchBrowser for that browser alone).
 */
export function chromiumCpuSeconds(roots = [process.pid]) {
  const procs = readProcs();
  const mine = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) if (!mine.has(pid) && mine.has(p.ppid)) { mine.add(pid); grew = true; }
  }
  let ticks = 0;
  for (const pid of mine) if (/chrom/i.test(procs.get(pid)?.comm || '')) ticks += procs.get(pid).ticks;
  return ticks / CLOCK_TICKS;
}

/** CPU seconds (user + system) one process (all its threads) has used so far; NaN if gone. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
