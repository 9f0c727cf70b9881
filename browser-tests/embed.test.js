// The JS module as a web developer uses it: the embed example (UI off) meets a page with the
// built-in UI; every command and event; errors as rejected promises with codes; destroy()
// leaves nothing behind; two rooms in one page; the typed package installs and type-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SITE_DIR, eventually, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser, startServer, statusText,
} from './harness.js';

const env = sharedServerAndBrowser();

async function metric(name) {
  const text = await (await fetch(new URL('metrics', env.server.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line.split(' ')[1]);
}

async function openEmbed(params = {}) {
  const page = await env.browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.errors = errors;
  await page.goto(new URL(`embed.html?${new URLSearchParams(params)}`, env.server.url).href);
  await page.waitForFunction(() => window.embeddedRoom);
  return page;
}

test('the embed example joins a room with a built-in-UI page and both see each other', async () => {
  const room = `embed-${Date.now()}`;
  const builtIn = await openRoom(env.browser, env.server.url, { room, name: 'Builtin', autojoin: 1 });
  const embed = await openEmbed({ room, name: 'Embedded' });
  await embed.click('#join');
  await eventually(() => embed.evaluate(() => [...document.querySelectorAll('#videos video')]
    .some((v) => v.videoWidth > 0)), { message: 'embed page plays the remote stream in its own <video>' });
  assert.match(await embed.locator('#status').innerText(), /Builtin/);
  await eventually(async () => (await playingRemoteVideos(builtIn)).length === 1, { message: 'built-in page sees the embed' });
  assert.match(await statusText(builtIn, 'members'), /Embedded \(connected\)/);
  assert.equal(await embed.evaluate(() => document.querySelectorAll('canvas').length), 0, 'UI off: no canvas');

  // The embed's own buttons drive the room.
  await embed.click('#mic');
  await eventually(async () => builtIn.evaluate(() => window.vroomRoom.getState().members
    .find((m) => m.name === 'Embedded')?.media.audio === false), { message: 'peer sees the embed muted' });
  await embed.fill('#chat-text', 'hello from the embed');
  await embed.click('#chat-send');
  await eventually(async () => builtIn.evaluate(() => window.vroomRoom.getState().chat
    .some((c) => c.text === 'hello from the embed' && c.name === 'Embedded')), { message: 'chat arrives' });
  await screenshot(embed, 'embed-example');
  // A healthy call never goes through a recovery (regression: ICE "connected" before DTLS
  // once showed a connecting peer as reconnecting).
  assert.doesNotMatch(await embed.locator('#log').innerText(), /reconnecting/);
  assert.deepEqual(embed.errors, []);
  await Promise.all([builtIn.close(), embed.close()]);
});

test('every command and event of the API', async () => {
  const room = `api-${Date.now()}`;
  const other = await openRoom(env.browser, env.server.url, { room, name: 'Other', autojoin: 1 });
  const page = await openEmbed();
  // The other page answers the API page's chat while the API page waits for it.
  const responder = other.evaluate(() => new Promise((resolve) => {
    window.vroomRoom.addEventListener('chat', (e) => {
      if (e.detail.text === 'ping from api') window.vroomRoom.sendChat('pong from other').then(resolve);
    });
  }));
  const result = await page.evaluate(async (roomId) => {
    const r = window.embeddedRoom;
    const seen = {};
    for (const type of ['state', 'peer-joined', 'peer-left', 'track', 'chat', 'error', 'reconnecting', 'reconnected']) {
      r.addEventListener(type, (e) => { (seen[type] ||= []).push(e.detail); });
    }
    const until = (pred, ms = 10000) => new Promise((resolve, reject) => {
      const t0 = performance.now();
      const tick = () => (pred() ? resolve() : performance.now() - t0 > ms ? reject(new Error('timeout')) : setTimeout(tick, 50));
      tick();
    });
    const out = {};
    const joined = await r.join({ room: roomId, name: 'Api' });
    out.joinedState = joined.state;
    await until(() => seen.track?.some((t) => t.track.kind === 'video'));
    out.trackPeer = seen.track.find((t) => t.track.kind === 'video').name;
    out.trackIsStream = seen.track[0].stream instanceof MediaStream;
    await r.setMicrophone(false);
    out.micAfterMute = r.getState().local.microphone;
    await r.setCamera(false);
    out.cameraAfterOff = r.getState().local.camera;
    await r.setCamera(true);
    await r.setMicrophone(true);
    await r.startScreenShare();
    out.sharing = r.getState().local.screenSharing;
    await r.stopScreenShare();
    await until(() => !r.getState().local.screenSharing);
    await r.sendChat('ping from api');
    await until(() => seen.chat?.some((c) => c.text === 'pong from other'));
    const devices = r.getState().local.devices;
    const camera = devices.find((d) => d.kind === 'videoinput');
    if (camera) await r.selectDevice('videoinput', camera.deviceId);
    out.devices = devices.length;
    const stats = await r.getStats();
    const peerStats = Object.values(stats)[0];
    out.statsHasBytes = peerStats && peerStats.bytesReceived > 0;
    // Drop the signaling socket under the room: it reconnects and resumes by itself.
    const [socket] = r._runtime.sockets.values();
    socket.close();
    await until(() => seen.reconnected?.length > 0, 15000);
    out.reconnecting = seen.reconnecting?.length > 0;
    out.stateAfterReconnect = r.getState().state;
    out.localStream = r.localStream instanceof MediaStream;
    await r.leave();
    out.leftState = r.getState().state;
    out.seen = Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.length]));
    out.peerJoinedName = seen['peer-joined']?.[0]?.name;
    return out;
  }, room);
  await responder;
  assert.equal(result.joinedState, 'joined');
  assert.equal(result.trackPeer, 'Other');
  assert.equal(result.trackIsStream, true);
  assert.equal(result.micAfterMute, false);
  assert.equal(result.cameraAfterOff, false);
  assert.equal(result.sharing, true);
  assert.ok(result.devices >= 2, 'fake devices are listed');
  assert.equal(result.statsHasBytes, true);
  assert.equal(result.reconnecting, true);
  assert.equal(result.stateAfterReconnect, 'joined');
  assert.equal(result.localStream, true);
  assert.equal(result.leftState, 'left');
  assert.equal(result.peerJoinedName, 'Other');
  for (const type of ['state', 'peer-joined', 'track', 'chat', 'reconnecting', 'reconnected']) {
    assert.ok(result.seen[type] > 0, `event ${type} fired`);
  }
  await other.close();
  await page.close();
});

