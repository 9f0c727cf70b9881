// A room that moves to the video server (Janus) in real Chromium, in the namespace of
// sfu_env.js (--mesh-max 2), with pages as they are by default (they may use the video server).
// The third join moves the room while every tile keeps playing; every page then plays the other
// two (frames advancing) and uploads one camera in three simulcast layers, and each member's
// speaking ring follows its own audio. A page with ?sfu=0 keeps its room of three on the mesh.
// The media path to Janus is cut for 12 s: both links of every page restart ICE on the same
// connections, without an error. Janus hangs up one page's upload and another's subscription:
// each makes that connection anew. Then Janus is killed under a live call and started again:
// media comes back, roster unchanged.
// (Broadcasts: sfu_broadcast.test.js; a conference of six: sfu_six.test.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, eventually, mediaFigures, playingRemoteVideos, screenshot, statusText, waitForStatus, watchConsole } from './harness.js';
import { ADDRESS, blockJanusMedia, inboundVideo, openAt, sfuEnvironment, skip, startJanus, videoStreams, videoStreamsAdvancing } from './sfu_env.js';

const env = sfuEnvironment();

// Pages named `names` in one new room, joined one after another (the third join moves it to
// Janus). Resolves once every page plays all the others.
async function pagesInOneRoom(room, names = ['Ada', 'Bob', 'Cy']) {
  const pages = [];
  for (const name of names) {
    const page = await env.browser.newPage({ viewport: { width: 900, height: 600 } });
    page.problems = watchConsole(page);
    await page.goto(`http://${ADDRESS}:${env.port}/?${new URLSearchParams({ room, name, autojoin: 1 })}`);
    await waitForStatus(page, 'state', /State: joined/);
    pages.push(page);
  }
  try {
    for (const [i, page] of pages.entries()) {
      await eventually(async () => (await playingRemoteVideos(page)).length === names.length - 1,
        { timeout: 30000, message: `page ${i} plays ${names.length - 1} remote videos` });
    }
  } catch (err) {
    for (const [i, page] of pages.entries()) {
      const members = (await page.evaluate(() => window.vroomRoom.getState().members)).map((m) => JSON.stringify(m));
      const videos = await page.evaluate(() => [...document.querySelectorAll('.vroom-videos video')].map((v) =>
        `${v.dataset.streamId}:${v.videoWidth}x${v.videoHeight}${v.paused ? ' paused' : ''}${v.dataset.mirrored === '1' ? ' self' : ''}`));
      await screenshot(page, `sfu-stuck-page-${i}`);
      console.log(`# page ${i}: videos ${videos.join(', ')}`);
      console.log(`# page ${i}: inbound ${await inboundVideo(page)}`);
      console.log(`# page ${i}: ${(await playingRemoteVideos(page)).length} playing, ${JSON.stringify(await videoStreams(page))}, ${JSON.stringify(await mediaFigures(page))}\n#   ${members.join('\n#   ')}`);
    }
    writeFileSync(path.join(ARTIFACTS, 'sfu-stuck-server.log'), env.server.stderr());
    copyFileSync(env.janus.log, path.join(ARTIFACTS, 'sfu-stuck-janus.log'));
    throw err;
  }
  return pages;
}

// Starts timing, in the page, the longest time each remote member's tile went without a new
// video frame (from its first frame on), sampled every 50 ms; tileGaps() reads it. A tile
// shows every <video> of the member's camera streams so far that is still on the page (the
// mesh's stays under the video server's until that one has a frame).
function watchTileGaps(page) {
  return page.evaluate(() => {
    const watch = { last: {}, frames: {}, gap: {}, streams: {}, voices: 0 };
    window.tileGaps = watch;
    setInterval(() => {
      const now = performance.now();
      // Remote voices heard at once (a member met on both the mesh and the video server is
      // heard once).
      const heard = [...document.querySelectorAll('audio')].filter((a) => a.srcObject && !a.muted).length;
      watch.voices = Math.max(watch.voices, heard);
      for (const m of window.vroomRoom.getState().members) {
        const streams = (watch.streams[m.name] ??= new Set());
        if (m.cameraStreamId) streams.add(m.cameraStreamId);
        let advanced = false;
        for (const id of streams) {
          const video = document.querySelector(`.vroom-videos video[data-stream-id="${id}"]`);
          const frames = video ? video.getVideoPlaybackQuality().totalVideoFrames : 0;
          if (frames > (watch.frames[id] ?? 0)) advanced = true;
          watch.frames[id] = frames;
        }
        if (advanced) {
          if (watch.last[m.name] !== undefined) watch.gap[m.name] = Math.max(watch.gap[m.name] || 0, now - watch.last[m.name]);
          watch.last[m.name] = now;
        }
      }
    }, 50);
  });
}
const voicesHeard = (page) => page.evaluate(() => window.tileGaps.voices);
const tileGaps = (page) => page.evaluate(() => {
  const { gap, last } = window.tileGaps, now = performance.now();
  // A tile still waiting for its next frame counts the wait so far.
  return Object.fromEntries(Object.keys(last).map((name) => [name, Math.round(Math.max(gap[name] || 0, now - last[name]))]));
});

