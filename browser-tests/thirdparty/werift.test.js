// A third-party peer (werift, written from docs/protocol.md alone) meets vroom pages in real
// Chromium: conferences with either side offering, and broadcasts both ways, media both ways.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually, mediaFigures, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser, statusText,
} from '../harness.js';
import { TestPattern, WeriftPeer } from './werift_peer.js';

const env = sharedServerAndBrowser();
let source;
before(async () => { source = await new TestPattern().start(); });
after(async () => { await source?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The page's hidden <audio> elements that are playing (time advancing) a remote stream.
async function playingAudio(page) {
  const times = () => page.evaluate(() => [...document.querySelectorAll('audio')]
    .filter((a) => !a.paused && a.srcObject).map((a) => a.currentTime));
  const first = await times();
  await sleep(300);
  const second = await times();
  return second.filter((t, i) => t > (first[i] ?? Infinity)).length;
}

// The page decodes the werift peer's frames and receives (and plays) its audio, increasingly.
async function assertPageGetsWeriftMedia(page) {
  await eventually(async () => (await playingRemoteVideos(page)).some((v) => v.width === 320 && v.height === 240),
    { message: 'the page shows the 320x240 test pattern' });
  const before = await mediaFigures(page);
  await sleep(1500);
  const after = await mediaFigures(page);
  assert.equal(after.length, 1, 'one connection: to the werift peer');
  assert.equal(after[0].state, 'connected');
  assert.ok(after[0].framesDecoded > before[0].framesDecoded, 'video frames decoded increase');
  assert.ok(after[0].audioBytesIn > before[0].audioBytesIn, 'audio bytes increase');
  await eventually(async () => (await playingAudio(page)) >= 1, { message: 'the werift audio plays' });
}

// The werift peer receives RTP of the page's video and audio, increasingly.
async function assertWeriftGetsPageMedia(peer, pageId) {
  await eventually(() => peer.received(pageId)?.video.packets > 0 && peer.received(pageId)?.audio.packets > 0,
    { message: 'werift receives the page media' });
  const before = peer.received(pageId);
  await sleep(1500);
  const after = peer.received(pageId);
  assert.ok(after.video.packets > before.video.packets, 'video RTP keeps arriving');
  assert.ok(after.audio.packets > before.audio.packets, 'audio RTP keeps arriving');
}

const pageId = (peer) => [...peer.members.keys()][0];

test('conference: the page joins a werift member (the page offers); media both ways', async () => {
  const room = `tp-conf-a-${Date.now()}`;
  const peer = await WeriftPeer.connect(env.server.url, { name: 'Werift', source });
  await peer.join(room);
  const page = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  await eventually(async () => /Werift \(moderator, connected\)/.test(await statusText(page, 'members')),
    { message: 'the page lists Werift as connected' });
  await assertPageGetsWeriftMedia(page);
  await assertWeriftGetsPageMedia(peer, pageId(peer));
  assert.equal(peer.stats.offers, 0, 'an existing member waits for the joiner offer');
  await screenshot(page, 'thirdparty-conference-page-joins-werift');
  assert.deepEqual(peer.stats.errors, []);
  assert.deepEqual(page.problems, []);
  await page.close();
  await peer.close();
});

test('conference: werift joins the page (werift offers); media both ways', async () => {
  const room = `tp-conf-b-${Date.now()}`;
  const page = await openRoom(env.browser, env.server.url, { room, name: 'Bea', autojoin: 1 });
  const peer = await WeriftPeer.connect(env.server.url, { name: 'Werift', source });
  await peer.join(room);
  await eventually(async () => /Werift \(connected\)/.test(await statusText(page, 'members')),
    { message: 'the page lists Werift as connected' });
  assert.equal(peer.stats.offers, 1, 'the joiner offered');
  await assertPageGetsWeriftMedia(page);
  await assertWeriftGetsPageMedia(peer, pageId(peer));
  assert.deepEqual(peer.stats.errors, []);
  assert.deepEqual(page.problems, []);
  await page.close();
  await peer.close();
});

test('broadcast: a werift host, a Chromium viewer', async () => {
  const room = `tp-show-w-${Date.now()}`;
  const host = await WeriftPeer.connect(env.server.url, { name: 'WeriftHost', source });
  await host.create(room, { mode: 'broadcast' });
  assert.equal(host.role, 'host');
  const viewer = await openRoom(env.browser, env.server.url,
    { room, name: 'Vi', mode: 'broadcast', role: 'viewer', autojoin: 1 });
  await eventually(async () => /WeriftHost \(host, moderator, connected\)/.test(await statusText(viewer, 'members')),
    { message: 'the viewer lists the werift host as connected' });
  await assertPageGetsWeriftMedia(viewer);
  const [f] = await mediaFigures(viewer);
  assert.equal(f.audioBytesOut + f.videoBytesOut, 0, 'the viewer sends no media');
  await sleep(500);
  const got = host.received(pageId(host));
  assert.equal(got.audio.packets + got.video.packets, 0, 'the host receives nothing from a viewer');
  await screenshot(viewer, 'thirdparty-broadcast-werift-host');
  assert.deepEqual(host.stats.errors, []);
  assert.deepEqual(viewer.problems, []);
  await viewer.close();
  await host.close();
});

test('broadcast: a Chromium host, a werift viewer', async () => {
  const room = `tp-show-c-${Date.now()}`;
  const host = await openRoom(env.browser, env.server.url,
    { room, name: 'Host', mode: 'broadcast', role: 'host', autojoin: 1 });
  const viewer = await WeriftPeer.connect(env.server.url, { name: 'WeriftViewer', source });
  await viewer.join(room, { role: 'viewer' });
  assert.equal(viewer.role, 'viewer');
  await eventually(async () => /WeriftViewer \(viewer, connected\)/.test(await statusText(host, 'members')),
    { message: 'the host lists the werift viewer as connected' });
  await assertWeriftGetsPageMedia(viewer, pageId(viewer));
  assert.equal(viewer.stats.offers, 0, 'a viewer never offers');
  const [f] = await mediaFigures(host);
  assert.equal(f.audioBytesIn + f.videoBytesIn, 0, 'the host receives nothing from the viewer');
  assert.deepEqual(viewer.stats.errors, []);
  assert.deepEqual(host.problems, []);
  await host.close();
  await viewer.close();
});
