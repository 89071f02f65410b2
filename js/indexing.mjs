// The indexing ops (issue 14): indexSelect, gather, scatter(_), scatterAdd(_), maskedFill(_),
// and t.index(...) / t.indexPut_(...) with Python's indexing (Note [Indexing like Python] in
// src/autograd/ops/tensor_indexing.cpp), plus torch.slice for `start:end:step`.

import { checkOptions } from './options.mjs';
import { INT32_MAX, describe, isInt32, isScalar, scalarKind } from './runtime.mjs';

// A frozen `start:end:step`; null leaves a bound open, as Python's None.
class Slice {
  constructor(start, end, step) {
    this.start = start;
    this.end = end;
    this.step = step;
    Object.freeze(this);
  }
}

export function installIndexing(torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;
  const P = Tensor.prototype;

  function intArg(name, what, v) {
    if (!isInt32(v)) throw new Error(`${name}(): argument '${what}' must be an integer of at most ${INT32_MAX} in magnitude, got ${describe(v)}`);
    return v;
  }
  const optionalInt = (what, v) => (v === null || v === undefined ? null : intArg('slice', what, v));

  torch.slice = (start = null, end = null, step = null) => {
    const s = optionalInt('step', step) ?? 1;
    // Python's own check, when the slice is made.
    if (s === 0) throw new Error('slice step cannot be zero');
    return new Slice(optionalInt('start', start), optionalInt('end', end), s);
  };

  // Five ints per entry for wt_index / wt_index_put_ (web/op_exports.cpp's scratch_indices).
  function writeIndices(name, indices) {
    const ints = [];
    for (const x of indices) {
      if (x === null) ints.push(1, 0, 0, 0, 1);
      else if (x instanceof Slice) ints.push(1, (x.start === null ? 0 : 1) | (x.end === null ? 0 : 2), x.start ?? 0, x.end ?? 0, x.step);
      else if (x instanceof Tensor) ints.push(2, live(own(x, name)), 0, 0, 0);
      else if (typeof x === 'number' && isInt32(x)) ints.push(0, x, 0, 0, 0);
      else throw new Error(`${name}(): an index must be an integer, null, torch.slice(...) or an int32 or bool Tensor, got ${describe(x)}`);
    }
    rt.writeInts(ints);
    return indices.length;
  }

  P.index = function (...indices) {
    const h = live(this);
    return wrap(M._wt_index(h, writeIndices('index', indices)));
  };
  P.indexPut_ = function (indices, value, options) {
    const h = live(this);
    const { accumulate = false } = checkOptions('indexPut_', options, ['accumulate']);
    if (typeof accumulate !== 'boolean') throw new Error(`indexPut_(): accumulate must be a boolean, got ${describe(accumulate)}`);
    if (!Array.isArray(indices)) throw new Error(`indexPut_(): indices must be an array, got ${describe(indices)}`);
    const n = writeIndices('indexPut_', indices);
    if (isScalar(value)) rt.status(M._wt_index_put_(h, n, 0, +value, scalarKind(value), accumulate ? 1 : 0));
    else rt.status(M._wt_index_put_(h, n, live(own(value, 'indexPut_')), 0, 0, accumulate ? 1 : 0));
    return this;
  };

  P.indexSelect = function (dim, index) {
    return wrap(M._wt_index_select(live(this), intArg('indexSelect', 'dim', dim), live(own(index, 'indexSelect'))));
  };
  P.gather = function (dim, index) {
    return wrap(M._wt_gather(live(this), intArg('gather', 'dim', dim), live(own(index, 'gather'))));
  };
  // scatter(dim, index, src) with src a Tensor or a number (torch's value overload).
  function scatterLike(name, tensorFn, scalarFn, result) {
    return function (dim, index, src) {
      const h = live(this);
      const d = intArg(name, 'dim', dim);
      const i = live(own(index, name));
      if (scalarFn && isScalar(src)) return result.call(this, scalarFn(h, d, i, +src, scalarKind(src)));
      return result.call(this, tensorFn(h, d, i, live(own(src, name))));
    };
  }
  const fresh = (handle) => wrap(handle);
  function status(code) {
    rt.status(code);
    return this;
  }
  P.scatter = scatterLike('scatter', M._wt_scatter, M._wt_scatter_scalar, fresh);
  P.scatter_ = scatterLike('scatter_', M._wt_scatter_, M._wt_scatter_scalar_, status);
  P.scatterAdd = scatterLike('scatterAdd', M._wt_scatter_add, null, fresh);
  P.scatterAdd_ = scatterLike('scatterAdd_', M._wt_scatter_add_, null, status);

  // maskedFill(mask, value): value a number or a 0-d Tensor.
  function maskedArgs(name, self, mask, value) {
    const args = [live(self), live(own(mask, name))];
    if (isScalar(value)) return [...args, 0, +value, scalarKind(value)];
    if (!(value instanceof Tensor)) throw new Error(`${name}(): value must be a number, a boolean or a 0-dim Tensor, got ${describe(value)}`);
    return [...args, live(own(value, name)), 0, 0];
  }
  P.maskedFill = function (mask, value) {
    return wrap(M._wt_masked_fill(...maskedArgs('maskedFill', this, mask, value)));
  };
  P.maskedFill_ = function (mask, value) {
    rt.status(M._wt_masked_fill_(...maskedArgs('maskedFill_', this, mask, value)));
    return this;
  };
}
