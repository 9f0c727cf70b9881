// Rooms shared across nodes (--redis, issue 15) in real Chromium: a real redis-server and
// vroom-server nodes on loopback; pages on different nodes see and hear each other, and the
// node that owns the room, killed with SIGKILL mid-call, has its room rebuilt on another node
// from the state it kept in Redis: every page resumes there (through a small TCP balancer, as
// a deployment's load balancer would) with the same peer id while the browser-to-browser
// media keeps flowing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import {
  eventually, launchBrowser, mediaFigures, openRoom, playingRemoteVideos, startServer, statusText,
} from './harness.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const framesOf = async (page) => (await mediaFigures(page)).reduce((n, f) => n + f.framesDecoded, 0);

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

// redis-server from PATH on a free loopback port, nothing persisted; a missing one fails.
async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  const failed = new Promise((_, reject) => child.once('error', reject));
  await Promise.race([failed, eventually(() => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  }), { timeout: 10000, interval: 50, message: 'redis-server listening' })]);
  return { url: `redis://127.0.0.1:${port}`, child };
}

// A TCP balancer on its own port: each connection goes to the first backend that accepts,
// in order, so a page sticks to its node while it lives and moves on when it dies.
async function startBalancer(backends) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const tryBackend = (i) => {
      if (i >= backends.length) return client.destroy();
      const upstream = net.connect(backends[i], '127.0.0.1');
      upstream.once('error', () => { upstream.destroy(); if (!upstream.connectedOnce) tryBackend(i + 1); else client.destroy(); });
      upstream.once('connect', () => {
        upstream.connectedOnce = true;
        client.pipe(upstream);
        upstream.pipe(client);
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
    };
    client.on('error', () => {});
    tryBackend(0);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}

let redis;
let browser;
const nodes = [];
const balancers = [];
before(async () => {
  redis = await startRedis();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const b of balancers) await b.close();
  for (const n of nodes) await n.stop();
  redis?.child.kill('SIGKILL');
});

async function startNodes(ids, extra = []) {
  const started = [];
  for (const id of ids) {
    const node = await startServer(['--redis', redis.url, '--node-id', id, ...extra]);
    nodes.push(node);
    started.push(node);
  }
  // Each node has Redis before any page arrives.
  for (const node of started) {
    await eventually(async () => /redis up/.test(await (await fetch(`${node.url}/healthz`)).text()),
      { timeout: 10000, message: 'node reaches Redis' });
  }
  return started;
}

test('two and three nodes: every page plays every other page', async () => {
  const [a, b, c] = await startNodes(['a', 'b', 'c']);
  const room = `cluster-${Date.now()}`;
  const servers = [a, b, c];
  const names = ['Ada', 'Bob', 'Cy'];
  const pages = [];
  for (const [i, name] of names.entries()) {
    pages.push(await openRoom(browser, servers[i].url, { room, name, autojoin: 1 }));
    // After each arrival: everyone so far plays everyone else (two nodes, then three).
    for (const page of pages) {
      await eventually(async () => (await playingRemoteVideos(page)).length === pages.length - 1,
        { message: `${pages.length} pages on ${pages.length} nodes play each other` });
    }
  }
  const before = await Promise.all(pages.map(framesOf));
  await sleep(1500);
  for (const [i, page] of pages.entries()) assert.ok(await framesOf(page) > before[i], `page ${i} decodes frames`);
  for (const [i, page] of pages.entries()) {
    const members = await statusText(page, 'members');
    for (const other of names.filter((n) => n !== names[i])) assert.match(members, new RegExp(other));
  }
  for (const page of pages) assert.deepEqual(page.problems, []);
  await Promise.all(pages.map((p) => p.close()));
});

test("the room's node killed with SIGKILL mid-call: every page resumes on another node, same peer ids", async () => {
  // The balancers' addresses are the pages' origins: every node allows both.
  const ports = [await freePort(), await freePort()];
  const lbA = await startBalancer(ports);                // prefers node d
  const lbB = await startBalancer([ports[1], ports[0]]);  // prefers node e
  balancers.push(lbA, lbB);
  const origins = [lbA.url, lbB.url].flatMap((u) => ['--allowed-origin', u.replace(/\/$/, '')]);
  const d = await startServer(['--redis', redis.url, '--node-id', 'd', ...origins], { port: ports[0] });
  const e = await startServer(['--redis', redis.url, '--node-id', 'e', ...origins], { port: ports[1] });
  nodes.push(d, e);
  for (const node of [d, e]) {
    await eventually(async () => /redis up/.test(await (await fetch(`${node.url}/healthz`)).text()),
      { timeout: 10000, message: 'node reaches Redis' });
  }
  const room = `kill-${Date.now()}`;
  const ana = await openRoom(browser, lbA.url, { room, name: 'Ana', autojoin: 1 });  // on d: owns the room
  const ben = await openRoom(browser, lbB.url, { room, name: 'Ben', autojoin: 1 });  // on e
  for (const page of [ana, ben]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call established' });
    await page.evaluate(() => { window.connectionsBefore = window.vroomRoom._runtime.peerConnections(); });
  }
  const idsBefore = await Promise.all([ana, ben].map((p) => p.evaluate(() => window.vroomRoom.getState().self.id)));
  await sleep(300);  // the room's owner saves a change to Redis within 50 ms

  d.child.kill('SIGKILL');  // Ana's node, and the room's owner: Ben was relayed to it
  const killedAt = Date.now();
  const downFrames = await Promise.all([ana, ben].map(framesOf));
  for (const page of [ana, ben]) {
    await eventually(async () => {
      const s = await page.evaluate(() => window.vroomRoom.getState());
      return s.state === 'joined' && s.recovery === 'none' && s.members.length === 1 &&
        s.members.every((m) => m.connection === 'connected');
    }, { timeout: 5000, interval: 100, message: 'roster consistent within 5 s of the kill' });
  }
  console.log(`# roster consistent ${Date.now() - killedAt} ms after node d (the room's owner) was killed`);
  const idsAfter = await Promise.all([ana, ben].map((p) => p.evaluate(() => window.vroomRoom.getState().self.id)));
  assert.deepEqual(idsAfter, idsBefore, 'Ana and Ben resumed on node e with the same peer ids');
  // Read until a new frame is counted: a roster that settles within ~100 ms can be read before
  // the browser's statistics count the next decoded frame.
  for (const [i, page] of [ana, ben].entries()) {
    await eventually(async () => await framesOf(page) > downFrames[i],
      { timeout: 3000, interval: 100, message: 'media kept flowing (browser to browser)' });
  }
  for (const page of [ana, ben]) {
    const same = await page.evaluate(() => {
      const now = window.vroomRoom._runtime.peerConnections();
      return now.length === window.connectionsBefore.length && now.every((pc) => window.connectionsBefore.includes(pc));
    });
    assert.equal(same, true, 'no peer connection was rebuilt');
  }
  // Node d's heartbeat ran out before either page could resume; a moment later they are still
  // together and nobody left.
  await sleep(1000);
  assert.match(await statusText(ana, 'members'), /Ben/);
  assert.match(await statusText(ben, 'members'), /Ana/);
  await Promise.all([ana, ben].map((p) => p.close()));
});
