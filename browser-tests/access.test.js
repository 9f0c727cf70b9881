// Who may enter and who may do what, as people see it in Chromium: the lobby asks for a
// room's password, an invitation link with a bad token says so, a person removed or asked to
// mute is told by whom, a locked room turns newcomers away, and a broadcast host never takes
// media a viewer sends. Screenshots of each land in build/browser-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  eventually, mediaFigures, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser,
  startServer, statusText, waitForStatus,
} from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => window.vroomRoom.getState());

async function typeOnOverlay(page, text) {
  await page.locator('canvas.vroom-overlay').focus();
  for (const key of text) {
    await page.keyboard.type(key);
    await sleep(40);  // the overlay trickles input one transition per frame
  }
}

async function twoInARoom(prefix) {
  const room = `${prefix}-${Date.now()}`;
  const ada = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  for (const page of [ada, bob]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  return { room, ada, bob };
}

test('the lobby asks for the room password, refuses a wrong one, and lets the right one in', async () => {
  const room = `locked-door-${Date.now()}`;
  const ada = await openRoom(env.browser, env.server.url, {}, { state: /State: idle/ });
  await ada.evaluate((r) => window.vroomRoom.join({ room: r, name: 'Ada', password: 'open sesame' }), room);
  await waitForStatus(ada, 'state', /State: joined/);

  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 }, { state: /State: failed/ });
  assert.match(await statusText(bob, 'error'), /has a password\. Type it in the Room password field/);
  await sleep(300);
  await screenshot(bob, 'access-password-asked');
  await typeOnOverlay(bob, 'open sesamE');  // the field has the keyboard: no click needed
  await bob.keyboard.press('Enter');
  await waitForStatus(bob, 'error', /That password is not right/);
  await sleep(300);
  await screenshot(bob, 'access-password-wrong');
  await bob.locator('canvas.vroom-overlay').focus();
  await bob.keyboard.press('Control+a');  // the wrong one is still in the field
  await typeOnOverlay(bob, 'open sesame');
  await bob.keyboard.press('Enter');
  await waitForStatus(bob, 'state', /State: joined/);
  await eventually(async () => (await playingRemoteVideos(bob)).length === 1, { message: 'Bob sees Ada' });
  assert.deepEqual([...ada.problems, ...bob.problems], []);
  await Promise.all([ada.close(), bob.close()]);
});

test('a removed person is told who removed them and cannot come back', async () => {
  const { ada, bob } = await twoInARoom('remove');
  const bobId = (await state(bob)).self.id;
  assert.equal((await state(ada)).self.moderator, true, 'the creator moderates');
  assert.equal((await state(bob)).self.moderator, false);
  // What the moderator sees: the People panel with the person's buttons.
  await ada.locator('canvas.vroom-overlay').focus();
  await ada.keyboard.press('p');
  await sleep(400);
  await screenshot(ada, 'access-moderator-people-panel');
  const removedEvent = bob.evaluate(() => new Promise((resolve) =>
    window.vroomRoom.addEventListener('removed', (e) => resolve(e.detail), { once: true })));
  // Bob may not do it back.
  const refused = await bob.evaluate((id) => window.vroomRoom.removePeer(id).then(() => 'done', (e) => e.code),
    (await state(ada)).self.id);
  assert.equal(refused, 'not_allowed');
  await ada.evaluate((id) => window.vroomRoom.removePeer(id, { ban: true }), bobId);
  const detail = await removedEvent;
  assert.equal(detail.byName, 'Ada');
  assert.equal(detail.ban, true);
  await waitForStatus(bob, 'error', /Ada removed you from the room\. You cannot rejoin while it lasts/);
  assert.match(await statusText(bob, 'state'), /State: left/);
  await sleep(300);
  await screenshot(bob, 'access-removed');
  await eventually(async () => (await state(ada)).members.length === 0, { message: 'Ada sees Bob gone' });
  // Joining again from the same page is refused, with a sentence.
  await bob.evaluate(() => window.vroomRoom.join().catch(() => {}));
  await waitForStatus(bob, 'error', /You cannot rejoin while it lasts/);
  assert.equal((await state(bob)).errorCode, 'banned');
  await Promise.all([ada.close(), bob.close()]);
});

