// A conference of six through the video server (Janus), in real Chromium in the namespace of
// sfu_env.js (--mesh-max 2: the third join moves the room): every page uploads exactly one
// camera, whatever the room's size, and plays the five others, frames advancing. The issue's
// conference of six; its own file so that each file of the suite stays well under its 300 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, eventually, mediaFigures, playingRemoteVideos, screenshot } from './harness.js';
import { decodedFrames, inboundVideo, openAt, sfuEnvironment, skip, videoStreams, videoStreamsAdvancing } from './sfu_env.js';

const env = sfuEnvironment();
const NAMES = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay'];

test('a conference of six through Janus: each page uploads one camera and plays the five others', { skip }, async () => {
  const room = `sfu-six-${Date.now()}`;
  const pages = [];
  // openAt's 640x400 windows: the layout shows all five others (none paged away, none paused).
  for (const name of NAMES) pages.push(await openAt({ room, name }));
  const started = Date.now();
  try {
    for (const [i, page] of pages.entries()) {
      await eventually(async () => (await playingRemoteVideos(page)).length === 5 && (await mediaFigures(page)).length === 2,
        { timeout: 60000, message: `page ${i} plays the five others on two connections` });
    }
    console.log(`# every page plays the five others ${Date.now() - started} ms after the last join`);
    const firsts = await Promise.all(pages.map(decodedFrames));
    for (const [i, page] of pages.entries()) {
      const video = await videoStreams(page);
      assert.equal(video.outbound, 1, `page ${i}: exactly one camera uploaded`);
      assert.equal(video.received, 5, `page ${i}: the five others' videos on its subscriber link`);
      // Every tile of a 640x400 window of six is small: the others all ask for the lowest
      // layer, so no page encodes its 720p one (sfu-send-layer).
      assert.ok(!video.active.includes('h'), `page ${i}: its high layer is off, no one watches it (${video.active})`);
      // Each of the five decodes new frames (not all in the same second: six pages encoding
      // 720p in three layers saturate two cores, and streams stall by turns; frame rates are
      // scripts/bench's to measure).
      const first = firsts[i], advanced = new Set();
      await eventually(async () => {
        const now = await decodedFrames(page);
        for (const [id, frames] of Object.entries(now)) if (frames > (first[id] ?? 0)) advanced.add(id);
        return advanced.size === 5;
      }, { timeout: 30000, interval: 1000, message: `page ${i}: each of the five videos decodes new frames` });
      assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
    }
  } catch (err) {
    for (const [i, page] of pages.entries()) {
      console.log(`# page ${i}: ${(await playingRemoteVideos(page)).length} playing, ${await videoStreamsAdvancing(page, 1500)} advancing, ${JSON.stringify(await videoStreams(page))}\n#   ${await inboundVideo(page)}`);
      await screenshot(page, `sfu-six-failed-page-${i}`);
    }
    writeFileSync(path.join(ARTIFACTS, 'sfu-six-server.log'), env.server.stderr());
    copyFileSync(env.janus.log, path.join(ARTIFACTS, 'sfu-six-janus.log'));
    throw err;
  }
  await screenshot(pages[5], 'sfu-six-pages');
  for (const page of pages) await page.close();
});
