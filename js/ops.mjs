// The operators as Tensor methods and as torch.NAME(t, ...) functions. Each one is a
// direct call of the engine entry point with the same name (wt_<op>), so that the op,
// its C++ file (src/ops/<op>.cpp) and its autograd node share one name.

import { INT32_MAX, describe, isInt32, isScalar, scalarKind } from './runtime.mjs';

export function installOps(torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;
  const P = Tensor.prototype;

  // Shapes as an array or as varargs: view([2, 3]) and view(2, 3).
  function shapeArgs(name, args) {
    const shape = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    for (const s of shape)
      if (!isInt32(s)) throw new Error(`${name}(): size must be a list of integers of at most ${INT32_MAX} in magnitude, got ${describe(s)}`);
    return shape;
  }
  function intArg(name, what, v) {
    if (!isInt32(v)) throw new Error(`${name}(): argument '${what}' must be an integer of at most ${INT32_MAX} in magnitude, got ${describe(v)}`);
    return v;
  }
  function dimsArg(name, dim) {
    const dims = Array.isArray(dim) ? dim : [dim];
    for (const d of dims) intArg(name, 'dim', d);
    return dims;
  }
  function boolArg(name, what, v) {
    if (typeof v !== 'boolean') throw new Error(`${name}(): argument '${what}' must be a boolean, got ${describe(v)}`);
    return v ? 1 : 0;
  }
  function alphaOf(name, opts) {
    const alpha = opts == null ? 1 : typeof opts === 'object' ? (opts.alpha ?? 1) : opts;
    if (!isScalar(alpha)) throw new Error(`${name}(): alpha must be a number, got ${describe(alpha)}`);
    return alpha;
  }

  // ---- binary arithmetic: tensor or JavaScript number operands ----
  function defineBinary(name, withAlpha) {
    const tensorFn = M[`_wt_${name}`];
    const scalarFn = M[`_wt_${name}_scalar`];
    const inplaceFn = M[`_wt_${name}_`];
    const inplaceScalarFn = M[`_wt_${name}_scalar_`];
    if (withAlpha) {
      P[name] = function (other, opts) {
        const h = live(this);
        const alpha = alphaOf(name, opts);
        if (isScalar(other)) return wrap(scalarFn(h, +other, scalarKind(other), +alpha, scalarKind(alpha)));
        return wrap(tensorFn(h, live(own(other, name)), +alpha, scalarKind(alpha)));
      };
      P[`${name}_`] = function (other, opts) {
        const h = live(this);
        const alpha = alphaOf(`${name}_`, opts);
        if (isScalar(other)) rt.status(inplaceScalarFn(h, +other, scalarKind(other), +alpha, scalarKind(alpha)));
        else rt.status(inplaceFn(h, live(own(other, `${name}_`)), +alpha, scalarKind(alpha)));
        return this;
      };
    } else {
      P[name] = function (other) {
        const h = live(this);
        if (isScalar(other)) return wrap(scalarFn(h, +other, scalarKind(other)));
        return wrap(tensorFn(h, live(own(other, name))));
      };
      P[`${name}_`] = function (other) {
        const h = live(this);
        if (isScalar(other)) rt.status(inplaceScalarFn(h, +other, scalarKind(other)));
        else rt.status(inplaceFn(h, live(own(other, `${name}_`))));
        return this;
      };
    }
  }
  defineBinary('add', true);
  defineBinary('sub', true);
  defineBinary('mul', false);
  defineBinary('div', false);

  // ---- unary ----
  for (const name of ['neg', 'relu', 'exp']) {
    const fn = M[`_wt_${name}`];
    P[name] = function () {
      return wrap(fn(live(this)));
    };
  }
  P.relu_ = function () {
    rt.status(M._wt_relu_(live(this)));
    return this;
  };

  // ---- reductions: sum(dim?, keepdim = false) ----
  for (const name of ['sum', 'mean']) {
    const all = M[`_wt_${name}`];
    const dims = M[`_wt_${name}_dims`];
    P[name] = function (dim, keepdim = false) {
      const h = live(this);
      if (dim === undefined || dim === null) return wrap(all(h));
      const list = dimsArg(name, dim);
      rt.writeInts(list);
      return wrap(dims(h, list.length, boolArg(name, 'keepdim', keepdim)));
    };
  }

  P.matmul = function (other) {
    return wrap(M._wt_matmul(live(this), live(own(other, 'matmul'))));
  };

  // ---- views ----
  for (const name of ['view', 'reshape', 'expand']) {
    const fn = M[`_wt_${name}`];
    P[name] = function (...args) {
      const h = live(this);
      const shape = shapeArgs(name, args);
      rt.writeInts(shape);
      return wrap(fn(h, shape.length));
    };
  }
  P.transpose = function (dim0, dim1) {
    return wrap(M._wt_transpose(live(this), intArg('transpose', 'dim0', dim0), intArg('transpose', 'dim1', dim1)));
  };
  P.unsqueeze = function (dim) {
    return wrap(M._wt_unsqueeze(live(this), intArg('unsqueeze', 'dim', dim)));
  };

  // ---- in-place fills and copies ----
  P.zero_ = function () {
    rt.status(M._wt_zero_(live(this)));
    return this;
  };
  P.fill_ = function (value) {
    const h = live(this);
    if (!isScalar(value)) throw new Error(`fill_(): value must be a number or a boolean, got ${describe(value)}`);
    rt.status(M._wt_fill_(h, +value, scalarKind(value)));
    return this;
  };
  P.copy_ = function (src) {
    rt.status(M._wt_copy_(live(this), live(own(src, 'copy_'))));
    return this;
  };

  // torch.NAME(t, ...args) for every method above that takes the tensor first.
  const functional = ['add', 'sub', 'mul', 'div', 'neg', 'relu', 'exp', 'sum', 'mean', 'matmul', 'view', 'reshape',
    'expand', 'transpose', 'unsqueeze', 'clone', 'detach', 'contiguous'];
  for (const name of functional) {
    torch[name] = (t, ...args) => own(t, `torch.${name}`)[name](...args);
  }
}
