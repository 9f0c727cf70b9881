// Firefox for the browser tests: an Xvfb display (as a person's Firefox has one), Debian's
// Firefox ESR driven through puppeteer-core over WebDriver BiDi with a fake camera and
// microphone, and one server, one Xvfb and one Firefox (plus Chromium for mixed
// calls) shared by the tests of a file; launchFirefoxIn() runs Firefox in a network namespace
// (sfu.test.js). Server, status and media helpers: ../harness.js.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before } from 'node:test';
import { Browser as BrowserKind, createProfile } from '@puppeteer/browsers';
import puppeteer from 'puppeteer-core';
import { launchBrowser, startServer, stopChild, waitForStatus, watchConsole } from '../harness.js';

export const FIREFOX_BIN = process.env.VROOM_FIREFOX_BIN || '/usr/bin/firefox-esr';

export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,         // fake camera and microphone, labelled once granted
  'media.navigator.permission.disabled': true,  // no prompts: camera, microphone and screen
  'media.autoplay.default': 0,                  // remote sound may play without a click
  'media.autoplay.blocking_policy': 0,
};

// How long a click lets a page start what needs one (Firefox's default transient activation,
// dom.user_activation.transient.timeout: a float pref that an integer user pref zeroes).
export const USER_ACTIVATION_MS = 5000;

/** Starts Xvfb on a display number it picks itself (-displayfd); resolves once it accepts clients. */
export async function startXvfb() {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start:\n${stderr}`)), 15000);
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) { clearTimeout(timer); resolve(`:${out.trim()}`); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited (${code}):\n${stderr}`)); });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
  });
  return {
    display,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** Launches Firefox ESR headless, drawing on the given X display. */
export async function launchFirefox(display) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_BIN,
    headless: true,
    defaultViewport: null,
    env: { ...process.env, DISPLAY: display },
    extraPrefsFirefox: FIREFOX_PREFS,
    protocolTimeout: 60000,
  });
}

// Inside the namespace: a unix socket (a path crosses network namespaces) at argv[1] whose
// connections are piped to 127.0.0.1:argv[2], the namespace's own loopback.
const UNIX_TO_TCP = `const net = require('net');
const [sock, port] = process.argv.slice(1);
net.createServer((c) => {
  const u = net.connect(Number(port), '127.0.0.1');
  c.pipe(u); u.pipe(c);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
  c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
}).listen(sock, () => console.log('ready'));`;

/**
 * Firefox ESR headless on `display`, in the network namespace that `nsExec` (['ip', 'netns',
 * 'exec', NS]) enters, with a profile under `dir` holding what puppeteer.launch would write
 * (@puppeteer/browsers' createProfile, puppeteer-core's own) plus FIREFOX_PREFS and `prefs`.
 * Its WebDriver BiDi port listens on the namespace's loopback, out of the test's reach: a
 * forwarder in the namespace brings it to a unix socket and a server here to a loopback port
 * of the test's own, which puppeteer.connect() uses. Resolves to { browser, stop() }; stop()
 * closes the session and stops both processes by PID, each within a bound.
 */
export async function launchFirefoxIn(nsExec, { display, dir, prefs = {} }) {
  const profile = path.join(dir, 'firefox-profile');
  await createProfile(BrowserKind.FIREFOX, { path: profile, preferences: {
    ...FIREFOX_PREFS, ...prefs,
    'fission.webContentIsolationStrategy': 0,  // as puppeteer.launch sets it
  } });
  // The test's end first: a loopback port piped to the forwarder's socket. Firefox listens on
  // the same port number in the namespace, since it refuses a Host header naming another port.
  const sock = path.join(dir, 'firefox-bidi.sock');
  const outer = net.createServer((c) => {
    const u = net.connect(sock);
    c.pipe(u); u.pipe(c);
    c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
    c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
  });
  await new Promise((resolve) => outer.listen(0, '127.0.0.1', resolve));
  const port = outer.address().port;
  const stopAll = [() => new Promise((resolve) => { outer.close(resolve); setTimeout(resolve, 2000); })];
  const stop = async () => {
    for (const fn of stopAll.reverse()) await fn();
  };
  const child = spawn(nsExec[0], [...nsExec.slice(1), FIREFOX_BIN, '--headless', '--profile', profile,
    '--remote-debugging-port', String(port), '--no-remote', 'about:blank'],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: display } });
  stopAll.push(() => stopChild(child, 'firefox (namespace)', { graceMs: 5000 }));
  let output = '';
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox in the namespace did not listen:\n${output}`)), 30000);
    const read = (chunk) => {
      output = (output + chunk).slice(-8000);
      if (/WebDriver BiDi listening on ws:\/\//.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Firefox exited (${code}):\n${output}`)); });
  });
  try {
    await listening;
    const forwarder = spawn(nsExec[0], [...nsExec.slice(1), process.execPath, '-e', UNIX_TO_TCP, sock, String(port)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    stopAll.push(() => stopChild(forwarder, 'BiDi forwarder', { graceMs: 3000 }));
    await new Promise((resolve, reject) => {
      forwarder.stdout.once('data', resolve);
      forwarder.on('exit', (code) => reject(new Error(`BiDi forwarder exited (${code})`)));
    });
    const browser = await puppeteer.connect({
      browserWSEndpoint: `ws://127.0.0.1:${port}/session`, protocol: 'webDriverBiDi',
      defaultViewport: null, protocolTimeout: 60000,
    });
    // Ends the BiDi session (Firefox quits on browser.close), then the processes.
    stopAll.push(() => Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]));
    return { browser, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One server, one Xvfb and one Firefox for a whole test file (and one Chromium when
 * `chromium` is set): `env.server`, `env.firefox`, `env.chromium` once `before` ran.
 */
export function sharedServerAndFirefox({ chromium = false, serverArgs = [] } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(serverArgs);
    env.xvfb = await startXvfb();
    env.firefox = await launchFirefox(env.xvfb.display);
    if (chromium) env.chromium = await launchBrowser();
  });
  after(async () => {
    await env.firefox?.close();
    await env.chromium?.close();
    await env.xvfb?.stop();
    env.serverExit = await env.server?.stop();
  });
  return env;
}

/** Opens the page in Firefox with a deep link (query params) and waits for `state`. */
export async function openFirefoxRoom(firefox, serverUrl, params, { state = /State: joined/, viewport } = {}) {
  const page = await firefox.newPage();
  await page.setViewport(viewport || { width: 1000, height: 700 });
  page.problems = watchConsole(page);
  await page.goto(`${serverUrl}?${new URLSearchParams(params)}`);
  if (state) await waitForStatus(page, 'state', state);
  return page;
}
