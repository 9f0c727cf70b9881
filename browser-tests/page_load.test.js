// The first slice end to end: the real server serves the page, the WASM module starts, the
// overlay draws the ImGui lobby on its canvas, and the status region says so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, sharedServerAndBrowser, waitForStatus, watchConsole } from './harness.js';

const env = sharedServerAndBrowser();
after(() => assert.equal(env.serverExit, 0, 'server exits 0 on SIGTERM'));

// Counts overlay pixels that differ from the page background in a screenshot of the canvas,
// decoded in the page itself (no image library needed in node).
async function countDrawnPixels(page) {
  const png = await page.locator('canvas.vroom-overlay').screenshot();
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    const [br, bg, bb] = [0x0d, 0x0f, 0x14];  // the room's background colour
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - br) + Math.abs(data[i + 1] - bg) + Math.abs(data[i + 2] - bb) > 24) drawn++;
    }
    return { drawn, total: data.length / 4 };
  }, png.toString('base64'));
}

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
  const { drawn, total } = await countDrawnPixels(page);
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

test('a browser without WebGL2 is told so in words', async () => {
  const page = await env.browser.newPage();
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : original.call(this, kind, ...rest);
    };
  });
  await page.goto(env.server.url);
  await waitForStatus(page, 'state', /State: failed/);
  assert.match(await page.locator('#fatal-text').innerText(), /WebGL2/);
  await page.close();
});
