// Firefox for the browser tests: an Xvfb display (headless Firefox gets WebGL2 only with a
// display), Debian's Firefox ESR driven through puppeteer-core over WebDriver BiDi with a fake
// camera and microphone, and one server, one Xvfb and one Firefox (plus Chromium for mixed
// calls) shared by the tests of a file. Server, status and media helpers: ../harness.js.
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import puppeteer from 'puppeteer-core';
import { launchBrowser, startServer, waitForStatus, watchConsole } from '../harness.js';

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

/** The WebGL2 renderer a page gets ("llvmpipe ..." on Xvfb), or null without WebGL2. */
export async function webglRenderer(page) {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  });
}
