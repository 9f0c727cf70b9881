// Measurement probe injected into every benchmarked page (vroom, bare-API, PeerJS) before its
// own scripts run, so all systems are timed by the same code: it records peer connections,
// tells remote <video>s from local ones, and times frames with requestVideoFrameCallback.
(() => {
  const pcs = [];
  const Native = window.RTCPeerConnection;
  // A subclass, not a proxy: pages keep a real RTCPeerConnection, we keep a list of them.
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      pcs.push(this);
    }
  };

  const isRemote = (video) => {
    const track = video.srcObject?.getVideoTracks?.()[0];
    return !!track && pcs.some((pc) => pc.signalingState !== 'closed' &&
      pc.getReceivers().some((r) => r.track === track));
  };
  const remoteVideos = () => [...document.querySelectorAll('video')].filter(isRemote);

  // Navigation start -> vroom's lobby interactive: the status region reads "State: idle" and
  // the overlay's first frame is on the page (the vroom:first-frame mark).
  let readyAt = null;
  const checkReady = () => {
    const state = document.querySelector('#status [data-field="state"]');
    if (readyAt === null && state && /State: idle/.test(state.textContent) &&
        performance.getEntriesByName('vroom:first-frame', 'mark').length > 0) readyAt = performance.now();
  };
  new MutationObserver(checkReady).observe(document, { subtree: true, childList: true, characterData: true });
  new PerformanceObserver(checkReady).observe({ type: 'mark' });

  // Resolves with performance.now() of the first frame presented by a remote <video>.
  const firstRemoteFrame = () => new Promise((resolve) => {
    const seen = new WeakSet();
    const arm = () => {
      for (const video of remoteVideos()) {
        if (seen.has(video)) continue;
        seen.add(video);
        video.requestVideoFrameCallback((now) => { observer.disconnect(); clearInterval(timer); resolve(now); });
      }
    };
    // New elements arrive through mutations; srcObject or the receiver may come a bit later.
    const observer = new MutationObserver(arm);
    observer.observe(document, { subtree: true, childList: true });
    const timer = setInterval(arm, 20);
    arm();
  });

  // Counts frames presented per remote <video> (rVFC) from now on.
  const presented = new Map();
  const countFrames = () => {
    const start = (video) => {
      if (presented.has(video)) return;
      presented.set(video, 0);
      const step = () => {
        if (!presented.has(video)) return;
        presented.set(video, presented.get(video) + 1);
        video.requestVideoFrameCallback(step);
      };
      video.requestVideoFrameCallback(step);
    };
    remoteVideos().forEach(start);
    return [...presented.values()];
  };

  // Frames decoded per inbound video stream, over every live peer connection.
  const framesDecoded = async () => {
    const out = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out.push({ id: `${pcs.indexOf(pc)}/${s.id}`, frames: s.framesDecoded || 0 });
      });
    }
    return out;
  };

  // Bytes sent so far (outbound-rtp bytesSent: payload, no headers), by kind, over every live
  // peer connection, how many of them there are, and each video encoding sending now as
  // HEIGHTp/LIMIT (its frame height and qualityLimitationReason: none, cpu, bandwidth); `at`:
  // the stats' own timestamp (ms), to divide by when a page answers late.
  const bytesSent = async () => {
    const out = { audio: 0, video: 0, connections: 0, encodings: [], at: 0 };
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      out.connections++;
      (await pc.getStats()).forEach((s) => {
        if (s.type !== 'outbound-rtp') return;
        out[s.kind === 'video' ? 'video' : 'audio'] += s.bytesSent || 0;
        out.at = Math.max(out.at, s.timestamp);
        if (s.kind === 'video' && s.frameHeight) out.encodings.push(`${s.frameHeight}p/${s.qualityLimitationReason || '?'}`);
      });
    }
    return out;
  };

  window.__bench = {
    pcs, isRemote, remoteVideos, firstRemoteFrame, countFrames, framesDecoded, bytesSent,
    readyAt: () => readyAt,
    presentedCounts: () => [...presented.values()],
    connectedPeers: () => pcs.filter((pc) => pc.connectionState === 'connected').length,
  };
})();