test('the third join moves the room to Janus: tiles keep playing through the move, each voice heard once, then everyone plays the other two and uploads one video', { skip }, async () => {
  // Ada and Bob on the mesh, watching each other's tile; Cy's join moves the room.
  const room = `sfu-${Date.now()}`;
  const pages = await pagesInOneRoom(room, ['Ada', 'Bob']);
  await Promise.all(pages.map(watchTileGaps));
  await new Promise((r) => setTimeout(r, 1000));
  const cy = await env.browser.newPage({ viewport: { width: 900, height: 600 } });
  cy.problems = watchConsole(cy);
  await cy.goto(`http://${ADDRESS}:${env.port}/?${new URLSearchParams({ room, name: 'Cy', autojoin: 1 })}`);
  await waitForStatus(cy, 'state', /State: joined/);
  pages.push(cy);
  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 2 && (await mediaFigures(page)).length === 2,
      { timeout: 30000, message: `page ${i} plays two remote videos on two connections` });
  }
  await new Promise((r) => setTimeout(r, 1000));  // a tile that stopped at the move shows it by now
  const gaps = await Promise.all(pages.slice(0, 2).map(tileGaps));
  console.log(`# the move to Janus: longest time without a new frame, Ada's tiles ${JSON.stringify(gaps[0])}, Bob's ${JSON.stringify(gaps[1])} (ms)`);
  // The product's bound is 2 s. On two shared cores a tile can also miss frames for reasons
  // of its own: Cy's tile, which never was on the mesh, is the yardstick (a switched tile may
  // go as long as Cy's without a frame, plus a second). The bridge keeps the mesh's picture
  // until the video server's stream has its first frame, so the switch itself adds no gap.
  for (const [i, [name, other]] of [['Ada', 'Bob'], ['Bob', 'Ada']].entries()) {
    const bound = Math.max(2000, gaps[i].Cy + 1000);
    assert.ok(gaps[i][other] <= bound, `${name}'s tile of ${other} stopped ${gaps[i][other]} ms (bound ${bound} ms)`);
  }
  for (const [i, page] of pages.slice(0, 2).entries())
    assert.equal(await voicesHeard(page), 2, `page ${i}: at most the two others' voices at once, through the move`);
  const before = await Promise.all(pages.map(mediaFigures));
  await new Promise((r) => setTimeout(r, 1500));
  const later = await Promise.all(pages.map(mediaFigures));
  const sum = (figures, key) => figures.reduce((n, f) => n + f[key], 0);
  for (const [i, page] of pages.entries()) {
    // Two connections (publisher, subscriber), not a mesh connection per member.
    assert.equal(later[i].length, 2, `page ${i}: two peer connections`);
    assert.ok(sum(later[i], 'framesDecoded') > sum(before[i], 'framesDecoded'), `page ${i}: frames advance`);
    // Video received (transceivers negotiated to receive) and sent (outbound-rtp), on all
    // of the page's connections together.
    const video = await videoStreams(page);
    assert.equal(video.received, 2, `page ${i}: the other two's videos on the subscriber link`);
    assert.equal(video.outbound, 1, `page ${i}: exactly one camera uploaded`);
    assert.equal(video.layers, 'h,l,m', `page ${i}: in three simulcast layers`);
    // The others show it in a tile of medium height (two side by side in this window): it
    // encodes its low and medium layers, not the 720p one no one watches (sfu-send-layer).
    assert.equal(video.active, 'l,m', `page ${i}: the layers the others watch`);
    assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
  }
  // Stats per received stream: each member's own audio level lights its own speaking ring
  // (Chromium's fake microphone beeps), though all arrive on one connection.
  for (const [i, page] of pages.entries()) {
    const heard = new Set();
    await eventually(async () => {
      for (const m of await page.evaluate(() => window.vroomRoom.getState().members))
        if (m.speaking) heard.add(m.name);
      return heard.size === 2;
    }, { timeout: 15000, interval: 100, message: `page ${i} sees both others speak` });
  }
  // The JS API's getStats() is per member there too: each member's own streams, not the
  // subscriber connection's sum.
  for (const [i, page] of pages.entries()) {
    const stats = await page.evaluate(async () => {
      const byId = await window.vroomRoom.getStats();
      const names = Object.fromEntries(window.vroomRoom.getState().members.map((m) => [m.id, m.name]));
      const all = await Promise.all(window.vroomRoom._runtime.peerConnections().map((pc) => pc.getStats()));
      let received = 0;
      for (const report of all) report.forEach((s) => { if (s.type === 'inbound-rtp') received += s.bytesReceived || 0; });
      return { received, members: Object.entries(byId).map(([id, s]) => ({ name: names[id], ...s })) };
    });
    assert.equal(stats.members.length, 2, `page ${i}: getStats names both others`);
    for (const m of stats.members) {
      assert.ok(m.framesDecoded > 0 && m.frameWidth > 0, `page ${i}: ${m.name}'s video figures`);
      assert.ok(m.bytesReceived > 0 && m.bytesReceived < stats.received, `page ${i}: ${m.name}'s own bytes, not the connection's`);
      assert.equal(m.bytesSent, 0, `page ${i}: nothing sent to ${m.name} (the publisher link is not theirs)`);
    }
  }
  await screenshot(pages[2], 'sfu-three-pages');
  for (const page of pages) await page.close();
});

