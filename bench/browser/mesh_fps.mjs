// Part 4: mesh frame rate. N pages in one browser join one room (everyone sends to everyone);
// per remote tile, frames presented (requestVideoFrameCallback) while the page is in front and
// while it is not, and frames decoded (getStats), measured `settle` s after every tile plays.
// vroom vs the bare-API page at 2, 4 and 6.
import { log, mean, newContext, openPage, ratio, row, sleep, vroomState, waitForRemoteVideos } from './lib.mjs';

const PAGES = {
  vroom: (url, room, name) => [`${url}?room=${room}&name=${name}&autojoin=1`, vroomState('State: joined')],
  bare: (url, room, name) => [`${url}bare.html?room=${room}&name=${name}&autojoin=1`, '!!window.bare'],
};

async function measure(browser, system, vroomUrl, n, slot, settle) {
  return measureRoomFps(browser, { label: system, pageFor: (room, name) => PAGES[system](vroomUrl, room, name), n, slot, settle });
}

/**
 * N pages of `pageFor(room, name)` -> [url, ready] in one context of `browser` join one room;
 * `settle` s after every page plays its n - 1 remote videos, each page in turn `slot` s in
 * front: per remote tile, frames presented in front and in the background, and per stream,
 * frames decoded, per second. `label` names the run in the log; `inspect(pages)`, if given,
 * returns more fields of the result, read before the pages close.
 */
export async function measureRoomFps(browser, { label, pageFor, n, slot, settle, viewport, inspect }) {
  const context = await newContext(browser, viewport ? { viewport } : {});
  try {
    const room = `mesh-${label}-${n}-${process.pid}-${Date.now()}`;
    const pages = [];
    const opened = Date.now();
    const joinTimes = [];  // s each page took from opening to ready, the room growing meanwhile
    for (let i = 0; i < n; i++) {
      const t = Date.now();
      pages.push(await openPage(context, ...pageFor(room, `P${i}`), 60000));
      joinTimes.push(((Date.now() - t) / 1000).toFixed(1));
    }
    const joined = Date.now();
    let playing = NaN;
    try {
      await waitForRemoteVideos(pages, n - 1, 40000);
      playing = (Date.now() - joined) / 1000;
    } catch {
      log(`mesh ${label} x${n}: not every page shows ${n - 1} remote videos after 40 s; measuring what is there`);
    }
    log(`mesh ${label} x${n}: pages joined in ${((joined - opened) / 1000).toFixed(1)} s (${joinTimes.join(', ')}), ` +
      `all videos playing ${playing.toFixed(1)} s later`);
    // Bandwidth estimation ramps up for several seconds and CPU adaptation follows it: both
    // systems are measured the same time after their last video started, in steady state.
    await sleep(settle * 1000);
    // Chromium presents video at full rate only in its front page (every real participant has
    // their own browser in front), so each page takes a turn in front for `slot` seconds.
    const counts = () => Promise.all(pages.map((p) => p.evaluate(() => window.__bench.presentedCounts())));
    const before = await Promise.all(pages.map((p) => p.evaluate(async () => {
      window.__bench.countFrames();
      return window.__bench.framesDecoded();
    })));
    const start = await counts();
    const t0 = Date.now();
    const front = [];
    for (const page of pages) {
      await page.bringToFront();
      const c0 = await page.evaluate(() => window.__bench.presentedCounts());
      const s0 = Date.now();
      await sleep(slot * 1000);
      const c1 = await page.evaluate(() => window.__bench.presentedCounts());
      const dt = (Date.now() - s0) / 1000;
      front.push({ fps: c1.map((c, j) => (c - (c0[j] || 0)) / dt), frames: c1.map((c, j) => c - (c0[j] || 0)), dt });
    }
    const elapsed = (Date.now() - t0) / 1000;
    const end = await counts();
    const after = await Promise.all(pages.map((p) => p.evaluate(() => window.__bench.framesDecoded())));
    const decoded = [];
    after.forEach((a, i) => {
      const first = new Map(before[i].map((x) => [x.id, x.frames]));
      for (const x of a) if (first.has(x.id)) decoded.push((x.frames - first.get(x.id)) / elapsed);
    });
    // While other pages were in front: all frames of the window less the page's own slot.
    const background = end.flatMap((c, i) => c.map((n, j) =>
      (n - (start[i][j] || 0) - (front[i].frames[j] || 0)) / Math.max(0.001, elapsed - front[i].dt)));
    // `inspect(pages)` adds what the caller wants to know of the pages before they close.
    const extra = inspect ? await inspect(pages) : {};
    return { ...extra, decoded, presented: front.flatMap((f) => f.fps), background, expectedTiles: n * (n - 1), playing };
  } finally {
    await context.close();
  }
}

