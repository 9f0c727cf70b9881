// Part 2: join time. One page waits in the room (in the second browser); each run opens a fresh joiner page that has
// its camera already (vroom: lobby with preview), then times join -> first remote frame
// presented (requestVideoFrameCallback, probe.js). vroom vs the bare-API page vs PeerJS.
import { log, median, newContext, openPage, percentile, row, vroomState } from './lib.mjs';

// Per system: the waiting page's URL and readiness, and how a joiner page is opened and timed.
function systems(vroomUrl, peerPort) {
  return {
    vroom: {
      waiting: (room) => [`${vroomUrl}?room=${room}&name=Waiting&autojoin=1`, vroomState('State: joined')],
      joiner: (room, i) => [`${vroomUrl}?room=${room}&name=Joiner${i}`,
        `${vroomState('State: idle')} && !!window.vroomRoom?.getState().local.hasVideo`],
      // The deep link filled the lobby form; join() is what the Join button does.
      join: () => 'window.vroomRoom.join().catch(() => {})',
      leave: 'window.vroomRoom.leave().then(() => true)',
    },
    bare: {
      waiting: (room) => [`${vroomUrl}bare.html?room=${room}&name=Waiting&autojoin=1`, '!!window.bare'],
      joiner: (room, i) => [`${vroomUrl}bare.html?room=${room}&name=Joiner${i}`, '!!window.bare'],
      prepare: 'window.bare.prepare().then(() => true)',
      join: () => 'window.bare.join().catch(() => {})',
      leave: 'window.bare.leave()',
    },
    peerjs: {
      waiting: (room) => [`${vroomUrl}peerjs_call.html?id=${room}-w&port=${peerPort}&listen=1`, '!!window.pj'],
      joiner: (room, i) => [`${vroomUrl}peerjs_call.html?id=${room}-j${i}&port=${peerPort}`, '!!window.pj'],
      prepare: 'window.pj.prepare().then(() => true)',
      join: (room) => `window.pj.call('${room}-w').catch(() => {})`,
      leave: 'window.pj.leave()',
    },
  };
}

/** Opens a joiner page of `system`, times join -> first remote frame (ms, NaN after 15 s), leaves. */
export async function timeOneJoin(context, system, room, i) {
  const [url, ready] = system.joiner(room, i);
  const page = await openPage(context, url, ready);
  try {
    if (system.prepare) await page.evaluate(system.prepare);
    return await page.evaluate(async (joinCode) => {
      const frame = window.__bench.firstRemoteFrame();
      const t0 = performance.now();
      (0, eval)(joinCode);  // starts the join; the clock runs until the first remote frame
      const timeout = new Promise((resolve) => setTimeout(() => resolve(NaN), 15000));
      return (await Promise.race([frame, timeout])) - t0;
    }, system.join(room));
  } finally {
    // Leave explicitly (not through pagehide) so the waiting page is alone again for the next run.
    await page.evaluate(system.leave).catch(() => {});
    await page.close();
  }
}

/** Returns markdown rows; `joins` per system, the systems interleaved run by run. */
export async function runJoinTime(browser, { other, vroomUrl, peerPort, joins }) {
  const all = systems(vroomUrl, peerPort);
  const names = Object.keys(all);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const failures = Object.fromEntries(names.map((n) => [n, 0]));
  const contexts = {};
  const waitingContexts = {};
  const waiting = {};
  const room = `join-${process.pid}-${Date.now()}`;
  for (const name of names) {
    contexts[name] = await newContext(browser);
    waitingContexts[name] = await newContext(other);
    const [url, ready] = all[name].waiting(room);
    waiting[name] = await openPage(waitingContexts[name], url, ready);
  }
  // Interleaved (vroom, bare, peerjs, vroom, ...) so a slow moment of the machine hits all three.
  for (let i = 0; i < joins; i++) {
    for (const name of names) {
      let ms = NaN;
      try {
        ms = await timeOneJoin(contexts[name], all[name], room, i);
      } catch (err) {
        log(`join ${name} #${i}: ${err.message.split('\n')[0]}`);
      }
      if (Number.isFinite(ms)) times[name].push(ms); else failures[name]++;
      // PeerJS never tells the listener that the caller went away: hang up between runs.
      if (name === 'peerjs') await waiting.peerjs.evaluate(() => window.pj.hangUpAll());
    }
    if ((i + 1) % 10 === 0 || i + 1 === joins) {
      log(`join time: ${i + 1}/${joins} runs; medians ${names.map((n) => `${n} ${median(times[n]).toFixed(0)} ms`).join(', ')}`);
    }
  }
  for (const name of names) await Promise.all([contexts[name].close(), waitingContexts[name].close()]);

  const v = times.vroom;
  const count = (n) => `${times[n].length} joins${failures[n] ? `, ${failures[n]} failed` : ''}`;
  return [
    row(`Join to first remote frame, median ms, vs bare-API page (${count('vroom')} / ${count('bare')})`, median(v), median(times.bare)),
    row('Join to first remote frame, p95 ms, vs bare-API page', percentile(v, 95), percentile(times.bare, 95)),
    row(`Join to first remote frame, median ms, vs PeerJS call (${count('peerjs')})`, median(v), median(times.peerjs)),
    row('Join to first remote frame, p95 ms, vs PeerJS call', percentile(v, 95), percentile(times.peerjs, 95)),
  ];
}
