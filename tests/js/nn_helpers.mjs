// Shared by the nn / optim / safetensors suites: the fixture file written by
// tests/fixtures/generate_nn.py (PyTorch 1.13.1), tensors from its JSON encoding, and
// elementwise comparison with a tolerance.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { load } from '../../dist/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES_DIR = path.join(here, '..', 'fixtures');

let cached = null;
export function nnFixture() {
  if (cached === null) cached = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'nn.json'), 'utf8'));
  return cached;
}

export function readFixtureBytes(name) {
  return new Uint8Array(readFileSync(path.join(FIXTURES_DIR, 'safetensors', name)));
}

export const BUILDS = [
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
];

function decode(v) {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

// A tensor from {shape, dtype, data[, view]}; the view (transpose / permute) is applied after
// requiresGrad, so the leaf is the contiguous base and the view is what the op sees.
// Returns { t: the tensor to use, leaf: the tensor whose .grad to read }.
export function fromFixture(torch, enc, { requiresGrad = false } = {}) {
  if (enc === null || enc === undefined) return { t: null, leaf: null, view: (v) => v };
  const data = enc.data.map(decode);
  const Typed = enc.dtype === 'float32' ? Float32Array : enc.dtype === 'int32' ? Int32Array : Uint8Array;
  const values = enc.dtype === 'bool' ? Uint8Array.from(data, (b) => (b ? 1 : 0)) : Typed.from(data);
  // enc.make (generate_nn.py's made()): how the tensor was made when not by tensor(data).
  const make = () => torch.tensor(values, { shape: enc.shape, dtype: enc.dtype });
  let t = enc.make === 'inference' ? torch.inferenceMode(make) : make();
  if ((requiresGrad && enc.dtype === 'float32') || enc.make === 'requiresGrad' || enc.make === 'poisoned') t.requiresGrad_(true);
  if (enc.make === 'poisoned') {
    const base = t;  // a view made in noGrad whose base then changed: its gradFn cannot be read
    t = torch.noGrad(() => {
      const v = base.view(enc.shape);
      base.zero_();
      return v;
    });
  }
  const leaf = t;
  const view = (v) => {
    if (v === null || !enc.view) return v;
    if (enc.view[0] === 'transpose') return v.transpose(enc.view[1], enc.view[2]);
    return v.permute(enc.view[1]);
  };
  return { t: view(t), leaf, view };
}

export function tensorOf(torch, enc) {
  return fromFixture(torch, enc).t;
}

// Mismatch descriptions ([] when actual matches expected within atol + rtol * |expected|).
export function compareTensor(actual, expected, { rtol = 1e-5, atol = 1e-6, what = 'tensor' } = {}) {
  if (expected === null) return actual === null || actual === undefined ? [] : [`${what}: expected null, got a tensor`];
  if (actual === null || actual === undefined) return [`${what}: expected a tensor, got ${actual}`];
  const out = [];
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape))
    return [`${what}: shape ${JSON.stringify(actual.shape)}, expected ${JSON.stringify(expected.shape)}`];
  if (actual.dtype !== expected.dtype) out.push(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  const a = actual.data();
  const e = expected.data.map(decode);
  let bad = 0;
  for (let i = 0; i < e.length; i++) {
    const x = expected.dtype === 'bool' ? Boolean(a[i]) : a[i];
    const y = e[i];
    let ok;
    if (typeof y === 'boolean') ok = x === y;
    else if (Number.isNaN(y)) ok = Number.isNaN(x);
    else if (!Number.isFinite(y)) ok = x === y;
    else ok = Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!ok && bad++ < 3) out.push(`${what}[${i}]: ${x}, expected ${y}`);
  }
  if (bad > 3) out.push(`${what}: ${bad} elements differ in all`);
  return out;
}

// Exact equality (bit for bit for float32).
export function sameValues(actual, expected) {
  return compareTensor(actual, expected, { rtol: 0, atol: 0 });
}

// The message of the Error fn throws ('(no error)' when it returns, 'non-Error: ...' when
// it throws something else).
export function errorOf(fn) {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : `non-Error: ${String(e)}`;
  }
  return '(no error)';
}
