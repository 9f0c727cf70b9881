// The browser half of vroom's seams (appended to vroom.mjs before vroom-api.js). One
// BrowserRuntime per mounted room holds every live JS object (sockets, peer connections,
// streams, tracks, <video>/<audio> elements) in id registries. C++ calls its methods through
// embind; results come back as app.resolve(requestId, ok, value) and events as
// app.deliver(objectId, event, data). Nothing here throws into C++, and a callback that
// arrives after its object was closed is dropped.

const errorInfo = (err) => ({ name: (err && err.name) || 'Error', message: (err && err.message) || String(err) });

class BrowserRuntime {
  constructor({ videoLayer, requestFrame, publish, emit, iceServers, iceTransportPolicy }) {
    this.videoLayer = videoLayer;
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
    this.audios = new Map();       // remote stream id -> <audio>
    this.blockedAudio = new Set(); // <audio>s the autoplay policy has not let play yet
    this.audioOutputId = '';       // the chosen speaker ('' = the system default)
    this.nextSender = 1;
    this.onDeviceChange = () => this._deliver('media', 'devicechange', null);
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
  }

  attach(app) { this.app = app; }

  // Per-peer stats requested through WebApp.requestStats.
  statsReady(request, stats) {
    const pending = this.pendingStats?.get(request);
    if (!pending) return;
    this.pendingStats.delete(request);
    pending(stats);
  }
  peerStats(peerId) {
    if (!this.app) return Promise.resolve(null);
    this.pendingStats ??= new Map();
    this.nextStatsRequest = (this.nextStatsRequest || 0) + 1;
    const request = this.nextStatsRequest;
    return new Promise((resolve) => {
      this.pendingStats.set(request, resolve);
      setTimeout(() => this.statsReady(request, null), 3000);  // a peer that left never answers
      this.app.requestStats(peerId, request);
    });
  }

  _resolve(request, ok, value) {
    if (this.app) this.app.resolve(request, ok, value === undefined ? null : value);
  }
  _deliver(id, event, data) {
    if (this.app) this.app.deliver(id, event, data === undefined ? null : data);
    this.requestFrame();
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
      const stream = e.streams[0] || new MediaStream([e.track]);
      this.streams.set(stream.id, stream);
      entry.remoteStreams.add(stream.id);
      if (e.track.kind === 'audio') this._playRemoteAudio(stream);
      const removed = () => { if (live()) this._deliver(id, 'trackremoved', e.track.id); };
      e.track.addEventListener('ended', removed);
      stream.addEventListener('removetrack', (ev) => { if (ev.track === e.track) removed(); });
      this._deliver(id, 'track', { trackId: e.track.id, kind: e.track.kind, streamId: stream.id });
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
  pcAddTrack(id, trackId, streamId) {
    const entry = this.peers.get(id);
    const track = this.tracks.get(trackId);
    const stream = this.streams.get(streamId);
    if (!entry || !track) return { ok: false, error: { name: 'InvalidAccessError', message: `unknown track ${trackId}` } };
    try {
      const sender = stream ? entry.pc.addTrack(track, stream) : entry.pc.addTrack(track);
      return { ok: true, value: this._addSender(entry, sender) };
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
  }
  pcAddTransceiver(id, kind, direction) {
    const entry = this.peers.get(id);
    if (!entry) return { ok: false, error: { name: 'InvalidStateError', message: 'closed' } };
    try {
      const transceiver = entry.pc.addTransceiver(kind, { direction });
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
  pcStates(id) {
    const pc = this._peer(id);
    if (!pc) return { signaling: 'closed', connection: 'closed', ice: 'closed' };
    return { signaling: pc.signalingState, connection: pc.connectionState, ice: pc.iceConnectionState };
  }
  pcGetStats(request, id) {
    const pc = this._peer(id);
    this._settle(request, () => pc.getStats(), flattenStats);
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
  }
  /** Live RTCPeerConnections, for getStats() of the JS API and for tests. */
  peerConnections() { return [...this.peers.values()].map((e) => e.pc); }

  _playRemoteAudio(stream) {
    if (this.audios.has(stream.id)) return;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = stream;
    audio.dataset.streamId = stream.id;
    audio.style.display = 'none';
    this.videoLayer.append(audio);
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
  videoShow(streamId, x, y, width, height, mirrored) {
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
      Object.assign(video.style, {
        position: 'absolute', objectFit: 'cover', background: '#1b1e27', borderRadius: '10px',
      });
      video.srcObject = stream;
      video.addEventListener('resize', () => {
        if (this.videos.get(streamId) === video) {
          this._deliver('video', 'resize', { streamId, width: video.videoWidth, height: video.videoHeight });
        }
      });
      this.videoLayer.append(video);
      this.videos.set(streamId, video);
      video.play?.().catch(() => {});
    }
    video.dataset.mirrored = mirrored ? '1' : '0';
    Object.assign(video.style, {
      left: `${x}px`, top: `${y}px`, width: `${width}px`, height: `${height}px`,
      transform: mirrored ? 'scaleX(-1)' : '',
    });
    return true;
  }
  videoHide(streamId) {
    const video = this.videos.get(streamId);
    if (!video) return;
    this.videos.delete(streamId);
    video.srcObject = null;
    video.remove();
  }

  /** Closes everything: sockets, peer connections, tracks, elements. */
  shutdown() {
    this.app = null;
    for (const resolve of this.pendingStats?.values() || []) resolve(null);
    this.pendingStats?.clear();
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    for (const id of [...this.sockets.keys()]) this.wsClose(id, 1000, 'left');
    for (const id of [...this.peers.keys()]) this.pcClose(id);
    for (const track of this.tracks.values()) track.stop();
    this.tracks.clear();
    for (const id of [...this.videos.keys()]) this.videoHide(id);
    for (const id of [...this.audios.keys()]) this._stopRemoteAudio(id);
    this.streams.clear();
  }
}

// RTCStatsReport -> the flat figures of vroom::PeerStats.
function flattenStats(report) {
  const out = {
    bytesSent: 0, bytesReceived: 0, packetsSent: 0, packetsReceived: 0, packetsLost: 0,
    framesEncoded: 0, framesDecoded: 0, roundTripTimeMs: 0, jitterMs: 0, framesPerSecond: 0,
    frameWidth: 0, frameHeight: 0, audioCodec: '', videoCodec: '', localCandidateType: '',
    remoteCandidateType: '', audioLevel: 0,
  };
  const byId = new Map();
  report.forEach((s) => byId.set(s.id, s));
  const codecName = (s) => (byId.get(s.codecId)?.mimeType || '').replace(/^(audio|video)\//, '');
  report.forEach((s) => {
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
        out.audioCodec = codecName(s) || out.audioCodec;
      }
    } else if (s.type === 'candidate-pair' && (s.nominated || s.selected) && s.state === 'succeeded') {
      out.roundTripTimeMs = (s.currentRoundTripTime || 0) * 1000;
      out.localCandidateType = byId.get(s.localCandidateId)?.candidateType || '';
      out.remoteCandidateType = byId.get(s.remoteCandidateId)?.candidateType || '';
    }
  });
  return out;
}
