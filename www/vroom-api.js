// vroom's public JavaScript API. Emscripten appends this file to vroom.mjs (--extern-post-js,
// after bridge/web_runtime.js), so `import { createRoom } from './vroom.mjs'` gives a page
// everything it needs. A room mounts a video layer, the overlay's patches and a transparent
// input canvas in any element, forwards DOM input to the C++ app, draws frames only when
// asked, turns the session's state deltas into events, and offers promise-returning
// commands. Types: vroom.d.ts.

/** A sentence saying why this browser cannot run vroom, or null when it can. */
export function browserSupportProblem() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    return 'This browser cannot run WebAssembly, which vroom is built on. ' +
      'Use a current Chrome, Edge, Firefox or Safari, or turn WebAssembly back on.';
  }
  return null;
}

/** An error with a machine-readable code ("room_exists", "media_permission_denied", ...). */
export class VroomError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'VroomError';
    this.code = code;
  }
}

// The signaling endpoint of the server that served this module: same origin, path /ws.
function defaultSignalingUrl() {
  const url = new URL('./ws', import.meta.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

// The room, name and role a join token names, read (not verified: the server does that) so
// that `createRoom(el, { token })` alone is a whole invitation. {} when it is no JWT.
function tokenClaims(token) {
  try {
    const part = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : {};
  } catch {
    return {};
  }
}

function withTokenDefaults(options) {
  if (!options.token) return options;
  const claims = tokenClaims(options.token);
  const out = { ...options };
  if (out.room === undefined && typeof claims.room === 'string') out.room = claims.room;
  if (out.name === undefined && typeof claims.name === 'string') out.name = claims.name;
  if (claims.role === 'viewer' && out.mode === undefined && out.role === undefined) {
    out.mode = 'broadcast';  // a viewer token only ever watches a broadcast
    out.role = 'viewer';
  }
  return out;
}

// The longest a frame that may wait (WebApp.framesMayWait) waits for the page to be idle.
const IDLE_FRAME_MS = 100;

// ImGui buttons: 0 left, 1 right, 2 middle. DOM: 0 left, 1 middle, 2 right.
const IMGUI_BUTTON = [0, 2, 1, 3, 4];
// Keys the overlay handles itself when it has focus (the page must not scroll or tab away).
// Tab is not among them: it moves the page's focus through the semantics mirror.
const CAPTURED_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown',
  'PageUp', 'PageDown', 'Home', 'End', ' ', 'Backspace', 'Enter', 'Escape', 'Delete']);

function element(tag, className, style) {
  const node = document.createElement(tag);
  node.className = className;
  Object.assign(node.style, style);
  return node;
}

class VroomRoom extends EventTarget {
  constructor(container, options) {
    super();
    if (!(container instanceof Element)) {
      throw new VroomError('invalid_container', 'createRoom: container must be an Element');
    }
    this._options = withTokenDefaults({ ui: true, signalingUrl: defaultSignalingUrl(), ...options });
    const policy = this._options.iceTransportPolicy;
    if (policy !== undefined && policy !== 'all' && policy !== 'relay') {
      throw new VroomError('invalid_option',
        `createRoom: iceTransportPolicy must be 'all' or 'relay', not '${policy}'`);
    }
    const wasm = this._options.wasm;
    if (wasm !== undefined && !(wasm instanceof WebAssembly.Module) && typeof wasm?.then !== 'function') {
      throw new VroomError('invalid_option',
        'createRoom: wasm must be a WebAssembly.Module or a promise of one (WebAssembly.compileStreaming)');
    }
    this._state = { state: 'loading', members: [], chat: [], errorCode: '', error: '', room: '' };
    this._frameRequested = 0;
    this._idleFrame = 0;
    this._listeners = [];
    this._waiters = new Set();
    this._destroyed = false;

    this._root = element('div', 'vroom-root', {
      position: 'relative', width: '100%', height: '100%', overflow: 'hidden',
      background: this._options.ui ? '#0d0f14' : 'transparent',
    });
    // Its own stacking context: the floating self-view's z-index stays below the overlay.
    this._videos = element('div', 'vroom-videos', { position: 'absolute', inset: '0', zIndex: '0' });
    this._root.append(this._videos);
    if (this._options.ui) {
      // The overlay is rasterised in wasm; the page shows the regions it drew on (_patches).
      // On top, the canvas people click, tap and type on: it never gets a context, so it is
      // invisible and costs the compositor nothing.
      this._patches = element('div', 'vroom-overlay-patches', {
        position: 'absolute', inset: '0', pointerEvents: 'none',
      });
      this._canvas = element('canvas', 'vroom-overlay', {
        position: 'absolute', inset: '0', width: '100%', height: '100%', outline: 'none',
        touchAction: 'none',
      });
      this._canvas.width = this._canvas.height = 0;  // no pixels of its own
      // Focusable for clicks and shortcuts, but no Tab stop: Tab walks the mirror's controls.
      this._canvas.tabIndex = -1;
      this._canvas.setAttribute('aria-label', 'vroom room controls');
      // The person's text size (the browser's default font size): `medium` whatever the
      // page's own CSS says; watched for changes.
      this._textProbe = element('div', 'vroom-text-size', {
        position: 'absolute', visibility: 'hidden', fontSize: 'medium', width: '1em', height: '0',
      });
      this._textProbe.setAttribute('aria-hidden', 'true');
      this._root.append(this._patches, this._canvas, this._textProbe);
    }
    container.append(this._root);
  }

