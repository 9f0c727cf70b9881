// Text for the overlay from the browser's own fonts, through Canvas 2D (appended to vroom.mjs
// before web_runtime.js; the C++ end is bridge/web_glyph_rasterizer.cpp). No font is shipped:
// the page's own font stack draws glyphs for ImGui's atlas, in batches, and whole runs of text
// that need the browser's shaping and bidi (Arabic, Hebrew, Indic scripts, emoji sequences).
// Nothing here throws into C++: a failure answers null and the overlay falls back to glyphs.

const UI_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif, ' +
  '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"';
const GLYPH_SHEET_WIDTH = 2048;   // device pixels; glyphs of a batch are laid out in rows
const GLYPH_GAP = 2;              // between glyphs on the sheet, so no ink reaches a neighbour
const GLYPH_BUDGET_MS = 20;      // a batch stops measuring after this; the rest comes next frame
const MAX_RUN_LINES = 200;
const MAX_RUN_SIDE = 4096;

class BrowserText {
  constructor() {
    this.canvas = typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    // Read back on every use: keep it on the CPU.
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    this.fonts = new Map();  // line height -> { css, ascent, descent }
    this.segmenters = new Map();  // granularity -> Intl.Segmenter, made when first needed
  }

  /**
   * Glyphs of `codePoints` (a view of wasm memory: copied first) for lines `lineHeight` px
   * tall: { ascent, descent, count, boxes: Float32Array of [advance, offsetX, offsetY, width,
   * height] per code point, pixels: Uint32Array of every bitmap in turn, RGBA bytes }. Only
   * the first `count` code points are answered when measuring takes longer than the budget
   * (the first sight of a character can cost the browser a font fallback search: most of a
   * millisecond per CJK character here), so a flood of new characters never stalls a frame.
   */
  glyphs(codePoints, lineHeight) {
    try {
      return this._glyphs(Array.from(codePoints), lineHeight);
    } catch (err) {
      console.warn('[vroom] could not draw glyphs:', err);
      return null;
    }
  }

  /**
   * `text` shaped by the browser in lines `lineHeight` px tall, broken at word boundaries to
   * fit `maxWidth` px (0: only at line breaks), right to left when `rtl`, in `colour`
   * (IM_COL32: 0xAABBGGRR): { width, height, pixels: Uint32Array }.
   */
  run(text, lineHeight, maxWidth, rtl, colour) {
    try {
      return this._run(text, lineHeight, maxWidth, rtl, colour);
    } catch (err) {
      console.warn('[vroom] could not draw a text run:', err);
      return null;
    }
  }

  // The UI font at the size whose ascent + descent is `lineHeight`, as ImGui sizes fonts.
  _font(lineHeight) {
    let font = this.fonts.get(lineHeight);
    if (font) return font;
    const ctx = this.ctx;
    ctx.font = `100px ${UI_FONT_FAMILY}`;
    const m = ctx.measureText('Hg');
    const up = m.fontBoundingBoxAscent ?? m.actualBoundingBoxAscent ?? 80;
    const down = m.fontBoundingBoxDescent ?? m.actualBoundingBoxDescent ?? 20;
    const size = (100 * lineHeight) / (up + down);
    const ascent = Math.round((up * size) / 100);
    font = { css: `${size.toFixed(3)}px ${UI_FONT_FAMILY}`, ascent, descent: lineHeight - ascent };
    this.fonts.set(lineHeight, font);
    return font;
  }

  _resize(width, height, font) {
    this.canvas.width = width;
    this.canvas.height = height;
    const ctx = this.ctx;
    ctx.clearRect(0, 0, width, height);
    ctx.font = font.css;
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    return ctx;
  }

