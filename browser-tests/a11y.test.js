// The overlay through assistive technology: the semantics mirror (bridge/web_semantics.js)
// driven with Playwright's role-based locators and the keyboard only (no canvas
// coordinates), the words people read, pinning tiles, closing panels, the text size scaling
// the overlay, reduced motion, the live-region announcements, an input method's composition
// (and a tap on a field focusing its input, as phones need), axe-core over the page, and
// snapshots of Chromium's accessibility tree of the lobby and a room of three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { eventually, openRoom, screenshot, sharedServerAndBrowser, waitForStatus } from './harness.js';

const env = sharedServerAndBrowser();
const require = createRequire(import.meta.url);
const SNAPSHOTS = path.join(path.dirname(new URL(import.meta.url).pathname), 'a11y_snapshots');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = (page) => page.evaluate(() => window.vroomRoom.getState());

// Records every sentence the status region's announcement field is given, from page load.
async function recordAnnouncements(page) {
  await page.addInitScript(() => {
    window.__said = [];
    const watch = () => {
      const field = document.querySelector('#status [data-field="announcement"]');
      if (!field) return setTimeout(watch, 20);
      new MutationObserver(() => { if (field.textContent) window.__said.push(field.textContent); })
        .observe(field, { childList: true, characterData: true, subtree: true });
    };
    watch();
  });
}
const said = (page) => page.evaluate(() => window.__said.join(' '));

// Types with the keyboard into whatever has focus, a key per overlay frame or so.
async function typeKeys(page, text) {
  await page.keyboard.type(text, { delay: 40 });
}

// Presses a control found by role and name, as a keyboard user would.
async function press(page, role, name, key = 'Enter') {
  const control = page.getByRole(role, { name, exact: typeof name === 'string' });
  await control.waitFor({ state: 'attached', timeout: 20000 });
  await control.press(key);
  await sleep(150);
}

async function lobbyPage(extra = {}) {
  const page = await openRoom(env.browser, env.server.url, extra, { state: /State: idle/ });
  await page.getByRole('button', { name: 'Join', exact: true }).waitFor({ state: 'attached' });
  return page;
}

async function joinFromLobby(page, room, name) {
  await page.getByRole('textbox', { name: 'Room', exact: true }).focus();
  await typeKeys(page, room);
  await page.getByRole('textbox', { name: 'Your name', exact: true }).focus();
  await typeKeys(page, name);
  await sleep(200);
  await screenshot(page, 'a11y-lobby-focus-ring');
  await press(page, 'button', 'Join');
  await waitForStatus(page, 'state', /State: joined/);
}

