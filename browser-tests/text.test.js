// Text in every script, drawn with the browser's own fonts (no font is shipped): chat in
// Russian, Chinese, Greek and with emoji from a person with a Cyrillic name reaches the other
// page and every code point of it is a real glyph in that page's atlas (not the U+FFFD
// fallback, with ink); the Arabic message is drawn as a browser-shaped run; a Cyrillic name
// typed into the lobby gets its glyphs as it is typed. Screenshots to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openRoom, playingRemoteVideos, screenshot, sharedServerAndBrowser, waitForStatus } from './harness.js';

const env = sharedServerAndBrowser();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => window.vroomRoom.getState());

const NAME = 'Иван Петров';
const MESSAGES = {
  russian: 'Привет! Как дела? Щука, ёж и съезд.',
  chinese: '你好，世界！今天天气很好。',
  greek: 'Καλημέρα κόσμε, τι κάνεις;',
  emoji: 'Party time 🎉😀👍 ✓ ★ →',
  arabic: 'مرحبا، كيف حالك اليوم؟',
};

// Code points of `text` that draw ink (not spaces).
const inked = (text) => [...new Set([...text].filter((c) => !/\s/u.test(c)))].map((c) => c.codePointAt(0));

// The receiving page's atlas glyph of each code point: ink pixels, or -1 when the atlas has
// no glyph for it (ImGui would draw the U+FFFD fallback).
const inkOf = (page, codePoints) => page.evaluate((cps) => {
  const app = window.vroomRoom._app;
  return cps.map((cp) => [String.fromCodePoint(cp), app.glyphInk(cp)]);
}, codePoints);

const textDebug = (page) => page.evaluate(() => window.vroomRoom._app.textDebug());

// Key presses on the overlay canvas as a keyboard with a Russian layout sends them: a
// keydown whose key is the character (through CDP: Playwright's keyboard knows only the US
// layout and would insert other characters as text input, which a canvas does not receive).
async function typeOnOverlay(page, keys) {
  await page.locator('canvas.vroom-overlay').focus();
  const cdp = await page.context().newCDPSession(page);
  for (const key of keys) {
    if (key.length === 1 && key.codePointAt(0) > 0x7f) {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, text: key, unmodifiedText: key });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key });
    } else {
      await page.keyboard.press(key);
    }
    await sleep(40);  // the overlay trickles input one transition per frame
  }
  await cdp.detach();
}

test('chat in four scripts and emoji from a Cyrillic name is readable on the other page', async (t) => {
  const room = `scripts-${Date.now()}`;
  const sender = await openRoom(env.browser, env.server.url, { room, name: NAME, autojoin: 1 });
  const reader = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  for (const page of [sender, reader]) {
    await eventually(async () => (await playingRemoteVideos(page)).length === 1, { message: 'call up' });
  }
  await typeOnOverlay(reader, ['c']);  // the reader has the chat open
  for (const text of Object.values(MESSAGES)) {
    await sender.evaluate((m) => window.vroomRoom.sendChat(m), text);
  }
  await eventually(async () => {
    const chat = (await state(reader)).chat;
    return Object.values(MESSAGES).every((text) => chat.some((c) => c.text === text && c.name === NAME));
  }, { message: 'every message reaches the reader with the sender\'s name' });
  const members = (await state(reader)).members;
  assert.deepEqual(members.map((m) => m.name), [NAME]);

  // Every code point of the simple strings is a glyph of the atlas, with ink.
  const simple = [NAME, MESSAGES.russian, MESSAGES.chinese, MESSAGES.greek, MESSAGES.emoji].join('');
  const withoutGlyph = async () => (await inkOf(reader, inked(simple)))
    .filter(([, pixels]) => !(pixels > 0)).map(([c, pixels]) => `${c} (${pixels})`);
  let missing = await withoutGlyph();
  for (const deadline = Date.now() + 10000; missing.length && Date.now() < deadline;) {
    await sleep(200);  // glyphs of a frame come within a few frames
    missing = await withoutGlyph();
  }
  assert.deepEqual(missing, [], 'code points without a real glyph on the reader\'s side');

  // The Arabic message is shaped by the browser, as a run, and so is nothing simple.
  await eventually(async () => (await textDebug(reader)).runsDrawn.includes(MESSAGES.arabic),
    { timeout: 10000, message: 'the Arabic message drawn as a run' });
  const debug = await textDebug(reader);
  for (const text of [NAME, MESSAGES.russian, MESSAGES.chinese, MESSAGES.greek]) {
    assert.ok(!debug.runsDrawn.includes(text), `${text} takes the glyph path`);
  }
  t.diagnostic(`reader's atlas: ${debug.glyphs} glyphs, ${debug.atlasWidth}x${debug.atlasHeight}, ` +
    `${debug.batches} batches, ${debug.rebuilds} rebuilds, last batch ${debug.lastBatchMs.toFixed(1)} ms, ` +
    `last rebuild ${debug.lastRebuildMs.toFixed(1)} ms; runs drawn: ${debug.runsDrawn.length}`);

  // The reader answers in Cyrillic with the keyboard: the typed characters get glyphs as
  // they are typed, and the sender reads the answer.
  await typeOnOverlay(reader, [...'Спасибо, всё хорошо', 'Enter']);
  await eventually(async () => (await state(sender)).chat.some((c) => c.text === 'Спасибо, всё хорошо' && c.name === 'Ada'),
    { message: 'the typed answer reaches the sender' });
  assert.deepEqual((await inkOf(reader, inked('Спасибо, всё хорошо'))).filter(([, p]) => !(p > 0)), []);

  await sleep(300);
  await screenshot(reader, 'text-chat-scripts');
  await typeOnOverlay(reader, ['Escape', 'Escape', 'p']);  // leave the input, close the chat, people
  await sleep(300);
  await screenshot(reader, 'text-people-cyrillic');
  assert.deepEqual([...sender.problems, ...reader.problems], []);
  await Promise.all([sender.close(), reader.close()]);
});

