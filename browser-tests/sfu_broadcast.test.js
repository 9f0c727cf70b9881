// Broadcasts through the video server (Janus) in real Chromium, in the namespace of
// sfu_env.js: a broadcast to eight viewers, whose host uploads one copy of its camera,
// every viewer playing and a late one too; an audio-only broadcast to eight listeners.
// (The host's upload and CPU with 1, 4 and 8 viewers and a late viewer's first frame,
// against the mesh: scripts/bench-sfu.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, mediaFigures, playingRemoteVideos, screenshot, watchConsole } from './harness.js';
import { ADDRESS, openAt, sfuEnvironment, skip, videoStreams, videoStreamsAdvancing } from './sfu_env.js';

const env = sfuEnvironment();

// Bytes a page has sent so far, by kind, over all of its connections.
async function bytesSent(page) {
  const figures = await mediaFigures(page);
  return { video: figures.reduce((n, f) => n + f.videoBytesOut, 0), audio: figures.reduce((n, f) => n + f.audioBytesOut, 0) };
}

// Host upload over `ms`, in bytes per second, by kind.
async function uploadRate(page, ms = 3000) {
  const before = await bytesSent(page);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const later = await bytesSent(page);
  const s = (Date.now() - t0) / 1000;
  return { video: (later.video - before.video) / s, audio: (later.audio - before.audio) / s };
}

test('a broadcast to 8 viewers through Janus: the host uploads once whatever the audience, every viewer plays, a late one too', { skip }, async () => {
  const show = `sfu-show-${Date.now()}`;
  const host = await openAt({ room: show, name: 'Host', mode: 'broadcast', role: 'host' });
  const viewers = [];
  for (let i = 1; i <= 7; i++) viewers.push(await openAt({ room: show, name: `V${i}`, mode: 'broadcast', role: 'viewer' }));
  await Promise.all(viewers.map((viewer, i) => eventually(async () => (await playingRemoteVideos(viewer)).length === 1,
    { message: `viewer ${i + 1} plays its host` })));
  // The eighth joins late, into a running broadcast, and plays it. How long that takes is
  // scripts/bench-sfu's to measure (a late viewer's first frame at 1, 4 and 8 viewers); here
  // eleven pages share two cores, so the stages it went through are printed.
  const late = await env.browser.newPage({ viewport: { width: 640, height: 400 } });
  late.problems = watchConsole(late);
  await late.goto(`http://${ADDRESS}:${env.port}/?${new URLSearchParams({ room: show, name: 'V8', mode: 'broadcast', role: 'viewer' })}`);
  await late.waitForFunction(() => window.vroomRoom);
  const joinedAt = Date.now();
  late.evaluate(() => window.vroomRoom.join());
  const seen = {};
  await eventually(async () => {
    const t = Date.now() - joinedAt;
    const st = await late.evaluate(async () => {
      const pcs = window.vroomRoom._runtime.peerConnections();
      let frames = 0;
      for (const pc of pcs) (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
      return { state: window.vroomRoom.getState().state, pcs: pcs.map((pc) => `${pc.signalingState}/${pc.iceConnectionState}/${pc.connectionState}`).join(' '), frames: frames > 0 };
    });
    for (const [k, v] of Object.entries(st)) { const key = `${k}=${v}`; if (!(key in seen)) seen[key] = t; }
    return (await playingRemoteVideos(late)).length === 1;
  }, { timeout: 15000, interval: 20, message: 'the late viewer plays the host' });
  console.log(`# the late viewer: ${Object.entries(seen).map(([k, t]) => `${k} at ${t} ms`).join(', ')}`);
  viewers.push(late);
  const eight = await uploadRate(host, 4000);
  console.log(`# host video upload to eight viewers: ${Math.round(eight.video)} B/s; ICE restarts so far: ${env.server.logged('sfu_renegotiate')} publisher, ${env.server.logged('sfu_ice_restart')} subscriber`);
  // One copy of the camera at most: its three simulcast layers' ceilings (1.2 Mbit/s, 350 and
  // 120 kbit/s; wasm/sfu_links.cpp) with 30% for headers. (The upload to one viewer beside
  // eight, in the same run: scripts/bench-sfu.)
  const oneCopy = (1_200_000 + 350_000 + 120_000) / 8;
  assert.ok(eight.video <= 1.3 * oneCopy, `host upload to 8 viewers (${Math.round(eight.video)} B/s) within one copy of its camera (${oneCopy} B/s)`);
  assert.equal((await mediaFigures(host)).length, 1, 'the host has one connection, its upload to Janus');
  assert.equal((await videoStreams(host)).outbound, 1, 'the host uploads one camera');
  await Promise.all(viewers.map(async (viewer, i) => {
    const figures = await mediaFigures(viewer);
    assert.equal(figures.reduce((n, f) => n + f.audioBytesOut + f.videoBytesOut, 0), 0, `viewer ${i + 1} sends nothing`);
    assert.equal(await videoStreamsAdvancing(viewer, 2000), 1, `viewer ${i + 1}: the host's video advances`);
    assert.deepEqual(viewer.problems, [], `viewer ${i + 1}: no console errors`);
  }));
  await screenshot(late, 'sfu-broadcast-late-viewer');
  for (const page of [host, ...viewers]) await page.close();
});

test('an audio-only broadcast to 8 listeners through Janus: one audio upload, every listener hears it', { skip }, async () => {
  const room = `sfu-radio-${Date.now()}`;
  const params = { room, mode: 'broadcast', audio: 'only' };
  const host = await openAt({ ...params, name: 'Host', role: 'host' });
  const listeners = [];
  for (let i = 1; i <= 8; i++) listeners.push(await openAt({ ...params, name: `L${i}`, role: 'viewer' }));
  const audioIn = async (page) => (await mediaFigures(page)).reduce((n, f) => n + f.audioBytesIn, 0);
  await Promise.all(listeners.map(async (listener, i) => {
    const before = await audioIn(listener);
    await eventually(async () => (await audioIn(listener)) > before + 1000,
      { timeout: 20000, message: `listener ${i + 1} receives the host's audio` });
    const figures = await mediaFigures(listener);
    assert.equal(figures.length, 1, `listener ${i + 1}: one connection, the subscriber`);
    assert.equal(figures[0].audioTracksIn, 1, `listener ${i + 1}: one audio track`);
    assert.equal(figures[0].videoTracksIn + figures[0].framesDecoded, 0, `listener ${i + 1}: no video`);
    assert.equal(figures[0].audioBytesOut + figures[0].videoBytesOut, 0, `listener ${i + 1} sends nothing`);
    assert.deepEqual(listener.problems, [], `listener ${i + 1}: no console errors`);
  }));
  const sent = await host.evaluate(async () => {
    const out = [];
    for (const pc of window.vroomRoom._runtime.peerConnections())
      (await pc.getStats()).forEach((s) => { if (s.type === 'outbound-rtp') out.push(s.kind); });
    return out;
  });
  assert.deepEqual(sent, ['audio'], 'the host uploads one audio stream and no video');
  for (const page of [host, ...listeners]) await page.close();
});
