// Build step after the link (bridge/CMakeLists.txt): makes build/wasm/site what the server
// sends. Content-hashed copies of the module and its wasm (cached for good), the page pointed
// at them, and brotli + gzip siblings of every compressible file (server/site_files.cpp); the
// module is minified (esbuild) with a source map beside the embedders' plain copy.
// Usage: node bridge/package_site.mjs LINKED_DIR SITE_DIR (LINKED_DIR: emcc's vroom.mjs and
// vroom.wasm, kept as linked so packaging twice never minifies twice)
//
// A hashed name is `<stem>.<first 8 hex digits of the SHA-256 of the file's bytes>.<ext>`; the
// server marks a name immutable only when that holds, so the two must agree. The plain
// vroom.mjs and vroom.wasm stay for pages that import /vroom.mjs (revalidated, not immutable).
import { createHash } from 'node:crypto';
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

// esbuild (a devDependency, installed by scripts/setup's npm ci) minifies the module: the
// Emscripten glue and the JS appended to it lose their comments, whitespace and long local
// names (legal comments stay). Embedders' plain copy gets a source map of the linked module.
async function minify(source) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.warn('package_site: esbuild not found (run scripts/setup), vroom.mjs is sent unminified');
    return { code: source, map: null };
  }
  // es2022: the syntax the module already uses (class fields), so nothing is rewritten.
  const { code, map } = await esbuild.transform(source, {
    minify: true, format: 'esm', target: 'es2022', legalComments: 'inline',
    sourcemap: 'external', sourcefile: 'vroom.linked.mjs', sourcesContent: true,
  });
  return { code, map };
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

const [linked, site] = process.argv.slice(2);
if (!linked || !site || !existsSync(path.join(linked, 'vroom.mjs'))) {
  fail('usage: package_site.mjs LINKED_DIR SITE_DIR (LINKED_DIR with vroom.mjs and vroom.wasm)');
}

// The wasm first: the module names it, so the module's hash covers the wasm's.
const wasm = readFileSync(path.join(linked, 'vroom.wasm'));
const wasmName = `vroom.${hash8(wasm)}.wasm`;
writeIfChanged(path.join(site, 'vroom.wasm'), wasm);  // embedders' plain copy
writeIfChanged(path.join(site, wasmName), wasm);

// Emscripten's glue finds its wasm as new URL("vroom.wasm", import.meta.url) (and, with a
// locateFile option, through it): the hashed module names the hashed wasm instead, and has no
// source map comment (the page's copy; the map is for developers importing /vroom.mjs).
const { code: glue, map } = await minify(readFileSync(path.join(linked, 'vroom.mjs'), 'utf8'));
if (map) {
  writeIfChanged(path.join(site, 'vroom.mjs.map'), map);
  writeIfChanged(path.join(site, 'vroom.mjs'), `${glue}//# sourceMappingURL=vroom.mjs.map\n`);
} else {
  rmSync(path.join(site, 'vroom.mjs.map'), { force: true });
  writeIfChanged(path.join(site, 'vroom.mjs'), glue);
}
if (!glue.includes('"vroom.wasm"')) fail('vroom.mjs does not name "vroom.wasm": has the glue changed?');
const hashedGlue = glue.replaceAll('"vroom.wasm"', `"${wasmName}"`);
const moduleName = `vroom.${hash8(hashedGlue)}.mjs`;
writeIfChanged(path.join(site, moduleName), hashedGlue);

// The page loads the hashed files; embed.html keeps importing ./vroom.mjs like any embedder.
const reference = (ext) => new RegExp(`(?<=["'/])vroom(\\.[0-9a-f]{8})?\\.${ext}(?=["'])`, 'g');
rewrite(path.join(site, 'index.html'), reference('mjs'), moduleName);
rewrite(path.join(site, 'index.html'), reference('wasm'), wasmName);
rewrite(path.join(site, 'app.js'), reference('mjs'), moduleName);
rewrite(path.join(site, 'app.js'), reference('wasm'), wasmName);

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