  // Start-up phases as User Timing marks (markPhase, bridge/web_runtime.js): vroom:start,
  // vroom:wasm-ready (downloaded, compiled and instantiated), vroom:app-ready (the C++ app and
  // ImGui made), vroom:started (input, layout and accessibility mirror
  // wired); then the runtime's vroom:first-frame.
  async _start() {
    markPhase('start');
    const moduleArgs = {
      print: (text) => console.log(`[vroom] ${text}`),
      printErr: (text) => console.warn(`[vroom] ${text}`),
    };
    // A vroom.wasm the page compiled ahead (options.wasm) is only instantiated; if it did not
    // compile, the glue fetches and compiles vroom.wasm itself.
    const compiled = await Promise.resolve(this._options.wasm).catch((err) => {
      console.warn(`[vroom] the compiled vroom.wasm passed to createRoom failed (${err?.message ?? err}); loading it again`);
      return undefined;
    });
    let instantiateFailed;
    const failed = new Promise((_, reject) => { instantiateFailed = reject; });
    if (compiled) {
      moduleArgs.instantiateWasm = (imports, receive) => {
        WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled), instantiateFailed);
        return {};
      };
    }
    this._module = await Promise.race([createVroomModule(moduleArgs), failed]);
    if (this._destroyed) return;
    markPhase('wasm-ready');
    this._runtime = new BrowserRuntime({
      videoLayer: this._videos,
      overlayLayer: this._patches,
      requestFrame: () => this._requestFrame(),  // the session changed
      publish: (state) => this._publish(state),
      emit: (type, detail) => this._emitRuntimeEvent(type, detail),
      iceServers: this._options.iceServers,
      iceTransportPolicy: this._options.iceTransportPolicy,
    });
    const { ui, signalingUrl, room, name, mode, role, audioOnly, microphone, camera, token, password, sfu } = this._options;
    const autoJoin = this._options.autoJoin ?? this._options.lobby === false;
    this._app = new this._module.WebApp(this._runtime, {
      ui, signalingUrl, room, name, mode, role, audioOnly, microphone, camera, token, password, sfu: sfu !== false,
      autoJoin: false, utcOffsetMinutes: -new Date().getTimezoneOffset(),
    });
    this._runtime.attach(this._app);
    markPhase('app-ready');
    if (ui) {
      this._mirror = new SemanticsMirror(this._root, this._app, () => this._requestFrame(true));
      // The system's "more contrast" setting, now and when it changes.
      const contrast = window.matchMedia?.('(prefers-contrast: more)');
      if (contrast) {
        this._app.setMoreContrast(contrast.matches);
        this._listen(contrast, 'change', () => this._app.setMoreContrast(contrast.matches));
      }
      this._wireInput();
      this._resizeObserver = new ResizeObserver(() => this._resize());
      this._resizeObserver.observe(this._root);
      this._resizeObserver.observe(this._textProbe);
      this._resize();
      this._canvas.focus({ preventScroll: true });
    }
    // A closed or reloaded tab leaves at once (a dropped socket would keep its seat for the
    // resume window); a tab restored from the back/forward cache may rejoin.
    this._listen(window, 'pagehide', () => this._app.leave());
    if (autoJoin) this.join().catch(() => {});  // failures surface as `error` events and state
    markPhase('started');
  }

  // ---- commands ----

  /** Joins (or, for a broadcast host, creates) the room. Resolves with the joined state. */
  join(overrides = {}) {
    const code = this._call('join', withTokenDefaults(overrides));
    if (code) return Promise.reject(new VroomError(code, `join failed: ${code}`));
    return this._until((s) => s.state === 'joined', (s) => s.state === 'failed' || s.state === 'left' || !!s.errorCode);
  }
  /** Leaves the room; resolves once the room is left. */
  leave() {
    this._call('leave');
    return this._until((s) => !['joined', 'reconnecting', 'joining', 'waiting'].includes(s.state));
  }
  setMicrophone(on) { return this._command('setMicrophone', !!on); }
  setCamera(on) { return this._command('setCamera', !!on); }
  startScreenShare() {
    const code = this._call('startScreenShare');
    if (code) return Promise.reject(new VroomError(code, `startScreenShare failed: ${code}`));
    return this._until((s) => s.local?.screenSharing, (s) => !!s.errorCode);
  }
  stopScreenShare() { return this._command('stopScreenShare'); }
  sendChat(text) { return this._command('sendChat', String(text)); }
  selectDevice(kind, deviceId) {
    const id = String(deviceId);
    const command = this._command('selectDevice', String(kind), id);
    if (kind !== 'audiooutput' && kind !== 'speaker') return command;
    // The speaker moves asynchronously (setSinkId): settle when the state says where it went.
    return command.then(() => this._until((s) => s.local?.audioOutputId === id,
      (s) => s.errorCode === 'speaker_unavailable')).then(() => undefined);
  }

  // ---- moderation (moderators only: others are refused with 'not_allowed') ----

  /** Removes a person from the room; `ban` keeps them out for as long as the room lasts. */
  removePeer(peerId, { ban = false } = {}) {
    const id = String(peerId);
    return this._moderate('removePeer', [id, !!ban], (m) => m.action === 'remove' && m.peer === id);
  }
  /** Asks a person to mute: their client turns its microphone off and tells them who asked. */
  askToMute(peerId) {
    const id = String(peerId);
    return this._moderate('requestMute', [id], (m) => m.action === 'request-mute' && m.peer === id);
  }
  /** Locks the room to new joins (true) or opens it again (false). */
  lockRoom(locked = true) {
    const action = locked ? 'lock' : 'unlock';
    if (this._state.locked === !!locked && this._state.self?.moderator) return Promise.resolve(this.getState());
    return this._moderate('lockRoom', [!!locked], (m) => m.action === action);
  }
  /** Ends the meeting or broadcast for everyone in it, you included. */
  endRoom() {
    return this._moderate('endRoom', [], (m) => m.action === 'end-room');
  }
  /** Dismisses the current notice (e.g. a moderator's mute request). */
  clearNotice() { return this._command('clearNotice'); }

  /** A plain copy of the room's current state. */
  getState() { return structuredClone(this._state); }

  /**
   * Statistics per remote member: { [peerId]: { bytesReceived, framesDecoded, ... } }, of the
   * member's own connection on the mesh, of the member's streams on the video server.
   */
  async getStats() {
    if (!this._app) return {};
    const connections = this._app.peerConnections();  // { peerId: { pc, mids } }
    const entries = await Promise.all(Object.entries(connections).map(
      async ([peerId, { pc, mids }]) => [peerId, await this._runtime.pcStats(pc, mids)]));
    return Object.fromEntries(entries.filter(([, stats]) => stats));
  }

  /** The local camera/microphone stream (for pages that draw their own preview), or null. */
  get localStream() {
    return this._runtime?.streams.get(this._state.local?.streamId) || null;
  }

  /**
   * Plays remote sound the browser's autoplay policy held back. Call it from a click or key
   * handler; resolves true when every remote stream plays. The built-in UI offers a button
   * and also retries on the next click or key press anywhere in the page.
   */
  enableAudio() { return this._runtime ? this._runtime.resumeAudio() : Promise.resolve(true); }
  /** True while the autoplay policy keeps remote sound from playing (see `audio-blocked`). */
  get audioBlocked() { return !!this._runtime?.audioBlocked; }

  /** How many overlay frames have been drawn (the overlay draws only when something changes). */
  get framesDrawn() { return this._app ? this._app.framesDrawn() : 0; }

  /** Stops every track, closes every connection and socket, removes every element it added. */
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    if (this._frameRequested) cancelAnimationFrame(this._frameRequested);
    if (this._idleFrame) cancelIdleCallback(this._idleFrame);
    this._resizeObserver?.disconnect();
    this._mirror?.destroy();
    for (const [target, type, fn, opts] of this._listeners) target.removeEventListener(type, fn, opts);
    this._listeners = [];
    for (const waiter of this._waiters) waiter.reject(new VroomError('destroyed', 'the room was destroyed'));
    this._waiters.clear();
    const app = this._app;
    this._app = null;
    app?.delete();  // the session leaves the room and closes its socket and peer connections
    this._runtime?.shutdown();
    this._root.remove();
    this._module = null;
  }

  // ---- internals ----

  _call(method, ...args) {
    if (!this._app) return 'destroyed';
    const code = this._app[method](...args);
    this._runtime.flushState();  // the command's outcome is in the state before it settles
    return code;
  }
  // A moderation command settles when the server confirms it to this client (the state's
  // `moderation` moves on with this client as `by`), or rejects with the error it drew.
  _moderate(method, args, matches) {
    const before = this._state.moderation?.seq || 0;
    const code = this._call(method, ...args);
    if (code) return Promise.reject(new VroomError(code, `${method} failed: ${code}`));
    return this._until((s) => s.moderation?.seq > before && s.moderation.by === s.self.id && matches(s.moderation),
      (s) => !!s.errorCode || !['joined', 'reconnecting'].includes(s.state));
  }
  _command(method, ...args) {
    const code = this._call(method, ...args);
    return code ? Promise.reject(new VroomError(code, `${method} failed: ${code}`)) : Promise.resolve();
  }
  // Resolves when `done(state)` holds, rejects with the state's error when `failed(state)`.
  _until(done, failed = () => false) {
    if (done(this._state)) return Promise.resolve(this.getState());
    return new Promise((resolve, reject) => {
      const waiter = {
        check: (s) => {
          if (done(s)) { this._waiters.delete(waiter); resolve(structuredClone(s)); }
          else if (failed(s)) {
            this._waiters.delete(waiter);
            reject(new VroomError(s.errorCode || s.state, s.error || s.reason || s.state));
          }
        },
        reject,
      };
      this._waiters.add(waiter);
    });
  }

  // `delta`: the sections that changed (wasm/snapshot_delta.hpp); chat arrives as entries.
  _publish(delta) {
    const prev = this._state;
    const next = { ...prev, ...delta.session, revision: delta.revision };
    if (delta.members) next.members = delta.members;
    if (delta.local) next.local = delta.local;
    const added = delta.chat?.append || [];
    if (delta.chat) next.chat = prev.chat.slice(delta.chat.drop).concat(added);
    this._state = next;
    const fire = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
    fire('state', this.getState());
    // What a screen reader should hear about this change (ui/announcer.hpp), in order.
    const said = this._app?.takeAnnouncements();
    if (said) for (const text of JSON.parse(said)) fire('announcement', { text });
    const before = new Map(prev.members.map((m) => [m.id, m]));
    const after = new Map(next.members.map((m) => [m.id, m]));
    for (const [id, m] of after) if (!before.has(id)) fire('peer-joined', structuredClone(m));
    for (const [id, m] of before) if (!after.has(id)) fire('peer-left', structuredClone(m));
    for (const entry of added) fire('chat', structuredClone(entry));
    if (next.errorCode && next.errorCode !== prev.errorCode) {
      fire('error', { code: next.errorCode, message: next.error });
    }
    const moderation = next.moderation;
    if (moderation?.seq && moderation.seq !== prev.moderation?.seq) {
      const detail = { ...moderation, mine: moderation.by === next.self.id, aboutMe: moderation.peer === next.self.id };
      fire('moderation', detail);
      if (detail.aboutMe && moderation.action === 'remove') fire('removed', { by: moderation.by, byName: moderation.byName, ban: moderation.ban });
      if (detail.aboutMe && moderation.action === 'request-mute') fire('mute-requested', { by: moderation.by, byName: moderation.byName });
    }
    if (next.noticeCode && next.noticeCode !== prev.noticeCode) fire('notice', { code: next.noticeCode, message: next.notice });
    const troubled = (s) => s.state === 'reconnecting' || (s.recovery && s.recovery !== 'none');
    if (troubled(next) && !troubled(prev)) fire('reconnecting', { recovery: next.recovery });
    if (!troubled(next) && troubled(prev) && next.state === 'joined') fire('reconnected', {});
    for (const waiter of [...this._waiters]) waiter.check(next);
  }

  _emitRuntimeEvent(type, detail) {
    this._runtime?.flushState();  // listeners read a state that includes what caused this
    if (type === 'audio-blocked') {
      this._showSoundPrompt(true);
      this.dispatchEvent(new CustomEvent('audio-blocked', { detail: {} }));
      return;
    }
    if (type === 'audio-unblocked') {
      this._showSoundPrompt(false);
      this.dispatchEvent(new CustomEvent('audio-unblocked', { detail: {} }));
      return;
    }
    if (type === 'track') {
      const member = this._state.members.find((m) => [m.cameraStreamId, m.screenStreamId, m.audioStreamId]
        .includes(detail.stream.id));
      this.dispatchEvent(new CustomEvent('track', {
        detail: { peerId: member?.id || '', name: member?.name || '', track: detail.track, stream: detail.stream },
      }));
    }
  }

  // Built-in UI: a real <button> over the room while sound is held back (a canvas cannot be
  // clicked by a screen reader), plus a retry on the next gesture anywhere in the page.
  _showSoundPrompt(show) {
    if (!this._options.ui || this._destroyed) return;
    if (show && !this._soundButton) {
      const button = element('button', 'vroom-sound-prompt', {
        position: 'absolute', left: '50%', top: '56px', transform: 'translateX(-50%)', zIndex: '2',
        padding: '10px 18px', border: '0', borderRadius: '8px', background: '#3a66d6', color: '#fff',
        font: '600 15px system-ui, sans-serif', cursor: 'pointer', boxShadow: '0 2px 10px #0008',
      });
      button.type = 'button';
      button.textContent = 'Sound is off in this tab: click to hear the room';
      button.addEventListener('click', () => this.enableAudio());
      this._root.append(button);
      this._soundButton = button;
      if (!this._soundRetryWired) {
        this._soundRetryWired = true;
        const retry = () => { if (this.audioBlocked) this.enableAudio(); };
        for (const type of ['pointerdown', 'keydown']) this._listen(document, type, retry, { capture: true });
      }
    } else if (!show && this._soundButton) {
      this._soundButton.remove();
      this._soundButton = null;
    }
  }

  // A frame at the next display refresh. One asked for by the session while the call is being
  // set up (WebApp.framesMayWait: joining, links still connecting) waits instead for the page
  // to be idle, at most IDLE_FRAME_MS: the socket and connection events the join waits for go
  // first (the overlay's frames held the join back by about 65 ms). `input`: a person acted
  // (pointer, keys, the semantics mirror), which never waits.
  _requestFrame(input = false) {
    if (this._frameRequested || this._destroyed || !this._canvas) return;
    const draw = (now) => {
      this._frameRequested = 0;
      if (!this._app) return;
      const more = this._app.frame(now);
      this._mirror?.update();
      if (more > 0) this._requestFrame();
    };
    if (!input && this._app?.framesMayWait() && typeof requestIdleCallback === 'function') {
      // Scheduling a display-refresh frame cancels this one, so it never draws twice.
      this._idleFrame ||= requestIdleCallback(() => {
        this._idleFrame = 0;
        draw(performance.now());
      }, { timeout: IDLE_FRAME_MS });
      return;
    }
    if (this._idleFrame) cancelIdleCallback(this._idleFrame);
    this._idleFrame = 0;
    this._frameRequested = requestAnimationFrame(draw);
  }

  _resize() {
    if (!this._app) return;
    const rect = this._root.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    // The overlay lays out in UI units, `scale` CSS pixels each: a larger text size grows its
    // text and controls as browser zoom does (ImGui sees a smaller window, drawn denser).
    const scale = this._textScale();
    this._runtime.setScale(scale);
    this._mirror?.setScale(scale);
    this._app.resize(rect.width / scale, rect.height / scale, ratio * scale);
  }

  // The text size against the usual 16 px, within 1x-3x (smaller than 16 px is left at 1x:
  // the overlay's 13 px text is its smallest readable size).
  _textScale() {
    const px = parseFloat(getComputedStyle(this._textProbe).fontSize) || 16;
    return Math.min(3, Math.max(1, px / 16));
  }

  _listen(target, type, fn, opts) {
    const wrapped = (event) => {
      if (!this._app) return;
      fn(event);
      this._requestFrame(true);
    };
    target.addEventListener(type, wrapped, opts);
    this._listeners.push([target, type, wrapped, opts]);
  }

  _wireInput() {
    const canvas = this._canvas;
    const at = (event) => {
      const rect = canvas.getBoundingClientRect();
      const s = this._runtime.scale;  // CSS pixels -> the overlay's UI units
      return [(event.clientX - rect.left) / s, (event.clientY - rect.top) / s];
    };
    this._listen(canvas, 'pointermove', (e) => this._app.pointerMove(...at(e)));
    this._listen(canvas, 'pointerdown', (e) => {
      canvas.focus({ preventScroll: true });
      canvas.setPointerCapture?.(e.pointerId);
      this._app.pointerMove(...at(e));
      this._app.pointerButton(IMGUI_BUTTON[e.button] ?? 0, true);
    });
    this._listen(canvas, 'pointerup', (e) => {
      this._app.pointerMove(...at(e));
      this._app.pointerButton(IMGUI_BUTTON[e.button] ?? 0, false);
      // A tap on a text field focuses its mirrored input within the gesture: phones then open
      // their on-screen keyboard, and input methods compose into it.
      if (e.button === 0) this._mirror?.focusFieldAt(...at(e));
    });
    this._listen(canvas, 'pointerleave', () => this._app.pointerMove(-1e9, -1e9));
    this._listen(canvas, 'contextmenu', (e) => e.preventDefault());
    this._listen(canvas, 'wheel', (e) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 1 / 3 : e.deltaMode === 2 ? 3 : 1 / 100;
      this._app.wheel(-e.deltaX * scale, -e.deltaY * scale);
    }, { passive: false });
    // Keys from the canvas and from the mirror's elements (web_semantics.js) both reach ImGui,
    // but Tab moves the page's focus, Enter and Space on a mirrored button click it (and its
    // click activates the item), an input method's keys compose, and clipboard keys in a text
    // field become the page's copy, cut and paste events.
    const key = (down) => (e) => {
      if (e.key === 'Tab') {
        if (down && e.target === canvas && this._mirror?.tabFrom(e.shiftKey)) e.preventDefault();
        return;
      }
      const node = this._mirror?.nodeOf(e.target);
      if (e.target !== canvas && !node) return;  // a real control of the room's (Sound is off)
      const field = this._mirror?.isTextField(node);
      if (node && !field && (e.key === 'Enter' || e.key === ' ')) return;
      if (field && (e.isComposing || e.keyCode === 229 || e.key === 'Unidentified')) return;
      const clipboard = (e.ctrlKey || e.metaKey) && ['c', 'v', 'x'].includes(e.key.toLowerCase());
      if (field && clipboard) return;
      if (field && down) this._mirror.edit(node);
      this._app.key(e.key, down, e.ctrlKey, e.shiftKey, e.altKey, e.metaKey);
      const printable = [...e.key].length === 1;
      if (down && printable && !e.ctrlKey && !e.metaKey) this._app.text(e.key);
      if (CAPTURED_KEYS.has(e.key) || (field && printable) || (down && this._app.wantsKeyboard() && !e.metaKey)) {
        e.preventDefault();
      }
    };
    this._listen(this._root, 'keydown', key(true));
    this._listen(this._root, 'keyup', key(false));
    // The canvas and the mirror are one focus for ImGui: only leaving both is a blur.
    const inside = (el) => !!el && this._root.contains(el);
    this._listen(this._root, 'focusin', (e) => { if (!inside(e.relatedTarget)) this._app.focus(true); });
    this._listen(this._root, 'focusout', (e) => { if (!inside(e.relatedTarget)) this._app.focus(false); });
  }
}

/**
 * Mounts a vroom room inside `container` (any element; the room fills it) and resolves to the
 * room object once the WebAssembly module is running.
 */
export async function createRoom(container, options = {}) {
  const room = new VroomRoom(container, options);
  try {
    await room._start();
  } catch (err) {
    room.destroy();
    throw err;
  }
  return room;
}
