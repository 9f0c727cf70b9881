// The semantics mirror (appended to vroom.mjs after web_runtime.js): an invisible DOM that
// mirrors the overlay's semantics tree (ui/semantics.hpp) with real roles, names, states and
// bounds, so screen readers, the keyboard's Tab order and phones' on-screen keyboards find the
// controls ImGui draws on a canvas. It applies the diffs WebApp.takeSemantics hands it, sends
// focus and activation back (WebApp.semanticsAction, ImGui's own activation path), and carries
// text fields' input: on-screen keyboards, input methods (IME composition), paste and copy.

const MIRROR_CSS = `
.vroom-mirror { position: absolute; inset: 0; pointer-events: none; z-index: 2; }
.vroom-mirror * { position: absolute; box-sizing: border-box; margin: 0; padding: 0; border: 0;
  background: none; opacity: 0; overflow: hidden; white-space: nowrap; font: 13px system-ui, sans-serif;
  color: #fff; pointer-events: none; }
.vroom-mirror .vroom-name-text { position: static; }
.vroom-mirror .vroom-tile-toggle:focus-visible { opacity: 1; outline: 3px solid #ffd84d; outline-offset: -3px;
  box-shadow: inset 0 0 0 6px #000; border-radius: 10px; }
.vroom-mirror input.vroom-composing { opacity: 1; background: #2b2e3a; padding: 0 10px; border-radius: 6px;
  outline: 2px solid #5c99ff; }
`;

// ui/semantics.hpp's state bits.
const STATE = { disabled: 1, checked: 2, pressed: 4, expanded: 8, collapsed: 16, invalid: 32 };
const TEXT_ROLES = new Set(['textbox', 'password']);

function mirrorElement(role) {
  const make = (tag, ariaRole) => {
    const el = document.createElement(tag);
    if (ariaRole) el.setAttribute('role', ariaRole);
    return el;
  };
  switch (role) {
    case 'button': case 'toggle': { const b = make('button'); b.type = 'button'; return b; }
    case 'checkbox': case 'radio': case 'combobox': {
      const b = make('button', role);
      b.type = 'button';
      if (role === 'combobox') b.setAttribute('aria-haspopup', 'listbox');
      return b;
    }
    case 'textbox': case 'password': {
      const input = make('input');
      input.type = role === 'password' ? 'password' : 'text';
      input.autocomplete = 'off';
      input.spellcheck = false;
      return input;
    }
    case 'option': { const o = make('div', 'option'); o.tabIndex = -1; return o; }
    case 'listbox': case 'list': case 'listitem': return make('div', role);
    case 'log': { const log = make('div', 'log'); log.setAttribute('aria-live', 'off'); return log; }
    case 'region': return make('section');
    case 'tile': {  // a pin toggle with a ring of its own when focused (no ImGui item)
      const b = make('button');
      b.type = 'button';
      b.className = 'vroom-tile-toggle';
      return b;
    }
    case 'status': { const s = make('div', 'status'); s.setAttribute('aria-live', 'off'); return s; }
    default: return make('p');
  }
}

class SemanticsMirror {
  /** `host`: the element to mirror into; `app`: the WebApp; `requestFrame`: draws soon. */
  constructor(host, app, requestFrame) {
    this.app = app;
    this.requestFrame = requestFrame;
    this.root = document.createElement('div');
    this.root.className = 'vroom-mirror';
    const style = document.createElement('style');
    style.textContent = MIRROR_CSS;
    host.append(style, this.root);
    this.nodes = new Map();  // id -> { node, el }
    this.focusId = 0;        // the node ImGui's focus was on, as last reported
    this.syncing = false;    // focus we move ourselves is not sent back
    this.composing = false;
    this.scale = 1;          // CSS pixels per UI unit (the text size; see VroomRoom._textScale)
    this.listeners = [];
    const on = (type, fn) => {
      this.root.addEventListener(type, fn);
      this.listeners.push([type, fn]);
    };
    on('click', (e) => this._click(e));
    on('focusin', (e) => this._focus(e));
    on('input', (e) => this._input(e));
    on('compositionstart', (e) => this._composition(e, true));
    on('compositionend', (e) => this._composition(e, false));
    on('paste', (e) => this._paste(e));
    on('copy', (e) => this._copy(e, false));
    on('cut', (e) => this._copy(e, true));
  }

  destroy() {
    for (const [type, fn] of this.listeners) this.root.removeEventListener(type, fn);
    this.root.remove();
  }

  /** The mirrored node an element stands for (null for anything else). */
  nodeOf(el) {
    const entry = el && el.dataset && this.nodes.get(Number(el.dataset.vroomId));
    return entry && entry.el === el ? entry.node : null;
  }

  isTextField(node) { return !!node && TEXT_ROLES.has(node.role); }

  /** The overlay's UI units grew or shrank against CSS pixels: every element is placed again. */
  setScale(scale) {
    if (scale === this.scale) return;
    this.scale = scale;
    for (const entry of this.nodes.values()) this._place(entry);
  }