test('join, mute, chat, people and leave with role-based locators and the keyboard only', async () => {
  const room = `roles-${Date.now()}`;
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  const ada = await lobbyPage();
  await ada.getByText(/^Type a room and your name\./).waitFor({ state: 'attached' });
  await joinFromLobby(ada, room, 'Ada');
  await screenshot(ada, 'a11y-room-joined');
  await ada.getByText(`${room}, 2 people`, { exact: true }).waitFor({ state: 'attached' });  // the top bar

  await press(ada, 'button', 'Mute');
  await eventually(async () => (await state(ada)).local.microphone === false, { message: 'microphone off' });
  await ada.getByRole('button', { name: 'Unmute', exact: true }).waitFor({ state: 'attached' });
  await sleep(300);
  await screenshot(ada, 'a11y-room-focus-ring');  // the ring on the button the keyboard pressed

  // The tiles come after the toolbar in the Tab order; Enter pins one, Space unpins it.
  await ada.getByRole('button', { name: 'Leave', exact: true }).focus();
  await ada.keyboard.press('Tab');
  assert.match(await ada.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Video of /);
  const bobTile = ada.getByRole('button', { name: 'Video of Bob', exact: true });
  await bobTile.focus();
  await bobTile.press('Enter');
  await eventually(async () => (await bobTile.getAttribute('aria-pressed')) === 'true', { message: 'Bob pinned' });
  await sleep(300);
  await screenshot(ada, 'a11y-tile-pinned-focus');  // the tile's own focus ring
  // The focus stayed on the tile while the view changed to speaker view: Space goes to it.
  assert.equal(await bobTile.evaluate((el) => el === document.activeElement), true, 'the pinned tile keeps the focus');
  await ada.keyboard.press(' ');
  await eventually(async () => (await bobTile.getAttribute('aria-pressed')) === 'false', { message: 'Bob unpinned' });

  await press(ada, 'button', /^Chat/);
  const chatToggle = ada.getByRole('button', { name: /^Chat/ });
  assert.equal(await chatToggle.getAttribute('aria-pressed'), 'true', 'the Chat toggle says the panel is open');
  const message = ada.getByRole('textbox', { name: 'Message', exact: true });
  await message.focus();
  await typeKeys(ada, 'hello from the keyboard');
  await ada.keyboard.press('Enter');
  await eventually(async () => (await state(bob)).chat.some((c) => c.text === 'hello from the keyboard' && c.name === 'Ada'),
    { message: 'chat reaches Bob' });
  const log = ada.getByRole('log', { name: 'Chat messages' });
  await eventually(async () => /Ada.*hello from the keyboard/.test(await log.textContent()), { message: 'the log reads the message' });
  await ada.getByText(/^0 of \d+ characters used$/).waitFor({ state: 'attached' });  // the counter, after sending
  await sleep(300);
  await screenshot(ada, 'a11y-chat-focus');

  await press(ada, 'button', 'People');
  const people = ada.getByRole('list', { name: 'People' });
  await people.waitFor({ state: 'attached' });
  await eventually(async () => (await people.getByRole('listitem').count()) === 2, { message: 'two people listed' });
  assert.match(await people.textContent(), /Bob/);

  // '?' lists the shortcuts; its Close button and Escape close it.
  await ada.keyboard.press('?');
  const close = ada.getByRole('button', { name: 'Close', exact: true });
  await close.waitFor({ state: 'attached' });
  assert.ok(await ada.getByText('M: Mute or unmute the microphone').count() === 1, 'the help lists M');
  await sleep(200);
  await screenshot(ada, 'a11y-help');
  await close.press('Enter');
  await close.waitFor({ state: 'detached' });

  // The panel's own close button closes it, and the focus goes back to the People button.
  await press(ada, 'button', 'Close people');
  await people.waitFor({ state: 'detached' });
  await eventually(async () => (await ada.evaluate(() => document.activeElement.textContent)) === 'People',
    { message: 'focus back on the People button' });

  // The Stats panel's figures are a list a screen reader can walk.
  await press(ada, 'button', 'Stats');
  const figures = ada.getByRole('list', { name: 'Figures for Bob' });
  await figures.waitFor({ state: 'attached' });
  assert.ok(await figures.getByRole('listitem').count() >= 1);
  await press(ada, 'button', 'Stats');

  // The browser's text size (the OS's on phones) scales the overlay: 24 px text, 1.5x controls.
  const leave = ada.getByRole('button', { name: 'Leave', exact: true });
  const before = await leave.boundingBox();
  const cdp = await ada.context().newCDPSession(ada);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24 } });
  // (boundingBox is null for a moment while the toolbar's rows change)
  await eventually(async () => {
    const after = await leave.boundingBox();
    return after?.height >= before.height * 1.4 && after.width >= before.width * 1.4;
  }, { message: `Leave grows with the text size (was ${before.width}x${before.height})` });
  await sleep(300);
  await screenshot(ada, 'a11y-text-size-24px');
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16 } });
  await eventually(async () => Math.abs((await leave.boundingBox())?.height - before.height) < 1, { message: 'back to 16 px' });
  await cdp.detach();

  await press(ada, 'button', 'Leave');
  await waitForStatus(ada, 'state', /State: left/);
  assert.deepEqual(ada.problems, []);
  await Promise.all([ada.close(), bob.close()]);
});

