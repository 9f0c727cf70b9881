// Glass-to-glass probe (init script, after probe.js): getUserMedia returns a canvas stream
// that shows the current time as large black/white blocks, plus an oscillator's audio; a
// receiver decodes the blocks from each presented remote frame and records display - stamp.
(() => {
  const COLS = 8;
  const ROWS = 6;               // 48 blocks: 32 time bits, 8 checksum bits, 8 sync bits
  const SYNC = 0b10100101;
  const WIDTH = 640;
  const HEIGHT = 360;
  const now = () => performance.timeOrigin + performance.now();  // comparable across pages

  const bitsOf = (ms) => {
    const t = Math.floor(ms) >>> 0;
    const sum = ((t & 0xff) + ((t >>> 8) & 0xff) + ((t >>> 16) & 0xff) + (t >>> 24)) & 0xff;
    const bits = [];
    for (let i = 31; i >= 0; i--) bits.push((t >>> i) & 1);
    for (let i = 7; i >= 0; i--) bits.push((sum >>> i) & 1);
    for (let i = 7; i >= 0; i--) bits.push((SYNC >>> i) & 1);
    return bits;
  };

  // Returns the 32-bit stamp, or null when the sync or checksum bits do not match.
  const stampOf = (bits) => {
    let t = 0;
    for (let i = 0; i < 32; i++) t = ((t << 1) | bits[i]) >>> 0;
    const expected = bitsOf(t);
    for (let i = 32; i < 48; i++) if (bits[i] !== expected[i]) return null;
    return t;
  };

  function stampedStream(wantAudio, wantVideo) {
    const stream = new MediaStream();
    if (wantVideo) {
      const canvas = document.createElement('canvas');
      canvas.width = WIDTH;
      canvas.height = HEIGHT;
      const ctx = canvas.getContext('2d');
      const bw = WIDTH / COLS;
      const bh = HEIGHT / ROWS;
      const draw = () => {
        bitsOf(now()).forEach((bit, i) => {
          ctx.fillStyle = bit ? '#fff' : '#000';
          ctx.fillRect((i % COLS) * bw, Math.floor(i / COLS) * bh, bw, bh);
        });
      };
      draw();
      setInterval(draw, 1000 / 30);
      stream.addTrack(canvas.captureStream(30).getVideoTracks()[0]);
    }
    if (wantAudio) {
      const audio = new AudioContext();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.value = 0.05;
      const out = audio.createMediaStreamDestination();
      osc.connect(gain).connect(out);
      osc.start();
      stream.addTrack(out.stream.getAudioTracks()[0]);
    }
    return stream;
  }

  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints = {}) => {
    if (!constraints.video) return original(constraints);
    return stampedStream(!!constraints.audio, true);
  };

  // Decodes every presented frame of each remote <video>; latency in ms per decoded frame.
  const samples = [];
  let undecodable = 0;
  const reading = new WeakSet();
  function read(video) {
    if (reading.has(video)) return;
    reading.add(video);
    const canvas = new OffscreenCanvas(COLS * 4, ROWS * 4);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const step = (_, meta) => {
      const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const bits = [];
      for (let i = 0; i < COLS * ROWS; i++) {
        const x = (i % COLS) * 4 + 2;
        const y = Math.floor(i / COLS) * 4 + 2;
        const p = (y * canvas.width + x) * 4;
        bits.push(data[p] + data[p + 1] + data[p + 2] > 3 * 128 ? 1 : 0);
      }
      const stamp = stampOf(bits);
      if (stamp === null) undecodable++;
      else samples.push(((Math.floor(shownAt) >>> 0) - stamp + 2 ** 32) % 2 ** 32);
      video.requestVideoFrameCallback(step);
    };
    video.requestVideoFrameCallback(step);
  }

  window.__stamp = {
    start: () => window.__bench.remoteVideos().forEach(read),
    reset: () => { samples.length = 0; undecodable = 0; },
    results: () => ({ samples: [...samples], undecodable }),
  };
})();
