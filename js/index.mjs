// webtorch: PyTorch's tensors, autograd and gradient modes in WebAssembly.
//   import { load } from 'webtorch';
//   const torch = await load();      // the SIMD build where the engine validates, else scalar
// load() is memoised per build: calling it again returns the same engine. A failed load
// rejects with the reason and may be retried.

import { createEngine } from './engine.mjs';
import { instantiate } from './loader.mjs';
import { VERSION } from './version.mjs';

const engines = new Map();

export function load(options = {}) {
  if (options === null || typeof options !== 'object') throw new Error('load(options): options must be an object');
  for (const k of Object.keys(options))
    if (!['simd', 'wasmUrl', 'wasmBinary'].includes(k)) throw new Error(`load(): unknown option '${k}'`);
  if (options.simd !== undefined && typeof options.simd !== 'boolean')
    throw new Error(`load(): simd must be a boolean, got ${typeof options.simd}`);
  const key = `${options.simd === false ? 'scalar' : 'auto'}|${options.wasmUrl?.href ?? options.wasmUrl ?? ''}`;
  if (options.wasmBinary == null && engines.has(key)) return engines.get(key);
  const promise = instantiate(options).then(({ Module, backend }) => createEngine(Module, backend));
  if (options.wasmBinary == null) {
    engines.set(key, promise);
    promise.catch(() => engines.delete(key));
  }
  return promise;
}

export { VERSION as version };
export default load;
