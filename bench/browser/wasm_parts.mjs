// What vroom's download is made of, read from the built site: the wasm's code and data
// sections, any files Emscripten embedded in its data (--embed-file; vroom embeds none since
// its text comes from the browser's fonts), its other sections, and the JS glue; each with
// the bytes brotli q11 makes of it alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const brotli = (buf) => zlib.brotliCompressSync(buf, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
}).length;

// A reader over the wasm binary format's LEB128 integers.
function reader(bytes, pos = 0) {
  return {
    get pos() { return pos; },
    set pos(p) { pos = p; },
    byte() { return bytes[pos++]; },
    u32() {
      let result = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[pos++];
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
      }
    },
    i32() {
      let result = 0;
      let shift = 0;
      let b;
      do {
        b = bytes[pos++];
        result |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      return shift < 32 && (b & 0x40) ? result | (~0 << shift) : result;
    },
  };
}

// Sections as { id, start, end } (payload offsets in the file).
function sections(wasm) {
  const r = reader(wasm, 8);  // after magic and version
  const out = [];
  while (r.pos < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    out.push({ id, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  return out;
}

// Active data segments as { address, start, end }: where each lands in linear memory.
function dataSegments(wasm, section) {
  const r = reader(wasm, section.start);
  const out = [];
  for (let count = r.u32(); count > 0; count--) {
    const flags = r.u32();
    let address = null;
    if (flags === 0 || flags === 2) {
      if (flags === 2) r.u32();  // memory index
      if (r.byte() !== 0x41) throw new Error('data segment offset is not an i32.const');
      address = r.i32() >>> 0;
      if (r.byte() !== 0x0b) throw new Error('data segment offset expression too long');
    }
    const size = r.u32();
    out.push({ address, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  return out;
}

// The files embedded with --embed-file: the glue exports the address of a table of
// { name pointer, length, content pointer } u32 triples, ended by a null name. A file's bytes
// may span several segments (wasm-opt drops runs of zeros between them): `ranges` are the
// pieces of it the wasm file holds.
function embeddedFiles(wasm, segments, glue) {
  const match = glue.match(/___emscripten_embedded_file_data"?\]?=(\d+)/);
  if (!match) return [];
  const active = segments.filter((seg) => seg.address !== null);
  const ranges = (address, length) => active
    .filter((seg) => seg.address < address + length && seg.address + (seg.end - seg.start) > address)
    .map((seg) => [seg.start + Math.max(0, address - seg.address),
      seg.start + Math.min(seg.end - seg.start, address + length - seg.address)]);
  const u32 = (address) => {
    const [[start, end]] = ranges(address, 4);
    if (end - start !== 4) throw new Error(`u32 at ${address} crosses a segment`);
    return wasm.readUInt32LE(start);
  };
  const files = [];
  let entry = Number(match[1]);
  do {
    const [[nameAt]] = ranges(u32(entry), 1);
    const length = u32(entry + 4);
    files.push({ name: wasm.toString('latin1', nameAt, wasm.indexOf(0, nameAt)), length,
      ranges: ranges(u32(entry + 8), length) });
    entry += 12;
  } while (u32(entry) !== 0);
  return files;
}

/** [{ part, raw, brotli }]: code, data without embedded files, each embedded file, the
 *  wasm's other sections, the JS glue. The parts of the wasm add up to its size. */
export function downloadParts(siteDir) {
  const wasm = readFileSync(path.join(siteDir, 'vroom.wasm'));
  const glue = readFileSync(path.join(siteDir, 'vroom.mjs'));
  const all = sections(wasm);
  const code = all.find((s) => s.id === 10);
  const data = all.find((s) => s.id === 11);
  const files = data ? embeddedFiles(wasm, dataSegments(wasm, data), glue.toString('latin1')) : [];
  // The data section with the embedded files cut out (segment headers stay in it).
  const dataRest = [];
  let from = data ? data.start : 0;
  for (const [start, end] of files.flatMap((f) => f.ranges).sort((a, b) => a[0] - b[0])) {
    dataRest.push(wasm.subarray(from, start));
    from = end;
  }
  if (data) dataRest.push(wasm.subarray(from, data.end));
  const rest = Buffer.concat(dataRest);
  const codeBytes = code ? wasm.subarray(code.start, code.end) : Buffer.alloc(0);
  const otherBytes = Buffer.concat([wasm.subarray(0, code ? code.start : wasm.length),
    code && data ? wasm.subarray(code.end, data.start) : Buffer.alloc(0),
    data ? wasm.subarray(data.end) : Buffer.alloc(0)]);
  const part = (name, bytes) => ({ part: name, raw: bytes.length, brotli: brotli(bytes) });
  return [
    part('wasm code', codeBytes),
    part('wasm data (without embedded files)', rest),
    ...files.map((f) => part(`wasm embedded file ${f.name}${/\.(ttf|otf|woff2?)$/.test(f.name) ? ' (font)' : ''}`,
      Buffer.concat(f.ranges.map(([start, end]) => wasm.subarray(start, end))))),
    part('wasm other sections (types, imports, exports, names, headers)', otherBytes),
    part('JS glue vroom.mjs (Emscripten runtime, bridge/web_runtime.js, www/vroom-api.js)', glue),
  ];
}
