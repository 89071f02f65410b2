// Moving values between JavaScript and tensors: nested arrays in, nested arrays and
// TypedArrays out, and PyTorch-like printing.

import { MAX_DIMS } from './constants.mjs';

export const TYPED_ARRAY = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

// Note [Literal dtypes]
// JavaScript cannot tell `1` from `1.0`, so a JavaScript number is read as a Python float:
// torch.tensor(data) here is torch.tensor(data with every number a float) in PyTorch 1.13.1.
// Nested numbers (mixed with booleans or not) give float32, booleans alone give bool, empty
// data gives float32 (an empty list is the default dtype in torch's promotion, so
// `[[], [true]]` is float32 too). TypedArrays keep their kind: integer arrays whose values
// fit give int32, float arrays float32. src/io/nested_array.h follows the same rule (tests cross-check).
const INT32_ARRAYS = [Int32Array, Int16Array, Int8Array, Uint16Array, Uint8Array, Uint8ClampedArray];
export function typedArrayDtype(data) {
  // Other views (Uint32Array, whose values may not fit int32) are read as float32, as before.
  return INT32_ARRAYS.some((T) => data instanceof T) ? 'int32' : 'float32';
}


// A JavaScript value's type, named where PyTorch names a Python type in its messages
// (None -> null, list -> Array, str -> string, dict -> Object).
function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'object') return (v.constructor && v.constructor.name) || 'Object';
  return typeof v;
}