  /** Applies the frame's changes and follows ImGui's keyboard focus. */
  update() {
    const changes = this.app.takeSemantics();
    if (changes) this._apply(JSON.parse(changes));
    const focus = this.app.semanticsFocus();
    if (focus !== this.focusId) {
      this.focusId = focus;
      const entry = this.nodes.get(focus);
      const active = document.activeElement;
      const ours = active && (this.root.contains(active) || active === this.root.parentElement?.querySelector('canvas.vroom-overlay'));
      if (entry && ours && active !== entry.el) this._moveFocus(entry.el);
    }
  }

  /**
   * Tab pressed on the canvas: the page's focus goes to the control after (or before) the one
   * ImGui's focus is on, as if it had been there. False when ImGui's focus is on none.
   */
  tabFrom(back) {
    const current = this.nodes.get(this.app.semanticsFocus());
    if (!current) return false;
    const stops = [...this.root.querySelectorAll('button, input')];
    const next = stops[stops.indexOf(current.el) + (back ? -1 : 1)];
    if (!next) return false;
    next.focus({ preventScroll: true });
    return true;
  }

  /** A tap on a text field focuses its input inside the gesture, so phones show a keyboard. */
  focusFieldAt(x, y) {
    for (const { node, el } of this.nodes.values()) {
      if (!this.isTextField(node)) continue;
      if (x >= node.x && y >= node.y && x < node.x + node.w && y < node.y + node.h) {
        this._moveFocus(el);
        return true;
      }
    }
    return false;
  }

  // ---- diffs ----

  _apply({ set = [], remove = [], order }) {
    const focused = document.activeElement;
    let lostFocus = false;
    for (const id of remove) {
      const entry = this.nodes.get(id);
      if (!entry) continue;
      if (entry.el === focused || entry.el.contains(focused)) lostFocus = true;
      entry.el.remove();
      this.nodes.delete(id);
    }
    const placed = [];
    for (const node of set) {
      let entry = this.nodes.get(node.id);
      if (entry && entry.node.role !== node.role) {
        entry.el.remove();
        entry = null;
      }
      if (!entry) {
        const el = mirrorElement(node.role);
        el.dataset.vroomId = String(node.id);
        entry = { node, el };
        this.nodes.set(node.id, entry);
      }
      this._describe(entry, node);
      entry.node = node;
      placed.push(entry);
    }
    // Parents: a node goes inside its group; order: as the frame drew them (the Tab order).
    if (order) this._reorder(order);
    for (const entry of placed) if (entry.el.parentNode !== this._parentOf(entry.node)) this._parentOf(entry.node).append(entry.el);
    for (const entry of placed) this._place(entry);
    if (!this.root.contains(document.activeElement) && this.nodes.get(this.focusId) && focused && this.root.contains(focused)) {
      this._moveFocus(this.nodes.get(this.focusId).el);  // a reorder moved it
    } else if (lostFocus && !this.root.contains(document.activeElement)) {
      // The focused control went (a panel closed, the lobby gave way to the room): focus goes
      // where ImGui's is, else to the canvas, so keys keep reaching the room.
      const next = this.nodes.get(this.app.semanticsFocus());
      if (next) this._moveFocus(next.el);
      else this.root.parentElement?.querySelector('canvas.vroom-overlay')?.focus({ preventScroll: true });
    }
  }

  _parentOf(node) {
    const parent = node.parent && this.nodes.get(node.parent);
    return parent ? parent.el : this.root;
  }

  // Moves only the elements out of place: moving a focused element would blur it.
  _reorder(ids) {
    const byParent = new Map();
    for (const id of ids) {
      const entry = this.nodes.get(id);
      if (!entry) continue;
      const parent = this._parentOf(entry.node);
      if (!byParent.has(parent)) byParent.set(parent, []);
      byParent.get(parent).push(entry.el);
    }
    const skip = (el) => { while (el && !el.dataset.vroomId) el = el.nextElementSibling; return el; };
    for (const [parent, els] of byParent) {
      let cursor = skip(parent.firstElementChild);
      for (const el of els) {
        if (cursor === el) {
          cursor = skip(el.nextElementSibling);
          continue;
        }
        parent.insertBefore(el, cursor);
      }
    }
  }

  _place({ node, el }) {
    const parent = node.parent && this.nodes.get(node.parent);
    const dx = parent ? parent.node.x : 0;
    const dy = parent ? parent.node.y : 0;
    const s = this.scale;
    el.style.left = `${(node.x - dx) * s}px`;
    el.style.top = `${(node.y - dy) * s}px`;
    el.style.width = `${node.w * s}px`;
    el.style.height = `${node.h * s}px`;
    // Children were placed relative to this node's old corner.
    if (el.children.length) {
      for (const child of el.children) {
        const entry = this.nodes.get(Number(child.dataset.vroomId));
        if (entry && entry.el === child && entry.node.parent === node.id) {
          child.style.left = `${(entry.node.x - node.x) * s}px`;
          child.style.top = `${(entry.node.y - node.y) * s}px`;
        }
      }
    }
  }

