// vroom in Firefox ESR against the real server, with Chromium on the other end: the page and
// its overlay, the device pickers, a mixed conference with media both ways, mute,
// camera, chat, screen sharing (and its refusal outside a click), phone width, broadcasts
// hosted by either browser, and the semantics mirror through Firefox's accessibility tree.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ROOM_BACKGROUND, countPixels, eventually, mediaFigures, openRoom, playingRemoteVideos, screenshot, statusText, waitForStatus,
} from '../harness.js';
import {
  USER_ACTIVATION_MS, openFirefoxRoom, sharedServerAndFirefox,
} from './harness.js';

const env = sharedServerAndFirefox({ chromium: true });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const require = createRequire(import.meta.url);
const state = (page) => page.evaluate(() => window.vroomRoom.getState());
const member = async (page, name) => (await state(page)).members.find((m) => m.name === name);

// Types on the overlay canvas as a person would (Puppeteer's keyboard: Firefox pages).
async function typeOnOverlay(page, keys) {
  await page.focus('canvas.vroom-overlay');
  for (const key of keys) {
    if (key.length === 1) await page.keyboard.type(key);
    else await page.keyboard.press(key);
    await sleep(40);  // the overlay trickles input one transition per frame
  }
}

// Every page's connections show video frames decoded and audio bytes received increasing.
async function assertMediaFlowing(pages) {
  const before = await Promise.all(pages.map(mediaFigures));
  await sleep(1500);
  const after = await Promise.all(pages.map(mediaFigures));
  after.forEach((figures, i) => {
    assert.equal(figures.filter((f) => f.state === 'connected').length, 1, `page ${i} has its connection`);
    assert.ok(figures[0].framesDecoded > before[i][0].framesDecoded, `page ${i}: video frames decoded increase`);
    assert.ok(figures[0].audioBytesIn > before[i][0].audioBytesIn, `page ${i}: audio bytes increase`);
  });
}