  _glyphs(codePoints, lineHeight) {
    const font = this._font(lineHeight);
    let ctx = this.ctx;
    ctx.font = font.css;
    ctx.direction = 'ltr';
    let count = codePoints.length;
    const limit = Math.ceil(lineHeight * 4);  // no glyph is larger than four lines
    const metrics = [];
    let start = 0;  // the budget runs from the first glyph on: loading the font is not counted
    for (let i = 0; i < count; i++) {
      if (i > 0 && performance.now() - start > GLYPH_BUDGET_MS) {
        count = i;
        break;
      }
      metrics.push(ctx.measureText(String.fromCodePoint(codePoints[i])));
      if (i === 0) start = performance.now();
    }
    const boxes = new Float32Array(count * 5);
    const cells = [];
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const text = String.fromCodePoint(codePoints[i]);
      const m = metrics[i];
      const left = Math.min(limit, Math.ceil(m.actualBoundingBoxLeft || 0));
      const right = Math.min(limit, Math.ceil(m.actualBoundingBoxRight || 0));
      const up = Math.min(limit, Math.ceil(m.actualBoundingBoxAscent || 0));
      const down = Math.min(limit, Math.ceil(m.actualBoundingBoxDescent || 0));
      // The ink box with one pixel of margin for anti-aliasing; none without ink.
      const inked = left + right > 0 && up + down > 0;
      const width = inked ? left + right + 2 : 0;
      const height = inked ? up + down + 2 : 0;
      boxes.set([m.width, -left - 1, font.ascent - up - 1, width, height], i * 5);
      if (!inked) continue;
      if (x + width > GLYPH_SHEET_WIDTH) {
        x = 0;
        y += rowHeight + GLYPH_GAP;
        rowHeight = 0;
      }
      cells.push({ text, x, y, width, height, originX: left + 1, originY: up + 1 });
      x += width + GLYPH_GAP;
      rowHeight = Math.max(rowHeight, height);
      total += width * height;
    }
    const pixels = new Uint8Array(total * 4);
    if (cells.length) {
      const sheetHeight = y + rowHeight;
      ctx = this._resize(GLYPH_SHEET_WIDTH, sheetHeight, font);
      ctx.fillStyle = '#fff';
      for (const c of cells) ctx.fillText(c.text, c.x + c.originX, c.y + c.originY);
      const sheet = ctx.getImageData(0, 0, GLYPH_SHEET_WIDTH, sheetHeight).data;
      let at = 0;
      for (const c of cells) {
        const start = at;
        for (let row = 0; row < c.height; row++) {
          const from = ((c.y + row) * GLYPH_SHEET_WIDTH + c.x) * 4;
          pixels.set(sheet.subarray(from, from + c.width * 4), at);
          at += c.width * 4;
        }
        whitenUnlessColoured(pixels, start, at);
      }
    }
    return { ascent: font.ascent, descent: font.descent, count, boxes, pixels: new Uint32Array(pixels.buffer) };
  }

  _run(text, lineHeight, maxWidth, rtl, colour) {
    const font = this._font(lineHeight);
    let ctx = this.ctx;
    ctx.font = font.css;
    ctx.direction = rtl ? 'rtl' : 'ltr';
    const pad = Math.ceil(lineHeight / 8);  // room for ink past the advance (emoji, italics)
    const lines = this._lines(text, maxWidth > 0 ? Math.max(1, maxWidth - 2 * pad) : 0)
      .slice(0, MAX_RUN_LINES);
    const widths = lines.map((line) => ctx.measureText(line).width);
    const width = Math.min(MAX_RUN_SIDE, Math.ceil(Math.max(1, ...widths)) + 2 * pad);
    const height = Math.min(MAX_RUN_SIDE, lines.length * lineHeight);
    ctx = this._resize(width, height, font);
    ctx.direction = rtl ? 'rtl' : 'ltr';
    const [r, g, b, a] = [colour & 255, (colour >>> 8) & 255, (colour >>> 16) & 255, (colour >>> 24) & 255];
    ctx.fillStyle = `rgba(${r}, ${g}, ${b}, ${a / 255})`;
    lines.forEach((line, i) => {
      ctx.fillText(line, rtl ? width - pad - widths[i] : pad, i * lineHeight + font.ascent);
    });
    const data = ctx.getImageData(0, 0, width, height).data;
    // Transparent pixels take the text colour, so filtering at the edges does not darken it.
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) { data[i] = r; data[i + 1] = g; data[i + 2] = b; }
    }
    return { width, height, pixels: new Uint32Array(data.buffer, data.byteOffset, width * height) };
  }

  // Lines of `text`: its own line breaks, then word boundaries (Intl.Segmenter; spaces where
  // it is missing) wherever a line would pass `maxWidth`; a word longer than a line breaks
  // between grapheme clusters.
  _lines(text, maxWidth) {
    const paragraphs = text.split(/\r\n|\r|\n/);
    if (!(maxWidth > 0)) return paragraphs;
    const ctx = this.ctx;
    const out = [];
    for (const paragraph of paragraphs) {
      let line = '';
      let width = 0;
      const flush = () => { out.push(line.trimEnd()); line = ''; width = 0; };
      for (const piece of this._segments(paragraph, 'word')) {
        const blank = !piece.trim();
        if (blank && !line) continue;  // no spaces at the start of a line
        const w = ctx.measureText(piece).width;
        if (line && !blank && width + w > maxWidth) flush();
        if (w > maxWidth && !blank) {
          for (const grapheme of this._segments(piece, 'grapheme')) {
            const gw = ctx.measureText(grapheme).width;
            if (line && width + gw > maxWidth) flush();
            line += grapheme;
            width += gw;
          }
          continue;
        }
        line += piece;
        width += w;
      }
      out.push(line.trimEnd());
    }
    return out;
  }

  // Words or grapheme clusters of `text`; without Intl.Segmenter, runs of spaces and not, or
  // code points. A segmenter costs tens of milliseconds to make: only the first run pays.
  _segments(text, granularity) {
    if (typeof Intl !== 'undefined' && Intl.Segmenter && !this.segmenters.has(granularity)) {
      this.segmenters.set(granularity, new Intl.Segmenter(undefined, { granularity }));
    }
    const segmenter = this.segmenters.get(granularity);
    if (segmenter) return Array.from(segmenter.segment(text), (s) => s.segment);
    return granularity === 'word' ? text.split(/(\s+)/).filter(Boolean) : Array.from(text);
  }
}

// A glyph drawn in white keeps only its coverage: RGB is set to white everywhere (edges then
// filter cleanly). A colour glyph (emoji: some opaque pixel is clearly not white) is kept.
function whitenUnlessColoured(pixels, start, end) {
  for (let i = start; i < end; i += 4) {
    if (pixels[i + 3] >= 128 && Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200) return;
  }
  for (let i = start; i < end; i += 4) {
    pixels[i] = 255;
    pixels[i + 1] = 255;
    pixels[i + 2] = 255;
  }
}