  _describe(entry, node) {
    const { el } = entry;
    const old = entry.node === node ? {} : entry.node;
    const attr = (name, value) => {
      if (value === null || value === undefined || value === '') el.removeAttribute(name);
      else if (el.getAttribute(name) !== String(value)) el.setAttribute(name, String(value));
    };
    const has = (bit) => (node.state & bit) !== 0;
    switch (node.role) {
      case 'text': case 'status':
        if (el.textContent !== node.name) el.textContent = node.name;
        break;
      case 'listitem': {
        let label = el.querySelector(':scope > .vroom-name-text');
        if (!label) {
          label = document.createElement('span');
          label.className = 'vroom-name-text';
          el.prepend(label);
        }
        if (label.textContent !== node.name) label.textContent = node.name;
        attr('aria-label', node.name);  // the row's words, not its buttons' too
        break;
      }
      case 'option':
        if (el.textContent !== node.name) el.textContent = node.name;
        attr('aria-selected', has(STATE.checked) ? 'true' : 'false');
        break;
      case 'combobox':
        attr('aria-label', node.name);
        if (el.textContent !== node.value) el.textContent = node.value;
        attr('aria-expanded', has(STATE.expanded) ? 'true' : 'false');
        break;
      case 'textbox': case 'password':
        attr('aria-label', node.name);
        attr('aria-invalid', has(STATE.invalid) ? 'true' : null);
        if (!this.composing && el.value !== node.value && old.value !== node.value) el.value = node.value;
        break;
      default:
        attr('aria-label', node.name);
        if (node.role === 'button' || node.role === 'toggle') {
          if (el.textContent !== node.name) el.textContent = node.name;
          el.removeAttribute('aria-label');
        }
    }
    if (node.role === 'toggle' || node.role === 'tile') attr('aria-pressed', has(STATE.pressed) ? 'true' : 'false');
    if (node.role === 'checkbox' || node.role === 'radio') attr('aria-checked', has(STATE.checked) ? 'true' : 'false');
    if (node.role === 'button' && (has(STATE.expanded) || has(STATE.collapsed))) attr('aria-expanded', has(STATE.expanded) ? 'true' : 'false');
    attr('aria-disabled', has(STATE.disabled) ? 'true' : null);
    attr('aria-description', node.desc || null);
  }

  // ---- from assistive technology and the keyboard ----

  _moveFocus(el) {
    this.syncing = true;
    try { el.focus({ preventScroll: true }); } finally { this.syncing = false; }
  }

  _click(e) {
    const node = this.nodeOf(e.target.closest?.('[data-vroom-id]'));
    if (!node || this.isTextField(node)) return;
    e.preventDefault();
    this.app.semanticsAction(node.id, 'activate');
    this.requestFrame();
  }

  _focus(e) {
    const node = this.nodeOf(e.target);
    if (!node) return;
    this.focusId = node.id;
    if (this.isTextField(node)) this.app.semanticsAction(node.id, 'activate');
    else if (!this.syncing) this.app.semanticsAction(node.id, 'focus');
    this.requestFrame();
  }

  /** Before keys or text reach a text field's ImGui item, make sure that item is editing. */
  edit(node) {
    this.app.semanticsAction(node.id, 'edit');
  }

  _input(e) {
    const node = this.nodeOf(e.target);
    if (!this.isTextField(node) || e.isComposing || this.composing) return;
    this.edit(node);
    if (e.inputType === 'insertText' && e.data) this.app.text(e.data);
    else if (e.inputType === 'deleteContentBackward') {
      this.app.key('Backspace', true, false, false, false, false);
      this.app.key('Backspace', false, false, false, false, false);
    }
    this.requestFrame();
  }

  _composition(e, start) {
    const node = this.nodeOf(e.target);
    if (!this.isTextField(node)) return;
    this.composing = start;
    // While composing the input itself shows the composition, over the field ImGui draws.
    e.target.classList.toggle('vroom-composing', start);
    if (!start && e.data) {
      this.edit(node);
      this.app.text(e.data);
    }
    this.requestFrame();
  }

  _paste(e) {
    const node = this.nodeOf(e.target);
    if (!this.isTextField(node)) return;
    e.preventDefault();
    const text = e.clipboardData?.getData('text/plain') || '';
    if (!text) return;
    this.edit(node);
    this.app.text(text.replace(/[\r\n]+/g, ' '));
    this.requestFrame();
  }

  _copy(e, cut) {
    const node = this.nodeOf(e.target);
    if (!this.isTextField(node) || node.role === 'password') return;
    const text = this.app.selectedText();
    if (!text) return;
    e.preventDefault();
    e.clipboardData?.setData('text/plain', text);
    if (cut) {
      this.app.key('Delete', true, false, false, false, false);
      this.app.key('Delete', false, false, false, false, false);
      this.requestFrame();
    }
  }
}
