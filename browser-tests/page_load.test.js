// The first slice end to end: the real server serves the page, the WASM module starts, the
// overlay draws the ImGui lobby on its canvas, and the status region says so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOM_BACKGROUND, countOverlayPixels, screenshot, sharedServerAndBrowser, waitForStatus, watchConsole } from './harness.js';

const env = sharedServerAndBrowser();
after(() => assert.equal(env.serverExit, 0, 'server exits 0 on SIGTERM'));

test('the page loads the module and draws the lobby', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchConsole(page);
  const response = await page.goto(env.server.url);
  assert.equal(response.status(), 200);
  await waitForStatus(page, 'state', /State: idle/);
  assert.equal(await page.locator('#loading').isHidden(), true, 'loading indicator hides when ready');
  const status = page.locator('#status');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');

  // The lobby is a window in the middle of the canvas: a good share of pixels, not all.
  // Overlay pixels are those that differ from the room's background colour.
  const { count: drawn, total } = await countOverlayPixels(page, { near: ROOM_BACKGROUND, outside: true });
  assert.ok(drawn > total * 0.05, `overlay drew ${drawn} of ${total} pixels`);
  assert.ok(drawn < total * 0.9, `overlay covers nearly everything (${drawn} of ${total})`);
  await screenshot(page, 'lobby-desktop');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the wasm module is served as application/wasm', async () => {
  const response = await fetch(new URL('vroom.wasm', env.server.url));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/wasm');
  const module = await fetch(new URL('vroom.mjs', env.server.url));
  assert.match(module.headers.get('content-type'), /javascript/);
});

test('a browser without WebAssembly is told so in words', async () => {
  const page = await env.browser.newPage();
  await page.addInitScript(() => { delete globalThis.WebAssembly; });
  await page.goto(env.server.url);
  await waitForStatus(page, 'state', /State: failed/);
  const text = await page.locator('#fatal-text').innerText();
  assert.match(text, /WebAssembly/);
  assert.equal(await page.locator('#fatal').isVisible(), true);
  await page.close();
});

test('a browser without WebGL still draws the lobby (the overlay is rasterised in wasm)', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1000, height: 700 } });
  const problems = watchConsole(page);
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    window.__webglAsked = 0;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      if (/webgl/.test(kind)) { window.__webglAsked++; return null; }
      return original.call(this, kind, ...rest);
    };
  });
  await page.goto(env.server.url);
  await waitForStatus(page, 'state', /State: idle/);
  const { count: drawn, total } = await countOverlayPixels(page, { near: ROOM_BACKGROUND, outside: true });
  assert.ok(drawn > total * 0.05, `overlay drew ${drawn} of ${total} pixels`);
  assert.equal(await page.evaluate(() => window.__webglAsked), 0, 'no WebGL context is asked for');
  assert.deepEqual(problems, []);
  await page.close();
});
