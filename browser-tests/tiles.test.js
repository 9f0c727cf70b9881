// Tiles as a person sees them in real Chromium: every tile labelled with its person's name
// (any script) and speaking or muted state, the self-view small in the corner, mirrored and
// on top, nothing with pixels drawn over the videos but those labels, and clicks and
// shortcuts still reaching the controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser } from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function twoInARoom(prefix) {
  const room = `${prefix}-${Date.now()}`;
  const a = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  const b = await openRoom(env.browser, env.server.url, { room, name: 'Zoë 李', autojoin: 1 });
  for (const page of [a, b]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  await a.bringToFront();
  return [a, b];
}

// In the page: what is painted at (x, y), top first. The room's layers ignore the pointer
// (the input canvas on top takes it all), so they are made hit-testable for the look.
const PAINTED_AT = `window.paintedAt = (x, y) => {
  const root = document.querySelector('.vroom-root');
  const saved = [...root.querySelectorAll('*')].map((el) => [el, el.style.pointerEvents]);
  for (const [el] of saved) el.style.pointerEvents = el.classList.contains('vroom-overlay') ? 'none' : 'auto';
  const stack = document.elementsFromPoint(x, y);
  for (const [el, value] of saved) el.style.pointerEvents = value;
  return stack;
};`;

// The label of a tile: its name, flags and where its pill is; null when there is none.
const tileLabel = (page, name) => page.evaluate(PAINTED_AT).then(() => page.evaluate((wanted) => {
  const label = [...document.querySelectorAll('.vroom-tile-label')].find((l) => l.dataset.name === wanted);
  if (!label) return null;
  const pill = label.querySelector('.vroom-name').getBoundingClientRect();
  const text = label.querySelector('.vroom-name span').textContent;
  // What a person sees at the pill: the label is among the elements there, under no canvas
  // with pixels of its own.
  const stack = window.paintedAt(pill.x + pill.width / 2, pill.y + pill.height / 2);
  return {
    text, speaking: label.dataset.speaking === '1', muted: label.dataset.muted === '1',
    pinned: label.dataset.pinned === '1', pill: { x: pill.x, y: pill.y, w: pill.width, h: pill.height },
    visible: stack.some((el) => label.contains(el)),
    coveredBy: stack.filter((el) => el.tagName === 'CANVAS' && el.width * el.height > 0).length,
    mutedMark: getComputedStyle(label.querySelector('.vroom-muted')).display !== 'none',
  };
}, name));

const videoRect = (page, mirrored) => page.evaluate((m) => {
  const video = [...document.querySelectorAll('.vroom-videos video')].find((v) => (v.dataset.mirrored === '1') === m);
  const r = video.getBoundingClientRect();
  return { x: r.x, y: r.y, w: r.width, h: r.height, transform: getComputedStyle(video).transform };
}, mirrored);

test('each tile shows its person\'s name, speaking and muted state', async () => {
  const [a, b] = await twoInARoom('labels');
  const zoe = await tileLabel(a, 'Zoë 李');
  assert.ok(zoe, 'a label for the remote tile');
  assert.equal(zoe.text, 'Zoë 李');
  assert.ok(zoe.visible, 'the name is what a person sees there');
  assert.equal(zoe.coveredBy, 0, 'no canvas with pixels over the name');
  const remote = await videoRect(a, false);
  assert.ok(zoe.pill.x >= remote.x && zoe.pill.y + zoe.pill.h <= remote.y + remote.h + 1 &&
    zoe.pill.y > remote.y + remote.h / 2, 'the pill sits at the bottom left of her video');
  assert.equal((await tileLabel(a, 'Ada (you)'))?.text, 'Ada (you)');

  // Chromium's fake microphone beeps: her tile shows her speaking, then not once she mutes.
  await eventually(async () => (await tileLabel(a, 'Zoë 李')).speaking, { timeout: 10000, message: 'speaking ring' });
  const ring = await a.evaluate(() => document.querySelector('.vroom-tile-backs [style*="box-shadow"]')?.style.boxShadow);
  assert.match(ring || '', /3px/, 'the ring is drawn around the tile');
  await b.evaluate(() => window.vroomRoom.setMicrophone(false));
  await eventually(async () => {
    const l = await tileLabel(a, 'Zoë 李');
    return l.muted && l.mutedMark && !l.speaking;
  }, { timeout: 5000, message: 'muted mark, no ring' });
  await sleep(1500);
  assert.equal((await tileLabel(a, 'Zoë 李')).speaking, false, 'a muted person is not speaking');
  assert.equal((await a.evaluate(() => window.vroomRoom.getState().members[0].speaking)), false);
  await screenshot(a, 'tiles-labels');
  for (const page of [a, b]) assert.deepEqual(page.problems, []);
  await Promise.all([a.close(), b.close()]);
});

