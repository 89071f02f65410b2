// The threaded engine: whether threads can be had here, and how the pthread glue is loaded.
//
// Note [Threaded build]
// webtorch-threads.wasm is the SIMD build compiled with Emscripten pthreads: its memory is a
// SharedArrayBuffer and its kernel threads (Note [Kernel threads], src/kernels/parallel.cpp)
// run in Workers that Emscripten prespawns before the engine starts (PTHREAD_POOL_SIZE is
// Module.webtorchPoolSize = threads - 1, the calling thread being the first). Emscripten
// 3.1.6's pthread glue works in Node only as a classic script, so it ships as
// webtorch-threads.cjs, with its worker script webtorch-threads.worker.cjs beside it:
//   - Node: the glue is required through createRequire (reached at run time, Note [No Node
//     built-in on the browser path]); the workers are worker_threads, unref'd so an idle
//     engine does not keep the process alive.
//   - Browsers and workers: both scripts are fetched and run from Blob URLs, so neither the
//     page's script policy for .cjs files nor their MIME type matters; the glue is evaluated
//     with new Function (a page whose CSP forbids that gets the single-thread fallback).
// Threads need SharedArrayBuffer, which browsers give only to cross-origin-isolated pages
// (COOP: same-origin + COEP: require-corp), and Workers. Where either is missing, load()
// falls back to the single-thread SIMD build and threadsUnavailableReason says why. A pool
// that does not come up within THREAD_START_MS (a worker script that cannot load) is a
// fallback too, never a hang.

import { isNode, nodeBuiltin } from './host.mjs';

// 'auto' asks for the machine's cores, at most AUTO_MAX_THREADS (API.md).
export const AUTO_MAX_THREADS = 4;
export const THREAD_START_MS = 20000;

// The number of threads `threads` ('auto' or n >= 1) asks for here.
export async function requestedThreads(threads) {
  if (threads !== 'auto') return threads;
  let cores = 1;
  if (typeof navigator === 'object' && navigator !== null && Number.isInteger(navigator.hardwareConcurrency))
    cores = navigator.hardwareConcurrency;
  else if (isNode) {
    const os = await nodeBuiltin('os');
    cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return Math.max(1, Math.min(AUTO_MAX_THREADS, cores));
}

// Why threads cannot be had in this context, or null.
export function threadsUnavailable() {
  if (typeof SharedArrayBuffer === 'undefined')
    return typeof crossOriginIsolated !== 'undefined' && !crossOriginIsolated
      ? 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is unavailable'
      : 'SharedArrayBuffer is not available in this JavaScript environment';
  if (typeof crossOriginIsolated !== 'undefined' && !crossOriginIsolated)
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if (!isNode && typeof Worker === 'undefined') return 'this context cannot start Web Workers';
  return null;
}

async function fetchText(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`fetching ${url.href} failed: ${e.message}`);
  }
  if (!response.ok) throw new Error(`fetching ${url.href} failed: HTTP ${response.status}`);
  return response.text();
}

// The glue's factory and the Module fields that point it at its worker script.
export async function threadedGlue() {
  const glueUrl = new URL('./webtorch-threads.cjs', import.meta.url);
  const workerUrl = new URL('./webtorch-threads.worker.cjs', import.meta.url);
  if (isNode && glueUrl.protocol === 'file:') {
    const { createRequire } = await nodeBuiltin('module');
    const { fileURLToPath } = await nodeBuiltin('url');
    const workerPath = fileURLToPath(workerUrl);
    // The glue rethrows a worker's load error from an event handler, which would end the
    // process: a missing worker script is found here instead, and load() falls back.
    const fs = await nodeBuiltin('fs');
    if (!fs.existsSync(workerPath)) throw new Error(`its worker script ${workerPath} is missing`);
    const factory = createRequire(import.meta.url)(fileURLToPath(glueUrl));
    return { factory, fields: { locateFile: (file) => (file.endsWith('.worker.js') ? workerPath : file) } };
  }
  const [glueText, workerText] = await Promise.all([fetchText(glueUrl), fetchText(workerUrl)]);
  // eslint-disable-next-line no-new-func
  const factory = new Function('module', 'exports', 'define', `${glueText}\nreturn createWebtorch;`)(undefined, undefined, undefined);
  const script = new Blob([glueText], { type: 'text/javascript' });
  const worker = URL.createObjectURL(new Blob([workerText], { type: 'text/javascript' }));
  return { factory, fields: { mainScriptUrlOrBlob: script, locateFile: (file) => (file.endsWith('.worker.js') ? worker : file) } };
}

// Every Worker of an instantiated threaded Module (running kernel threads and idle ones).
export function moduleWorkers(Module) {
  const p = Module.PThread;
  if (!p) return [];
  return [...(p.runningWorkers ?? []), ...(p.unusedWorkers ?? [])];
}

// Node: idle kernel threads must not keep the process alive.
export function unrefWorkers(Module) {
  if (!isNode) return;
  for (const w of moduleWorkers(Module)) if (typeof w.unref === 'function') w.unref();
}
