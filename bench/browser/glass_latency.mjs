// Part 3: glass-to-glass latency through the full client. Two pages (one per browser, each in
// front) call each other with the timestamp camera (stamp.js); each decodes the stamps of the
// frames it presents. Same machine, same clock. vroom vs the bare-API page, p50/p95.
import { log, median, newContext, openPage, percentile, row, sleep, vroomState, waitForRemoteVideos } from './lib.mjs';

const PAGES = {
  vroom: (url, room, name) => [`${url}?room=${room}&name=${name}&autojoin=1`, vroomState('State: joined')],
  bare: (url, room, name) => [`${url}bare.html?room=${room}&name=${name}&autojoin=1`, '!!window.bare'],
};

async function measure(browser, other, system, vroomUrl, seconds) {
  const contexts = [await newContext(browser, { stamp: true }), await newContext(other, { stamp: true })];
  try {
    const room = `g2g-${system}-${process.pid}-${Date.now()}`;
    const pages = [];
    for (const [i, name] of ['Left', 'Right'].entries()) pages.push(await openPage(contexts[i], ...PAGES[system](vroomUrl, room, name)));
    await waitForRemoteVideos(pages, 1);
    // Both ends stamp with timeOrigin + now(): check the two browsers agree on it.
    const skew = await Promise.all(pages.map((p) => p.evaluate(() => performance.timeOrigin + performance.now() - Date.now())));
    log(`glass-to-glass ${system}: clock skew between the browsers ${Math.abs(skew[0] - skew[1]).toFixed(1)} ms`);
    await sleep(2000);  // past the first seconds of bandwidth estimation
    await Promise.all(pages.map((p) => p.evaluate(() => { window.__stamp.start(); window.__stamp.reset(); })));
    await sleep(seconds * 1000);
    const results = await Promise.all(pages.map((p) => p.evaluate(() => window.__stamp.results())));
    return {
      samples: results.flatMap((r) => r.samples),
      undecodable: results.reduce((n, r) => n + r.undecodable, 0),
    };
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

export async function runGlassLatency(browser, { other, vroomUrl, seconds }) {
  const out = {};
  for (const system of ['vroom', 'bare']) {
    out[system] = await measure(browser, other, system, vroomUrl, seconds);
    const { samples, undecodable } = out[system];
    log(`glass-to-glass ${system}: ${samples.length} frames decoded (${undecodable} unreadable), ` +
      `p50 ${median(samples)} ms, p95 ${percentile(samples, 95)} ms`);
  }
  const v = out.vroom.samples;
  const b = out.bare.samples;
  return [
    row(`Glass-to-glass latency, p50 ms, vs bare-API page (${v.length} / ${b.length} frames)`, median(v), median(b)),
    row('Glass-to-glass latency, p95 ms, vs bare-API page', percentile(v, 95), percentile(b, 95)),
  ];
}