test('a Cyrillic name typed into the lobby is drawn with real glyphs and joins as typed', async (t) => {
  const page = await openRoom(env.browser, env.server.url, {}, { state: /State: idle/ });
  const start = await textDebug(page);
  t.diagnostic(`atlas at start: ${start.glyphs} glyphs in ${start.batches} batch (${start.lastBatchMs.toFixed(1)} ms), ` +
    `built in ${start.lastRebuildMs.toFixed(1)} ms, ${start.atlasWidth}x${start.atlasHeight}`);
  await typeOnOverlay(page, [...`typed-${Date.now()}`, 'Tab', ...NAME]);
  await sleep(300);
  assert.deepEqual((await inkOf(page, inked(NAME))).filter(([, p]) => !(p > 0)), [],
    'every typed code point has a glyph');
  await screenshot(page, 'text-lobby-cyrillic');
  await typeOnOverlay(page, ['Enter']);
  await waitForStatus(page, 'state', /State: joined/);
  assert.equal((await state(page)).self.name, NAME);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('500 distinct CJK characters arrive in one message: glyphs in batches, bounded', async (t) => {
  const room = `flood-${Date.now()}`;
  const sender = await openRoom(env.browser, env.server.url, { room, name: 'Mei', autojoin: 1 });
  const reader = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  await typeOnOverlay(reader, ['c']);
  const before = await textDebug(reader);
  const text = Array.from({ length: 500 }, (_, i) => String.fromCodePoint(0x4E00 + i * 7)).join('');
  await sender.evaluate((m) => window.vroomRoom.sendChat(m), text);
  await eventually(async () => (await state(reader)).chat.some((c) => c.text === text), { message: 'the message arrives' });
  await eventually(async () => (await inkOf(reader, inked(text))).every(([, p]) => p > 0),
    { timeout: 30000, message: 'all 500 glyphs' });
  const after = await textDebug(reader);
  assert.ok(after.glyphs <= after.capacity);
  t.diagnostic(`500 CJK glyphs: ${after.batches - before.batches} batches (each within the browser's time budget), ` +
    `last batch ${after.lastBatchMs.toFixed(1)} ms, ` +
    `last rebuild ${after.lastRebuildMs.toFixed(1)} ms (packing, copying), atlas ${after.atlasWidth}x${after.atlasHeight}, ` +
    `${after.glyphs}/${after.capacity} glyphs; at start: ${before.glyphs} glyphs`);
  await sleep(200);
  await screenshot(reader, 'text-chat-cjk-500');
  await Promise.all([sender.close(), reader.close()]);
});