test('a page with ?sfu=0 keeps its room of three peer to peer: every page uploads to each of the others', { skip }, async () => {
  const room = `sfu-optout-${Date.now()}`;
  const roomsBefore = env.server.logged('sfu_room');
  const pages = [];
  for (const [name, extra] of [['Ada', {}], ['Bob', {}], ['Cy', { sfu: 0 }]]) pages.push(await openAt({ room, name, ...extra }));
  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 2,
      { timeout: 30000, message: `page ${i} plays the other two` });
    // On the mesh each page sends its camera to each of the others; through Janus it would be one.
    await eventually(async () => (await videoStreams(page)).outbound === 2,
      { timeout: 10000, message: `page ${i} uploads two cameras (the mesh)` });
    assert.equal(await statusText(page, 'error'), '', `page ${i}: no error shown`);
    assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
  }
  assert.equal(env.server.logged('sfu_room'), roomsBefore, 'no room was made on Janus');
  for (const page of pages) await page.close();
});

// The ids of a page's peer connections (each marked once, so a new connection has a new id).
const connectionIds = (page) => page.evaluate(() => window.vroomRoom._runtime.peerConnections()
  .map((pc) => (pc.testId ??= Math.random().toString(36).slice(2))).sort().join(','));

// A page after a recovery: still in the room, no error on screen, nothing in its console.
async function assertStillInTheRoom(page, i) {
  assert.match(await statusText(page, 'state'), /State: joined/, `page ${i} stayed in the room`);
  assert.equal(await statusText(page, 'error'), '', `page ${i}: no error shown`);
  assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
}

// Three pages in one room once its move to Janus is over (the mesh kept 8 s after the move
// has closed) and each plays the other two, frames advancing.
async function pagesOnJanus(room) {
  const pages = await pagesInOneRoom(room);
  for (const [i, page] of pages.entries())
    await eventually(async () => (await mediaFigures(page)).length === 2, { timeout: 15000, message: `page ${i}: the move is over` });
  for (const [i, page] of pages.entries())
    assert.equal(await videoStreamsAdvancing(page), 2, `page ${i}: two videos advance on Janus`);
  return pages;
}

