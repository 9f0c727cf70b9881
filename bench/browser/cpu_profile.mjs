// What a two-party call costs: CPU of all Chromium processes, and a Chrome CPU profile (CDP
// Profiler) of one page's main thread, summarised as self time per function and per kind
// (wasm, JS, browser work). vroom vs the bare-API page; the top functions are vroom's.
import { chromiumCpuSeconds, log, newContext, openPage, row, sleep, vroomState, waitForRemoteVideos } from './lib.mjs';

function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();  // node id -> µs
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i] || 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map();
  const kinds = new Map();
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id).callFrame;
    const file = url ? url.replace(/^.*\//, '') : '';
    const name = `${functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
    fns.set(name, (fns.get(name) || 0) + us);
    const kind = functionName === '(idle)' ? 'idle'
      : url.startsWith('wasm://') || file.endsWith('.wasm') ? 'WebAssembly (vroom.wasm)'
        : /^\((program|garbage collector)\)$/.test(functionName) ? 'browser native work on the main thread (program, GC)'
          : url ? `JavaScript (${file})` : 'other';
    kinds.set(kind, (kinds.get(kind) || 0) + us);
  }
  const busy = total - (kinds.get('idle') || 0);
  const top = [...fns].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 10);
  return { total, busy, top, kinds: [...kinds].sort((a, b) => b[1] - a[1]) };
}

const PAGES = {
  vroom: (url, room, name) => [`${url}?room=${room}&name=${name}&autojoin=1`, vroomState('State: joined')],
  bare: (url, room, name) => [`${url}bare.html?room=${room}&name=${name}&autojoin=1`, '!!window.bare'],
};

// A 2-party call of `system`: Chromium's CPU over the window and one page's CPU profile.
async function profileCall(browser, other, system, vroomUrl, seconds) {
  const contexts = [await newContext(browser), await newContext(other)];
  try {
    const room = `profile-${system}-${process.pid}-${Date.now()}`;
    const pages = [];
    for (const [i, name] of ['Profiled', 'Other'].entries()) pages.push(await openPage(contexts[i], ...PAGES[system](vroomUrl, room, name)));
    await waitForRemoteVideos(pages, 1);
    await sleep(1000);
    const cdp = await contexts[0].newCDPSession(pages[0]);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    const drawn0 = await pages[0].evaluate(() => window.vroomRoom?.framesDrawn ?? 0);
    const cpu0 = chromiumCpuSeconds();
    const t0 = Date.now();
    await cdp.send('Profiler.start');
    await sleep(seconds * 1000);
    const { profile } = await cdp.send('Profiler.stop');
    const elapsed = (Date.now() - t0) / 1000;
    const cores = (chromiumCpuSeconds() - cpu0) / elapsed;
    const drawnPerSecond = ((await pages[0].evaluate(() => window.vroomRoom?.framesDrawn ?? 0)) - drawn0) / elapsed;
    return { cores, drawnPerSecond, ...summarise(profile) };
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

export async function runProfile(browser, { other, vroomUrl, seconds }) {
  const r = {};
  for (const system of ['vroom', 'bare']) {
    r[system] = await profileCall(browser, other, system, vroomUrl, seconds);
    const s = r[system];
    log(`call cost ${system}: Chromium ${s.cores.toFixed(2)} cores, main thread busy ${((100 * s.busy) / s.total).toFixed(0)}%` +
      `${system === 'vroom' ? `, overlay ${s.drawnPerSecond.toFixed(1)} frames/s` : ''}`);
  }
  const s = r.vroom;
  const pct = (us) => `${((100 * us) / s.total).toFixed(1)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
  const busyShare = (x) => (100 * x.busy) / x.total;
  return {
    rows: [
      row('2-party call: CPU of both Chromiums (all processes: pages, GPU, network, audio), cores, vs bare-API page', r.vroom.cores, r.bare.cores, 2),
      row('2-party call: main-thread busy share of one page (CDP profile), %, vs bare-API page', busyShare(r.vroom), busyShare(r.bare), 1),
    ],
    notes: [
      `### Where a vroom page's main thread spends a 2-party call (Chrome CPU profile, ${seconds} s, self time)`,
      '',
      `Busy ${ms(s.busy)} of ${ms(s.total)} sampled; the overlay drew ${s.drawnPerSecond.toFixed(1)} frames/s. By kind:`,
      '',
      ...s.kinds.map(([kind, us]) => `- ${pct(us)} ${kind}`),
      '',
      'Top functions by self time (idle excluded; wasm functions are numbered in the release build):',
      '',
      ...s.top.map(([name, us]) => `- ${pct(us)} \`${name}\``),
    ],
  };
}