test('asked to mute, a person is muted and told who asked; only they unmute', async () => {
  const { ada, bob } = await twoInARoom('mute');
  const bobId = (await state(bob)).self.id;
  await ada.evaluate((id) => window.vroomRoom.askToMute(id), bobId);
  await waitForStatus(bob, 'notice', /Ada asked you to mute/);
  assert.equal((await state(bob)).local.microphone, false);
  await eventually(async () => (await state(ada)).members[0].media.audio === false, { message: 'Ada sees Bob muted' });
  await sleep(300);
  await screenshot(bob, 'access-mute-requested');
  await bob.evaluate(() => window.vroomRoom.setMicrophone(true));
  await eventually(async () => (await state(ada)).members[0].media.audio === true, { message: 'Bob unmutes himself' });
  await Promise.all([ada.close(), bob.close()]);
});

test('a locked room turns a newcomer away with a sentence, and opens again', async () => {
  const { room, ada, bob } = await twoInARoom('lock');
  await ada.evaluate(() => window.vroomRoom.lockRoom(true));
  await waitForStatus(bob, 'access', /The room is locked/);
  const cy = await openRoom(env.browser, env.server.url, { room, name: 'Cy', autojoin: 1 }, { state: /State: failed/ });
  assert.match(await statusText(cy, 'error'), /is locked: a moderator stopped new people from joining/);
  await sleep(300);
  await screenshot(cy, 'access-room-locked');
  await screenshot(ada, 'access-locked-top-bar');
  await ada.evaluate(() => window.vroomRoom.lockRoom(false));
  await cy.evaluate(() => window.vroomRoom.join());
  await waitForStatus(cy, 'state', /State: joined/);
  await Promise.all([ada.close(), bob.close(), cy.close()]);
});

