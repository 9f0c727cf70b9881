// The self-view (appended to vroom.mjs before web_runtime.js): our own camera, mirrored, drawn
// on a <canvas> from a reduced copy of the camera track that a <video> never put on the page
// plays. The track sent to peers is the camera itself, at its full size and rate.
//
// Why a canvas and not a <video> on the page (docs/architecture.md, The self-view): in
// Chromium a second playing <video>, however small (160x90 at 15 frames/s) and wherever it
// sat, cost the call's remote videos a quarter of their presented frames (mesh of 2: 14.5
// frames/s per remote tile against 20.0 on the bare-API page; the self-view hidden: 19.9).
// Drawn on a canvas, the remote videos present as many frames as the bare page's.

// The self-view's frame rate cap (the camera sent to peers keeps its own rate).
const PREVIEW_FPS = 15;

class SelfView {
  /**
   * `camera`: the local camera track (cloned here, never changed); `onResize(width, height)`:
   * the copy's frame size changed (the tile keeps the picture's shape).
   */
  constructor(camera, onResize) {
    this.track = camera.clone();
    this.track.enabled = !document.hidden;
    this.width = 0;           // the copy's width asked for in fit(), device pixels
    this.cameraSize = null;   // the camera's own size, read before the first fit()
    this.source = document.createElement('video');
    this.source.muted = true;
    this.source.playsInline = true;
    this.source.srcObject = new MediaStream([this.track]);
    this.source.addEventListener('resize', () => onResize(this.source.videoWidth, this.source.videoHeight));
    this.source.play?.().catch(() => {});
    // What the video layer places. Like a <video>, it has a readyState and fires `loadeddata`
    // at its first picture, so the layer's handover between tiles (videoHide) treats both alike.
    this.element = document.createElement('canvas');
    this.element.className = 'vroom-self-view';
    this.element.readyState = 0;
    this.timer = setInterval(() => this._draw(), 1000 / PREVIEW_FPS);
  }

  /** Nobody sees the self-view of a hidden tab: its copy of the camera rests meanwhile. */
  setPageHidden(hidden) {
    this.track.enabled = !hidden;
  }

  /**
   * Scales the copy to the size the self-view is shown at: the smallest copy of the camera's
   * shape that still covers `cssWidth` x `cssHeight` (object-fit: cover), in device pixels and
   * whole steps of 16 (resizing a window does not reconfigure it per pixel), never larger than
   * the camera, at most PREVIEW_FPS.
   */
  fit(cssWidth, cssHeight) {
    const { width: sw = 1280, height: sh = 720 } = this.track.getSettings?.() || {};
    const camera = this.cameraSize ??= { width: sw, height: sh };
    const ratio = window.devicePixelRatio || 1;
    const aspect = camera.width / camera.height;
    const needed = Math.max(cssWidth, cssHeight * aspect) * ratio;
    const width = Math.min(camera.width, Math.max(16, Math.ceil(needed / 16) * 16));
    if (width === this.width) return;
    this.width = width;
    this.track.applyConstraints({
      width: { max: width }, height: { max: Math.round(width / aspect) }, frameRate: { max: PREVIEW_FPS },
    }).catch(() => {});
  }

  destroy() {
    clearInterval(this.timer);
    this.source.srcObject = null;
    this.track.stop();
    this.element.remove();
  }

  _draw() {
    const { source, element } = this;
    if (document.hidden || source.readyState < HAVE_CURRENT_DATA || !source.videoWidth) return;
    const width = source.videoWidth;
    const height = source.videoHeight;
    if (element.width !== width || element.height !== height) {
      element.width = width;
      element.height = height;
    }
    element.getContext('2d').drawImage(source, 0, 0, width, height);
    if (element.readyState < HAVE_CURRENT_DATA) {
      element.readyState = HAVE_CURRENT_DATA;
      element.dispatchEvent(new Event('loadeddata'));
    }
  }
}