test('the media path to Janus lost for 12 s: every page restarts ICE on the same connections and plays the other two again', { skip }, async () => {
  const pages = await pagesOnJanus(`sfu-path-${Date.now()}`);
  const connections = await Promise.all(pages.map(connectionIds));
  const logged = env.server.logged;
  const restartsBefore = logged('sfu_ice_restart'), renegotiationsBefore = logged('sfu_renegotiate');

  blockJanusMedia(true);
  try {
    await eventually(async () => (await videoStreamsAdvancing(pages[0])) === 0,
      { timeout: 10000, interval: 200, message: 'the cut stops the video' });
    await new Promise((r) => setTimeout(r, 12000));
  } finally {
    blockJanusMedia(false);
  }
  const back = Date.now();
  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await videoStreamsAdvancing(page)) >= 2,
      { timeout: 30000, interval: 100, message: `page ${i}: two videos advance after the path is back` });
  }
  console.log(`# media back on all three pages ${Date.now() - back} ms after the path to Janus came back`);
  // Each page restarted its publisher link with an offer of its own and asked for its
  // subscriber link's restart (the server logs each one it had Janus do).
  const restarts = logged('sfu_ice_restart') - restartsBefore;
  const renegotiations = logged('sfu_renegotiate') - renegotiationsBefore;
  console.log(`# ${renegotiations} publisher and ${restarts} subscriber ICE restarts through Janus`);
  assert.ok(renegotiations >= pages.length, `${renegotiations} publisher ICE restarts for ${pages.length} pages`);
  assert.ok(restarts >= pages.length, `${restarts} subscriber ICE restarts for ${pages.length} pages`);
  for (const [i, page] of pages.entries()) {
    assert.equal(await connectionIds(page), connections[i], `page ${i}: the same connections (no new epoch)`);
    await assertStillInTheRoom(page, i);
  }
  for (const page of pages) await page.close();
});

// Janus hangs up a connection itself when its ICE fails there or a DTLS alert comes; an ICE
// restart cannot bring that connection back (Janus's new ICE agent waits for a DTLS handshake
// an established connection never makes again). Here Ada's upload and Bob's subscription are
// closed under their pages: Chromium's DTLS alert makes Janus hang both up, as a failure would.
test("Janus hangs up one page's upload and another's subscription: each page makes that connection anew and all play again", { skip }, async () => {
  const pages = await pagesOnJanus(`sfu-hangup-${Date.now()}`);
  const hangupsBefore = env.server.logged('sfu_hangup');
  const closeLink = (page, link) => page.evaluate((link) => {
    for (const pc of window.vroomRoom._runtime.peerConnections()) {
      const uploads = pc.getTransceivers().some((t) => /send/.test(t.currentDirection || ''));
      if (uploads === (link === 'publisher')) { pc.close(); return true; }
    }
    return false;
  }, link);
  assert.ok(await closeLink(pages[0], 'publisher'), "Ada's upload found");
  assert.ok(await closeLink(pages[1], 'subscriber'), "Bob's subscription found");
  const closedAt = Date.now();
  await eventually(async () => env.server.logged('sfu_hangup') - hangupsBefore >= 2,
    { timeout: 20000, message: 'Janus hung up both connections' });
  for (const [i, page] of pages.entries())
    await eventually(async () => (await videoStreamsAdvancing(page)) >= 2,
      { timeout: 30000, interval: 100, message: `page ${i}: two videos advance again` });
  console.log(`# media back on all three pages ${Date.now() - closedAt} ms after the connections closed`);
  for (const [i, page] of pages.entries()) {
    assert.equal((await mediaFigures(page)).length, 2, `page ${i}: two connections (a closed one replaced)`);
    assert.equal((await videoStreams(page)).outbound, 1, `page ${i}: uploads one camera`);
    await assertStillInTheRoom(page, i);
  }
  for (const page of pages) await page.close();
});

test('Janus killed mid-call and started again: every page plays the other two again, roster intact', { skip }, async () => {
  const pages = await pagesOnJanus(`sfu-restart-${Date.now()}`);
  const roster = async (page) => (await page.evaluate(() => window.vroomRoom.getState().members))
    .map((m) => `${m.id}:${m.name}`).sort().join(',');
  const rosters = await Promise.all(pages.map(roster));

  await env.janus.stop('SIGKILL');
  env.janus = await startJanus(env.dir);
  const upAt = Date.now();
  for (const [i, page] of pages.entries()) {
    await eventually(async () => (await videoStreamsAdvancing(page)) >= 2,
      { timeout: 30000, interval: 100, message: `page ${i}: two videos advance after Janus is back` });
  }
  console.log(`# media back on all three pages ${Date.now() - upAt} ms after the new Janus accepted connections`);
  for (const [i, page] of pages.entries()) {
    assert.match(await statusText(page, 'state'), /State: joined/, `page ${i} stayed in the room`);
    // The outage was said (sfu_unavailable) and is no longer, once the room is back on Janus.
    await eventually(async () => !/video server/i.test(await statusText(page, 'error')),
      { timeout: 5000, message: `page ${i}: the video server's error cleared` });
    assert.equal(await roster(page), rosters[i], `page ${i}: same members, same ids`);
    assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
  }
  await screenshot(pages[0], 'sfu-after-janus-restart');
  for (const page of pages) await page.close();
});
