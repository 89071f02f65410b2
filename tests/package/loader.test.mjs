// load() options for unusual hosting, and the checks that turn hosting mistakes into clear
// Errors: wasmBinary and wasmUrl (a file or a folder) for either build, the build stamp, a
// JS/wasm version mismatch naming both versions (caught before instantiation from the stamp,
// and after it from the engine's own report), non-webtorch or non-wasm bytes, missing files
// and retries. Imports the package by its name (Node resolves a package's own name through
// its "exports"), so the entry users get is the one tested.
//
//   node --test tests/package/loader.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { load, version } from 'webtorch';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const SIMD = readFileSync(path.join(dist, 'webtorch-simd.wasm'));
const SCALAR = readFileSync(path.join(dist, 'webtorch.wasm'));
const scratch = mkdtempSync(path.join(tmpdir(), 'webtorch-loader-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// ---- a tiny wasm section editor, to forge binaries the way a bad deployment would ----
function readLeb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    value |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value >>> 0, pos];
  }
}
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function customSection(name, payload) {
  const nameBytes = Buffer.from(name);
  const body = Buffer.concat([Buffer.from(leb(nameBytes.length)), nameBytes, Buffer.from(payload)]);
  return Buffer.concat([Buffer.from([0, ...leb(body.length)]), body]);
}
// The module with every custom section named `name` removed.
function withoutSection(bytes, name) {
  const parts = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    const [size, bodyStart] = readLeb(bytes, pos);
    pos = bodyStart + size;
    if (id === 0) {
      const [nameLen, nameStart] = readLeb(bytes, bodyStart);
      if (bytes.subarray(nameStart, nameStart + nameLen).toString() === name) continue;
    }
    parts.push(bytes.subarray(start, pos));
  }
  return Buffer.concat(parts);
}
function restamped(bytes, stamp) {
  return Buffer.concat([withoutSection(bytes, 'webtorch'), customSection('webtorch', JSON.stringify(stamp))]);
}
// The engine's compiled-in version string (a NUL-terminated C string in a data segment),
// replaced by another of the same length: the engine then reports that version itself.
function withEngineVersion(bytes, other) {
  assert.equal(other.length, version.length);
  const needle = Buffer.from(`\0${version}\0`);
  const at = bytes.indexOf(needle);
  assert.ok(at > 0 && bytes.indexOf(needle, at + 1) === -1, 'the version string must occur once in the engine');
  const out = Buffer.from(bytes);
  out.write(other, at + 1, 'latin1');
  return out;
}

async function rejects(promise, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  });
}

function works(torch) {
  const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true });
  const y = x.matmul(x).sum();
  y.backward();
  return { y: y.item(), grad: x.grad.toArray() };
}
const EXPECTED = { y: 54, grad: [[7, 11], [9, 13]] };

test('each .wasm carries a build stamp naming its version and backend', async () => {
  for (const [bytes, backend] of [[SIMD, 'wasm-simd'], [SCALAR, 'wasm']]) {
    const sections = WebAssembly.Module.customSections(await WebAssembly.compile(bytes), 'webtorch');
    assert.equal(sections.length, 1);
    assert.deepEqual(JSON.parse(Buffer.from(sections[0]).toString()), { version, backend });
  }
});

test('load() picks the SIMD build, load({ simd: false }) the scalar one; each is memoised', async () => {
  const a = await load();
  const b = await load({ simd: false });
  assert.equal(a.backend, 'wasm-simd');
  assert.equal(b.backend, 'wasm');
  assert.notEqual(a, b);
  assert.equal(await load(), a);
  assert.equal(await load({ simd: false }), b);
  assert.equal(a.version, version);
  assert.deepEqual(works(a), EXPECTED);
  assert.deepEqual(works(b), EXPECTED);
});

test('load({ wasmBinary }) takes either build, as Uint8Array, ArrayBuffer or another view, and picks the right glue', async () => {
  const simd = await load({ wasmBinary: new Uint8Array(SIMD) });
  assert.equal(simd.backend, 'wasm-simd');
  assert.deepEqual(works(simd), EXPECTED);
  const ab = SCALAR.buffer.slice(SCALAR.byteOffset, SCALAR.byteOffset + SCALAR.byteLength);
  const scalar = await load({ wasmBinary: ab });
  assert.equal(scalar.backend, 'wasm');
  assert.deepEqual(works(scalar), EXPECTED);
  const padded = Buffer.concat([Buffer.alloc(3), SCALAR]);
  const view = new DataView(padded.buffer, padded.byteOffset + 3, SCALAR.length);
  assert.equal((await load({ wasmBinary: view })).backend, 'wasm');
  // A given binary is its own engine, separate from the memoised default.
  assert.notEqual(simd, await load());
});

