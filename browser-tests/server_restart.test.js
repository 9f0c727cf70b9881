// A server restart mid-call: peer-to-peer media does not depend on the signaling server, so
// it keeps flowing while the server is down; with --state-file the restarted server resumes
// everyone's session, so the roster is whole again within 5 s and no peer connection is
// rebuilt.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  eventually, launchBrowser, mediaFigures, openRoom, playingRemoteVideos, startServer,
  statusText,
} from './harness.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'vroom-restart-'));
const stateFile = path.join(dir, 'state.json');
let server;
let browser;
after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const framesOf = async (page) => (await mediaFigures(page)).reduce((n, f) => n + f.framesDecoded, 0);

test('media keeps flowing across a server restart and the roster recovers within 5 s', async () => {
  server = await startServer(['--state-file', stateFile]);
  const port = Number(new URL(server.url).port);
  browser = await launchBrowser();
  const room = `restart-${Date.now()}`;
  const pages = [];
  for (const name of ['Ana', 'Ben', 'Cat']) pages.push(await openRoom(browser, server.url, { room, name, autojoin: 1 }));
  for (const page of pages) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 2, { message: 'call established' });
    await page.evaluate(() => { window.connectionsBefore = window.vroomRoom._runtime.peerConnections(); });
  }
  const idsBefore = await Promise.all(pages.map((p) => p.evaluate(() => window.vroomRoom.getState().self.id)));

  assert.equal(await server.stop(), 0, 'graceful stop');
  const downFrames = await Promise.all(pages.map(framesOf));
  await sleep(1000);
  for (const [i, page] of pages.entries()) {
    assert.ok(await framesOf(page) > downFrames[i], 'frames keep arriving while the server is down');
    assert.match(await statusText(page, 'state'), /reconnecting/);
  }

  server = await startServer(['--state-file', stateFile], { port });
  const backAt = Date.now();
  for (const page of pages) {
    await eventually(async () => {
      const s = await page.evaluate(() => window.vroomRoom.getState());
      return s.state === 'joined' && s.recovery === 'none' && s.members.length === 2 &&
        s.members.every((m) => m.connection === 'connected');
    }, { timeout: 5000, interval: 100, message: 'roster consistent within 5 s of the server coming back' });
  }
  console.log(`# roster consistent ${Date.now() - backAt} ms after the server came back`);
  const idsAfter = await Promise.all(pages.map((p) => p.evaluate(() => window.vroomRoom.getState().self.id)));
  assert.deepEqual(idsAfter, idsBefore, 'everyone resumed with the same peer id');
  const before = await Promise.all(pages.map(framesOf));
  await sleep(1000);
  for (const [i, page] of pages.entries()) {
    assert.ok(await framesOf(page) > before[i], 'frames still arriving after the restart');
    const same = await page.evaluate(() => {
      const now = window.vroomRoom._runtime.peerConnections();
      return now.length === window.connectionsBefore.length && now.every((pc) => window.connectionsBefore.includes(pc));
    });
    assert.equal(same, true, 'no peer connection was rebuilt');
  }
  await Promise.all(pages.map((p) => p.close()));
});
