// The in-room experience in real Chromium: chat typed into the ImGui overlay reaches the
// other page, a shared screen is seen by the other page, the overlay draws nothing while
// idle, and screenshots of every panel at desktop and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countOverlayPixels, eventually, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser,
} from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => window.vroomRoom.getState());

// Types on the overlay canvas as a person would: focus it and press keys.
async function typeOnOverlay(page, keys) {
  await page.locator('canvas.vroom-overlay').focus();
  for (const key of keys) {
    if (key.length === 1) await page.keyboard.type(key);
    else await page.keyboard.press(key);
    await sleep(40);  // the overlay trickles input one transition per frame
  }
}

async function twoInARoom(prefix, viewport) {
  const room = `${prefix}-${Date.now()}`;
  const a = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 }, { viewport });
  const b = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 }, { viewport });
  for (const page of [a, b]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  return [a, b];
}

test('chat typed into the overlay arrives on the other page with name and time', async () => {
  const [a, b] = await twoInARoom('chat');
  await typeOnOverlay(a, ['c']);  // shortcut: open chat, focus its input
  await sleep(200);
  await typeOnOverlay(a, [...'hello Bob', 'Enter']);
  await eventually(async () => (await state(b)).chat.some((c) => c.text === 'hello Bob' && c.name === 'Ada' && c.ts > 0),
    { message: 'chat reaches Bob' });
  const mine = (await state(a)).chat.find((c) => c.text === 'hello Bob');
  assert.equal(mine?.mine, true, 'the sender sees its own message, marked as its own');
  // Bob has the chat closed: the toolbar counts it as unread; then Bob opens the panel.
  await sleep(300);
  await screenshot(b, 'chat-unread-desktop');
  await typeOnOverlay(b, ['c']);
  await sleep(300);
  await screenshot(b, 'panel-chat-desktop');
  await screenshot(a, 'panel-chat-sender-desktop');
  await Promise.all([a.close(), b.close()]);
});

test('a shared screen is seen by the other page, and stopping restores the camera', async () => {
  const [a, b] = await twoInARoom('share');
  const cameraStream = (await state(b)).members[0].cameraStreamId;
  await a.evaluate(() => window.vroomRoom.startScreenShare());
  await eventually(async () => {
    const ada = (await state(b)).members[0];
    const playing = await playingRemoteVideos(b);
    return ada.media.screen && ada.screenStreamId && playing.some((v) => v.streamId === ada.screenStreamId);
  }, { message: 'Bob plays Ada\'s screen' });
  await sleep(500);
  await screenshot(b, 'screen-share-speaker-view');
  await screenshot(a, 'screen-share-sharer');
  await a.evaluate(() => window.vroomRoom.stopScreenShare());
  await eventually(async () => {
    const ada = (await state(b)).members[0];
    return !ada.media.screen && !ada.screenStreamId && (await playingRemoteVideos(b)).length === 1;
  }, { message: 'camera back after the share' });
  assert.ok(cameraStream);
  await Promise.all([a.close(), b.close()]);
});

test('a notice that arrives without any input is drawn at once', async () => {
  // No mouse or key event anywhere: the error arrives later than the call that caused it
  // (a speaker the browser refuses), as errors from the server or the network do. ImGui
  // hides a new window on its first frame, so one frame per change would leave the notice
  // invisible until the person moved the mouse.
  const [a, b] = await twoInARoom('notice');
  // Quiet first (nobody speaking, badges settled): no frame drawn for a whole second, so no
  // unrelated redraw can show the notice in the test's place.
  for (const page of [a, b]) await page.evaluate(() => window.vroomRoom.setMicrophone(false));
  const frames = () => a.evaluate(() => window.vroomRoom.framesDrawn);
  await eventually(async () => {
    const start = await frames();
    await sleep(1000);
    return (await frames()) === start;
  }, { timeout: 30000, message: 'the overlay idles' });
  const noticeColour = { near: [85, 25, 25], within: 30 };  // the notice's dark red
  // Video frames hold a few pixels of that colour too: count what the notice adds.
  const before = (await countOverlayPixels(a, noticeColour)).count;
  await a.evaluate(() => window.vroomRoom.selectDevice('speaker', 'unplugged').catch(() => {}));
  await eventually(async () => (await state(a)).errorCode === 'speaker_unavailable', { message: 'the error' });
  await sleep(300);
  const { count } = await countOverlayPixels(a, noticeColour);
  await screenshot(a, 'notice-without-input');
  assert.ok(count - before > 2000, `the notice is drawn without input (${before} -> ${count} notice-coloured pixels)`);
  assert.match(await a.locator('#status').innerText(), /speaker could not be used/);
  await Promise.all([a.close(), b.close()]);
});

