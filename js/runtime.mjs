// The thin layer over the wasm module that every other file uses: errors, the scratch
// buffer for small integer arrays, dtype names (js/constants.mjs, checked against the engine).

import { DTYPES, FAILED_HANDLE, FAILED_STATUS, SCALAR_KIND, SCRATCH_INTS } from './constants.mjs';

export function createRuntime(M) {
  const scratchI32 = M._wt_scratch_i32() >>> 2; // index into HEAP32
  const scratchF64 = M._wt_scratch_f64() >>> 3; // index into HEAPF64
  const scratchSize = SCRATCH_INTS;
  const dtypeNames = DTYPES.map((d) => d.name);
  // Both sides come from js/constants.mjs; a disagreement is a .wasm built from other sources.
  const engineDtypes = Array.from({ length: M.dtypeCount() }, (_, i) => M.dtypeName(i));
  if (engineDtypes.join() !== dtypeNames.join() || M._wt_scratch_size() !== SCRATCH_INTS)
    throw new Error(`webtorch: the engine's constants (dtypes ${engineDtypes.join(', ')}) differ from js/constants.mjs (${dtypeNames.join(', ')}): the .wasm and the JavaScript come from different builds`);
  const dtypeIndex = new Map(dtypeNames.map((n, i) => [n, i]));

  function lastError() {
    return new Error(M.lastError());
  }

  return {
    M,
    dtypeNames,
    scratchSize,
    // Throws the engine's last error (PyTorch's text) as a JavaScript Error.
    fail() {
      throw lastError();
    },
    lastError,
    // A handle result: FAILED_HANDLE (0) means the call failed.
    handle(h) {
      if (h === FAILED_HANDLE) throw lastError();
      return h >>> 0;
    },
    // A status result: FAILED_STATUS (negative) means the call failed.
    status(s) {
      if (s <= FAILED_STATUS) throw lastError();
      return s;
    },
    dtype(name, where = 'dtype') {
      if (name === undefined || name === null) return 0;
      const i = dtypeIndex.get(name);
      if (i === undefined)
        throw new Error(`${where}: unknown dtype ${JSON.stringify(name)}; webtorch supports ${dtypeNames.map((n) => `'${n}'`).join(', ')}`);
      return i;
    },
    // Writes integers into the scratch buffer (read by the next engine call). Never cache
    // HEAP32: memory growth replaces it.
    // Values outside [-2^31, 2^32) would wrap silently (a size of 1e10 became 1410065408):
    // refused. (Handles are unsigned, hence 2^32.)
    writeInts(values, offset = 0) {
      if (offset + values.length > scratchSize) throw new Error(`too many values in one call (${values.length})`);
      for (const v of values)
        if (!(v >= -2147483648 && v <= 4294967295)) throw new Error(`${describe(v)} is out of range: webtorch takes sizes, dims and indices as 32-bit integers`);
      const heap = M.HEAP32;
      for (let i = 0; i < values.length; i++) heap[scratchI32 + offset + i] = values[i];
      return values.length;
    },
    readInts(n, offset = 0) {
      const heap = M.HEAP32;
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = heap[scratchI32 + offset + i];
      return out;
    },
    readF64(i = 0) {
      return M.HEAPF64[scratchF64 + i];
    },
  };
}

// The kind of a JavaScript number as a Python scalar would have it (SCALAR_KIND).
export function scalarKind(v) {
  if (typeof v === 'boolean') return SCALAR_KIND.bool;
  return Number.isInteger(v) ? SCALAR_KIND.int : SCALAR_KIND.float;
}

// A size, dim or index that a wasm i32 parameter can carry; larger ones would wrap silently.
export const INT32_MAX = 2147483647;
export function isInt32(v) {
  return Number.isInteger(v) && v >= -2147483648 && v <= INT32_MAX;
}

export function isScalar(v) {
  return typeof v === 'number' || typeof v === 'boolean';
}

export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') {
    const name = v.constructor && v.constructor.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (Object.is(v, -0)) return 'number -0'; // String(-0) is '0'
  return `${typeof v} ${String(v)}`;
}

// A class that may also be called without `new` (PyTorch's `torch.optim.SGD(params, ...)`
// reads as a call): the call constructs. Subclassing, instanceof and statics are unchanged.
export function newOptional(cls) {
  return new Proxy(cls, {
    apply(target, thisArg, args) {
      return Reflect.construct(target, args);
    },
  });
}