const EMPTY = (n) => ({ decoded: [], presented: [], background: [], expectedTiles: n * (n - 1), playing: NaN });

// Results of several rounds as one: every tile of every round, the times to play averaged.
function pooled(results, n) {
  const all = EMPTY(n);
  for (const r of results) {
    all.decoded.push(...r.decoded);
    all.presented.push(...r.presented);
    all.background.push(...r.background);
  }
  const playing = results.map((r) => r.playing).filter(Number.isFinite);
  all.playing = playing.length ? mean(playing) : NaN;
  all.expectedTiles = n * (n - 1) * results.length;
  return all;
}

/**
 * Rows of markdown. `rounds[i]` rounds at `sizes[i]` pages (1 when absent), vroom and the
 * bare page taking turns in each round: on two shared cores one round's ratio swung from 0.62
 * to 1.07 between runs of the same build, so the smaller rooms are measured more than once and
 * reported pooled (every tile of every round), with each round's own ratio beside them.
 */
export async function runMeshFps(browser, { vroomUrl, sizes, rounds = [], slot, settle }) {
  const rows = [];
  for (const [index, n] of sizes.entries()) {
    const runs = { vroom: [], bare: [] };
    const count = rounds[index] || 1;
    for (let round = 0; round < count; round++) {
      for (const system of ['vroom', 'bare']) {
        let r;
        try {
          r = await measure(browser, system, vroomUrl, n, slot, settle);
        } catch (err) {
          log(`mesh ${system} x${n} failed: ${err.message.split('\n')[0]}`);
          r = EMPTY(n);
        }
        runs[system].push(r);
        log(`mesh ${system} x${n}${count > 1 ? ` round ${round + 1}/${count}` : ''}: ${r.decoded.length}/${r.expectedTiles} tiles, ` +
          `decoded ${mean(r.decoded).toFixed(1)} fps, presented ${mean(r.presented).toFixed(1)} fps per tile ` +
          `(page in front; ${mean(r.background).toFixed(1)} fps while in the background)`);
      }
    }
    const r = { vroom: pooled(runs.vroom, n), bare: pooled(runs.bare, n) };
    const tiles = (s) => `${r[s].presented.length}/${r[s].expectedTiles}`;
    const of = count > 1 ? `, ${count} rounds pooled` : '';
    rows.push(row(`Mesh of ${n}: frames presented per s per remote tile, page in front (mean${of}), vs bare-API page (tiles ${tiles('vroom')} / ${tiles('bare')})`,
      mean(r.vroom.presented), mean(r.bare.presented), 1));
    if (count > 1) {
      const ratios = runs.vroom.map((v, i) => ratio(mean(v.presented), mean(runs.bare[i].presented)));
      rows.push(`| Mesh of ${n}: the row above, each round's own ratio | ${ratios.join(', ')} | | |`);
    }
    rows.push(row(`Mesh of ${n}: s from the last page joined to every tile playing, vs bare-API page`,
      r.vroom.playing, r.bare.playing, 1));
    rows.push(row(`Mesh of ${n}: frames decoded per s per remote stream (mean), vs bare-API page`,
      mean(r.vroom.decoded), mean(r.bare.decoded), 1));
    rows.push(row(`Mesh of ${n}: frames presented per s per remote tile, page in the background (mean), vs bare-API page`,
      mean(r.vroom.background), mean(r.bare.background), 1));
  }
  return rows;
}