test('errors surface as rejected promises with codes', async () => {
  const page = await openEmbed();
  const codes = await page.evaluate(async () => {
    const r = window.embeddedRoom;
    const code = (p) => p.then(() => 'resolved', (e) => e.code);
    return {
      badRoom: await code(r.join({ room: 'no spaces allowed', name: 'A' })),
      badName: await code(r.join({ room: 'fine', name: '' })),
      chatOutside: await code(r.sendChat('hello?')),
      notLiveYet: await (async () => {
        // A viewer of a broadcast that is not live waits (the promise stays pending) until
        // the host goes live or leave() gives up, which rejects it with 'left'.
        const joining = code(r.join({ room: `later-${Date.now()}`, name: 'A', mode: 'broadcast', role: 'viewer' }));
        while (r.getState().state !== 'waiting') await new Promise((resolve) => setTimeout(resolve, 50));
        const waitingError = r.getState().errorCode;
        await r.leave();
        return { state: 'waiting', waitingError, join: await joining };
      })(),
      badDevice: await code(r.selectDevice('toaster', 'x')),
      badSpeaker: await code(r.selectDevice('speaker', 'unplugged')),
      errorEvent: r.getState().errorCode,
    };
  });
  assert.deepEqual(codes, {
    badRoom: 'invalid_room_id', badName: 'invalid_name', chatOutside: 'not_connected',
    notLiveYet: { state: 'waiting', waitingError: '', join: 'left' },
    badDevice: 'invalid_device_kind', badSpeaker: 'speaker_unavailable', errorEvent: 'speaker_unavailable',
  });
  await page.close();
});

test('a wasm compiled ahead is used; a failed one falls back; a wrong one is refused', async () => {
  const page = await openEmbed();
  const report = await page.evaluate(async () => {
    const { createRoom } = await import('./vroom.mjs');
    const mount = async (wasm) => {
      const host = document.createElement('div');
      host.style.cssText = 'width: 320px; height: 200px';
      document.body.append(host);
      try {
        const room = await createRoom(host, { ui: false, wasm });
        const state = room.getState().state;
        room.destroy();
        return state;
      } catch (err) {
        return err.code;
      } finally {
        host.remove();
      }
    };
    // What the page fetches is counted: a room given the module must not fetch the wasm again.
    const fetches = () => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length;
    const compiled = await WebAssembly.compileStreaming(fetch('./vroom.wasm'));
    const before = fetches();
    const withModule = await mount(compiled);
    const fetchedWithModule = fetches() - before;
    return {
      withModule, fetchedWithModule,
      withPromise: await mount(Promise.resolve(compiled)),
      withRejected: await mount(Promise.reject(new Error('no such file'))),
      withNumber: await mount(42),
    };
  });
  assert.deepEqual(report, {
    withModule: 'idle', fetchedWithModule: 0, withPromise: 'idle', withRejected: 'idle', withNumber: 'invalid_option',
  });
  await page.close();
});

