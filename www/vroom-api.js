// vroom's public JavaScript API. Emscripten appends this file to vroom.mjs (--extern-post-js),
// so `import { createRoom } from './vroom.mjs'` gives a page everything it needs.
// It mounts the overlay canvas and the video layer, forwards DOM input to the C++ app, runs
// frames only when the app asks for them, and turns app state into events.

/** A sentence saying why this browser cannot run vroom, or null when it can. */
export function browserSupportProblem() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    return 'This browser cannot run WebAssembly, which vroom is built on. ' +
      'Use a current Chrome, Edge, Firefox or Safari, or turn WebAssembly back on.';
  }
  const probe = document.createElement('canvas');
  if (!probe.getContext('webgl2')) {
    return 'This browser could not start WebGL2, which vroom needs to draw its interface. ' +
      'Turn on hardware acceleration in the browser settings, or use a current browser.';
  }
  return null;
}

// ImGui buttons: 0 left, 1 right, 2 middle. DOM: 0 left, 1 middle, 2 right.
const IMGUI_BUTTON = [0, 2, 1, 3, 4];
// Keys the overlay handles itself when it has focus (the page must not scroll or tab away).
const CAPTURED_KEYS = new Set(['Tab', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown',
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
    if (!(container instanceof Element)) throw new TypeError('createRoom: container must be an Element');
    this._options = { ui: true, ...options };
    this._state = { state: 'loading', error: '', message: '', room: '', members: [] };
    this._frameRequested = 0;
    this._listeners = [];
    this._destroyed = false;

    this._root = element('div', 'vroom-root', {
      position: 'relative', width: '100%', height: '100%', overflow: 'hidden',
      background: '#0d0f14',
    });
    this._videos = element('div', 'vroom-videos', { position: 'absolute', inset: '0' });
    this._canvas = element('canvas', 'vroom-overlay', {
      position: 'absolute', inset: '0', width: '100%', height: '100%', outline: 'none',
      touchAction: 'none',
    });
    this._canvas.tabIndex = 0;
    this._canvas.setAttribute('aria-label', 'vroom controls');
    this._root.append(this._videos, this._canvas);
    container.append(this._root);
  }

  async _start() {
    this._module = await createVroomModule({
      canvas: this._canvas,
      print: (text) => console.log(`[vroom] ${text}`),
      printErr: (text) => console.warn(`[vroom] ${text}`),
    });
    if (this._destroyed) return;
    const host = {
      requestFrame: () => this._requestFrame(),
      publish: (update) => this._publish(update),
    };
    this._app = new this._module.WebApp(host);
    const problem = this._app.startupError();
    if (problem) {
      const error = new Error(problem);
      error.code = 'webgl_unavailable';
      this.destroy();
      throw error;
    }
    this._wireInput();
    this._resizeObserver = new ResizeObserver(() => this._resize());
    this._resizeObserver.observe(this._root);
    this._resize();
    if (this._options.ui) this._canvas.focus({ preventScroll: true });
  }

  /** A plain copy of the room's current state. */
  getState() {
    return JSON.parse(JSON.stringify(this._state));
  }

  /** How many overlay frames have been drawn (the overlay draws only when something changes). */
  get framesDrawn() {
    return this._app ? this._app.framesDrawn() : 0;
  }

  /** Stops everything this room started and removes every element it added. */
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    if (this._frameRequested) cancelAnimationFrame(this._frameRequested);
    this._resizeObserver?.disconnect();
    for (const [target, type, fn, opts] of this._listeners) target.removeEventListener(type, fn, opts);
    this._listeners = [];
    this._app?.delete();
    this._app = null;
    this._root.remove();
  }

  _publish(update) {
    this._state = { ...this._state, ...update };
    this.dispatchEvent(new CustomEvent('state', { detail: this.getState() }));
  }

  _requestFrame() {
    if (this._frameRequested || this._destroyed) return;
    this._frameRequested = requestAnimationFrame((now) => {
      this._frameRequested = 0;
      if (!this._app) return;
      if (this._app.frame(now) > 0) this._requestFrame();
    });
  }

  _resize() {
    const rect = this._root.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this._canvas.width = Math.max(1, Math.round(rect.width * ratio));
    this._canvas.height = Math.max(1, Math.round(rect.height * ratio));
    this._app.resize(rect.width, rect.height, ratio);
    this._requestFrame();
  }

  _listen(target, type, fn, opts) {
    const wrapped = (event) => {
      if (!this._app) return;
      fn(event);
      this._requestFrame();
    };
    target.addEventListener(type, wrapped, opts);
    this._listeners.push([target, type, wrapped, opts]);
  }

  _wireInput() {
    const canvas = this._canvas;
    const at = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
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
    });
    this._listen(canvas, 'pointerleave', () => this._app.pointerMove(-1e9, -1e9));
    this._listen(canvas, 'contextmenu', (e) => e.preventDefault());
    this._listen(canvas, 'wheel', (e) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 1 / 3 : e.deltaMode === 2 ? 3 : 1 / 100;
      this._app.wheel(-e.deltaX * scale, -e.deltaY * scale);
    }, { passive: false });
    const key = (down) => (e) => {
      this._app.key(e.key, down, e.ctrlKey, e.shiftKey, e.altKey, e.metaKey);
      if (down && e.key.length === 1 && !e.ctrlKey && !e.metaKey) this._app.text(e.key);
      if (CAPTURED_KEYS.has(e.key) || (down && this._app.wantsKeyboard() && !e.metaKey)) {
        e.preventDefault();
      }
    };
    this._listen(canvas, 'keydown', key(true));
    this._listen(canvas, 'keyup', key(false));
    this._listen(canvas, 'focus', () => this._app.focus(true));
    this._listen(canvas, 'blur', () => this._app.focus(false));
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
