// Finds, checks and instantiates one of the two wasm builds.
//
// The .wasm files are located with `new URL('./webtorch-simd.wasm', import.meta.url)`, a
// static pattern bundlers recognise as an asset. In Node the bytes are read with fs (the
// Emscripten 3.1.6 glue cannot fetch file: URLs); in browsers and workers they are fetched.
// The loader always compiles the bytes itself, so the build is known (and checked) before
// any glue runs.
//
// Note [Build stamp]
// scripts/build.sh appends a custom section "webtorch" = {"version","backend"} to each
// .wasm. It says which glue the bytes need (the builds' import names are minified, so the
// imports cannot tell) and lets a JS/wasm version mismatch be reported by name before
// instantiation, where it would otherwise surface as a cryptic LinkError. After
// instantiation the engine's own buildInfo() is checked as well.
//
// Note [No Node built-in on the browser path]
// Nothing here imports a Node built-in statically or by a literal specifier: bundlers for
// the browser (esbuild --platform=browser, webpack, Vite) would try to resolve it and fail.
// Node's fs is reached at run time only, through process.getBuiltinModule (Node >= 20.16)
// or a dynamic import of a computed specifier.

import { isNode, nodeBuiltin } from './host.mjs';
import { THREAD_START_MS, requestedThreads, threadedGlue, threadsUnavailable, unrefWorkers } from './threads.mjs';
import { VERSION } from './version.mjs';

const BUILDS = {
  'wasm-simd': {
    glue: () => import('./webtorch-simd.mjs'),
    file: 'webtorch-simd.wasm',
    url: () => new URL('./webtorch-simd.wasm', import.meta.url),
  },
  wasm: {
    glue: () => import('./webtorch.mjs'),
    file: 'webtorch.wasm',
    url: () => new URL('./webtorch.wasm', import.meta.url),
  },
};

// The threaded build (Note [Threaded build] in threads.mjs): the SIMD engine with kernel
// threads; its engine reports itself as wasm-simd.
const THREADED = { stamp: 'wasm-simd-threads', file: 'webtorch-threads.wasm', url: () => new URL('./webtorch-threads.wasm', import.meta.url) };

