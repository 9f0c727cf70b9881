// The browser half of vroom's seams (appended to vroom.mjs before vroom-api.js). One
// BrowserRuntime per mounted room holds every live JS object (sockets, peer connections,
// streams, tracks, <video>/<audio> elements, tile labels, overlay patches) in registries. C++
// calls its methods through embind; results come back as app.resolve(requestId, ok, value),
// events as app.deliver(objectId, event, data), statistics as app.stats(json). Nothing here
// throws into C++, and a callback that arrives after its object was closed is dropped.

// The self-view's frame rate cap (the camera sent to peers keeps its own rate).
const PREVIEW_FPS = 15;
// How long a tile's old video stays under the stream that takes over its box, waiting for
// that stream's first frame (videoHide).
const HANDOVER_MS = 3000;
const HAVE_CURRENT_DATA = 2;  // HTMLMediaElement.readyState: a frame can be shown
// How often every peer connection's statistics are sampled: speaking (the sound level over
// the interval), quality badges and the stats panel (StatsHistory keeps a point a second).
// Each getStats() also runs on the threads that encode and decode the call's media: in a
// mesh of 4, sampling twice a second took a third of the pages' main-thread work (issue 11).
const STATS_INTERVAL_MS = 1000;
const QUALITY_COLOURS = { good: '#5ccc73', fair: '#f2c14e', poor: '#eb5a50' };
// A tile's front label: the name pill (with a microphone-off mark), the quality badge, and
// the notice over a tile whose connection is not up.
const TILE_FRONT = '<div class="vroom-name"><svg class="vroom-muted" viewBox="0 0 24 24" ' +
  'aria-label="microphone off" role="img"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3z' +
  'M19 11a7 7 0 0 1-1.2 3.9M5 11a7 7 0 0 0 11.3 5.5M12 18v3M3 3l18 18" fill="none" ' +
  'stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg><span></span></div>' +
  '<div class="vroom-quality"><i></i><span></span></div><div class="vroom-notice"></div>';

const TILE_CSS = `
.vroom-tile-back { border-radius: 10px; display: flex; align-items: center; justify-content: center; }
.vroom-initials { display: flex; align-items: center; justify-content: center; width: 2.2em; height: 2.2em;
  border-radius: 50%; background: #4585fad9; color: #fff; font: 600 16px system-ui, sans-serif; }
.vroom-initials[hidden] { display: none; }
.vroom-tile-label { font: 600 calc(13px * var(--vroom-scale, 1))/calc(18px * var(--vroom-scale, 1)) system-ui, sans-serif;
  color: #fff; }
.vroom-name { position: absolute; left: 8px; bottom: 8px; max-width: calc(100% - 32px); display: flex; gap: 5px;
  align-items: center; padding: 3px 8px; border-radius: 6px; background: #0000008c; white-space: nowrap; }
.vroom-name span { overflow: hidden; text-overflow: ellipsis; }
.vroom-muted { width: 15px; height: 15px; flex: none; color: #ffbfb8; }
.vroom-muted[hidden] { display: none; }
.vroom-quality { position: absolute; right: 8px; top: 8px; display: flex; gap: 5px; align-items: center;
  padding: 2px 8px; border-radius: 6px; background: #0000008c; }
.vroom-quality i { width: 8px; height: 8px; border-radius: 50%; }
.vroom-notice { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  border-radius: 10px; background: #00000073; }
.vroom-quality[hidden], .vroom-notice[hidden], .vroom-tile-caption[hidden] { display: none; }
.vroom-small { font-size: 11px; line-height: 15px; }
.vroom-small .vroom-name { left: 4px; bottom: 4px; padding: 1px 6px; }
.vroom-tile-caption { transform: translateY(-100%); color: #ccd1e0; font: 13px system-ui, sans-serif; }
`;

const layer = (className) => {
  const el = document.createElement('div');
  el.className = className;
  el.style.cssText = 'position:absolute;inset:0;pointer-events:none';
  return el;
};
const tileElement = (className) => {
  const el = document.createElement('div');
  el.className = className;
  el.style.position = 'absolute';
  return el;
};

// One User Timing mark of a room's start-up, `vroom:<phase>` in the browser's performance
// timeline (developer tools and scripts/bench read them): VroomRoom._start (www/vroom-api.js)
// marks start, wasm-ready, app-ready and started; presentOverlay marks first-frame.
const markPhase = (phase) => performance.mark?.(`vroom:${phase}`);

const errorInfo = (err) => ({ name: (err && err.name) || 'Error', message: (err && err.message) || String(err) });