test('load({ simd: false }) refuses the SIMD binary, naming the file to use', async () => {
  await rejects(load({ simd: false, wasmBinary: SIMD }), /simd: false.*wasm-simd build.*webtorch\.wasm/);
});

test('load({ wasmUrl }) takes the URL of one .wasm file (URL object, file URL string, or a path)', async () => {
  const a = await load({ wasmUrl: pathToFileURL(path.join(dist, 'webtorch.wasm')) });
  assert.equal(a.backend, 'wasm');
  assert.deepEqual(works(a), EXPECTED);
  const b = await load({ wasmUrl: pathToFileURL(path.join(dist, 'webtorch-simd.wasm')).href });
  assert.equal(b.backend, 'wasm-simd');
  // Relative strings resolve against the current directory in Node.
  const rel = path.relative(process.cwd(), path.join(dist, 'webtorch-simd.wasm'));
  const c = await load({ wasmUrl: rel });
  assert.equal(c.backend, 'wasm-simd');
  assert.deepEqual(works(c), EXPECTED);
});

test("load({ wasmUrl }) with a folder URL ending in '/' finds both builds there", async () => {
  const folder = path.join(scratch, 'assets');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder);
  copyFileSync(path.join(dist, 'webtorch-simd.wasm'), path.join(folder, 'webtorch-simd.wasm'));
  copyFileSync(path.join(dist, 'webtorch.wasm'), path.join(folder, 'webtorch.wasm'));
  const url = `${pathToFileURL(folder).href}/`;
  assert.equal((await load({ wasmUrl: url })).backend, 'wasm-simd');
  assert.equal((await load({ wasmUrl: url, simd: false })).backend, 'wasm');
});

test('a missing .wasm rejects naming the file, and the load can be retried once it is there', async () => {
  const file = path.join(scratch, 'later', 'webtorch.wasm');
  await rejects(load({ wasmUrl: pathToFileURL(file) }), new RegExp(`cannot read .*later/webtorch\\.wasm`));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(file));
  copyFileSync(path.join(dist, 'webtorch.wasm'), file);
  const torch = await load({ wasmUrl: pathToFileURL(file) });
  assert.equal(torch.backend, 'wasm');
});

test('a JS/wasm version mismatch is an Error naming both versions, before instantiation (build stamp)', async () => {
  for (const [bytes, backend] of [[SIMD, 'wasm-simd'], [SCALAR, 'wasm']]) {
    const old = restamped(bytes, { version: '0.0.7', backend });
    await rejects(load({ wasmBinary: old }), new RegExp(`version mismatch: the JavaScript package is version ${version.replace(/\./g, '\\.')} but the wasm engine .* is version 0\\.0\\.7`));
  }
});

test('a JS/wasm version mismatch reported by the engine itself is an Error naming both versions', async () => {
  const other = '9.8.7'.slice(0, version.length).padEnd(version.length, '9');
  for (const bytes of [SIMD, SCALAR]) {
    await rejects(load({ wasmBinary: withEngineVersion(bytes, other) }), new RegExp(`version ${version.replace(/\./g, '\\.')} but the wasm engine .* is version ${other.replace(/\./g, '\\.')}`));
  }
});

test('a stamp that lies about the build is caught after instantiation or at link time', async () => {
  // The scalar engine stamped as the SIMD build: the SIMD glue cannot link it.
  await rejects(load({ wasmBinary: restamped(SCALAR, { version, backend: 'wasm-simd' }) }), /webtorch: instantiating load\(\{ wasmBinary \}\) failed|reports wasm/);
});

test('bytes that are wasm but not webtorch, or not wasm at all, are refused with a clear Error', async () => {
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await rejects(load({ wasmBinary: empty }), /not a webtorch engine \(no build stamp\)/);
  await rejects(load({ wasmBinary: withoutSection(SIMD, 'webtorch') }), /not a webtorch engine/);
  await rejects(load({ wasmBinary: restamped(SIMD, { version }) }), /unreadable build stamp/);
  await rejects(load({ wasmBinary: Buffer.from('<!doctype html><title>404</title>') }), /load\(\{ wasmBinary \}\) does not compile/);
});

test('bad options are refused', async () => {
  assert.throws(() => load('simd'), /options must be an object/);
  assert.throws(() => load({ wasmURL: 'x' }), /unexpected option 'wasmURL'/);
  assert.throws(() => load({ simd: 'no' }), /option 'simd' must be a boolean/);
  await rejects(load({ wasmBinary: 'bytes' }), /expects an ArrayBuffer/);
  await rejects(load({ wasmUrl: 42 }), /expects a URL or a non-empty string/);
});
