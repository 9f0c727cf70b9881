// Issue 19's black-box cases against the real vroom-server binary, over raw WebSockets (no
// browser): what any client can send, and what the server must refuse or clean. Run with
// VROOM_SERVER_BIN pointing at an older build to see each case fail there. Also: a join token
// minted with node's own crypto, as an embedding product's backend would, opens its room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { startServer } from './harness.js';

// One socket with a frame queue: next(type) waits for the next frame of that type.
function connect(url, { origin, host } = {}) {
  const headers = {};
  if (origin) headers.Origin = origin;
  if (host) headers.Host = host;
  const socket = new WebSocket(new URL('/ws', url).href.replace(/^http/, 'ws'), { headers });
  const frames = [];
  const waiters = [];
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    for (const w of [...waiters]) w();
  });
  const opened = new Promise((resolve, reject) => {
    socket.once('open', () => resolve(101));
    socket.once('unexpected-response', (req, res) => resolve(res.statusCode));
    socket.once('error', reject);
  });
  const client = {
    opened,
    send: (m) => socket.send(JSON.stringify(m)),
    next(type, timeout = 3000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const i = frames.findIndex((f) => !type || f.type === type);
          if (i < 0) return false;
          const [frame] = frames.splice(i, 1);
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(frame);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`no ${type || 'frame'} within ${timeout} ms; got ${JSON.stringify(frames)}`));
        }, timeout);
        waiters.push(check);
        check();
      });
    },
    // The next `joined` or `error` (whichever the server answers with).
    async answer() {
      const frame = await client.next(null);
      return frame.type === 'error' ? frame.code : frame.type === 'joined' ? frame : client.answer();
    },
    async enter(type, room, name, extra = {}) {
      await opened;
      client.send({ type: 'hello', version: 1 });
      await client.next('welcome');
      client.send({ type, room, name, ...extra });
      return client.answer();
    },
    close: () => socket.close(),
    frames,
  };
  return client;
}

async function withServer(args, body) {
  const server = await startServer(args);
  const clients = [];
  try {
    await body(server.url, (...a) => { const c = connect(server.url, ...a); clients.push(c); return c; });
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

test('six look-alike versions of one name are stripped, composed and numbered', () => withServer([], async (url, open) => {
  const names = ['Bob', '\u202EboB', 'B\u200Bob', 'Bo\u0301b', 'B\u00F3b', 'Bob'];
  const assigned = [];
  for (const name of names) {
    const joined = await open().enter('join', 'lookalikes', name);
    assert.equal(typeof joined, 'object', `joined as ${JSON.stringify(name)}: ${joined}`);
    assigned.push(joined.self.name);
  }
  assert.deepEqual(assigned, ['Bob', 'boB', 'Bob (2)', 'B\u00F3b', 'B\u00F3b (2)', 'Bob (3)']);
  for (const name of assigned) assert.doesNotMatch(name, /[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
}));

test('chat reaches the room without NUL, escape sequences or bidi controls', () => withServer([], async (url, open) => {
  const ann = open();
  const bob = open();
  await ann.enter('join', 'chatty', 'Ann');
  await bob.enter('join', 'chatty', 'Bob');
  ann.send({ type: 'chat', text: 'a\u0000b\u001b[31mred\u0007 \u202Etxt.exe' });
  const chat = await bob.next('chat');
  assert.equal(chat.text, 'ab[31mred txt.exe');
}));

test("a viewer's media claim never reaches the broadcast's host", () => withServer([], async (url, open) => {
  const host = open();
  const viewer = open();
  await host.enter('create', 'show', 'Host', { mode: 'broadcast' });
  const joined = await viewer.enter('join', 'show', 'V', { role: 'viewer' });
  assert.deepEqual(joined.self.media, { audio: false, video: false, screen: false });
  const announced = await host.next('peer-joined');
  assert.equal(announced.peer.media.video, false);
  viewer.send({ type: 'media', media: { audio: false, video: true, screen: false } });
  assert.equal((await viewer.next('error')).code, 'not_allowed');
  host.send({ type: 'ping', ts: 1 });
  await host.next('pong');
  assert.equal(host.frames.filter((f) => f.type === 'peer-media').length, 0);
}));

test('a DNS-rebinding page cannot open the signaling socket', () => withServer([], async (url, open) => {
  const { port } = new URL(url);
  assert.equal(await open({ origin: `http://rebind.attacker.test:${port}`, host: `rebind.attacker.test:${port}` }).opened, 403);
  assert.equal(await open({ origin: `http://127.0.0.1:${port}` }).opened, 101);
  assert.equal(await open({ origin: `http://localhost:${port}`, host: `localhost:${port}` }).opened, 101);
}));

test('a named public host is accepted and /metrics wants its token', () => withServer(
  ['--public-host', 'vroom.example.org', '--metrics-token', 'm3'], async (url, open) => {
    assert.equal(await open({ origin: 'https://vroom.example.org', host: 'vroom.example.org' }).opened, 101);
    assert.equal((await fetch(new URL('metrics', url))).status, 403);
    const metrics = await fetch(new URL('metrics', url), { headers: { Authorization: 'Bearer m3' } });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /vroom_errors_total\{code="room_locked"\} 0/);
  }));

test('a reserved broadcast id cannot be squatted with a plain join', () => withServer([], async (url, open) => {
  const host = open();
  await host.enter('create', 'launch', 'Host', { mode: 'broadcast', password: 'ours' });
  host.send({ type: 'leave' });
  await host.next('left');
  assert.equal(await open().enter('join', 'launch', 'Squatter'), 'password_required');
  assert.equal(await open().enter('create', 'launch', 'Squatter', { mode: 'broadcast' }), 'password_required');
  assert.equal(typeof await open().enter('create', 'launch', 'Host', { mode: 'broadcast', password: 'ours' }), 'object');
}));

test('a moderator removes a disruptive participant for good', () => withServer([], async (url, open) => {
  const ann = open();
  const troll = open();
  await ann.enter('join', 'calm', 'Ann');
  const joined = await troll.enter('join', 'calm', 'Troll');
  ann.send({ type: 'remove', peer: joined.self.id, ban: true });
  assert.equal((await troll.next('removed')).byName, 'Ann');
  troll.send({ type: 'join', room: 'calm', name: 'Troll' });
  assert.equal((await troll.next('error')).code, 'banned');
  assert.equal(await open().enter('join', 'calm', 'Troll again'), 'banned');  // same address
}));

// What an embedding product's backend does: HS256 with node's crypto, no JWT library.
function mintToken(secret, claims) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

test('a token minted with node crypto opens its room, and only that room', () => withServer(
  ['--token-secret', 'backend-secret'], async (url, open) => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = mintToken('backend-secret', { room: 'standup', name: 'Ada', role: 'member', sub: 'u-1', exp });
    const joined = await open().enter('join', 'standup', 'ignored', { token });
    assert.equal(joined.self.name, 'Ada');
    assert.equal(await open().enter('join', 'standup', 'Eve'), 'token_required');
    assert.equal(await open().enter('join', 'other', 'Ada', { token }), 'token_wrong_room');
    assert.equal(await open().enter('join', 'standup', 'Ada', { token: mintToken('guess', { room: 'standup', name: 'Eve', role: 'member', exp }) }), 'token_invalid');
    assert.equal(await open().enter('join', 'standup', 'Ada', { token: mintToken('backend-secret', { room: 'standup', name: 'Ada', role: 'member', exp: exp - 7200 }) }), 'token_expired');
  }));
