// Issue 14's shape and ordering ops of form 'custom' (js/op_table.mjs): tril / triu and their
// in-place forms, the multi-output views split / chunk / unbind (arrays of views), roll, and
// sort / topk ({ values, indices }, iterable). installOps calls this with its helpers.

import { SCRATCH_INTS } from './constants.mjs';
import { checkOptions } from './options.mjs';
import { describe, isInt32 } from './runtime.mjs';

export function installShapeOrderOps(Tensor, rt, { live, wrap, intArg, boolArg, valuesIndices }) {
  const { M } = rt;
  const P = Tensor.prototype;

  for (const name of ['tril', 'triu']) {
    const fn = M[`_wt_${name}`];
    const inplace = M[`_wt_${name}_`];
    P[name] = function (diagonal = 0) {
      return wrap(fn(live(this), intArg(name, 'diagonal', diagonal)));
    };
    P[`${name}_`] = function (diagonal = 0) {
      rt.status(inplace(live(this), intArg(`${name}_`, 'diagonal', diagonal)));
      return this;
    };
  }

  // The pieces an entry point left behind (web/shape_order_exports.cpp), a scratch area at a time.
  function pieces(count) {
    const out = [];
    for (let offset = 0; offset < count; offset += SCRATCH_INTS) {
      const n = Math.min(SCRATCH_INTS, count - offset);
      rt.status(M._wt_pieces_read(offset, n));
      for (const h of rt.readInts(n)) out.push(new Tensor(h >>> 0));
    }
    return out;
  }
  function intList(name, what, list) {
    for (const v of list) if (!isInt32(v)) throw new Error(`${name}(): argument '${what}' must be a list of integers, got ${describe(v)}`);
    return list;
  }
  // split(splitSize, dim) or split([sizes], dim), as torch.split.
  P.split = function (splitSizeOrSections, dim = 0) {
    const h = live(this);
    const d = intArg('split', 'dim', dim);
    if (Array.isArray(splitSizeOrSections)) {
      rt.writeInts(intList('split', 'split_size', splitSizeOrSections));
      return pieces(rt.status(M._wt_split_with_sizes(h, splitSizeOrSections.length, d)));
    }
    return pieces(rt.status(M._wt_split(h, intArg('split', 'split_size', splitSizeOrSections), d)));
  };
  P.chunk = function (chunks, dim = 0) {
    const h = live(this);
    return pieces(rt.status(M._wt_chunk(h, intArg('chunk', 'chunks', chunks), intArg('chunk', 'dim', dim))));
  };
  P.unbind = function (dim = 0) {
    const h = live(this);
    return pieces(rt.status(M._wt_unbind(h, intArg('unbind', 'dim', dim))));
  };

  // roll(shifts, dims?): numbers or lists; no dims rolls the flattened tensor.
  P.roll = function (shifts, dims = null) {
    const h = live(this);
    const s = intList('roll', 'shifts', Array.isArray(shifts) ? shifts : [intArg('roll', 'shifts', shifts)]);
    const d = dims === null ? [] : intList('roll', 'dims', Array.isArray(dims) ? dims : [intArg('roll', 'dims', dims)]);
    rt.writeInts([...s, ...d]);
    return wrap(M._wt_roll(h, s.length, d.length));
  };

  function pair() {
    const [v, i] = rt.readInts(2);
    return valuesIndices(new Tensor(v >>> 0), new Tensor(i >>> 0));
  }
  // sort(dim = -1, descending = false), or sort({ dim, descending, stable }); a given stable
  // (true or false) is PyTorch's sort.stable (SortBackward1).
  P.sort = function (dim = -1, descending = false) {
    const h = live(this);
    let stable = null;
    if (dim !== null && typeof dim === 'object') ({ dim = -1, descending = false, stable = null } = checkOptions('sort', dim, ['dim', 'descending', 'stable'], ['out']));
    const s = stable === null ? -1 : boolArg('sort', 'stable', stable);
    rt.status(M._wt_sort(h, intArg('sort', 'dim', dim), boolArg('sort', 'descending', descending), s));
    return pair();
  };
  P.topk = function (k, dim = -1, largest = true, sorted = true) {
    const h = live(this);
    rt.status(M._wt_topk(h, intArg('topk', 'k', k), intArg('topk', 'dim', dim), boolArg('topk', 'largest', largest), boolArg('topk', 'sorted', sorted)));
    return pair();
  };
}