test('the page loads in Firefox and the overlay draws the lobby', async () => {
  const page = await openFirefoxRoom(env.firefox, env.server.url, {}, { state: /State: idle/, viewport: { width: 1280, height: 800 } });
  const canvas = await page.$('canvas.vroom-overlay');
  const { count: drawn, total } = await countPixels(page, await canvas.screenshot({ encoding: 'base64' }),
    { near: ROOM_BACKGROUND, outside: true });
  assert.ok(drawn > total * 0.05 && drawn < total * 0.9, `overlay drew ${drawn} of ${total} pixels`);
  await screenshot(page, 'firefox-lobby-desktop');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the lobby\'s microphone and camera pickers list the devices by name once permission is granted', async () => {
  const page = await openFirefoxRoom(env.firefox, env.server.url, { room: 'pickers', name: 'Fox' }, { state: /State: idle/ });
  // Firefox lists devices without ids or names until the camera is granted; the pickers
  // (which show devices with an id) are built from this list.
  const devices = await eventually(async () => {
    const list = (await state(page)).local.devices;
    const named = (kind) => list.some((d) => d.kind === kind && d.deviceId && d.label);
    return named('audioinput') && named('videoinput') && list;
  }, { timeout: 15000, message: 'named microphone and camera in the lobby' });
  console.log(`# Firefox devices: ${devices.map((d) => `${d.kind}: ${d.label}`).join(', ')}`);
  await sleep(300);
  await screenshot(page, 'firefox-lobby-pickers');
  await page.close();
});

// One Firefox + Chromium call shared by the in-call tests below.
let call;
async function foxAndBob() {
  if (call) return call;
  const room = `ff-conf-${Date.now()}`;
  const fox = await openFirefoxRoom(env.firefox, env.server.url, { room, name: 'Fox', autojoin: 1 });
  const bob = await openRoom(env.chromium, env.server.url, { room, name: 'Bob', autojoin: 1 });
  for (const page of [fox, bob]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  call = { fox, bob };
  return call;
}

test('Firefox and Chromium in one conference see and hear each other', async () => {
  const { fox, bob } = await foxAndBob();
  assert.match(await statusText(fox, 'members'), /Bob \(connected\)/);
  assert.match(await statusText(bob, 'members'), /Fox \(moderator, connected\)/);
  await assertMediaFlowing([fox, bob]);
  await screenshot(fox, 'firefox-conference');
  await screenshot(bob, 'firefox-conference-chromium-side');
});

test('from Firefox: mute and camera by shortcut, chat typed in the overlay, both ways', async () => {
  const { fox, bob } = await foxAndBob();
  await typeOnOverlay(fox, ['m']);
  await eventually(async () => (await member(bob, 'Fox')).media.audio === false, { message: 'Bob sees Fox muted' });
  await typeOnOverlay(fox, ['v']);
  await eventually(async () => (await member(bob, 'Fox')).media.video === false, { message: 'Bob sees Fox camera off' });
  await sleep(300);
  await screenshot(fox, 'firefox-muted-camera-off');
  await typeOnOverlay(fox, ['m', 'v']);
  await eventually(async () => {
    const media = (await member(bob, 'Fox')).media;
    return media.audio && media.video;
  }, { message: 'Bob sees Fox unmuted with camera' });

  await typeOnOverlay(fox, ['c']);  // opens the chat and focuses its input
  await sleep(200);
  await typeOnOverlay(fox, [...'hello from Firefox', 'Enter']);
  await eventually(async () => (await state(bob)).chat.some((c) => c.text === 'hello from Firefox' && c.name === 'Fox'),
    { message: 'Fox\'s chat reaches Bob' });
  await bob.evaluate(() => window.vroomRoom.sendChat('hello from Chromium'));
  await eventually(async () => (await state(fox)).chat.some((c) => c.text === 'hello from Chromium' && c.name === 'Bob'),
    { message: 'Bob\'s chat reaches Fox' });
  await sleep(300);
  await screenshot(fox, 'firefox-chat');
  await typeOnOverlay(fox, ['Escape', 'Escape']);  // leave the input, then close the panel
});

test('a screen share asked for outside a click says so, and a share that works clears it', async () => {
  const { fox, bob } = await foxAndBob();
  // A call the page makes on its own (a timer, long after any click): wait in the page until
  // any activation has surely expired, then call the API.
  await fox.evaluate((ms) => new Promise((resolve) => setTimeout(() => {
    window.vroomRoom.startScreenShare().catch(() => {});
    resolve();
  }, ms)), USER_ACTIVATION_MS + 500);
  await waitForStatus(fox, 'error', /starts screen sharing only from a click or key press/, 10000);
  assert.equal(await fox.$eval('#status [data-field="error"]', (e) => e.dataset.code), 'media_needs_user_gesture');
  assert.equal((await state(fox)).local.screenSharing, false);
  await sleep(300);
  await screenshot(fox, 'firefox-share-needs-click');

  // A page's own Share button: a real click (BiDi input), whose handler calls the API.
  await fox.evaluate(() => {
    const button = Object.assign(document.createElement('button'), { id: 'my-share', textContent: 'Share' });
    button.style.cssText = 'position: fixed; left: 8px; top: 48px; z-index: 9';
    button.addEventListener('click', () => window.vroomRoom.startScreenShare().catch(() => {}));
    document.body.append(button);
  });
  await fox.click('#my-share');
  await eventually(async () => {
    const fm = await member(bob, 'Fox');
    return fm.media.screen && fm.screenStreamId &&
      (await playingRemoteVideos(bob)).some((v) => v.streamId === fm.screenStreamId);
  }, { message: 'Bob plays Fox\'s screen' });
  assert.equal(await statusText(fox, 'error'), '', 'the notice is gone once sharing works');
  assert.equal((await state(fox)).errorCode, '');
  await sleep(500);
  await screenshot(bob, 'firefox-screen-share-seen-in-chromium');
  await fox.evaluate(() => window.vroomRoom.stopScreenShare());
  await eventually(async () => !(await member(bob, 'Fox')).media.screen, { message: 'share stopped' });
});

test('Firefox at phone width keeps the call and its toolbar on screen', async () => {
  const { fox, bob } = await foxAndBob();
  await fox.setViewport({ width: 360, height: 740 });
  await sleep(500);
  const box = await (await fox.$('canvas.vroom-overlay')).boundingBox();
  assert.ok(box.width <= 360, `canvas ${box.width} px wide`);
  await eventually(async () => (await playingRemoteVideos(fox)).length === 1, { message: 'Bob still playing' });
  await screenshot(fox, 'firefox-room-phone');
  for (const page of [fox, bob]) assert.deepEqual(page.problems, []);
  await Promise.all([fox.close(), bob.close()]);
  call = null;
});

test('broadcasts both ways: Firefox hosts for Chromium, Chromium hosts for Firefox', async () => {
  const cases = [
    ['Firefox', (room, o) => openFirefoxRoom(env.firefox, env.server.url, room, o),
      'Chromium', (room, o) => openRoom(env.chromium, env.server.url, room, o)],
    ['Chromium', (room, o) => openRoom(env.chromium, env.server.url, room, o),
      'Firefox', (room, o) => openFirefoxRoom(env.firefox, env.server.url, room, o)],
  ];
  for (const [hostBrowser, openHost, viewerBrowser, openViewer] of cases) {
    const room = `ff-show-${hostBrowser}-${Date.now()}`;
    const host = await openHost({ room, name: 'Host', mode: 'broadcast', role: 'host', autojoin: 1 });
    const viewer = await openViewer({ room, name: 'Vi', mode: 'broadcast', role: 'viewer', autojoin: 1 });
    await eventually(async () => (await playingRemoteVideos(viewer)).length === 1,
      { message: `${viewerBrowser} viewer plays the ${hostBrowser} host` });
    assert.match(await statusText(viewer, 'members'), /Host \(host, moderator, connected\)/);
    const before = await mediaFigures(viewer);
    await sleep(1500);
    const after = await mediaFigures(viewer);
    assert.equal(after.length, 1);
    assert.ok(after[0].framesDecoded > before[0].framesDecoded, `${viewerBrowser} viewer decodes video`);
    assert.ok(after[0].audioBytesIn > before[0].audioBytesIn, `${viewerBrowser} viewer receives audio`);
    assert.equal(after[0].audioBytesOut + after[0].videoBytesOut, 0, 'the viewer sends nothing');
    await screenshot(viewer, `firefox-broadcast-${viewerBrowser.toLowerCase()}-viewer`);
    for (const page of [host, viewer]) assert.deepEqual(page.problems, []);
    await Promise.all([host.close(), viewer.close()]);
  }
});

test('the semantics mirror in Firefox: join by role and name with the keyboard; axe finds nothing', async () => {
  const room = `ff-a11y-${Date.now()}`;
  const fox = await openFirefoxRoom(env.firefox, env.server.url, {}, { state: /State: idle/ });
  // Puppeteer's ARIA selectors query Firefox's own accessibility tree (WebDriver BiDi).
  const control = (role, name) => fox.waitForSelector(`::-p-aria([name="${name}"][role="${role}"])`, { timeout: 20000 });
  await (await control('textbox', 'Room')).focus();
  await fox.keyboard.type(room, { delay: 40 });
  await (await control('textbox', 'Your name')).focus();
  await fox.keyboard.type('Fox', { delay: 40 });
  await sleep(200);
  await (await control('button', 'Join')).press('Enter');
  await waitForStatus(fox, 'state', /State: joined/);
  await (await control('button', 'Mute')).press('Enter');
  await eventually(async () => (await state(fox)).local.microphone === false, { message: 'muted from the mirror' });
  await fox.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await fox.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.map((v) => `${v.id}: ${v.help}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(fox.problems, []);
  await fox.close();
});
