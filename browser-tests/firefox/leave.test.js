// Leaving from Firefox is prompt: a Chromium page in the same room sees the Firefox person
// gone within 2 s when the Firefox page navigates away, reloads (then exactly one of them is
// back) or its tab is closed. Firefox closes the socket before `pagehide` can send `leave`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openRoom, playingRemoteVideos, statusText } from '../harness.js';
import { openFirefoxRoom, sharedServerAndFirefox } from './harness.js';

const env = sharedServerAndFirefox({ chromium: true });

const members = async (page) => (await page.evaluate(() => window.vroomRoom.getState().members))
  .map((m) => ({ id: m.id, name: m.name }));

// Bob (Chromium) waits in the room; Fox (Firefox) joins and the call comes up both ways.
async function foxAndBob(prefix) {
  const room = `${prefix}-${Date.now()}`;
  const bob = await openRoom(env.chromium, env.server.url, { room, name: 'Bob', autojoin: 1 });
  const fox = await openFirefoxRoom(env.firefox, env.server.url, { room, name: 'Fox', autojoin: 1 });
  for (const page of [bob, fox]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  const [first] = await members(bob);
  assert.equal(first.name, 'Fox');
  return { room, bob, fox, foxId: first.id };
}

// Bob no longer lists the peer `id`, within 2 s of `since`.
async function goneWithin2s(bob, id, since, what) {
  await eventually(async () => !(await members(bob)).some((m) => m.id === id),
    { timeout: 2000 - (Date.now() - since), interval: 50, message: `Fox gone from Bob's room after ${what}` });
  const ms = Date.now() - since;
  console.log(`# Firefox ${what}: Bob saw Fox leave after ${ms} ms`);
  assert.ok(ms <= 2000);
}

test('navigating away from Firefox leaves the room at once', async () => {
  const { bob, fox, foxId } = await foxAndBob('ff-away');
  const since = Date.now();
  await Promise.all([fox.goto(new URL('healthz', env.server.url).href), goneWithin2s(bob, foxId, since, 'navigating away')]);
  assert.doesNotMatch(await statusText(bob, 'members'), /Fox/);
  await fox.close();
  await bob.close();
});

test('reloading Firefox leaves and comes back as exactly one person', async () => {
  const { bob, fox, foxId } = await foxAndBob('ff-reload');
  const since = Date.now();
  await Promise.all([fox.reload(), goneWithin2s(bob, foxId, since, 'reloading')]);
  await eventually(async () => (await playingRemoteVideos(bob)).length === 1 &&
    /Fox \(connected\)/.test(await statusText(bob, 'members')), { message: 'Fox back after the reload' });
  const after = await members(bob);
  assert.equal(after.length, 1, `Bob sees one Fox, not two: ${JSON.stringify(after)}`);
  assert.notEqual(after[0].id, foxId);
  await fox.close();
  await bob.close();
});

test('closing the Firefox tab leaves the room at once', async () => {
  const { bob, fox, foxId } = await foxAndBob('ff-close');
  const since = Date.now();
  await Promise.all([fox.close(), goneWithin2s(bob, foxId, since, 'closing the tab')]);
  assert.doesNotMatch(await statusText(bob, 'members'), /Fox/);
  await bob.close();
});