class BrowserRuntime {
  constructor({ videoLayer, overlayLayer, requestFrame, publish, emit, iceServers,
    iceTransportPolicy }) {
    this.videoLayer = videoLayer;
    this.overlayLayer = overlayLayer;    // where the patches showing the overlay go
    this.patches = [];
    this.scale = 1;  // CSS pixels per UI unit: the overlay and the tiles lay out in UI units
    // ICE servers the page configures come before those the signaling server announces;
    // 'relay' sends all media through TURN (no host or reflexive candidates are offered).
    this.pageIceServers = Array.isArray(iceServers) ? iceServers : [];
    this.iceTransportPolicy = iceTransportPolicy === 'relay' ? 'relay' : 'all';
    this.requestFrame = requestFrame;
    this.publish = publish;
    this.emit = emit || (() => {});  // page-facing events (e.g. the remote `track` event)
    this.app = null;
    this.text = new BrowserText();  // the overlay's glyphs and text runs (web_text.js)
    this.sockets = new Map();      // id -> WebSocket
    this.peers = new Map();        // id -> { pc, senders: Map(senderId -> RTCRtpSender), remoteStreams: Set }
    this.streams = new Map();      // stream id -> MediaStream (local and remote)
    this.tracks = new Map();       // track id -> MediaStreamTrack (local)
    this.videos = new Map();       // stream id -> <video>
    this.previews = new Map();     // local stream id -> the reduced camera copy its <video> plays
    this.labels = new Map();       // tile id -> { back, front } label elements
    this.audios = new Map();       // remote stream id -> <audio>
    this.blockedAudio = new Set(); // <audio>s the autoplay policy has not let play yet
    this.audioOutputId = '';       // the chosen speaker ('' = the system default)
    this.nextSender = 1;
    // Tile rings and placeholders go behind the videos, names and badges in front: nothing a
    // tile shows covers its video but small pills, so video frames composite cheaply.
    this.tileBacks = layer('vroom-tile-backs');
    this.media = layer('vroom-media');
    this.tileFronts = layer('vroom-tile-fronts');
    const style = document.createElement('style');
    style.textContent = TILE_CSS;
    this.videoLayer.append(style, this.tileBacks, this.media, this.tileFronts);
    this.onDeviceChange = () => this._deliver('media', 'devicechange', null);
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    // Nobody sees the self-view of a hidden tab: its copy of the camera rests meanwhile.
    this.onVisibility = () => {
      for (const { track } of this.previews.values()) track.enabled = !document.hidden;
    };
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  attach(app) {
    this.app = app;
    this.statsTimer = setInterval(() => this._sampleStats(), STATS_INTERVAL_MS);
    this.flushState();
  }

  // ---- the JS API's state (WebApp.takeState) ----
  // The session changed: take its delta once the current task's changes are all in.
  statePending() {
    if (this.stateQueued) return;
    this.stateQueued = true;
    queueMicrotask(() => this.flushState());
  }
  /** Publishes what changed now (after a command, before an event that reads the state). */
  flushState() {
    this.stateQueued = false;
    const delta = this.app?.takeState();
    if (delta) this.publish(JSON.parse(delta));
  }

  // ---- statistics ----
  // Every live connection's getStats, flattened, in one call to C++: it decides speaking and
  // quality; nothing else crosses. A sample still in flight skips the next tick.
  async _sampleStats() {
    if (!this.app || this.sampling || this.peers.size === 0) return;
    this.sampling = true;
    try {
      const samples = await Promise.all([...this.peers].map(async ([id, entry]) => {
        try {
          const report = readStats(await this._report(entry));
          const stats = flattenStats(report);
          stats.audioLevel = speakingLevel(entry, stats);
          // Each received stream apart (by mid): on the video server's subscriber connection
          // every member's streams share one connection.
          const streams = {};
          entry.streamEnergy ??= new Map();
          for (const mid of inboundMids(report)) {
            if (!entry.streamEnergy.has(mid)) entry.streamEnergy.set(mid, {});
            const one = flattenStats(report, [mid]);
            one.audioLevel = speakingLevel(entry.streamEnergy.get(mid), one);
            streams[mid] = one;
          }
          return { pc: id, ...stats, streams };
        } catch {
          return null;  // closed meanwhile
        }
      }));
      this.app?.stats(JSON.stringify(samples.filter((s) => s && this.peers.has(s.pc))));
    } finally {
      this.sampling = false;
    }
  }
  /**
   * Fresh statistics of one peer connection (the JS API's getStats), or null; with `mids`
   * (not empty): of those received streams only.
   */
  async pcStats(id, mids = []) {
    const entry = this.peers.get(id);
    if (!entry) return null;
    try {
      const report = readStats(await this._report(entry));
      const flat = flattenStats(report, mids.length ? mids : undefined);
      const { totalAudioEnergy, totalSamplesDuration, ...stats } = flat;
      return stats;
    } catch {
      return null;
    }
  }

  /** The text size changed: `scale` CSS pixels per UI unit from the next frame on. */
  setScale(scale) {
    this.scale = scale;
    this.videoLayer.style.setProperty('--vroom-scale', String(scale));
  }
  // UI units -> CSS pixels, for an element's style.
  _box(x, y, width, height) {
    const s = this.scale;
    return { left: `${x * s}px`, top: `${y * s}px`, width: `${width * s}px`, height: `${height * s}px` };
  }

  // ---- the overlay's patches (WebApp.present) ----
  // Each region the overlay drew on is shown by a small canvas placed there, so no
  // full-window canvas is blended over every video frame.
  // `rects`: x, y, w, h (device px) and dirty (1: new pixels follow) per region; `pixels`:
  // the dirty regions' RGBA rows in order (a view into wasm memory, read at once).
  presentOverlay(rects, pixels, ratio) {
    const count = rects.length / 5;
    const css = this.scale / ratio;  // device pixels -> CSS pixels
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const [x, y, width, height, dirty] = rects.subarray(i * 5, i * 5 + 5);
      let patch = this.patches[i];
      if (!patch) {
        patch = document.createElement('canvas');
        patch.className = 'vroom-overlay-patch';
        patch.style.position = 'absolute';
        this.overlayLayer.append(patch);
        this.patches.push(patch);
      }
      patch.hidden = false;
      if (patch.width !== width || patch.height !== height) {
        patch.width = width;
        patch.height = height;
      }
      Object.assign(patch.style, {
        left: `${x * css}px`, top: `${y * css}px`, width: `${width * css}px`, height: `${height * css}px`,
      });
      if (!dirty) continue;
      const bytes = width * height * 4;
      const data = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset + offset, bytes);
      offset += bytes;
      patch.getContext('2d').putImageData(new ImageData(data, width, height), 0, 0);
    }
    for (let i = count; i < this.patches.length; i++) this.patches[i].hidden = true;
    if (!this.firstFramePresented) {
      this.firstFramePresented = true;
      markPhase('first-frame');  // the lobby (or the room) is on screen
    }
  }

  _resolve(request, ok, value) {
    if (this.app) this.app.resolve(request, ok, value === undefined ? null : value);
  }
  _deliver(id, event, data) {
    if (this.app) this.app.deliver(id, event, data === undefined ? null : data);
  }
  // Settles a promise back to C++ by request id, mapping a rejection to {name, message}.
  _settle(request, promise, map = (v) => v) {
    Promise.resolve().then(() => promise()).then(
      (value) => this._resolve(request, true, map(value)),
      (err) => this._resolve(request, false, errorInfo(err)));
  }

  // ---- WebSocket (SignalingChannel) ----
  wsOpen(id, url) {
    this.wsClose(id, 1000, 'replaced');
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      queueMicrotask(() => this._deliver(id, 'close', { code: 1006, reason: errorInfo(err).message }));
      return;
    }
    this.sockets.set(id, ws);
    const live = () => this.sockets.get(id) === ws;
    ws.onopen = () => { if (live()) this._deliver(id, 'open', null); };
    ws.onmessage = (e) => { if (live() && typeof e.data === 'string') this._deliver(id, 'message', e.data); };
    ws.onclose = (e) => {
      if (!live()) return;
      this.sockets.delete(id);
      this._deliver(id, 'close', { code: e.code, reason: e.reason || '' });
    };
  }
  wsSend(id, text) {
    const ws = this.sockets.get(id);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
  }
  wsClose(id, code, reason) {
    const ws = this.sockets.get(id);
    if (!ws) return;
    this.sockets.delete(id);  // the core asked: no close event for this socket
    try { ws.close(code, reason); } catch { ws.close(); }
  }
  get openSocketCount() { return this.sockets.size; }

  // ---- RTCPeerConnection (PeerConnection) ----
  rtcConfiguration(iceServers) {
    return { iceServers: [...this.pageIceServers, ...iceServers], iceTransportPolicy: this.iceTransportPolicy };
  }
  pcCreate(id, iceServers) {
    let pc;
    try {
      pc = new RTCPeerConnection(this.rtcConfiguration(iceServers));
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
    const entry = { pc, senders: new Map(), remoteStreams: new Set() };
    // Settles when pcClose closes it: Firefox never settles a getStats() of a connection
    // closed while the report was on its way (_report).
    entry.closed = new Promise((resolve) => { entry.markClosed = resolve; });
    this.peers.set(id, entry);
    const live = () => this.peers.get(id) === entry;
    pc.onnegotiationneeded = () => { if (live()) this._deliver(id, 'negotiationneeded', null); };
    pc.onicecandidate = (e) => {
      if (live()) this._deliver(id, 'icecandidate', e.candidate ? e.candidate.toJSON() : null);
    };
    pc.onconnectionstatechange = () => { if (live()) this._deliver(id, 'connectionstate', pc.connectionState); };
    pc.oniceconnectionstatechange = () => { if (live()) this._deliver(id, 'iceconnectionstate', pc.iceConnectionState); };
    pc.onsignalingstatechange = () => { if (live()) this._deliver(id, 'signalingstate', pc.signalingState); };
    pc.ontrack = (e) => {
      if (!live()) return;
      // The video server sends every member's tracks under one stream id: a track whose
      // stream already holds another of its kind gets a stream of its own (one tile each).
      const shared = e.streams[0];
      const crowded = shared && shared.getTracks().some((t) => t !== e.track && t.kind === e.track.kind);
      const stream = shared && !crowded ? shared : new MediaStream([e.track]);
      this.streams.set(stream.id, stream);
      entry.remoteStreams.add(stream.id);
      if (e.track.kind === 'audio') this._playRemoteAudio(stream);
      const removed = () => { if (live()) this._deliver(id, 'trackremoved', e.track.id); };
      e.track.addEventListener('ended', removed);
      stream.addEventListener('removetrack', (ev) => { if (ev.track === e.track) removed(); });
      this._deliver(id, 'track', { trackId: e.track.id, kind: e.track.kind, streamId: stream.id, mid: e.transceiver?.mid ?? '' });
      this.emit('track', { peerConnectionId: id, track: e.track, stream });
    };
    return { ok: true };
  }
  _peer(id) { return this.peers.get(id)?.pc; }
  pcSetLocalDescription(request, id) {
    const pc = this._peer(id);
    this._settle(request, () => pc.setLocalDescription(),
      () => ({ type: pc.localDescription.type, sdp: pc.localDescription.sdp }));
  }
  pcRollback(request, id) {
    const pc = this._peer(id);
    this._settle(request, () => pc.setLocalDescription({ type: 'rollback' }), () => null);
  }
  pcSetRemoteDescription(request, id, type, sdp) {
    const pc = this._peer(id);
    this._settle(request, () => pc.setRemoteDescription({ type, sdp }), () => null);
  }
  pcAddIceCandidate(request, id, candidate) {
    const pc = this._peer(id);
    this._settle(request, () => pc.addIceCandidate(candidate || undefined), () => null);
  }
  _addSender(entry, sender) {
    const senderId = `s${this.nextSender++}`;
    entry.senders.set(senderId, sender);
    return senderId;
  }
  // `encodings` (RTCRtpEncodingParameters[], or null): simulcast, on a send-only transceiver.
  pcAddTrack(id, trackId, streamId, encodings) {
    const entry = this.peers.get(id);
    const track = this.tracks.get(trackId);
    const stream = this.streams.get(streamId);
    if (!entry || !track) return { ok: false, error: { name: 'InvalidAccessError', message: `unknown track ${trackId}` } };
    try {
      if (encodings) {
        const transceiver = entry.pc.addTransceiver(track,
          { direction: 'sendonly', streams: stream ? [stream] : [], sendEncodings: encodings });
        return { ok: true, value: this._addSender(entry, transceiver.sender) };
      }
      const sender = stream ? entry.pc.addTrack(track, stream) : entry.pc.addTrack(track);
      return { ok: true, value: this._addSender(entry, sender) };
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
  }
  pcAddTransceiver(id, kind, direction, encodings) {
    const entry = this.peers.get(id);
    if (!entry) return { ok: false, error: { name: 'InvalidStateError', message: 'closed' } };
    try {
      const transceiver = entry.pc.addTransceiver(kind, encodings ? { direction, sendEncodings: encodings } : { direction });
      return { ok: true, value: this._addSender(entry, transceiver.sender) };
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
  }
  pcReplaceTrack(request, id, senderId, trackId) {
    const sender = this.peers.get(id)?.senders.get(senderId);
    const track = trackId ? this.tracks.get(trackId) : null;
    this._settle(request, () => {
      if (!sender) throw Object.assign(new Error(`unknown sender ${senderId}`), { name: 'InvalidStateError' });
      if (trackId && !track) throw Object.assign(new Error(`unknown track ${trackId}`), { name: 'InvalidAccessError' });
      return sender.replaceTrack(track);
    }, () => null);
  }
  // `encodings` ([{rid, active}]): the sender's encodings of those rids turned on or off.
  pcSetEncodingsActive(request, id, senderId, encodings) {
    const sender = this.peers.get(id)?.senders.get(senderId);
    this._settle(request, async () => {
      if (!sender) throw Object.assign(new Error(`unknown sender ${senderId}`), { name: 'InvalidStateError' });
      const params = sender.getParameters();
      if (!params.encodings) return;
      for (const encoding of params.encodings) {
        const wanted = encodings.find((e) => e.rid === encoding.rid);
        if (wanted) encoding.active = wanted.active;
      }
      await sender.setParameters(params);
    }, () => null);
  }
  pcRemoveTrack(id, senderId) {
    const entry = this.peers.get(id);
    const sender = entry?.senders.get(senderId);
    if (!sender) return;
    entry.senders.delete(senderId);
    try { entry.pc.removeTrack(sender); } catch { /* closed: nothing to remove */ }
  }
  pcRestartIce(id) { this._peer(id)?.restartIce(); }
  pcSetIceServers(id, iceServers) {
    try {
      this._peer(id)?.setConfiguration(this.rtcConfiguration(iceServers));
    } catch (err) {
      console.warn('[vroom] could not apply renewed ICE servers:', err);
    }
  }
  pcClose(id) {
    const entry = this.peers.get(id);
    if (!entry) return;
    this.peers.delete(id);
    for (const streamId of entry.remoteStreams) {
      this._stopRemoteAudio(streamId);
      this.streams.delete(streamId);
    }
    entry.pc.close();
    entry.markClosed();
  }
  // A connection's stats report, or a rejection once it is closed (whichever comes first).
  _report(entry) {
    return Promise.race([entry.pc.getStats(), entry.closed.then(() => { throw new Error('closed'); })]);
  }
  /** Live RTCPeerConnections, for getStats() of the JS API and for tests. */
  peerConnections() { return [...this.peers.values()].map((e) => e.pc); }

  // The remote audio streams to hear (every member's one, named by the core); the others play
  // muted. Until the core names any, every stream is heard.
  audioAudible(streamIds) {
    this.audible = new Set(streamIds);
    for (const [id, audio] of this.audios) audio.muted = !this.audible.has(id);
  }
  _playRemoteAudio(stream) {
    if (this.audios.has(stream.id)) return;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.muted = !!this.audible && !this.audible.has(stream.id);
    audio.srcObject = stream;
    audio.dataset.streamId = stream.id;
    audio.style.display = 'none';
    this.media.append(audio);
    this.audios.set(stream.id, audio);
    // A speaker chosen earlier applies to people who arrive later too.
    if (this.audioOutputId && audio.setSinkId) audio.setSinkId(this.audioOutputId).catch(() => {});
    audio.play?.().catch((err) => {
      // The browser's autoplay policy wants a click or key press before sound plays.
      if (err?.name !== 'NotAllowedError' || this.audios.get(stream.id) !== audio) return;
      this.blockedAudio.add(audio);
      if (this.blockedAudio.size === 1) this.emit('audio-blocked', {});
    });
  }
  /** Plays every remote <audio> the autoplay policy held back; resolves true if all play. */
  async resumeAudio() {
    const held = [...this.blockedAudio];
    const results = await Promise.allSettled(held.map((audio) => audio.play()));
    results.forEach((r, i) => { if (r.status === 'fulfilled') this.blockedAudio.delete(held[i]); });
    const allPlaying = this.blockedAudio.size === 0;
    if (allPlaying && held.length) this.emit('audio-unblocked', {});
    return allPlaying;
  }
  get audioBlocked() { return this.blockedAudio.size > 0; }
  _stopRemoteAudio(streamId) {
    const audio = this.audios.get(streamId);
    if (!audio) return;
    if (this.blockedAudio.delete(audio) && this.blockedAudio.size === 0) this.emit('audio-unblocked', {});
    audio.srcObject = null;
    audio.remove();
    this.audios.delete(streamId);
  }

  // ---- navigator.mediaDevices (MediaDevices) ----
  _registerLocal(stream) {
    this.streams.set(stream.id, stream);
    const ids = { streamId: stream.id, audioTrackId: '', videoTrackId: '' };
    for (const track of stream.getTracks()) {
      this.tracks.set(track.id, track);
      if (track.kind === 'audio') ids.audioTrackId = track.id;
      else ids.videoTrackId = track.id;
      track.addEventListener('ended', () => {
        if (this.tracks.get(track.id) === track) this._deliver('media', 'trackended', track.id);
      });
    }
    return ids;
  }
  _noMediaDevices(request) {
    if (navigator.mediaDevices) return false;
    this._resolve(request, false, {
      name: 'InsecureContext',
      message: window.isSecureContext ? 'navigator.mediaDevices is missing' : 'not a secure context',
    });
    return true;
  }
  mediaGetUser(request, constraints) {
    if (this._noMediaDevices(request)) return;
    const want = {
      audio: constraints.audio
        ? (constraints.audioDeviceId ? { deviceId: { exact: constraints.audioDeviceId } } : true)
        : false,
      video: constraints.video
        ? { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 },
            ...(constraints.videoDeviceId ? { deviceId: { exact: constraints.videoDeviceId } } : {}) }
        : false,
    };
    this._settle(request, () => navigator.mediaDevices.getUserMedia(want), (s) => this._registerLocal(s));
  }
  mediaGetDisplay(request) {
    if (this._noMediaDevices(request)) return;
    this._settle(request, () => navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }),
      (s) => this._registerLocal(s));
  }
  mediaEnumerate(request) {
    if (this._noMediaDevices(request)) return;
    this._settle(request, () => navigator.mediaDevices.enumerateDevices(),
      (list) => list.map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label })));
  }
  /**
   * Plays every remote <audio>, present and future, on the speaker `deviceId` ('' = default).
   * Rejects (NotSupportedError where the browser has no setSinkId, NotFoundError for a
   * device that is gone) and keeps the previous speaker then.
   */
  mediaSetAudioOutput(request, deviceId) {
    this._settle(request, async () => {
      const probe = document.createElement('audio');
      if (!probe.setSinkId) {
        throw Object.assign(new Error('this browser cannot choose a speaker'), { name: 'NotSupportedError' });
      }
      await probe.setSinkId(deviceId);  // checks the device before anything moves
      await Promise.all([...this.audios.values()].map((audio) => audio.setSinkId(deviceId)));
      this.audioOutputId = deviceId;
    }, () => null);
  }
  trackSetEnabled(trackId, enabled) {
    const track = this.tracks.get(trackId);
    if (track) track.enabled = enabled;
  }
  trackStop(trackId) {
    const track = this.tracks.get(trackId);
    if (!track) return;
    this.tracks.delete(trackId);
    track.stop();
    for (const [streamId, stream] of this.streams) {
      if (stream.getTracks().every((t) => t.readyState === 'ended') && !this._isRemote(streamId)) {
        this.streams.delete(streamId);
      }
    }
  }
  _isRemote(streamId) {
    for (const entry of this.peers.values()) if (entry.remoteStreams.has(streamId)) return true;
    return false;
  }
  /** Every local track still registered (for tests and destroy()). */
  localTracks() { return [...this.tracks.values()]; }

  // ---- the video layer (VideoSurface) ----
  videoShow(streamId, x, y, width, height, mirrored, floating, tile = '') {
    let video = this.videos.get(streamId);
    if (!video) {
      const stream = this.streams.get(streamId);
      if (!stream) return false;
      video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true;  // sound plays through the <audio> elements; local preview is silent
      video.setAttribute('playsinline', '');
      video.dataset.streamId = streamId;
      // See-through until its first frame: the tile's back (initials), or the picture this
      // video takes over from (videoHide), shows meanwhile.
      Object.assign(video.style, { position: 'absolute', objectFit: 'cover', borderRadius: '10px' });
      video.addEventListener('loadeddata', () => { video.style.background = '#1b1e27'; }, { once: true });
      video.srcObject = mirrored ? this._preview(streamId, stream) : stream;
      video.addEventListener('resize', () => {
        if (this.videos.get(streamId) === video) {
          this._deliver('video', 'resize', { streamId, width: video.videoWidth, height: video.videoHeight });
        }
      });
      this.media.append(video);
      this.videos.set(streamId, video);
      video.play?.().catch(() => {});
    }
    video.dataset.mirrored = mirrored ? '1' : '0';
    video.dataset.tile = tile;
    Object.assign(video.style, this._box(x, y, width, height), {
      transform: mirrored ? 'scaleX(-1)' : '', zIndex: floating ? '2' : '',
    });
    if (mirrored) this._fitPreview(streamId, width * this.scale, height * this.scale);
    return true;
  }
  // A tile whose stream changes (a member moving from the mesh to the video server) gets the
  // new stream's video in the same box before the old one is hidden (the layout shows before
  // it hides): the old picture stays under the new video until that has its first frame, at
  // most HANDOVER_MS, so the tile never goes blank while the new stream starts. Only within a
  // tile: a member who left never shows in the box another's tile takes over.
  videoHide(streamId) {
    const video = this.videos.get(streamId);
    if (!video) return;
    this.videos.delete(streamId);
    const remove = () => {
      video.srcObject = null;
      video.remove();
      this.previews.get(streamId)?.track.stop();
      this.previews.delete(streamId);
    };
    const { tile } = video.dataset, box = video.style;
    const successor = tile && [...this.videos.values()].find((v) => v.readyState < HAVE_CURRENT_DATA &&
      v.dataset.tile === tile && v.style.left === box.left && v.style.top === box.top &&
      v.style.width === box.width && v.style.height === box.height);
    if (!successor || video.readyState < HAVE_CURRENT_DATA) return remove();
    const timer = setTimeout(remove, HANDOVER_MS);
    successor.addEventListener('loadeddata', () => { clearTimeout(timer); remove(); }, { once: true });
  }
  // The self-view plays its own copy of the camera track, scaled down to the size it is shown
  // at and at most PREVIEW_FPS: a full-rate 720p self-view cost a call's other videos about a
  // third of their frame rate (docs/architecture.md). The track sent to peers is untouched.
  _preview(streamId, stream) {
    const camera = stream.getVideoTracks()[0];
    if (!camera) return stream;
    const track = camera.clone();
    track.enabled = !document.hidden;
    this.previews.set(streamId, { track, width: 0, height: 0 });
    return new MediaStream([track]);
  }
  _fitPreview(streamId, cssWidth, cssHeight) {
    const preview = this.previews.get(streamId);
    if (!preview) return;
    const { width: sw = 1280, height: sh = 720 } = preview.track.getSettings?.() || {};
    const source = preview.source ??= { width: sw, height: sh };  // the camera's own size
    // The smallest copy of the camera's shape that still covers the tile (object-fit: cover),
    // in device pixels and whole steps of 16, so resizing a window does not reconfigure it
    // per pixel; never larger than the camera.
    const ratio = window.devicePixelRatio || 1;
    const aspect = source.width / source.height;
    const needed = Math.max(cssWidth, cssHeight * aspect) * ratio;
    const width = Math.min(source.width, Math.max(16, Math.ceil(needed / 16) * 16));
    if (width === preview.width) return;
    preview.width = width;
    preview.track.applyConstraints({
      width: { max: width }, height: { max: Math.round(width / aspect) }, frameRate: { max: PREVIEW_FPS },
    }).catch(() => {});
  }

  // ---- tile labels (VideoSurface.label / unlabel / caption) ----
  tileLabel(tileId, x, y, width, height, view) {
    let entry = this.labels.get(tileId);
    if (!entry) {
      entry = { back: tileElement('vroom-tile-back'), front: tileElement('vroom-tile-label') };
      entry.front.innerHTML = TILE_FRONT;
      entry.back.innerHTML = '<div class="vroom-initials"></div>';
      entry.front.dataset.tileId = tileId;
      this.tileBacks.append(entry.back);
      this.tileFronts.append(entry.front);
      this.labels.set(tileId, entry);
    }
    const { back, front } = entry;
    for (const el of [back, front]) {
      Object.assign(el.style, this._box(x, y, width, height));
    }
    // The ring is the back element's shadow, outside the tile: it never covers the video.
    const ring = view.speaking ? '#5ccc73' : view.pinned ? '#5c99ff' : '';
    back.style.boxShadow = ring ? `0 0 0 3px ${ring}` : '';
    back.style.background = view.initials ? '#1c1f29' : 'transparent';
    const initials = back.firstChild;
    initials.hidden = !view.initials;
    initials.textContent = view.initials;
    initials.style.fontSize = `${Math.max(12, Math.min(width, height) * 0.16) * this.scale}px`;
    front.dataset.name = view.name;
    front.dataset.speaking = view.speaking ? '1' : '0';
    front.dataset.muted = view.muted ? '1' : '0';
    front.dataset.pinned = view.pinned ? '1' : '0';
    front.dataset.quality = view.quality;
    // The floating self-view sits over the other tiles: its ring, video, then its label.
    back.style.zIndex = view.floating ? '1' : '';
    front.style.zIndex = view.floating ? '3' : '';
    front.classList.toggle('vroom-small', view.floating);
    const [pill, badge, notice] = front.children;
    pill.lastChild.textContent = view.name;
    pill.firstChild.toggleAttribute('hidden', !view.muted);
    badge.hidden = !view.quality;
    badge.lastChild.textContent = view.quality;
    badge.firstChild.style.background = QUALITY_COLOURS[view.quality] || 'transparent';
    notice.hidden = !view.notice;
    notice.textContent = view.notice;
  }
  tileUnlabel(tileId) {
    const entry = this.labels.get(tileId);
    if (!entry) return;
    this.labels.delete(tileId);
    entry.back.remove();
    entry.front.remove();
  }
  tileCaption(text, x, y) {
    if (!this.caption) {
      this.caption = tileElement('vroom-tile-caption');
      this.tileFronts.append(this.caption);
    }
    this.caption.hidden = !text;
    this.caption.textContent = text;
    Object.assign(this.caption.style, { left: `${x * this.scale}px`, top: `${y * this.scale}px` });
  }

  /** Closes everything: sockets, peer connections, tracks, elements. */
  shutdown() {
    this.app = null;
    clearInterval(this.statsTimer);
    for (const patch of this.patches) patch.remove();
    this.patches = [];
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    document.removeEventListener('visibilitychange', this.onVisibility);
    for (const id of [...this.sockets.keys()]) this.wsClose(id, 1000, 'left');
    for (const id of [...this.peers.keys()]) this.pcClose(id);
    for (const track of this.tracks.values()) track.stop();
    this.tracks.clear();
    for (const id of [...this.videos.keys()]) this.videoHide(id);
    for (const id of [...this.labels.keys()]) this.tileUnlabel(id);
    for (const id of [...this.audios.keys()]) this._stopRemoteAudio(id);
    this.streams.clear();
  }
}

