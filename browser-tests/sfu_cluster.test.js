// Rooms on the video server (Janus) across a cluster (--redis) in real Chromium, in the
// namespace of sfu_env.js: two vroom-server nodes share their rooms through a Redis of the
// namespace and drive one Janus. A conference whose members are on both nodes moves to Janus
// at the third join (--mesh-max 2) and every page plays the others, one upload each, also
// after one of them leaves. (A broadcast across nodes, whose viewer may not publish:
// native-tests/server/sfu_rooms_test.cpp.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, mediaFigures, playingRemoteVideos, screenshot } from './harness.js';
import { openAt, sfuEnvironment, skip, videoStreams, videoStreamsAdvancing } from './sfu_env.js';

const env = sfuEnvironment({ nodes: 2 });

// Waits until every page plays `count` remote videos; on failure, says where each page stood.
async function allPlay(pages, count) {
  for (const [i, page] of pages.entries()) {
    try {
      await eventually(async () => (await playingRemoteVideos(page)).length === count,
        { timeout: 30000, message: `page ${i} plays ${count} remote videos` });
    } catch (err) {
      err.message += `; its streams: ${JSON.stringify(await videoStreams(page))}`;
      throw err;
    }
  }
}

test('a conference with members on two nodes moves to Janus and every page plays the others', { skip }, async () => {
  const room = `sfu-cluster-${Date.now()}`;
  // Ada on node 0 (the room's owner: the first to join), Bob on node 1, Cy on node 0, Dee on
  // node 1: the third join moves the room, the fourth joins it there through the other node.
  const people = [['Ada', 0], ['Bob', 1], ['Cy', 0], ['Dee', 1]];
  const pages = [];
  for (const [name, node] of people) pages.push(await openAt({ room, name }, { node }));
  await allPlay(pages, 3);
  // The mesh stays up 8 s after the move (make before break): on a quick machine every page
  // plays the others before that, through both.
  for (const [i, page] of pages.entries())
    await eventually(async () => (await mediaFigures(page)).length === 2, { timeout: 15000, message: `page ${i}: the move is over` });
  for (const [i, page] of pages.entries()) {
    const streams = await videoStreams(page);
    assert.equal(streams.outbound, 1, `page ${i} uploads one camera`);
    assert.equal((await mediaFigures(page)).length, 2, `page ${i}: its upload and its subscription, no mesh link`);
    assert.equal(await videoStreamsAdvancing(page, 2000), 3, `page ${i}: three remote videos advance`);
    const members = (await page.evaluate(() => window.vroomRoom.getState().members)).map((m) => m.name).sort();
    assert.deepEqual(members, people.map(([n]) => n).filter((n) => n !== people[i][0]).sort(), `page ${i}'s roster`);
    assert.deepEqual(page.problems, [], `page ${i}: no console errors`);
  }
  await screenshot(pages[3], 'sfu-cluster-conference');
  // Bob leaves (node 1): the others drop his tile and keep playing each other.
  await pages[1].close();
  const rest = [pages[0], pages[2], pages[3]];
  await allPlay(rest, 2);
  for (const page of rest) await page.close();
});
