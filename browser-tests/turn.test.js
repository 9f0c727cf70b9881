// Relayed calls through a real coturn on loopback: two pages forced to relay (?ice=relay)
// play each other with the selected pair `relay` on both sides; coturn refuses expired,
// forged and other-peer credentials; a call outlives --turn-ttl, and after the first
// credentials expired an ICE restart still allocates relays with the renewed ones.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually, launchBrowser, mediaFigures, openRoom, playingRemoteVideos, screenshot, startServer,
} from './harness.js';
import { mintCredentials, startCoturn } from './coturn.js';

const TTL_SECONDS = 8;  // renewed every 4 s; short enough to outlive within the test
const env = {};

before(async () => {
  env.turn = await startCoturn();
  env.server = await startServer(['--turn-secret-file', env.turn.secretFile,
    '--turn-url', env.turn.url('127.0.0.1', 'udp'), '--turn-url', env.turn.url('127.0.0.1', 'tcp'),
    '--turn-ttl', String(TTL_SECONDS)]);
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.turn?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The selected candidate pair of every live connection of a page, from the browser's stats.
async function selectedPairs(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const pc of window.vroomRoom._runtime.peerConnections()) {
      const stats = await pc.getStats();
      const byId = new Map();
      stats.forEach((s) => byId.set(s.id, s));
      stats.forEach((s) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
        const pair = byId.get(s.selectedCandidatePairId);
        const local = byId.get(pair.localCandidateId);
        out.push({ local: local?.candidateType, localPort: local?.port,
          remote: byId.get(pair.remoteCandidateId)?.candidateType, state: pair.state });
      });
    }
    return out;
  });
}

// The TURN username the page's connections would use now ("<expiry>:<peer id>").
const turnUsernames = (page) => page.evaluate(() => window.vroomRoom._runtime.peerConnections()
  .map((pc) => pc.getConfiguration().iceServers.find((s) => s.username)?.username || ''));

async function framesKeepComing(pages, message) {
  const before = await Promise.all(pages.map(mediaFigures));
  await sleep(1500);
  const later = await Promise.all(pages.map(mediaFigures));
  pages.forEach((_, i) => {
    assert.equal(later[i].length, 1, `${message}: page ${i} has its connection`);
    assert.ok(later[i][0].framesDecoded > before[i][0].framesDecoded, `${message}: page ${i} decodes frames`);
    assert.ok(later[i][0].audioBytesIn > before[i][0].audioBytesIn, `${message}: page ${i} receives sound`);
  });
}