// An RTCStatsReport read once into plain objects: Chromium builds every entry afresh on each
// read of a report (forEach, get, values), and a sample that read each report a dozen times
// was a mesh page's largest JavaScript cost (issue 11). `entries` in report order, `byId`,
// and `pair`, the candidate pair in use (or null).
function readStats(report) {
  const entries = [];
  const byId = new Map();
  report.forEach((s) => {
    entries.push(s);
    byId.set(s.id, s);
  });
  // The pair in use: the transport's selected one; without it (Firefox), a nominated pair that
  // succeeded. (Chromium may carry media on a pair before it reports it nominated.)
  let pair = null;
  for (const s of entries) if (s.type === 'transport' && s.selectedCandidatePairId) pair ??= byId.get(s.selectedCandidatePairId);
  if (!pair) for (const s of entries) if (s.type === 'candidate-pair' && (s.nominated || s.selected) && s.state === 'succeeded') pair ??= s;
  return { entries, byId, pair };
}

// The mids of a report's (readStats) received streams.
function inboundMids({ entries }) {
  const mids = new Set();
  for (const s of entries) if (s.type === 'inbound-rtp' && s.mid != null) mids.add(String(s.mid));
  return mids;
}

// A report (readStats) -> the flat figures of vroom::PeerStats; with `mids` (an array): of
// those received streams only (and the connection's candidate pair).
function flattenStats({ entries, byId, pair }, mids) {
  const out = {
    bytesSent: 0, bytesReceived: 0, packetsSent: 0, packetsReceived: 0, packetsLost: 0,
    framesEncoded: 0, framesDecoded: 0, roundTripTimeMs: 0, jitterMs: 0, framesPerSecond: 0,
    frameWidth: 0, frameHeight: 0, audioCodec: '', videoCodec: '', localCandidateType: '',
    remoteCandidateType: '', path: '', audioLevel: 0, totalAudioEnergy: 0, totalSamplesDuration: 0,
  };
  const codecName = (s) => (byId.get(s.codecId)?.mimeType || '').replace(/^(audio|video)\//, '');
  if (pair) {
    out.roundTripTimeMs = (pair.currentRoundTripTime || 0) * 1000;
    out.localCandidateType = byId.get(pair.localCandidateId)?.candidateType || '';
    out.remoteCandidateType = byId.get(pair.remoteCandidateId)?.candidateType || '';
  }
  for (const s of entries) {
    if (mids && (s.type === 'outbound-rtp' || (s.type === 'inbound-rtp' && !mids.includes(String(s.mid))))) continue;
    if (s.type === 'outbound-rtp') {
      out.bytesSent += s.bytesSent || 0;
      out.packetsSent += s.packetsSent || 0;
      out.framesEncoded += s.framesEncoded || 0;
      if (s.kind === 'video' && !out.videoCodec) out.videoCodec = codecName(s);
      if (s.kind === 'audio' && !out.audioCodec) out.audioCodec = codecName(s);
    } else if (s.type === 'inbound-rtp') {
      out.bytesReceived += s.bytesReceived || 0;
      out.packetsReceived += s.packetsReceived || 0;
      out.packetsLost += Math.max(0, s.packetsLost || 0);
      out.jitterMs = Math.max(out.jitterMs, (s.jitter || 0) * 1000);
      if (s.kind === 'video') {
        out.framesDecoded += s.framesDecoded || 0;
        out.framesPerSecond = s.framesPerSecond || out.framesPerSecond;
        out.frameWidth = s.frameWidth || out.frameWidth;
        out.frameHeight = s.frameHeight || out.frameHeight;
        out.videoCodec = codecName(s) || out.videoCodec;
      } else if (s.kind === 'audio') {
        out.audioLevel = s.audioLevel || out.audioLevel;
        out.totalAudioEnergy += s.totalAudioEnergy || 0;
        out.totalSamplesDuration += s.totalSamplesDuration || 0;
        out.audioCodec = codecName(s) || out.audioCodec;
      }
    }
  }
  // The rule of mediaPath() in wasm/peer_connection.cpp, for the JS API's figures.
  const types = [out.localCandidateType, out.remoteCandidateType];
  out.path = types.includes('relay') ? 'relayed' : types.some(Boolean) ? 'direct' : '';
  return out;
}

// The mean sound level (RMS, 0..1) received on a connection since its previous sample, from
// the audio energy counters: an instantaneous level read twice a second misses short sounds.
// Falls back to the instantaneous level while the counters are not there (first sample).
function speakingLevel(entry, stats) {
  const before = entry.audioEnergy;
  entry.audioEnergy = { energy: stats.totalAudioEnergy, duration: stats.totalSamplesDuration };
  const duration = before ? stats.totalSamplesDuration - before.duration : 0;
  if (!(duration > 0)) return stats.audioLevel;
  return Math.sqrt(Math.max(0, stats.totalAudioEnergy - before.energy) / duration);
}
