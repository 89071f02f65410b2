// Moving values between JavaScript and tensors: nested arrays in, nested arrays and
// TypedArrays out, and PyTorch-like printing.

import { describe } from './runtime.mjs';

export const TYPED_ARRAY = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

// The dtype PyTorch would infer from JavaScript data (no float64/int64 here).
export function inferDtype(data) {
  if (data instanceof Float32Array || data instanceof Float64Array) return 'float32';
  if (data instanceof Int32Array || data instanceof Int16Array || data instanceof Int8Array || data instanceof Uint16Array) return 'int32';
  if (data instanceof Uint8Array) return 'int32';
  let sawFloat = false;
  let sawNumber = false;
  let sawBool = false;
  const visit = (v) => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (typeof v === 'boolean') {
      sawBool = true;
    } else if (typeof v === 'number') {
      sawNumber = true;
      if (!Number.isInteger(v)) sawFloat = true;
    }
  };
  visit(data);
  if (sawFloat) return 'float32';
  if (sawNumber) return 'int32';
  if (sawBool) return 'bool';
  return 'float32';
}

// kMaxDims of src/core/dim_vector.h.
const MAX_DIMS = 16;

// Flattens nested arrays (row-major) and checks they are rectangular, with PyTorch's text.
// src/io/nested_array.h is the C++ reference of this path (Note [Nested-array semantics]);
// tests/js/nested-array.test.mjs cross-checks the two.
export function flattenNested(data) {
  if (typeof data === 'number' || typeof data === 'boolean') return { shape: [], values: [data] };
  if (!Array.isArray(data)) throw new Error(`tensor(): could not infer a tensor from ${describe(data)}`);
  const shape = [];
  for (let d = data; Array.isArray(d); d = d[0]) {
    // Checked while descending: a deeper array would only fail later, after a deep walk.
    if (shape.length === MAX_DIMS)
      throw new Error(`tensor(): too many dimensions: webtorch supports tensors of at most ${MAX_DIMS} dimensions`);
    shape.push(d.length);
    if (d.length === 0) break;
  }
  const values = [];
  const walk = (v, dim) => {
    if (dim === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean')
        throw new Error(`tensor(): too many dimensions or an element that is not a number: found ${describe(v)}`);
      values.push(v);
      return;
    }
    if (!Array.isArray(v)) throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${describe(v)})`);
    if (v.length !== shape[dim]) throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${v.length})`);
    for (const x of v) walk(x, dim + 1);
  };
  walk(data, 0);
  return { shape, values };
}

export function unflatten(flat, shape, dtype) {
  const conv = dtype === 'bool' ? (x) => x !== 0 : (x) => x;
  if (shape.length === 0) return conv(flat[0]);
  let offset = 0;
  const build = (dim) => {
    const n = shape[dim];
    const out = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = conv(flat[offset++]);
    } else {
      for (let i = 0; i < n; i++) out[i] = build(dim + 1);
    }
    return out;
  };
  return build(0);
}

// ---- printing, after torch's _tensor_str (precision 4, summarised past 1000 elements) ----

function formatter(values, dtype) {
  if (dtype === 'bool') return { width: 5, fmt: (v) => (v ? 'True' : 'False') };
  if (dtype === 'int32') {
    const strs = values.map((v) => String(v));
    return { width: Math.max(1, ...strs.map((s) => s.length)), fmt: (v) => String(v) };
  }
  const finite = values.filter((v) => Number.isFinite(v));
  const allInts = finite.every((v) => Number.isInteger(v));
  const absMax = finite.length ? Math.max(...finite.map(Math.abs)) : 0;
  const absMin = finite.filter((v) => v !== 0).length ? Math.min(...finite.filter((v) => v !== 0).map(Math.abs)) : 0;
  let fmt;
  if (finite.length && (absMax > 1e8 || (absMin !== 0 && absMin < 1e-4) || (absMin !== 0 && absMax / absMin > 1000 && !allInts))) {
    fmt = (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
  } else if (allInts) {
    fmt = (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  } else {
    fmt = (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
  }
  const width = Math.max(1, ...values.map((v) => fmt(v).length));
  return { width, fmt };
}

function special(v) {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}

export function formatTensor(flat, shape, dtype, suffixes) {
  const numel = flat.length;
  const summarize = numel > 1000;
  const edge = 3;
  const shown = [];
  // Collects the values that will be printed (for column width), honouring summarisation.
  const visit = (dim, offset, stride) => {
    if (dim === shape.length) {
      shown.push(flat[offset]);
      return;
    }
    const n = shape[dim];
    const inner = stride / n;
    const idx = summarize && n > 2 * edge ? [...range(0, edge), ...range(n - edge, n)] : range(0, n);
    for (const i of idx) visit(dim + 1, offset + i * inner, inner);
  };
  if (numel > 0) visit(0, 0, numel);
  const { width, fmt } = formatter(shown, dtype);
  const pad = (s) => s.padStart(width);
  const indent = 'tensor('.length;
  const render = (dim, offset, stride) => {
    if (dim === shape.length) return pad(fmt(flat[offset]));
    const n = shape[dim];
    const inner = n === 0 ? 0 : stride / n;
    const parts = [];
    const cut = summarize && n > 2 * edge;
    for (let i = 0; i < n; i++) {
      if (cut && i === edge) {
        parts.push('...');
        i = n - edge - 1;
        continue;
      }
      parts.push(render(dim + 1, offset + i * inner, inner));
    }
    if (dim === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  let body;
  if (shape.length === 0) body = fmt(flat[0]);
  else if (numel === 0) body = '[]';
  else body = render(0, 0, numel);
  const extra = [];
  if (numel === 0 && shape.length > 1) extra.push(`size=(${shape.join(', ')})`);
  if (dtype === 'int32') extra.push('dtype=torch.int32');
  extra.push(...suffixes);
  return `tensor(${body}${extra.length ? ', ' + extra.join(', ') : ''})`;
}

function range(a, b) {
  const out = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
