// Broadcast rooms in real Chromium: a host goes live, viewers receive its media and send
// none, viewers never connect to each other, and the two user errors read clearly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually, mediaFigures, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser, statusText, waitForStatus,
} from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a host broadcasts to two viewers; viewers send nothing and never meet', async () => {
  const room = `show-${Date.now()}`;
  const host = await openRoom(env.browser, env.server.url, { room, name: 'Host', mode: 'broadcast', role: 'host', autojoin: 1 });
  const viewers = [];
  for (const name of ['Vi', 'Wu']) {
    viewers.push(await openRoom(env.browser, env.server.url, { room, name, mode: 'broadcast', role: 'viewer', autojoin: 1 }));
  }
  for (const viewer of viewers) {
    await eventually(async () => (await playingRemoteVideos(viewer)).length === 1, { message: 'viewer plays the host' });
    assert.match(await statusText(viewer, 'members'), /Host \(host, moderator, connected\)/);
    assert.doesNotMatch(await statusText(viewer, 'members'), /Vi|Wu/, 'viewers do not see each other');
  }
  await eventually(async () => (await mediaFigures(host)).filter((f) => f.state === 'connected').length === 2,
    { message: 'host connected to both viewers' });

  const before = await Promise.all(viewers.map(mediaFigures));
  await sleep(1500);
  for (const [i, viewer] of viewers.entries()) {
    const after = await mediaFigures(viewer);
    assert.equal(after.length, 1, 'a viewer has exactly one connection: to the host');
    assert.ok(after[0].framesDecoded > before[i][0].framesDecoded, 'viewer decodes host video');
    assert.ok(after[0].audioBytesIn > before[i][0].audioBytesIn, 'viewer receives host audio');
    assert.equal(after[0].audioBytesOut + after[0].videoBytesOut, 0, 'viewer sends no media');
  }
  for (const f of await mediaFigures(host)) {
    assert.equal(f.audioBytesIn + f.videoBytesIn, 0, 'host receives no media from viewers');
    assert.ok(f.videoBytesOut > 0 && f.audioBytesOut > 0, 'host sends audio and video');
  }
  await screenshot(viewers[0], 'broadcast-viewer');
  await screenshot(host, 'broadcast-host');

  // A second host with the same id is told the broadcast is already live.
  const second = await openRoom(env.browser, env.server.url, { room, name: 'Other', mode: 'broadcast', role: 'host', autojoin: 1 }, { state: null });
  await waitForStatus(second, 'error', /already live/);
  assert.equal(await second.locator('#status [data-field="error"]').getAttribute('data-code'), 'room_exists');
  await sleep(300);
  await screenshot(second, 'broadcast-room-exists');

  for (const page of [host, ...viewers]) assert.deepEqual(page.problems, []);
  await Promise.all([host, ...viewers, second].map((p) => p.close()));
});

test('viewers who arrive before the host wait, and are let in when the broadcast goes live', async () => {
  const room = `launch-${Date.now()}`;
  const viewer = await openRoom(env.browser, env.server.url,
    { room, name: 'Vi', mode: 'broadcast', role: 'viewer', autojoin: 1 }, { state: /State: waiting/ });
  assert.match(await statusText(viewer, 'room'), new RegExp(`Room: ${room} \\(broadcast\\)`));
  assert.match(await statusText(viewer, 'message'), /No broadcast named .* is live yet\. Waiting for the host/);
  assert.equal(await statusText(viewer, 'error'), '', 'waiting is not an error');
  await sleep(300);
  await screenshot(viewer, 'broadcast-waiting');
  // A second viewer gives up before the host arrives.
  const quitter = await openRoom(env.browser, env.server.url,
    { room, name: 'Wu', mode: 'broadcast', role: 'viewer', autojoin: 1 }, { state: /State: waiting/ });
  await quitter.evaluate(() => window.vroomRoom.leave());
  await waitForStatus(quitter, 'state', /State: left/);
  assert.match(await statusText(quitter, 'message'), /stopped waiting/);
  await sleep(3000);  // long past any handshake timeout: still waiting, nothing retried
  assert.match(await statusText(viewer, 'state'), /State: waiting/);

  const host = await openRoom(env.browser, env.server.url, { room, name: 'Host', mode: 'broadcast', role: 'host', autojoin: 1 });
  await waitForStatus(viewer, 'state', /State: joined/);
  await eventually(async () => (await playingRemoteVideos(viewer)).length === 1, { message: 'the waiting viewer plays the host' });
  await eventually(async () => /Members: Vi \(viewer, connected\)$/.test(await statusText(host, 'members')),
    { message: 'the host sees the viewer who waited, and not the one who gave up' });
  assert.match(await statusText(quitter, 'state'), /State: left/);
  for (const page of [viewer, host]) assert.deepEqual(page.problems, []);
  await Promise.all([viewer, quitter, host].map((p) => p.close()));
});

test('an audio-only broadcast: listeners hear the speaker, nobody sends video', async () => {
  const room = `radio-${Date.now()}`;
  const speaker = await openRoom(env.browser, env.server.url, { room, name: 'Speaker', mode: 'broadcast', role: 'host', audio: 'only', autojoin: 1 });
  const listeners = [];
  for (const name of ['L1', 'L2', 'L3']) {
    listeners.push(await openRoom(env.browser, env.server.url, { room, name, mode: 'broadcast', role: 'viewer', autojoin: 1 }));
  }
  for (const listener of listeners) {
    await eventually(async () => (await mediaFigures(listener)).some((f) => f.state === 'connected' && f.audioBytesIn > 0),
      { message: 'listener receives audio' });
  }
  const before = await Promise.all(listeners.map(mediaFigures));
  await sleep(1500);
  for (const [i, listener] of listeners.entries()) {
    const [f] = await mediaFigures(listener);
    assert.ok(f.audioBytesIn > before[i][0].audioBytesIn, 'audio keeps arriving');
    assert.equal(f.videoBytesIn, 0, 'no video arrives');
    assert.equal(f.videoTracksIn, 0, 'no video track was negotiated');
    assert.equal((await playingRemoteVideos(listener)).length, 0);
    assert.match(await statusText(listener, 'room'), /audio only/);
  }
  for (const f of await mediaFigures(speaker)) assert.equal(f.videoBytesOut, 0, 'the speaker sends no video');
  const cameraTracks = await speaker.evaluate(() => window.vroomRoom._runtime.localTracks().filter((t) => t.kind === 'video').length);
  assert.equal(cameraTracks, 0, 'the speaker never opened a camera');
  await screenshot(listeners[0], 'audio-only-listener');
  await Promise.all([speaker, ...listeners].map((p) => p.close()));
});