test('two pages forced to relay play each other through coturn and outlive their credentials', async () => {
  const room = `turn-${Date.now()}`;
  const pages = [];
  for (const name of ['Ada', 'Bob']) {
    pages.push(await openRoom(env.browser, env.server.url, { room, name, autojoin: 1, ice: 'relay' }));
  }
  const joinedAt = Date.now();
  for (const page of pages) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'remote video plays' });
  }
  for (const page of pages) {
    const pairs = await selectedPairs(page);
    assert.equal(pairs.length, 1);
    assert.equal(pairs[0].local, 'relay', 'the local end of the selected pair is a TURN relay');
    // The JS API says so too, per peer.
    const stats = Object.values(await page.evaluate(() => window.vroomRoom.getStats()));
    assert.equal(stats.length, 1);
    assert.equal(stats[0].path, 'relayed');
    assert.equal(stats[0].localCandidateType, 'relay');
    // No static password: the username names this peer and an expiry TTL seconds ahead.
    const [username] = await turnUsernames(page);
    const [expiry, peer] = username.split(':');
    assert.ok(Math.abs(Number(expiry) - (joinedAt / 1000 + TTL_SECONDS)) < 5, `expiry ${expiry}`);
    assert.ok(peer.length >= 16, 'the credentials name the peer');
  }
  await framesKeepComing(pages, 'relayed call');
  await screenshot(pages[0], 'turn-relayed-call');

  // Past the first credentials' expiry: media still flows, and the page holds renewed ones.
  const first = await turnUsernames(pages[0]);
  await sleep(Math.max(0, joinedAt + (TTL_SECONDS + 2) * 1000 - Date.now()));
  await framesKeepComing(pages, 'after the first credentials expired');
  const renewed = await turnUsernames(pages[0]);
  assert.notDeepEqual(renewed, first, 'the server sent renewed credentials');
  assert.ok(Number(renewed[0].split(':')[0]) > Date.now() / 1000, 'the renewed credentials are valid now');

  // An ICE restart needs new allocations: only the renewed credentials can get them.
  const ufrag = () => pages[0].evaluate(() => window.vroomRoom._runtime.peerConnections()
    .map((pc) => pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1])[0]);
  const ufragBefore = await ufrag();
  const relayBefore = (await selectedPairs(pages[0]))[0].localPort;
  await pages[0].evaluate(() => window.vroomRoom._runtime.peerConnections().forEach((pc) => pc.restartIce()));
  await eventually(async () => (await ufrag()) !== ufragBefore, { message: 'the ICE restart renegotiated' });
  // The old relay keeps media going until the new pair wins: wait for a pair on a new allocation.
  await eventually(async () => {
    const [pair] = await selectedPairs(pages[0]);
    return pair?.local === 'relay' && pair.localPort !== relayBefore;
  }, { timeout: 15000, message: 'a relay allocated with the renewed credentials carries the call' });
  await framesKeepComing(pages, 'after an ICE restart on renewed credentials');
  for (const page of pages) assert.deepEqual(page.problems, []);
  for (const page of pages) await page.close();
});

// Gathers candidates in a bare RTCPeerConnection with the given TURN credentials.
async function relayCandidates(page, iceServer) {
  return page.evaluate(async (server) => {
    const pc = new RTCPeerConnection({ iceServers: [server], iceTransportPolicy: 'relay' });
    const errors = [];
    const relays = [];
    pc.onicecandidateerror = (e) => errors.push(e.errorCode);
    pc.createDataChannel('probe');
    const done = new Promise((resolve) => {
      pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') resolve(); };
      setTimeout(resolve, 8000);
    });
    pc.onicecandidate = (e) => { if (e.candidate?.type === 'relay') relays.push(e.candidate.address); };
    await pc.setLocalDescription(await pc.createOffer());
    await done;
    pc.close();
    return { relays: relays.length, errors };
  }, iceServer);
}

test('coturn refuses expired, forged and other-peer credentials and accepts minted ones', async () => {
  const page = await env.browser.newPage();
  await page.goto(env.server.url);
  const urls = [env.turn.url('127.0.0.1', 'udp')];
  const now = Math.floor(Date.now() / 1000);
  const valid = mintCredentials(env.turn.secret, 'peer-a', now + 600);
  const expired = mintCredentials(env.turn.secret, 'peer-a', now - 10);
  const forged = mintCredentials('not-the-secret', 'peer-a', now + 600);
  // Peer B presents peer A's password under its own name (or a later expiry): the HMAC no longer matches.
  const otherPeer = { username: `${now + 600}:peer-b`, credential: valid.credential };
  const stretched = { username: `${now + 99999}:peer-a`, credential: valid.credential };

  const ok = await relayCandidates(page, { urls, ...valid });
  assert.ok(ok.relays >= 1, `minted credentials allocate a relay (${JSON.stringify(ok)})`);
  for (const [label, creds] of [['expired', expired], ['forged', forged], ['other peer', otherPeer],
    ['stretched expiry', stretched]]) {
    const result = await relayCandidates(page, { urls, ...creds });
    assert.equal(result.relays, 0, `${label} credentials allocate nothing`);
    assert.ok(result.errors.includes(401), `${label}: coturn answers 401 (${JSON.stringify(result.errors)})`);
  }
  await page.close();
});