test('the chosen speaker plays every remote voice, later ones too, and a gone one is refused', async () => {
  const [a, b] = await twoInARoom('speaker');
  const speakers = await a.evaluate(() => window.vroomRoom.getState().local.devices
    .filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default'));
  assert.ok(speakers.length >= 1, 'Chromium lists its fake speakers');
  const chosen = speakers[0].deviceId;
  await a.evaluate((id) => window.vroomRoom.selectDevice('speaker', id), chosen);
  const sinks = () => a.evaluate(() => [...document.querySelectorAll('audio')].map((el) => el.sinkId));
  assert.deepEqual(await sinks(), [chosen], "Bob's voice plays on the chosen speaker");
  assert.equal((await state(a)).local.audioOutputId, chosen);
  // Someone who joins later is heard on the same speaker.
  const c = await openRoom(env.browser, env.server.url, { room: (await state(a)).room, name: 'Cy', autojoin: 1 });
  await eventually(async () => (await sinks()).length === 2, { message: "Cy's voice arrives" });
  await eventually(async () => (await sinks()).every((id) => id === chosen), { message: "Cy's voice on the chosen speaker" });
  // A speaker that is gone: a typed refusal, a sentence, and the sound stays where it was.
  const refused = await a.evaluate(() => window.vroomRoom.selectDevice('speaker', 'unplugged-usb-speaker')
    .then(() => 'resolved', (err) => err.code));
  assert.equal(refused, 'speaker_unavailable');
  assert.match(await a.locator('#status').innerText(), /speaker could not be used/);
  assert.ok((await sinks()).every((id) => id === chosen));
  assert.equal((await state(a)).local.audioOutputId, chosen);
  await Promise.all([a.close(), b.close(), c.close()]);
});

test('the overlay draws zero frames while nothing changes', async () => {
  // In the lobby, and in a call where nobody speaks (no speaking ring changes).
  const lobby = await openRoom(env.browser, env.server.url, { room: 'idle' }, { state: /State: idle/ });
  await sleep(800);
  const lobbyStart = await lobby.evaluate(() => window.vroomRoom.framesDrawn);
  await sleep(2000);
  const lobbyFrames = (await lobby.evaluate(() => window.vroomRoom.framesDrawn)) - lobbyStart;
  const [a, b] = await twoInARoom('idle');
  for (const page of [a, b]) await page.evaluate(() => window.vroomRoom.setMicrophone(false));
  await sleep(2500);  // let speaking settle
  // In a call the only unprompted redraws are visible changes: a peer's quality badge
  // flipping (its live stats move) or the session changing. Count frames and those changes.
  const roomStart = await a.evaluate(() => {
    const r = window.vroomRoom;
    window.idleRevisions = 0;
    r.addEventListener('state', () => { window.idleRevisions++; });
    return r.framesDrawn;
  });
  await sleep(2000);
  const roomFrames = (await a.evaluate(() => window.vroomRoom.framesDrawn)) - roomStart;
  const revisions = await a.evaluate(() => window.idleRevisions);
  console.log(`# idle overlay frames over 2 s: lobby ${lobbyFrames}, call ${roomFrames} (session changes ${revisions})`);
  assert.equal(lobbyFrames, 0, 'an idle lobby draws nothing');
  // A badge flip or a session change costs at most a settle's worth of frames (3); steady
  // rendering would be ~120.
  assert.ok(roomFrames <= 3 * (revisions + 2), `a quiet call drew ${roomFrames} frames`);
  // Input does draw: a pointer move over the canvas produces frames, then it settles again.
  await a.mouse.move(200, 200);
  await a.mouse.move(220, 220);
  await sleep(200);
  assert.ok((await a.evaluate(() => window.vroomRoom.framesDrawn)) > roomStart + roomFrames);
  await Promise.all([lobby.close(), a.close(), b.close()]);
});

for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 360, height: 740 }]]) {
  test(`grid, speaker view and every panel look right at ${label} width`, async () => {
    const room = `look-${label}-${Date.now()}`;
    const pages = [];
    for (const name of ['Ada', 'Bob', 'Cy']) pages.push(await openRoom(env.browser, env.server.url, { room, name, autojoin: 1 }, { viewport }));
    const [a] = pages;
    await eventually(async () => (await playingRemoteVideos(a)).length === 2, { message: 'three in the call' });
    await pages[1].evaluate(() => window.vroomRoom.sendChat('A long message to check that text wraps inside the chat panel instead of running off the edge of the window.'));
    await sleep(2500);  // stats history for the badges and plots
    // Wasm CPU time of one overlay frame (ImGui and, when a region changed, its rasterising).
    const frameMs = await a.evaluate(() => {
      const app = window.vroomRoom._app;
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) app.frame(performance.now());
      return (performance.now() - t0) / 100;
    });
    console.log(`# overlay frame in wasm at ${label} width, 3 tiles: ${frameMs.toFixed(3)} ms`);
    assert.ok(frameMs > 0);
    await screenshot(a, `room-grid-${label}`);
    await typeOnOverlay(a, ['g']);
    await sleep(300);
    await screenshot(a, `room-speaker-${label}`);
    await typeOnOverlay(a, ['g', 'p']);
    await sleep(300);
    await screenshot(a, `panel-people-${label}`);
    await typeOnOverlay(a, ['s']);
    await sleep(1200);
    await screenshot(a, `panel-stats-${label}`);
    await typeOnOverlay(a, ['c']);
    await sleep(300);
    await screenshot(a, `panel-chat-${label}`);
    // On a phone the toolbar stays on screen.
    const canvasBox = await a.locator('canvas.vroom-overlay').boundingBox();
    assert.ok(canvasBox.width <= viewport.width);
    assert.deepEqual(a.problems, []);
    await Promise.all(pages.map((p) => p.close()));
  });
}
