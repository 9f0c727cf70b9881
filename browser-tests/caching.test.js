// Serving like a product, as Chromium's network stack sees it (issue 11): the first load gets
// the wasm compressed and compiles it while it downloads; a reload receives only the page
// again, everything else answered 304 or taken from the cache without asking.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  header, recordNetwork, sharedServerAndBrowser, waitForNetworkQuiet, waitForStatus, watchConsole,
} from './harness.js';

const env = sharedServerAndBrowser();
after(() => assert.equal(env.serverExit, 0, 'server exits 0 on SIGTERM'));

const HASHED_WASM = /\/vroom\.[0-9a-f]{8}\.wasm$/;
const HASHED_MODULE = /\/vroom\.[0-9a-f]{8}\.mjs$/;
const RELOAD_BUDGET = 5 * 1024;

// Counts how the page's WebAssembly got compiled: streaming (while downloading) or from a
// whole ArrayBuffer (Emscripten's fallback when streaming fails, e.g. a wrong Content-Type).
// Streaming compiles (compileStreaming, as the page's app.js does ahead of the module, or the
// glue's instantiateStreaming) against compiles of a whole buffer (the glue's fallback);
// instantiating an already compiled WebAssembly.Module compiles nothing.
function watchWasmCompiles() {
  window.__wasmCompiles = { streaming: 0, streamingOk: 0, buffer: 0 };
  for (const name of ['compileStreaming', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      window.__wasmCompiles.streaming++;
      return original.apply(this, args).then((result) => { window.__wasmCompiles.streamingOk++; return result; });
    };
  }
  for (const name of ['compile', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      if (!(args[0] instanceof WebAssembly.Module)) window.__wasmCompiles.buffer++;
      return original.apply(this, args);
    };
  }
}

const total = (requests) => requests.reduce((sum, r) => sum + r.received, 0);
const describe = (requests, separator = '\n') => requests.map((r) =>
  `${new URL(r.url).pathname} ${r.status}${r.fromCache ? ' (cache)' : ''} ${r.received} B ${header(r.headers, 'content-encoding')}`).join(separator);

let context;
let page;
let network;

test('the first load receives the wasm compressed and compiles it while it downloads', async (t) => {
  context = await env.browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(watchWasmCompiles);
  page = await context.newPage();
  page.problems = watchConsole(page);
  const warnings = [];
  page.on('console', (msg) => warnings.push(msg.text()));
  network = await recordNetwork(page);
  await page.goto(env.server.url);
  await waitForStatus(page, 'state', /State: idle/);
  await waitForNetworkQuiet(network);

  const requests = network.list();
  const wasm = requests.filter((r) => HASHED_WASM.test(new URL(r.url).pathname));
  assert.equal(wasm.length, 1, `the page fetches its content-hashed wasm once:\n${describe(requests)}`);
  const encoding = header(wasm[0].headers, 'content-encoding');
  assert.match(encoding, /^(br|gzip)$/, `wasm Content-Encoding: '${encoding}'`);
  assert.equal(header(wasm[0].headers, 'cache-control'), 'public, max-age=31536000, immutable');
  const timing = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /\/vroom\.[0-9a-f]{8}\.wasm$/.test(new URL(e.name).pathname))
    .map((e) => ({ encoded: e.encodedBodySize, decoded: e.decodedBodySize }))[0]);
  assert.ok(timing.decoded > 0, 'resource timing has the wasm');
  assert.ok(wasm[0].received < timing.decoded * 0.6,
    `wasm: ${wasm[0].received} bytes received for ${timing.decoded} decoded`);
  const module = requests.find((r) => HASHED_MODULE.test(new URL(r.url).pathname));
  assert.ok(module, `the page loads the content-hashed module:\n${describe(requests)}`);
  assert.match(header(module.headers, 'content-encoding'), /^(br|gzip)$/);

  const compiles = await page.evaluate(() => window.__wasmCompiles);
  assert.deepEqual(compiles, { streaming: 1, streamingOk: 1, buffer: 0 }, 'one streaming compile, no compile of a whole buffer');
  assert.equal(warnings.filter((w) => /streaming compile failed|falling back/.test(w)).length, 0);
  assert.deepEqual(page.problems, []);
  t.diagnostic(`first load: ${total(requests)} bytes received: ${describe(requests, '; ')}`);
});

test('a reload receives only the page: everything else is 304 or cached', async (t) => {
  assert.ok(page, 'the first-load test ran');
  network.clear();
  await page.reload();
  await waitForStatus(page, 'state', /State: idle/);
  await waitForNetworkQuiet(network);

  const requests = network.list();
  const html = new URL(env.server.url).href;
  const others = requests.filter((r) => r.url !== html);
  assert.ok(others.length >= 4, `the reload still uses the module, wasm, script and styles:\n${describe(requests)}`);
  for (const r of others) {
    assert.ok(r.status === 304 || r.fromCache, `${r.url} came again (${r.status}):\n${describe(requests)}`);
  }
  for (const pattern of [HASHED_WASM, HASHED_MODULE]) {
    const hit = others.find((r) => pattern.test(new URL(r.url).pathname));
    assert.ok(hit?.fromCache, `${pattern} comes from the cache without asking:\n${describe(requests)}`);
  }
  const received = total(requests);
  assert.ok(received < RELOAD_BUDGET, `a reload received ${received} bytes:\n${describe(requests)}`);
  assert.deepEqual(page.problems, []);
  t.diagnostic(`reload: ${received} bytes received: ${describe(requests, '; ')}`);
  await context.close();
});