test('destroy() leaves no element, track or socket behind; createRoom works again', async () => {
  const baseline = await metric('vroom_connections');
  const page = await openEmbed();
  const report = await page.evaluate(async (roomId) => {
    const { createRoom } = await import('./vroom.mjs');
    const host = document.createElement('div');
    host.style.cssText = 'width: 640px; height: 400px';
    document.body.append(host);
    const r = await createRoom(host, { room: roomId, name: 'Temp', lobby: false });
    // Joining and opening the camera run side by side: wait for both.
    const ready = () => {
      const s = r.getState();
      return s.state === 'joined' && s.local.hasAudio && s.local.hasVideo && !s.local.acquiring;
    };
    await new Promise((resolve) => { const t = () => (ready() ? resolve() : setTimeout(t, 50)); t(); });
    const tracks = r._runtime.localTracks();
    const socketsBefore = r._runtime.openSocketCount;
    r.destroy();
    const again = await createRoom(host, { ui: true });
    const childrenWithSecond = host.children.length;
    again.destroy();
    return {
      tracksBefore: tracks.length,
      allEnded: tracks.every((t) => t.readyState === 'ended'),
      socketsBefore,
      socketsAfter: r._runtime.openSocketCount,
      peerConnectionsAfter: r._runtime.peerConnections().length,
      childrenLeft: host.children.length,
      childrenWithSecond,
      videosInPage: document.querySelectorAll('video, audio').length,
    };
  }, `destroy-${Date.now()}`);
  assert.ok(report.tracksBefore >= 2, 'camera and microphone were live');
  assert.equal(report.allEnded, true, 'every track stopped');
  assert.equal(report.socketsBefore, 1);
  assert.equal(report.socketsAfter, 0);
  assert.equal(report.peerConnectionsAfter, 0);
  assert.equal(report.childrenLeft, 0, 'no element left in the container');
  assert.equal(report.childrenWithSecond, 1, 'a second createRoom mounts again');
  assert.equal(report.videosInPage, 0);
  // The embed page's own room has a socket only after join, so the server is back to baseline.
  await eventually(async () => (await metric('vroom_connections')) === baseline,
    { message: `server connections back to ${baseline}` });
  await page.close();
});

test('two rooms in one page work independently', async () => {
  const [roomA, roomB] = [`two-a-${Date.now()}`, `two-b-${Date.now()}`];
  const page = await env.browser.newPage({ viewport: { width: 1200, height: 600 } });
  await page.goto(new URL('embed.html', env.server.url).href);
  await page.evaluate(async ([a, b]) => {
    const { createRoom } = await import('./vroom.mjs');
    const make = (id) => {
      const el = document.createElement('div');
      el.id = id;
      el.style.cssText = 'width: 560px; height: 400px; display: inline-block';
      document.body.append(el);
      return el;
    };
    window.roomA = await createRoom(make('a'), { room: a, name: 'Left', lobby: false });
    window.roomB = await createRoom(make('b'), { room: b, name: 'Right', lobby: false });
  }, [roomA, roomB]);
  const peerA = await openRoom(env.browser, env.server.url, { room: roomA, name: 'PeerA', autojoin: 1 });
  const peerB = await openRoom(env.browser, env.server.url, { room: roomB, name: 'PeerB', autojoin: 1 });
  const names = () => page.evaluate(() => [window.roomA, window.roomB].map((r) => r.getState().members.map((m) => m.name)));
  await eventually(async () => JSON.stringify(await names()) === JSON.stringify([['PeerA'], ['PeerB']]),
    { message: 'each room sees only its own peer' });
  await eventually(() => page.evaluate(() => [...document.querySelectorAll('#a video, #b video')]
    .filter((v) => v.dataset.mirrored !== '1' && v.videoWidth > 0).length === 2), { message: 'both overlays show their remote video' });
  await screenshot(page, 'two-rooms-one-page');
  await page.evaluate(() => window.roomA.destroy());
  await eventually(async () => (await peerA.evaluate(() => window.vroomRoom.getState().members.length)) === 0,
    { message: 'destroying room A leaves it' });
  assert.deepEqual((await names())[1], ['PeerB'], 'room B is unaffected');
  await Promise.all([page.close(), peerA.close(), peerB.close()]);
});

