// Conference in real Chromium against the real server: three pages join one room by deep
// link, see and hear each other, one leaves, one reloads and comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually, mediaFigures, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser, statusText, waitForStatus,
} from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every live connection of every page shows frames decoded and audio bytes increasing.
async function assertMediaFlowing(pages, connectionsEach) {
  const before = await Promise.all(pages.map(mediaFigures));
  await sleep(1500);
  const after = await Promise.all(pages.map(mediaFigures));
  pages.forEach((_, i) => {
    const live = after[i].filter((f) => f.state === 'connected');
    assert.equal(live.length, connectionsEach, `page ${i} has ${connectionsEach} connections`);
    after[i].forEach((f, j) => {
      assert.ok(f.framesDecoded > before[i][j].framesDecoded, `page ${i} pc ${j}: video frames decoded increase`);
      assert.ok(f.audioBytesIn > before[i][j].audioBytesIn, `page ${i} pc ${j}: audio bytes increase`);
    });
  });
}

test('three people join by deep link, see and hear each other, leave and come back', async () => {
  const room = `conf-${Date.now()}`;
  const names = ['Ada', 'Bob', 'Cy'];
  const pages = [];
  for (const name of names) pages.push(await openRoom(env.browser, env.server.url, { room, name, autojoin: 1 }));

  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 2,
      { message: `${names[i]} plays two remote videos` });
    const members = await statusText(page, 'members');
    // The room's creator is marked as its moderator (issue 19): "Ada (moderator, connected)".
    for (const other of names.filter((n) => n !== names[i])) assert.match(members, new RegExp(`${other} \\((moderator, )?connected\\)`));
  }
  await assertMediaFlowing(pages, 2);
  await screenshot(pages[0], 'conference-3-people');

  // Cy leaves: the other two drop Cy's tile within 2 s.
  const leftAt = Date.now();
  await pages[2].evaluate(() => window.vroomRoom.leave());
  for (const page of pages.slice(0, 2)) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1 &&
      !/Cy/.test(await statusText(page, 'members')), { timeout: 2000, interval: 50, message: 'Cy gone' });
  }
  assert.ok(Date.now() - leftAt <= 2000);
  await waitForStatus(pages[2], 'state', /State: left/);

  // Cy reloads (the deep link joins again): everyone sees Cy again.
  await pages[2].reload();
  await waitForStatus(pages[2], 'state', /State: joined/);
  for (const page of pages) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 2, { message: 'Cy back' });
  }
  await assertMediaFlowing(pages, 2);
  for (const page of pages) assert.deepEqual(page.problems, []);
  await Promise.all(pages.map((p) => p.close()));
});

test('join to first remote frame is measured', async () => {
  // The first page waits in the room; the second joins from the lobby through the JS API and
  // times join() to the first remote frame (requestVideoFrameCallback).
  const room = `timing-${Date.now()}`;
  const first = await openRoom(env.browser, env.server.url, { room, name: 'Waiting', autojoin: 1 });
  const times = [];
  for (let run = 0; run < 3; run++) {
    const page = await openRoom(env.browser, env.server.url, { room, name: `Joiner${run}` }, { state: /State: idle/ });
    const ms = await page.evaluate(async () => {
      const t0 = performance.now();
      await window.vroomRoom.join();
      return new Promise((resolve) => {
        const poll = () => {
          const video = [...document.querySelectorAll('.vroom-videos video')].find((v) => v.dataset.mirrored !== '1');
          if (video) video.requestVideoFrameCallback(() => resolve(performance.now() - t0));
          else setTimeout(poll, 5);
        };
        poll();
      });
    });
    times.push(ms);
    await page.close();
  }
  times.sort((a, b) => a - b);
  console.log(`# join-to-first-remote-frame ms: ${times.map((t) => t.toFixed(0)).join(', ')} (median ${times[1].toFixed(0)})`);
  assert.ok(times.every((t) => t > 0));
  await first.close();
});
