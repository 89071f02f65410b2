// The one check every options object of the public API goes through.
//
// Note [Options objects]
// Nothing is accepted and ignored (API.md, "Tensors"): a key of an options object is either
// one this build implements, or an Error naming the key and the function, in the spirit of
// Python's "got an unexpected keyword argument":
//   - a key the function does not know: "Linear(): unexpected option 'biass' (expected one of bias)";
//   - a keyword argument PyTorch has but webtorch does not implement (listed per function as
//     `unsupported`): "Adam(): option 'foreach' is not supported by webtorch".
// A value of the wrong type is refused too, naming the key. `null` (and `undefined`) mean
// "not given" (API.md): such entries are dropped from the returned copy, so destructuring
// defaults apply to them.

import { describe } from './runtime.mjs';

const TYPES = {
  any: [() => true],
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  number: [(v) => typeof v === 'number', 'a number'],
  integer: [Number.isInteger, 'an integer'],
  string: [(v) => typeof v === 'string', 'a string'],
  function: [(v) => typeof v === 'function', 'a function'],
};

// Keyword arguments of PyTorch's factories and module constructors that pick a device,
// layout or output buffer: webtorch has one (the wasm heap, strided, fresh results).
export const FACTORY_UNSUPPORTED = ['device', 'layout', 'pinMemory', 'memoryFormat', 'out', 'generator', 'names'];
export const MODULE_UNSUPPORTED = ['device', 'dtype'];

// A plain object literal ({...} or Object.create(null)), from any realm; not a Tensor, an
// array, a TypedArray, a Map or a URL.
export function isOptionsObject(v) {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const camelCase = (k) => k.replace(/_([a-z0-9])/g, (m, ch) => ch.toUpperCase());

// Checks `options` for function `fn` (named in messages as `fn()`) and returns a copy without
// its null / undefined entries. `spec` lists the implemented keys: an array of names, or an
// object { name: type } with a type of TYPES. `unsupported` lists PyTorch's keys that
// webtorch does not implement.
export function checkOptions(fn, options, spec, unsupported = []) {
  if (options === undefined || options === null) return {};
  if (!isOptionsObject(options)) throw new Error(`${fn}(): expected an options object, got ${describe(options)}`);
  const types = Array.isArray(spec) ? Object.fromEntries(spec.map((k) => [k, 'any'])) : spec;
  const out = {};
  for (const k of Object.keys(options)) {
    const v = options[k];
    if (!Object.prototype.hasOwnProperty.call(types, k)) {
      if (unsupported.includes(k)) {
        if (v === null || v === undefined) continue;
        throw new Error(`${fn}(): option '${k}' is not supported by webtorch`);
      }
      const known = Object.keys(types);
      const hint = camelCase(k) !== k && known.includes(camelCase(k)) ? ` (did you mean '${camelCase(k)}'?)` : '';
      const expected = known.length ? ` (expected one of ${known.join(', ')})` : ' (it takes no options)';
      throw new Error(`${fn}(): unexpected option '${k}'${hint || expected}`);
    }
    if (v === null || v === undefined) continue;
    const [ok, what] = TYPES[types[k]];
    if (!ok(v)) throw new Error(`${fn}(): option '${k}' must be ${what}, got ${describe(v)}`);
    out[k] = v;
  }
  return out;
}

// For constructors without options, and the arguments past a function's last parameter:
// each must be absent (undefined or null), or an empty options object.
export function checkNoArguments(fn, args) {
  for (const a of args) {
    if (a === undefined || a === null) continue;
    if (isOptionsObject(a)) checkOptions(fn, a, {});
    else throw new Error(`${fn}(): unexpected argument ${describe(a)}`);
  }
}