test('the package installs from a tarball and its types check with tsc', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-pkg-'));
  try {
    const tarball = execFileSync('npm', ['pack', SITE_DIR, '--pack-destination', dir, '--silent'],
      { encoding: 'utf8' }).trim().split('\n').pop();
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', `./${tarball}`], { cwd: dir });
    const pkg = JSON.parse(readFileSync(path.join(dir, 'node_modules/vroom/package.json'), 'utf8'));
    assert.equal(pkg.exports['.'].types, './vroom.d.ts');
    // The module is minified; its source map ships beside it and holds the linked source.
    const installed = path.join(dir, 'node_modules/vroom');
    assert.match(readFileSync(path.join(installed, 'vroom.mjs'), 'utf8'), /\n\/\/# sourceMappingURL=vroom\.mjs\.map\n$/);
    const map = JSON.parse(readFileSync(path.join(installed, 'vroom.mjs.map'), 'utf8'));
    assert.ok(map.sourcesContent.some((text) => text.includes('export async function createRoom(')),
      'the map carries the unminified module');
    const tsc = path.resolve('node_modules/.bin/tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--lib', 'es2022,dom'];
    writeFileSync(path.join(dir, 'good.ts'), `
      import { createRoom, type RoomState, type ErrorCode } from 'vroom';
      const room = await createRoom(document.body, { room: 'r', name: 'n', ui: false, mode: 'broadcast', role: 'viewer' });
      room.addEventListener('track', (e) => { const s: MediaStream = e.detail.stream; console.log(s.id, e.detail.peerId); });
      room.addEventListener('error', (e) => { const c: ErrorCode = e.detail.code; console.log(c); });
      const state: RoomState = await room.join();
      await room.setMicrophone(false);
      await room.sendChat('hi');
      const stats = await room.getStats();
      console.log(state.members.map((m) => m.connection), Object.values(stats)[0]?.roundTripTimeMs);
      room.destroy();
    `);
    execFileSync(tsc, [...flags, 'good.ts'], { cwd: dir, stdio: 'pipe' });
    // The declarations must be able to reject a wrong program.
    writeFileSync(path.join(dir, 'bad.ts'), `
      import { createRoom } from 'vroom';
      const room = await createRoom(document.body, { mode: 'party' });
      await room.setMicrophone('yes');
    `);
    assert.throws(() => execFileSync(tsc, [...flags, 'bad.ts'], { cwd: dir, stdio: 'pipe' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README embed example works from a page on another origin', async () => {
  // The host page lives on its own server (another origin) and imports vroom.mjs from the
  // vroom server, exactly as the README shows; the vroom server allows that origin.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-origin-'));
  const pageServer = await startServer([], { root: dir });
  const vroom = await startServer(['--allowed-origin', new URL(pageServer.url).origin]);
  const strict = await startServer([]);  // default: same origin only
  try {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const example = readme.match(/## Embed it[\s\S]*?```html\n([\s\S]*?)```/)[1];
    const page = (base) => `<!doctype html><html><body>${example
      .replace('http://127.0.0.1:8080/vroom.mjs', new URL('vroom.mjs', base).href)
      .replace("room: 'team-standup'", "room: new URLSearchParams(location.search).get('room')")
      .replace('const room = await createRoom', 'const room = window.vroomRoom = await createRoom')}</body></html>`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'allowed.html'), page(vroom.url));
    writeFileSync(path.join(dir, 'strict.html'), page(strict.url));
    const room = `origin-${Date.now()}`;
    const peer = await openRoom(env.browser, vroom.url, { room, name: 'Peer', autojoin: 1 });
    const host = await env.browser.newPage();
    const errors = [];
    host.on('pageerror', (err) => errors.push(err.message));
    await host.goto(new URL(`allowed.html?room=${room}`, pageServer.url).href);
    await eventually(() => host.evaluate(() => window.vroomRoom?.getState().members.some((m) => m.name === 'Peer')),
      { message: 'the cross-origin page joined and sees the peer' });
    assert.deepEqual(errors, []);

    // The same page against a server left at its default (same origin only): the module
    // loads (static files are public) but the WebSocket is refused, so it never joins.
    const refused = await env.browser.newPage();
    await refused.goto(new URL(`strict.html?room=${room}`, pageServer.url).href);
    await eventually(async () => {
      const text = await (await fetch(new URL('metrics', strict.url))).text();
      return /vroom_websocket_rejected_origin_total [1-9]/.test(text);
    }, { message: 'the server refused the foreign origin' });
    await eventually(() => refused.evaluate(() => /Cannot reach the server/.test(window.vroomRoom.getState().reason)),
      { message: 'the page tells the person it cannot reach the server' });
    assert.notEqual(await refused.evaluate(() => window.vroomRoom.getState().state), 'joined');
    await Promise.all([peer.close(), host.close(), refused.close()]);
  } finally {
    await Promise.all([pageServer.stop(), vroom.stop(), strict.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
