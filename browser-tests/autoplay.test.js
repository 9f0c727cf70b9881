// Autoplay policy: a listener who opens a broadcast link and joins without clicking (and
// without a camera, so the browser grants no autoplay) is told that sound is off, on screen
// and in the status region, and one click on the button turns the host's sound on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, screenshot, sharedServerAndBrowser, statusText, waitForStatus, watchConsole } from './harness.js';

const env = sharedServerAndBrowser();

// Pages Playwright navigates already count as user-activated, so Chromium's real policy
// (--autoplay-policy=document-user-activation-required) never blocks them. This init script
// applies that policy's rule to media elements with sound: play() rejects with
// NotAllowedError until the page has seen a trusted click or key press.
const USER_ACTIVATION_POLICY = `(() => {
  let activated = false;
  for (const type of ['pointerdown', 'keydown']) {
    addEventListener(type, (e) => { if (e.isTrusted) activated = true; }, { capture: true });
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (activated || this.muted) return play.call(this);
    this.pause();
    return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
  };
})();`;

async function openWithPolicy(params) {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(USER_ACTIVATION_POLICY);
  const page = await context.newPage();
  page.problems = watchConsole(page);
  await page.goto(`${env.server.url}?${new URLSearchParams(params)}`);
  await waitForStatus(page, 'state', /State: joined/);
  return page;
}

const remoteAudio = (page) => page.evaluate(() => [...document.querySelectorAll('#app audio')]
  .map((a) => ({ paused: a.paused, live: !!a.srcObject?.getAudioTracks().length })));

test('a listener joining from a link gets a "sound is off" button; one click plays the host', async () => {
  const room = `radio-${Date.now()}`;
  const params = { room, mode: 'broadcast', audio: 'only', autojoin: 1 };
  const host = await openWithPolicy({ ...params, name: 'Host', role: 'host' });
  const listener = await openWithPolicy({ ...params, name: 'Lu', role: 'viewer' });

  await waitForStatus(listener, 'sound', /Sound: blocked by the browser/);
  const button = listener.locator('button.vroom-sound-prompt');
  await button.waitFor({ state: 'visible' });
  assert.match(await button.innerText(), /click to hear the room/);
  assert.deepEqual(await remoteAudio(listener), [{ paused: true, live: true }], 'the host audio waits');
  assert.equal(await listener.evaluate(() => window.vroomRoom.audioBlocked), true);
  await screenshot(listener, 'autoplay-blocked');

  await button.click();
  await waitForStatus(listener, 'sound', /Sound: on/);
  await eventually(async () => (await remoteAudio(listener)).every((a) => !a.paused), { message: 'host audio plays' });
  assert.equal(await button.count(), 0, 'the button is gone');
  assert.equal(await listener.evaluate(() => window.vroomRoom.audioBlocked), false);
  assert.match(await statusText(listener, 'members'), /Host \(host, moderator, connected\)/);

  await Promise.all([host.context().close(), listener.context().close()]);
});