async function readBytes(url) {
  if (isNode && url.protocol === 'file:') {
    const fs = await nodeBuiltin('fs/promises');
    try {
      return new Uint8Array(await fs.readFile(url));
    } catch (e) {
      throw new Error(`webtorch: cannot read ${url.href}: ${e.message}`);
    }
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`webtorch: fetching ${url.href} failed: ${e.message}`);
  }
  if (!response.ok) throw new Error(`webtorch: fetching ${url.href} failed: HTTP ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A server that answers with an HTML page (a missing file behind an SPA fallback) is the
  // most common hosting mistake: name it instead of failing inside WebAssembly.compile.
  if (!isWasm(bytes)) {
    const type = response.headers.get('content-type');
    throw new Error(`webtorch: ${url.href} is not a WebAssembly file (content-type ${type}); check where the .wasm files are served`);
  }
  return bytes;
}

function isWasm(bytes) {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

function toBytes(binary) {
  if (binary instanceof Uint8Array) return binary;
  if (binary instanceof ArrayBuffer) return new Uint8Array(binary);
  if (ArrayBuffer.isView(binary)) return new Uint8Array(binary.buffer, binary.byteOffset, binary.byteLength);
  throw new Error('webtorch: load({ wasmBinary }) expects an ArrayBuffer, a Uint8Array or another ArrayBuffer view');
}

// Where relative wasmUrl strings are resolved: the page (or worker script) in browsers, the
// current directory in Node.
async function baseUrl() {
  if (typeof location !== 'undefined' && location && location.href) return location.href;
  if (isNode) {
    const { pathToFileURL } = await nodeBuiltin('url');
    return pathToFileURL(`${process.cwd()}/`).href;
  }
  return import.meta.url;
}

export async function resolveWasmUrl(wasmUrl) {
  if (wasmUrl instanceof URL) return wasmUrl;
  // A URL from another realm (a worker, a test VM) is not instanceof this realm's URL.
  if (wasmUrl !== null && typeof wasmUrl === 'object' && typeof wasmUrl.href === 'string') return new URL(wasmUrl.href);
  if (typeof wasmUrl !== 'string' || wasmUrl === '')
    throw new Error('webtorch: load({ wasmUrl }) expects a URL or a non-empty string');
  return new URL(wasmUrl, await baseUrl());
}

// The stamp of Note [Build stamp], or an Error naming `source`.
function readStamp(compiled, source) {
  const sections = WebAssembly.Module.customSections(compiled, 'webtorch');
  if (sections.length !== 1)
    throw new Error(`webtorch: ${source} is not a webtorch engine (no build stamp); use the .wasm files of the webtorch package`);
  let stamp;
  try {
    stamp = JSON.parse(new TextDecoder().decode(sections[0]));
  } catch {
    stamp = null;
  }
  if (stamp === null || typeof stamp.version !== 'string' || !(stamp.backend in BUILDS || stamp.backend === THREADED.stamp))
    throw new Error(`webtorch: ${source} has an unreadable build stamp`);
  return stamp;
}

function versionMismatch(jsVersion, wasmVersion, source) {
  return new Error(
    `webtorch: version mismatch: the JavaScript package is version ${jsVersion} but the wasm engine (${source}) is version ${wasmVersion}; serve the .wasm files of the same release as the JavaScript`,
  );
}

async function compile(bytes, source) {
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new Error(`webtorch: ${source} does not compile: ${e.message}`);
  }
}

// The bytes to use and where they came from, following the options (see index.d.ts).
async function locate(options) {
  const wantSimd = options.simd !== false;
  if (options.wasmBinary != null) return [{ bytes: toBytes(options.wasmBinary), source: 'load({ wasmBinary })' }];
  let urls;
  if (options.wasmUrl != null) {
    const url = await resolveWasmUrl(options.wasmUrl);
    // A URL ending in '/' is a folder holding both builds under their usual names.
    if (url.pathname.endsWith('/')) urls = Object.values(BUILDS).map((b) => new URL(b.file, url));
    else urls = [url];
  } else {
    urls = Object.values(BUILDS).map((b) => b.url());
  }
  if (!wantSimd && urls.length === 2) urls = [urls[1]];
  // The first candidate is the SIMD build when there are two; its bytes are read and
  // compiled only if this engine accepts them (compile() below falls back).
  return urls.map((url) => ({ url, source: url.href }));
}

// Returns { Module, backend, threads, threadsUnavailableReason } for the chosen build.
export async function instantiate(options = {}) {
  if (options.simd !== undefined && typeof options.simd !== 'boolean')
    throw new Error(`webtorch: load({ simd }) must be a boolean, got ${typeof options.simd}`);
  const wanted = options.threads === undefined ? 1 : await requestedThreads(options.threads);
  if (wanted === 1) return { ...(await instantiateSingle(options)), threads: 1, threadsUnavailableReason: null };
  let reason = options.simd === false ? 'load({ simd: false }) has no threaded build: the scalar engine runs on one thread' : threadsUnavailable();
  if (reason === null) {
    const threaded = await instantiateThreaded(options, wanted);
    if (threaded.Module) return threaded;
    reason = threaded.threadsUnavailableReason;
  }
  return { ...(await instantiateSingle(options)), threads: 1, threadsUnavailableReason: reason };
}

// Runs the glue `createWebtorch` on the compiled module; a failed instantiation rejects.
async function start(createWebtorch, compiled, source, fields = {}) {
  let failInstantiate;
  const instantiateFailed = new Promise((_, reject) => (failInstantiate = reject));
  return Promise.race([
    instantiateFailed,
    createWebtorch({
      ...fields,
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(compiled, imports).then(
          (instance) => done(instance, compiled),
          (e) => failInstantiate(new Error(`webtorch: instantiating ${source} failed: ${e.message}`)),
        );
        return {};
      },
      // The glue's own abort printing goes to the console; a failed instantiation rejects.
      print: () => {},
      printErr: (msg) => console.warn(`webtorch: ${msg}`),
    }),
  ]);
}

// The engine's own report must match the stamp (Note [Build stamp]).
function checkBuildInfo(Module, backend, source) {
  const info = Module.buildInfo();
  if (info.version !== VERSION) throw versionMismatch(VERSION, info.version, source);
  if (info.backend !== backend)
    throw new Error(`webtorch: ${source} is stamped as the ${backend} build but its engine reports ${info.backend}`);
}

async function instantiateSingle(options) {
  const candidates = await locate(options);
  let compiled = null;
  let source = null;
  for (let i = 0; i < candidates.length && compiled === null; i++) {
    const c = candidates[i];
    const bytes = c.bytes ?? (await readBytes(c.url));
    const last = i === candidates.length - 1;
    if (!last && !WebAssembly.validate(bytes)) continue; // no SIMD or no wasm exceptions here: use the scalar build
    compiled = await compile(bytes, c.source);
    source = c.source;
  }
  const stamp = readStamp(compiled, source);
  if (stamp.version !== VERSION) throw versionMismatch(VERSION, stamp.version, source);
  if (stamp.backend === THREADED.stamp)
    throw new Error(`webtorch: ${source} is the threaded build; load it with load({ threads })`);
  if (options.simd === false && stamp.backend !== 'wasm')
    throw new Error(`webtorch: load({ simd: false }) was given the ${stamp.backend} build (${source}); give it webtorch.wasm`);
  const build = BUILDS[stamp.backend];
  const { default: createWebtorch } = await build.glue();
  const Module = await start(createWebtorch, compiled, source);
  checkBuildInfo(Module, stamp.backend, source);
  return { Module, backend: stamp.backend };
}

// The threaded engine with `threads` threads, or { threadsUnavailableReason } when this host
// cannot run it (no wasm threads, bytes of a single-thread build, workers that do not start).
// Hosting mistakes (missing or foreign files, a version mismatch) throw as for one thread.
async function instantiateThreaded(options, threads) {
  let bytes;
  let source;
  if (options.wasmBinary != null) {
    bytes = toBytes(options.wasmBinary);
    source = 'load({ wasmBinary })';
  } else {
    let url = options.wasmUrl != null ? await resolveWasmUrl(options.wasmUrl) : THREADED.url();
    if (url.pathname.endsWith('/')) url = new URL(THREADED.file, url);
    bytes = await readBytes(url);
    source = url.href;
  }
  if (!WebAssembly.validate(bytes)) return { threadsUnavailableReason: 'this WebAssembly engine cannot run the threaded build (no wasm threads, SIMD or exceptions)' };
  const compiled = await compile(bytes, source);
  const stamp = readStamp(compiled, source);
  if (stamp.version !== VERSION) throw versionMismatch(VERSION, stamp.version, source);
  if (stamp.backend !== THREADED.stamp) return { threadsUnavailableReason: `${source} is the single-thread ${stamp.backend} build` };
  let Module;
  let timer;
  try {
    const { factory, fields } = await threadedGlue();
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`its workers did not start within ${THREAD_START_MS / 1000} s`)), THREAD_START_MS);
    });
    Module = await Promise.race([start(factory, compiled, source, { ...fields, webtorchPoolSize: threads - 1 }), timeout]);
  } catch (e) {
    return { threadsUnavailableReason: `the threaded engine could not start: ${e.message}` };
  } finally {
    clearTimeout(timer);
  }
  checkBuildInfo(Module, 'wasm-simd', source);
  const got = Module._wt_set_num_threads(threads);
  unrefWorkers(Module);
  return {
    Module,
    backend: 'wasm-simd',
    threads: got,
    threadsUnavailableReason: got < threads ? `only ${got} of the ${threads} threads asked for could be started` : null,
  };
}