test('the self-view is small, mirrored, on top in the corner, from a reduced copy of the camera', async () => {
  const [a, b] = await twoInARoom('selfview');
  const self = await videoRect(a, true);
  const remote = await videoRect(a, false);
  assert.ok(self.w >= 96 && self.w <= 240, `self-view ${self.w} px wide`);
  assert.match(self.transform, /matrix\(-1/, 'mirrored');
  assert.ok(self.x > remote.x + remote.w / 2 && self.y > remote.y + remote.h / 2, 'bottom right');
  await a.evaluate(PAINTED_AT);
  const onTop = await a.evaluate(({ x, y }) => window.paintedAt(x, y).find((el) => el.tagName === 'VIDEO')?.dataset.mirrored,
    { x: self.x + self.w / 2, y: self.y + self.h / 2 });
  assert.equal(onTop, '1', 'the self-view is over the remote video');
  // The preview plays its own copy, scaled to the tile at most at 15 frames/s; peers get the
  // camera itself at full size and rate.
  const tracks = await a.evaluate(async () => {
    const video = document.querySelector('.vroom-videos video[data-mirrored="1"]');
    const preview = video.srcObject.getVideoTracks()[0];
    await new Promise((r) => setTimeout(r, 500));  // the constraints apply asynchronously
    const sent = window.vroomRoom._runtime.peerConnections()[0].getSenders().find((s) => s.track?.kind === 'video').track;
    return { preview: preview.getSettings(), sent: sent.getSettings(), same: preview === sent };
  });
  assert.equal(tracks.same, false);
  assert.ok(tracks.preview.frameRate <= 15, `preview at ${tracks.preview.frameRate} fps`);
  assert.ok(tracks.preview.width <= 256, `preview ${tracks.preview.width} px wide`);
  assert.equal(tracks.sent.width, 1280);
  assert.ok(tracks.sent.frameRate > tracks.preview.frameRate, `peers get ${tracks.sent.frameRate} fps`);
  // What Zoë receives is the full camera.
  await eventually(async () => (await playingRemoteVideos(b))[0]?.width === 1280, { message: 'full size sent' });
  await screenshot(a, 'tiles-self-view');
  await Promise.all([a.close(), b.close()]);
});

test('nothing with pixels covers the videos but their labels, and input still works', async () => {
  const [a, b] = await twoInARoom('surface');
  await sleep(500);
  const cover = () => a.evaluate(() => {
    const videos = [...document.querySelectorAll('.vroom-videos video')].map((v) => v.getBoundingClientRect());
    const overlaps = (r, v) => r.x < v.right - 1 && v.x < r.right - 1 && r.y < v.bottom - 1 && v.y < r.bottom - 1;
    // Canvases with a backing store: the overlay's patches (and, before, a full-window one).
    return [...document.querySelectorAll('canvas')].filter((c) => !c.hidden && c.width * c.height > 0)
      .map((c) => ({ cls: c.className, rect: c.getBoundingClientRect() }))
      .map(({ cls, rect }) => ({ cls, w: rect.width, h: rect.height, overVideo: videos.some((v) => overlaps(rect, v)) }));
  });
  const surfaces = await cover();
  assert.deepEqual(surfaces.filter((s) => s.overVideo), [], 'no drawing surface over a video');
  assert.ok(surfaces.length >= 2, 'the top bar and the toolbar are drawn');
  const viewport = a.viewportSize();
  for (const s of surfaces) assert.ok(s.w * s.h < viewport.width * viewport.height * 0.2, `a patch of ${s.w}x${s.h}`);

  // A click on the remote tile pins it; a key press opens a panel, drawn beside the tiles.
  const remote = await videoRect(a, false);
  await a.mouse.click(remote.x + remote.w / 3, remote.y + remote.h / 3);
  await eventually(async () => (await tileLabel(a, 'Zoë 李')).pinned, { timeout: 5000, message: 'pinned' });
  await a.locator('canvas.vroom-overlay').focus();
  await a.keyboard.press('Escape');
  await eventually(async () => !(await tileLabel(a, 'Zoë 李')).pinned, { timeout: 5000, message: 'unpinned' });
  await a.keyboard.type('c');
  await eventually(async () => (await cover()).some((s) => s.h > viewport.height * 0.5), { timeout: 5000, message: 'chat panel drawn' });
  await screenshot(a, 'tiles-chat-open');
  for (const page of [a, b]) assert.deepEqual(page.problems, []);
  await Promise.all([a.close(), b.close()]);
});