// A malicious viewer, written against the protocol by hand in a bare page: it answers the
// host's offer with a camera of its own and then offers a send-only camera. The host must
// neither show nor even receive it.
async function maliciousViewer(page, serverUrl, room) {
  await page.goto(new URL('healthz', serverUrl).href);  // same origin as the server
  return page.evaluate(async (r) => {
    const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/ws`);
    const send = (m) => socket.send(JSON.stringify(m));
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
    const ctx = canvas.getContext('2d');
    setInterval(() => { ctx.fillStyle = `hsl(${Date.now() % 360},90%,50%)`; ctx.fillRect(0, 0, 320, 240); }, 40);
    const stream = canvas.captureStream(25);
    const pc = new RTCPeerConnection();
    const answers = [];
    let hostId = '';
    pc.onicecandidate = (e) => hostId && send({ type: 'signal', to: hostId, data: { candidate: e.candidate ? e.candidate.toJSON() : null } });
    socket.onopen = () => send({ type: 'hello', version: 1 });
    const done = new Promise((resolve) => {
      socket.onmessage = async (event) => {
        const m = JSON.parse(event.data);
        if (m.type === 'welcome') send({ type: 'join', room: r, name: 'Mallory', role: 'viewer' });
        if (m.type === 'joined') hostId = m.members[0]?.id || '';
        if (m.type !== 'signal') return;
        const { description, candidate } = m.data;
        if (candidate) await pc.addIceCandidate(candidate).catch(() => {});
        if (description?.type === 'offer') {
          await pc.setRemoteDescription(description);
          // Answer with a camera of our own on the host's video line.
          const video = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
          await video.sender.replaceTrack(stream.getVideoTracks()[0]);
          video.direction = 'sendrecv';
          await pc.setLocalDescription(await pc.createAnswer());
          send({ type: 'signal', to: hostId, data: { description: pc.localDescription.toJSON() } });
          if (answers.length === 0) {
            // Then offer a second, send-only camera.
            setTimeout(async () => {
              pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream] });
              await pc.setLocalDescription(await pc.createOffer());
              send({ type: 'signal', to: hostId, data: { description: pc.localDescription.toJSON() } });
            }, 1500);
          }
          answers.push('answered');
        }
        if (description?.type === 'answer') {
          await pc.setRemoteDescription(description);
          answers.push(description.sdp);
          resolve();
        }
      };
    });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20000))]);
    window.malloryPc = pc;
    return { answers, connection: pc.connectionState };
  }, room);
}

test("a broadcast host never shows or receives media from a viewer's offer or answer", async () => {
  const room = `cast-${Date.now()}`;
  const host = await openRoom(env.browser, env.server.url, { room, name: 'Host', mode: 'broadcast', role: 'host', autojoin: 1 });
  const mallory = await env.browser.newPage();
  const result = await maliciousViewer(mallory, env.server.url, room);
  assert.equal(result.answers.length, 2, `the host answered Mallory's own offer: ${JSON.stringify(result.answers)}`);
  const answer = result.answers[1];
  // The line Mallory offered send-only is answered inactive: nothing flows to the host.
  const lastSection = answer.split('m=').at(-1);
  assert.match(lastSection, /a=inactive/, answer);
  await sleep(3000);  // time for any frames to arrive, were they accepted
  const viewer = (await state(host)).members.find((m) => m.name === 'Mallory');
  assert.ok(viewer, 'Mallory is in the host\'s list');
  assert.equal(viewer.cameraStreamId, '');
  assert.equal(viewer.audioStreamId, '');
  // Nothing is decoded, and nothing keeps flowing in. (A few packets may reach the host's
  // transport before Chromium drops the stream nobody announced: a receiver cannot stop a
  // sender from sending, only refuse to take it.)
  const sum = (figures, key) => figures.reduce((n, f) => n + f[key], 0);
  const before = await mediaFigures(host);
  await sleep(2000);
  const after = await mediaFigures(host);
  assert.equal(sum(after, 'framesDecoded'), 0, JSON.stringify(after));
  assert.equal(sum(after, 'audioBytesIn'), 0, JSON.stringify(after));
  assert.equal(sum(after, 'videoBytesIn'), sum(before, 'videoBytesIn'), `still flowing: ${JSON.stringify([before, after])}`);
  // Mallory still receives the broadcast: only what it sends is refused.
  const received = await mallory.evaluate(async () => {
    let bytes = 0;
    (await window.malloryPc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') bytes += s.bytesReceived; });
    return bytes;
  });
  assert.ok(received > 0, 'the viewer receives the host');
  await screenshot(host, 'access-host-ignores-viewer-media');
  await Promise.all([host.close(), mallory.close()]);
});

// What an embedding product's backend does: HS256 with node's crypto.
function mintToken(secret, claims) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

test('an invitation link with a bad token says so; a good one joins under the token\'s name', async () => {
  const server = await startServer(['--token-secret', 'page-secret']);
  try {
    const now = Math.floor(Date.now() / 1000);
    const claims = { room: 'invited', name: 'Grace', role: 'member', exp: now + 600 };
    const expired = mintToken('page-secret', { ...claims, exp: now - 3600 });
    const late = await openRoom(env.browser, server.url, { token: expired, autojoin: 1 }, { state: /State: failed/ });
    assert.match(await statusText(late, 'error'), /invitation has expired/);
    await sleep(300);
    await screenshot(late, 'access-token-expired');
    const none = await openRoom(env.browser, server.url, { room: 'invited', name: 'Eve', autojoin: 1 }, { state: /State: failed/ });
    assert.match(await statusText(none, 'error'), /only people with an invitation/);
    const good = await openRoom(env.browser, server.url, { token: mintToken('page-secret', claims), autojoin: 1 });
    const s = await state(good);
    assert.equal(s.room, 'invited');
    assert.equal(s.self.name, 'Grace');
    await Promise.all([late.close(), none.close(), good.close()]);
  } finally {
    await server.stop();
  }
});
