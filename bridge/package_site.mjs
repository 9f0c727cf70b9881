// Build step after the link (bridge/CMakeLists.txt): makes build/wasm/site what the server
// sends. Content-hashed copies of the module and its wasm (cached for good), the page pointed
// at them, and brotli + gzip siblings of every compressible file (server/site_files.cpp); the
// module's comments (those of the JS appended to Emscripten's glue) are not sent.
// Usage: node bridge/package_site.mjs SITE_DIR
//
// A hashed name is `<stem>.<first 8 hex digits of the SHA-256 of the file's bytes>.<ext>`; the
// server marks a name immutable only when that holds, so the two must agree. The plain
// vroom.mjs and vroom.wasm stay for pages that import /vroom.mjs (revalidated, not immutable).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.wasm', '.json', '.ts',
  '.txt', '.map', '.webmanifest']);
const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.ts', '.txt', '.map']);
const HASHED = /^vroom\.[0-9a-f]{8}\.(mjs|wasm)(\.br|\.gz)?$/;

function fail(message) {
  console.error(`package_site: ${message}`);
  process.exit(1);
}

const hash8 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8);

// acorn (Debian's node-acorn) finds the comments exactly: never inside a string, a template or
// a regular expression. Without it the module keeps them (a few KB more to download).
function loadAcorn() {
  for (const from of [import.meta.url, '/usr/share/nodejs/']) {
    try {
      return createRequire(from)('acorn');
    } catch {}
  }
  console.warn('package_site: acorn not found, vroom.mjs keeps its comments');
  return null;
}

// `source` without its comments (licence comments, /*! or @license, stay): a comment alone on
// its lines goes with them, one between code becomes a space (or a newline, if it spanned
// lines, so automatic semicolons still fall where they did).
function stripComments(source) {
  const acorn = loadAcorn();
  if (!acorn) return source;
  const comments = [];
  acorn.parse(source, {
    ecmaVersion: 'latest', sourceType: 'module',
    onComment: (block, text, start, end) => {
      if (!(block && (text.startsWith('!') || text.includes('@license')))) comments.push([start, end]);
    },
  });
  let out = '';
  let at = 0;
  for (let [start, end] of comments) {
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    let lineEnd = source.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = source.length;
    const alone = start >= at && !source.slice(lineStart, start).trim() && !source.slice(end, lineEnd).trim();
    if (alone) {
      start = Math.max(lineStart, at);
      end = Math.min(lineEnd + 1, source.length);
      out += source.slice(at, start);
    } else {
      out += source.slice(at, start) + (source.slice(start, end).includes('\n') ? '\n' : ' ');
    }
    at = end;
  }
  return out + source.slice(at);
}

// Writes only when the bytes differ, so unchanged files keep their time (and their siblings).
function writeIfChanged(file, bytes) {
  if (existsSync(file) && readFileSync(file).equals(Buffer.from(bytes))) return;
  writeFileSync(file, bytes);
}

// Replaces every match of `pattern` in `file` with `replacement`; fails when there is none, so
// a renamed reference never silently stops pointing at the hashed module.
function rewrite(file, pattern, replacement) {
  const text = readFileSync(file, 'utf8');
  if (!text.match(pattern)) fail(`${path.basename(file)} has no reference matching ${pattern}`);
  writeIfChanged(file, text.replace(pattern, replacement));
}

const site = process.argv[2];
if (!site || !existsSync(path.join(site, 'vroom.mjs'))) fail('usage: package_site.mjs SITE_DIR (with vroom.mjs)');

// The wasm first: the module names it, so the module's hash covers the wasm's.
const wasm = readFileSync(path.join(site, 'vroom.wasm'));
const wasmName = `vroom.${hash8(wasm)}.wasm`;
writeIfChanged(path.join(site, wasmName), wasm);

// Emscripten's glue finds its wasm as new URL("vroom.wasm", import.meta.url) (and, with a
// locateFile option, through it): the hashed module names the hashed wasm instead.
const glue = stripComments(readFileSync(path.join(site, 'vroom.mjs'), 'utf8'));
writeIfChanged(path.join(site, 'vroom.mjs'), glue);  // embedders' plain copy, the same bytes
if (!glue.includes('"vroom.wasm"')) fail('vroom.mjs does not name "vroom.wasm": has the glue changed?');
const hashedGlue = glue.replaceAll('"vroom.wasm"', `"${wasmName}"`);
const moduleName = `vroom.${hash8(hashedGlue)}.mjs`;
writeIfChanged(path.join(site, moduleName), hashedGlue);

// The page loads the hashed files; embed.html keeps importing ./vroom.mjs like any embedder.
const reference = (ext) => new RegExp(`(?<=["'/])vroom(\\.[0-9a-f]{8})?\\.${ext}(?=["'])`, 'g');
rewrite(path.join(site, 'index.html'), reference('mjs'), moduleName);
rewrite(path.join(site, 'index.html'), reference('wasm'), wasmName);
rewrite(path.join(site, 'app.js'), reference('mjs'), moduleName);

// Earlier builds' hashed files would pile up.
for (const name of readdirSync(site)) {
  const base = name.replace(/\.(br|gz)$/, '');
  if (HASHED.test(name) && base !== wasmName && base !== moduleName) rmSync(path.join(site, name));
}

// Siblings are rebuilt only when their file is newer; one that would not be smaller is removed.
// A hashed copy has its plain file's bytes: each content is compressed once (brotli's best
// quality takes seconds on the wasm).
const packedByContent = new Map();
let compressed = 0;
for (const name of readdirSync(site)) {
  const file = path.join(site, name);
  const ext = path.extname(name);
  if (!COMPRESSIBLE.has(ext) || !statSync(file).isFile()) continue;
  const source = statSync(file);
  let bytes = null;
  for (const [suffix, compress] of [
    ['.br', (b) => zlib.brotliCompressSync(b, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_MODE]: TEXT.has(ext) ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } })],
    ['.gz', (b) => zlib.gzipSync(b, { level: zlib.constants.Z_BEST_COMPRESSION })],
  ]) {
    const sibling = file + suffix;
    if (existsSync(sibling) && statSync(sibling).mtimeMs >= source.mtimeMs) continue;
    bytes ??= readFileSync(file);
    const key = `${suffix} ${ext} ${createHash('sha256').update(bytes).digest('hex')}`;
    if (!packedByContent.has(key)) packedByContent.set(key, compress(bytes));
    const packed = packedByContent.get(key);
    if (packed.length < bytes.length) writeFileSync(sibling, packed);
    else rmSync(sibling, { force: true });
    compressed++;
  }
}
console.log(`package_site: ${moduleName}, ${wasmName}; ${compressed} precompressed file(s) written`);