test('joins, mute changes, chat, leaves and errors are announced in order', async () => {
  const room = `said-${Date.now()}`;
  const ada = await env.browser.newPage({ viewport: { width: 1000, height: 700 } });
  await recordAnnouncements(ada);
  await ada.goto(`${env.server.url}?${new URLSearchParams({ room, name: 'Ada', autojoin: 1 })}`);
  await waitForStatus(ada, 'state', /State: joined/);
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  await eventually(async () => /Bob joined\./.test(await said(ada)), { message: 'join announced' });
  await bob.evaluate(() => window.vroomRoom.setMicrophone(false));
  await eventually(async () => /Bob muted\./.test(await said(ada)), { message: 'mute announced' });
  await bob.evaluate(() => window.vroomRoom.sendChat('are you there?'));
  await eventually(async () => /Bob says: are you there\?/.test(await said(ada)), { message: 'chat announced' });
  await bob.close();
  await eventually(async () => /Bob left\./.test(await said(ada)), { message: 'leave announced' });
  const text = await said(ada);
  const order = ['You joined', 'Bob joined.', 'Bob muted.', 'Bob says: are you there?', 'Bob left.']
    .map((s) => text.indexOf(s));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `in order: ${text}`);

  // A busy chat is summarised, not read message by message.
  const cy = await openRoom(env.browser, env.server.url, { room, name: 'Cy', autojoin: 1 });
  await cy.evaluate(async () => { for (let i = 0; i < 8; i++) await window.vroomRoom.sendChat(`flood ${i}`); });
  await eventually(async () => /new messages? from Cy/.test(await said(ada)), { message: 'flood summarised' });
  await sleep(1000);
  const read = (await said(ada)).match(/Cy says: flood/g) || [];
  assert.ok(read.length <= 3, `at most three messages read one by one: ${await said(ada)}`);

  // An error: the room is locked by its moderator, and a newcomer hears why it cannot join.
  await ada.evaluate(() => window.vroomRoom.lockRoom(true));
  const dan = await env.browser.newPage({ viewport: { width: 1000, height: 700 } });
  await recordAnnouncements(dan);
  await dan.goto(`${env.server.url}?${new URLSearchParams({ room, name: 'Dan', autojoin: 1 })}`);
  await eventually(async () => /Error: /.test(await said(dan)), { message: 'error announced' });
  await Promise.all([ada.close(), cy.close(), dan.close()]);
});

test('an input method composes into the chat field and the text reaches the other page', async () => {
  const room = `ime-${Date.now()}`;
  const ada = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  await press(ada, 'button', /^Chat/);
  const field = ada.getByRole('textbox', { name: 'Message', exact: true });
  // A tap on the field (on the canvas, where the person sees it) focuses its input inside the
  // gesture: what makes a phone open its on-screen keyboard.
  await ada.locator('canvas.vroom-overlay').focus();
  const box = await field.boundingBox();
  await ada.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await sleep(200);
  assert.equal(await field.evaluate((el) => el === document.activeElement), true, 'the tap focused the input');
  const cdp = await ada.context().newCDPSession(ada);
  await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
  await sleep(200);
  assert.equal(await field.evaluate((el) => el.classList.contains('vroom-composing')), true,
    'the composing text shows while the input method composes');
  await screenshot(ada, 'a11y-ime-composing');
  await cdp.send('Input.imeSetComposition', { text: '日本', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '日本語' });
  await sleep(200);
  assert.equal(await field.evaluate((el) => el.classList.contains('vroom-composing')), false);
  await ada.keyboard.press('Enter');
  await eventually(async () => (await state(bob)).chat.some((c) => c.text === '日本語'), { message: 'composed text reaches Bob' });
  // Paste works in the chat field too.
  await field.focus();
  await field.evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'pasted words');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await sleep(200);
  await ada.keyboard.press('Enter');
  await eventually(async () => (await state(bob)).chat.some((c) => c.text === 'pasted words'), { message: 'pasted text reaches Bob' });
  await Promise.all([ada.close(), bob.close()]);
});

