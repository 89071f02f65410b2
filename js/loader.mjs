// Finds, validates and instantiates one of the two wasm builds.
//
// The .wasm files are located with `new URL(..., import.meta.url)`, so bundlers see static
// asset references. In Node the bytes are read with fs (the Emscripten 3.1.6 glue cannot
// fetch file: URLs); in browsers they are fetched. The SIMD build is chosen when
// WebAssembly.validate accepts its actual bytes (SIMD and wasm exceptions both), not a
// probe, so a browser that lacks either feature gets the scalar build.

import { VERSION } from './version.mjs';

const BUILDS = {
  simd: {
    glue: () => import('./webtorch-simd.mjs'),
    wasm: () => new URL('./webtorch-simd.wasm', import.meta.url),
    backend: 'wasm-simd',
  },
  scalar: {
    glue: () => import('./webtorch.mjs'),
    wasm: () => new URL('./webtorch.wasm', import.meta.url),
    backend: 'wasm',
  },
};

const isNode =
  typeof process === 'object' && process !== null && process.versions != null && process.versions.node != null;

async function readBytes(url) {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import(/* webpackIgnore: true */ 'node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`webtorch: fetching ${url} failed: HTTP ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A server that answers with an HTML page (a missing file behind an SPA fallback) is the
  // most common hosting mistake: name it instead of failing inside WebAssembly.compile.
  if (bytes.length >= 4 && !(bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    const type = response.headers.get('content-type');
    throw new Error(`webtorch: ${url} is not a WebAssembly file (content-type ${type}); check where the .wasm files are served`);
  }
  return bytes;
}

function toBytes(binary) {
  if (binary instanceof Uint8Array) return binary;
  if (binary instanceof ArrayBuffer) return new Uint8Array(binary);
  if (ArrayBuffer.isView(binary)) return new Uint8Array(binary.buffer, binary.byteOffset, binary.byteLength);
  throw new Error('webtorch: load({ wasmBinary }) expects an ArrayBuffer or a Uint8Array');
}

// Returns { Module, backend } for the chosen build.
export async function instantiate(options = {}) {
  const wantSimd = options.simd !== false;
  let build = BUILDS.scalar;
  let bytes = null;
  let compiled = null;
  if (options.wasmBinary != null) {
    // Either build's bytes may be given: the scalar build imports JavaScript exception
    // trampolines (invoke_*), the SIMD build does not. Compile once and pick the glue.
    bytes = toBytes(options.wasmBinary);
    compiled = await WebAssembly.compile(bytes);
    const scalar = WebAssembly.Module.imports(compiled).some((i) => i.name.startsWith('invoke_'));
    build = scalar ? BUILDS.scalar : BUILDS.simd;
  } else {
    if (wantSimd) {
      const url = options.wasmUrl ? new URL(options.wasmUrl, baseUrl()) : BUILDS.simd.wasm();
      const simdBytes = await readBytes(url);
      if (WebAssembly.validate(simdBytes)) {
        build = BUILDS.simd;
        bytes = simdBytes;
      }
    }
    if (bytes == null) {
      const url = options.wasmUrl && !wantSimd ? new URL(options.wasmUrl, baseUrl()) : BUILDS.scalar.wasm();
      bytes = await readBytes(url);
    }
  }
  const { default: createWebtorch } = await build.glue();
  let failInstantiate;
  const instantiateFailed = new Promise((_, reject) => (failInstantiate = reject));
  const Module = await Promise.race([instantiateFailed, createWebtorch({
    wasmBinary: bytes,
    instantiateWasm: compiled
      ? (imports, done) => {
          WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled), failInstantiate);
          return {};
        }
      : undefined,
    // The glue's own abort printing goes to the console; a failed instantiation rejects.
    print: () => {},
    printErr: (msg) => console.warn(`webtorch: ${msg}`),
  })]);
  const info = Module.buildInfo();
  if (info.version !== VERSION)
    throw new Error(`webtorch: the JavaScript package is version ${VERSION} but the wasm engine is version ${info.version}; serve the .wasm files of the same release`);
  if (info.backend !== build.backend)
    throw new Error(`webtorch: expected the ${build.backend} build but the binary is ${info.backend}`);
  return { Module, backend: build.backend };
}

function baseUrl() {
  if (typeof location !== 'undefined' && location.href) return location.href;
  return import.meta.url;
}