// torch.tensor(nested) in PyTorch 1.13.1's order (torch/csrc/utils/tensor_new.cpp), each
// step with its text: the shape from the first elements (compute_sizes); without a dtype,
// the dtype from every element (infer_scalar_type: a bad element anywhere is an error, even
// where the shape would not reach); then, only when the shape has elements, the values
// (recursive_store: ragged lengths, a number where an array belongs, an array or a
// non-number where a number belongs). src/io/nested_array.h is the C++ reference of this
// path (Note [Nested-array semantics]); tests/js/nested-array.test.mjs cross-checks the two
// and tests/fixtures/literals.json pins both to PyTorch.
export function readNested(data, dtype) {
  if (typeof data === 'string') throw new Error("new(): invalid data type 'string'");
  const shape = [];
  for (let d = data; Array.isArray(d); d = d[0]) {
    // Checked while descending: a deeper array would only fail later, after a deep walk.
    if (shape.length === MAX_DIMS)
      throw new Error(`tensor(): too many dimensions: webtorch supports tensors of at most ${MAX_DIMS} dimensions`);
    shape.push(d.length);
    if (d.length === 0) break;
  }
  if (dtype === undefined) dtype = inferNestedDtype(data);
  const values = [];
  if (shape.length && shape[shape.length - 1] === 0) return { shape, values, dtype };
  const notNumber = (v) =>
    dtype === 'float32' ? `must be real number, not ${typeName(v)}` : `'${typeName(v)}' object cannot be interpreted as an integer`;
  const walk = (v, dim) => {
    if (dim === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new Error(notNumber(v));
      values.push(v);
      return;
    }
    if (!Array.isArray(v)) throw new Error('not a sequence');
    if (v.length !== shape[dim]) throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${v.length})`);
    for (const x of v) walk(x, dim + 1);
  };
  walk(data, 0);
  return { shape, values, dtype };
}

// infer_scalar_type over every element, in order. Arrays deeper than MAX_DIMS are not
// entered (a cycle would never end): such data fails in the value walk, or has no values.
function inferNestedDtype(data) {
  let sawBool = false;
  let sawFloat = false;
  const visit = (v, depth) => {
    if (Array.isArray(v)) {
      if (v.length === 0) sawFloat = true;
      else if (depth < MAX_DIMS) for (const x of v) visit(x, depth + 1);
    } else if (typeof v === 'number') {
      sawFloat = true;
    } else if (typeof v === 'boolean') {
      sawBool = true;
    } else if (typeof v === 'string') {
      throw new Error("new(): invalid data type 'string'");
    } else {
      throw new Error(`Could not infer dtype of ${typeName(v)}`);
    }
  };
  visit(data, 0);
  return sawBool && !sawFloat ? 'bool' : 'float32';
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

// ---- printing: torch 1.13's _tensor_str (precision 4, linewidth 80, threshold 1000,
// edgeitems 3), so a tensor prints here as it prints in PyTorch ----

const PRECISION = 4;
const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGE = 3;

// torch's _Formatter: chooses integer, fixed or scientific notation from the values shown.
function makeFormatter(values, dtype) {
  if (dtype !== 'float32') {
    const strs = values.map((v) => (dtype === 'bool' ? (v ? 'True' : 'False') : String(v)));
    const width = Math.max(1, ...strs.map((x) => x.length));
    const fmt = (v) => (dtype === 'bool' ? (v ? 'True' : 'False') : String(v));
    return { width, format: (v) => fmt(v).padStart(width) };
  }
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  let intMode = values.filter((v) => Number.isFinite(v)).every((v) => Number.isInteger(v));
  let sciMode = false;
  let width = 1;
  if (nonzero.length) {
    const max = Math.max(...nonzero);
    const min = Math.min(...nonzero);
    if (intMode) {
      sciMode = max / min > 1000 || max > 1e8;
    } else {
      sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
    }
    for (const v of values.filter((x) => Number.isFinite(x) && x !== 0)) {
      const str = sciMode ? sci(v) : intMode ? v.toFixed(0) + '.' : v.toFixed(PRECISION);
      width = Math.max(width, str.length);
    }
  }
  const format = (v) => {
    let str;
    if (!Number.isFinite(v)) str = Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    else if (sciMode) str = sci(v);
    else if (intMode) str = v.toFixed(0) + '.';
    else str = v.toFixed(PRECISION);
    // Python keeps the sign of -0.0 ('-0.', '-0.0000'); toFixed and toExponential drop it.
    if (Object.is(v, -0)) str = '-' + str;
    return str.padStart(width);
  };
  return { width, format };
}

// Python's '{:.4e}': a two-digit exponent at least.
function sci(v) {
  return v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function formatTensor(flat, shape, dtype, suffixes) {
  const numel = flat.length;
  const summarize = numel > THRESHOLD;
  const strides = [];
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d];
  }
  const indicesAlong = (n) => (summarize && n > 2 * EDGE ? [...range(0, EDGE), null, ...range(n - EDGE, n)] : range(0, n));
  // The values the formatter sees: the summarised ones when summarising.
  const shown = [];
  const gather = (dim, offset) => {
    if (dim === shape.length) {
      shown.push(flat[offset]);
      return;
    }
    for (const i of indicesAlong(shape[dim])) if (i !== null) gather(dim + 1, offset + i * strides[dim]);
  };
  if (numel > 0) gather(0, 0);
  const formatter = makeFormatter(shown, dtype);
  const vector = (offset, indent) => {
    const n = shape[shape.length - 1];
    const data = indicesAlong(n).map((i) => (i === null ? ' ...' : formatter.format(flat[offset + i])));
    const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (formatter.width + 2)));
    const lines = [];
    for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
    return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
  };
  const render = (dim, offset, indent) => {
    if (dim === shape.length - 1) return vector(offset, indent);
    const slices = indicesAlong(shape[dim]).map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim], indent + 1)));
    return '[' + slices.join(',' + '\n'.repeat(shape.length - dim - 1) + ' '.repeat(indent + 1)) + ']';
  };
  const indent = 'tensor('.length;
  let body;
  if (shape.length === 0) body = formatter.format(flat[0]).trim();
  else if (numel === 0) body = '[]';
  else body = render(0, 0, indent);
  const extra = [];
  if (numel === 0 && shape.length !== 1) extra.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
  // An empty tensor shows any dtype but the default (nothing to infer it from); otherwise
  // bool is inferable from True/False and only int32 (not int64) is shown.
  if (dtype === 'int32' || (numel === 0 && dtype !== 'float32')) extra.push(`dtype=torch.${dtype}`);
  extra.push(...suffixes);
  return addSuffixes(`tensor(${body}`, extra, indent);
}

// torch's _add_suffixes: each suffix goes on the current line, or on a new one indented
// like the data when it would pass the line width.
function addSuffixes(str, suffixes, indent) {
  const parts = [str];
  let lastLineLen = str.length - str.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > LINEWIDTH) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function range(a, b) {
  const out = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