async function axeViolations(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

test('axe-core finds no violations in the lobby or in a room with panels open', async () => {
  const lobby = await lobbyPage();
  assert.deepEqual(await axeViolations(lobby), []);
  // Reduced motion: nothing on the page moves, the loading spinner included (shown for this).
  const animations = () => lobby.evaluate(() => {
    const spinner = document.querySelector('.spinner');
    for (let el = spinner; el; el = el.parentElement) el.hidden = false;
    return document.getAnimations().length;
  });
  await lobby.emulateMedia({ reducedMotion: 'reduce' });
  assert.equal(await animations(), 0, 'no animation under prefers-reduced-motion');
  await lobby.emulateMedia({ reducedMotion: 'no-preference' });
  assert.ok(await animations() > 0, 'the spinner turns without the preference');
  const room = `axe-${Date.now()}`;
  const ada = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  await bob.evaluate(() => window.vroomRoom.sendChat('hi'));
  await press(ada, 'button', /^Chat/);
  await eventually(async () => /hi/.test(await ada.getByRole('log').textContent()), { message: 'chat shown' });
  assert.deepEqual(await axeViolations(ada), []);
  await press(ada, 'button', 'People');
  await ada.getByRole('list', { name: 'People' }).waitFor({ state: 'attached' });
  assert.deepEqual(await axeViolations(ada), []);
  await Promise.all([lobby.close(), ada.close(), bob.close()]);
});

// Chromium's accessibility tree of the mirror, reduced to what a screen reader announces of
// each control: role, name and state (dynamic words such as connection quality left out).
const CONTROL_ROLES = new Set(['button', 'checkbox', 'radio', 'textbox', 'combobox', 'log', 'list',
  'listitem', 'listbox', 'option', 'status', 'main', 'image']);
const STATES = ['pressed', 'checked', 'expanded', 'disabled', 'invalid', 'focusable'];
async function axTree(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const out = [];
  for (const node of nodes) {
    const role = node.role?.value;
    if (node.ignored || !CONTROL_ROLES.has(role)) continue;
    let name = node.name?.value ?? '';
    if (role === 'listitem') name = name.split(',')[0];
    if (role === 'status') name = '';  // its text is the live state
    const props = {};
    for (const p of node.properties || []) {
      if (STATES.includes(p.name) && p.value?.value !== false && p.value?.value !== 'false') props[p.name] = p.value.value;
    }
    out.push({ role, name, ...props });
  }
  await cdp.detach();
  return out;
}

function compareSnapshot(name, actual) {
  const file = path.join(SNAPSHOTS, `${name}.json`);
  const text = `${JSON.stringify(actual, null, 1)}\n`;
  if (process.env.VROOM_UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, text);
    if (process.env.VROOM_UPDATE_SNAPSHOTS !== '1') assert.fail(`${file} was missing: written, check it in`);
    return;
  }
  assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')), `${name}: the accessibility tree changed (VROOM_UPDATE_SNAPSHOTS=1 rewrites it)`);
}

test('the accessibility tree of the lobby and of a room of three matches its snapshot', async () => {
  const lobby = await lobbyPage();
  await sleep(300);
  compareSnapshot('lobby', await axTree(lobby));
  const room = `tree-${Date.now()}`;
  const ada = await openRoom(env.browser, env.server.url, { room, name: 'Ada', autojoin: 1 });
  const bob = await openRoom(env.browser, env.server.url, { room, name: 'Bob', autojoin: 1 });
  const cy = await openRoom(env.browser, env.server.url, { room, name: 'Cy', autojoin: 1 });
  // Each newcomer tells its media once its camera and microphone are up: wait for both, or a
  // tile may still read "microphone off".
  await eventually(async () => {
    const { members } = await state(ada);
    return members.length === 2 && members.every((m) => m.media.audio && m.media.video);
  }, { message: 'three in the room, microphones and cameras on' });
  await press(ada, 'button', 'People');
  await eventually(async () => (await ada.getByRole('listitem').count()) === 3, { message: 'three listed' });
  await sleep(300);
  compareSnapshot('room-of-three', await axTree(ada));
  await Promise.all([lobby.close(), ada.close(), bob.close(), cy.close()]);
});
