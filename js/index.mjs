// webtorch: PyTorch's tensors, autograd and gradient modes in WebAssembly.
//   import { load } from 'webtorch';
//   const torch = await load();      // the SIMD build where the engine validates, else scalar
// load() is memoised per build: calling it again returns the same engine. A failed load
// rejects with the reason and may be retried.

import { THREADS_UNAVAILABLE, createEngine } from './engine.mjs';
import { instantiate } from './loader.mjs';
import { checkOptions } from './options.mjs';
import { describe } from './runtime.mjs';
import { VERSION } from './version.mjs';

const engines = new Map();

export function load(options = {}) {
  if (options !== null && typeof options !== 'object') throw new Error('load(options): options must be an object');
  options = checkOptions('load', options, { simd: 'boolean', wasmUrl: 'any', wasmBinary: 'any', threads: 'any' });
  checkThreads(options.threads);
  const key = `${options.simd === false ? 'scalar' : 'auto'}|${options.wasmUrl?.href ?? options.wasmUrl ?? ''}`;
  if (options.wasmBinary == null && engines.has(key)) return engines.get(key);
  const promise = instantiate(options).then(({ Module, backend }) => createEngine(Module, backend));
  if (options.wasmBinary == null) {
    engines.set(key, promise);
    promise.catch(() => engines.delete(key));
  }
  return promise;
}

// Note [No threaded build yet]
// API.md names load({ threads: n | 'auto' }), torch.threads and torch.threadsUnavailableReason.
// This release ships no multi-threaded engine: threads: 1 (exactly what every engine gives)
// is accepted; any other count, 'auto' included, is refused rather than silently run on one
// thread. torch.threads is 1 and torch.threadsUnavailableReason says why.
function checkThreads(threads) {
  if (threads === undefined || threads === 1) return;
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1))
    throw new Error(`load(): option 'threads' must be a positive integer or 'auto', got ${describe(threads)}`);
  throw new Error(`load(): threads: ${JSON.stringify(threads)} cannot be had: ${THREADS_UNAVAILABLE} (use threads: 1 or leave it out)`);
}

export { VERSION as version };
export default load;
