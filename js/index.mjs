// webtorch: PyTorch's tensors, autograd and gradient modes in WebAssembly.
//   import { load } from 'webtorch';
//   const torch = await load();      // the SIMD build where the engine validates, else scalar
// load() is memoised per build: calling it again returns the same engine. A failed load
// rejects with the reason and may be retried.

import { createEngine } from './engine.mjs';
import { instantiate } from './loader.mjs';
import { checkOptions } from './options.mjs';
import { describe } from './runtime.mjs';
import { VERSION } from './version.mjs';

const engines = new Map();

export function load(options = {}) {
  if (options !== null && typeof options !== 'object') throw new Error('load(options): options must be an object');
  options = checkOptions('load', options, { simd: 'boolean', wasmUrl: 'any', wasmBinary: 'any', threads: 'any' });
  checkThreads(options.threads);
  const threads = options.threads === 1 ? undefined : options.threads;
  const key = `${options.simd === false ? 'scalar' : 'auto'}|${threads ?? 1}|${options.wasmUrl?.href ?? options.wasmUrl ?? ''}`;
  if (options.wasmBinary == null && engines.has(key)) return engines.get(key);
  const promise = instantiate(options).then((built) => createEngine(built));
  if (options.wasmBinary == null) {
    engines.set(key, promise);
    promise.catch(() => engines.delete(key));
  }
  return promise;
}

// API.md: load({ threads: n | 'auto' }) asks for a multi-threaded engine (Note [Threaded
// build] in threads.mjs); where threads cannot be had it falls back to one thread and
// torch.threadsUnavailableReason says why. Invalid values throw.
const MAX_THREADS = 64;
function checkThreads(threads) {
  if (threads === undefined || threads === 'auto') return;
  if (!(Number.isInteger(threads) && threads >= 1))
    throw new Error(`load(): option 'threads' must be a positive integer or 'auto', got ${describe(threads)}`);
  if (threads > MAX_THREADS) throw new Error(`load(): option 'threads' is ${threads}, more than the ${MAX_THREADS} threads webtorch allows`);
}

export { VERSION as version };
export default load;
