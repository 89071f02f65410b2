// The operators as Tensor methods and as torch.NAME(t, ...) functions. Each one is a
// direct call of the engine entry point with the same name (wt_<op>), so that the op,
// its C++ file (src/ops/<op>.cpp) and its autograd node share one name. The table's ops
// (js/op_table.mjs) are installed by their form; the ops of form 'custom' are written here.

import { SCALAR_KIND } from './constants.mjs';
import { OPS } from './op_table.mjs';
import { checkOptions } from './options.mjs';
import { INT32_MAX, describe, isInt32, isScalar, scalarKind } from './runtime.mjs';
import { installShapeOrderOps } from './shape_order_ops.mjs';

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
    const alpha = opts == null ? 1 : typeof opts === 'object' ? (checkOptions(name, opts, ['alpha'], ['out']).alpha ?? 1) : opts;
    if (!isScalar(alpha)) throw new Error(`${name}(): alpha must be a number, got ${describe(alpha)}`);
    return alpha;
  }

  // ---- the table's forms (Note [The op table]): one installer per form ----
  // An entry point the table promises: missing means a .wasm built from another table.
  function exportOf(entry) {
    const fn = M[`_wt_${entry}`];
    if (typeof fn !== 'function') throw new Error(`webtorch: the engine has no entry point wt_${entry} (js/op_table.mjs and the .wasm come from different builds)`);
    return fn;
  }
  function installBinary({ name, cpp = name, alpha: withAlpha, inplace }) {
    const tensorFn = exportOf(cpp);
    const scalarFn = exportOf(`${cpp}_scalar`);
    const inplaceFn = inplace && exportOf(`${cpp}_`);
    const inplaceScalarFn = inplace && exportOf(`${cpp}_scalar_`);
    const inplaceName = `${name}_`; // made once: a template literal per call would allocate
    if (withAlpha) {
      P[name] = function (other, opts) {
        const h = live(this);
        const alpha = alphaOf(name, opts);
        if (isScalar(other)) return wrap(scalarFn(h, +other, scalarKind(other), +alpha, scalarKind(alpha)));
        return wrap(tensorFn(h, live(own(other, name)), +alpha, scalarKind(alpha)));
      };
      if (inplace)
        P[inplaceName] = function (other, opts) {
          const h = live(this);
          const alpha = alphaOf(inplaceName, opts);
          if (isScalar(other)) rt.status(inplaceScalarFn(h, +other, scalarKind(other), +alpha, scalarKind(alpha)));
          else rt.status(inplaceFn(h, live(own(other, inplaceName)), +alpha, scalarKind(alpha)));
          return this;
        };
    } else {
      P[name] = function (other) {
        const h = live(this);
        if (isScalar(other)) return wrap(scalarFn(h, +other, scalarKind(other)));
        return wrap(tensorFn(h, live(own(other, name))));
      };
      if (inplace)
        P[inplaceName] = function (other) {
          const h = live(this);
          if (isScalar(other)) rt.status(inplaceScalarFn(h, +other, scalarKind(other)));
          else rt.status(inplaceFn(h, live(own(other, inplaceName))));
          return this;
        };
    }
  }
  const FORMS = {
    binary: installBinary,
    compare: installBinary,
    unary({ name, cpp = name, inplace }) {
      const fn = exportOf(cpp);
      P[name] = function () {
        return wrap(fn(live(this)));
      };
      if (!inplace) return;
      const inplaceFn = exportOf(`${cpp}_`);
      P[`${name}_`] = function () {
        rt.status(inplaceFn(live(this)));
        return this;
      };
    },
    pair({ name, cpp = name }) {
      const fn = exportOf(cpp);
      P[name] = function (other) {
        return wrap(fn(live(this), live(own(other, name))));
      };
    },
    // sum(dim?, keepdim = false)
    reduction({ name, cpp = name, options: refused = [] }) {
      const all = exportOf(cpp);
      const dims = exportOf(`${cpp}_dims`);
      P[name] = function (dim, keepdim = false, options) {
        const h = live(this);
        checkOptions(name, options, [], refused);
        if (dim === undefined || dim === null) return wrap(all(h));
        const list = dimsArg(name, dim);
        rt.writeInts(list);
        return wrap(dims(h, list.length, boolArg(name, 'keepdim', keepdim)));
      };
    },
    shape({ name, cpp = name }) {
      const fn = exportOf(cpp);
      P[name] = function (...args) {
        const h = live(this);
        const shape = shapeArgs(name, args);
        rt.writeInts(shape);
        return wrap(fn(h, shape.length));
      };
    },
    // Integer arguments, each checked and named in errors; an options object may follow
    // (softmax's dtype, refused by name).
    ints({ name, cpp = name, args, options: refused }) {
      const fn = exportOf(cpp);
      const specs = args.map(([, label, dflt]) => [label, dflt]);
      P[name] = function (...given) {
        if (refused) checkOptions(name, given[specs.length], [], refused);
        const h = live(this);
        const ints = specs.map(([label, dflt], k) => intArg(name, label, given[k] === undefined && dflt !== undefined ? dflt : given[k]));
        return wrap(fn(h, ...ints));
      };
    },
    // Number arguments (leakyRelu's negativeSlope), each checked and named in errors.
    floats({ name, cpp = name, args, inplace }) {
      const numbers = (given) => args.map(([, label, dflt], k) => {
        const v = given[k] === undefined ? dflt : given[k];
        if (typeof v !== 'number') throw new Error(`${name}(): argument '${label}' must be a number, got ${describe(v)}`);
        return v;
      });
      const fn = exportOf(cpp);
      P[name] = function (...given) {
        return wrap(fn(live(this), ...numbers(given)));
      };
      if (!inplace) return;
      const inplaceFn = exportOf(`${cpp}_`);
      P[`${name}_`] = function (...given) {
        rt.status(inplaceFn(live(this), ...numbers(given)));
        return this;
      };
    },
  };
  for (const op of OPS) if (op.form !== 'custom') FORMS[op.form](op);

  // ---- in-place fills and copies ----
  P.zero_ = function () {
    rt.status(M._wt_zero_(live(this)));
    return this;
  };
  P.fill_ = function (value) {
    const h = live(this);
    if (value instanceof Tensor) {
      rt.status(M._wt_fill_tensor_(h, live(own(value, 'fill_'))));
      return this;
    }
    if (!isScalar(value)) throw new Error(`fill_(): value must be a number, a boolean or a 0-dim Tensor, got ${describe(value)}`);
    rt.status(M._wt_fill_(h, +value, scalarKind(value)));
    return this;
  };
  P.copy_ = function (src) {
    rt.status(M._wt_copy_(live(this), live(own(src, 'copy_'))));
    return this;
  };

  // ---- the rest of API.md's operators ----
  P.pow = function (exponent) {
    const h = live(this);
    if (isScalar(exponent)) return wrap(M._wt_pow_scalar(h, +exponent, scalarKind(exponent)));
    return wrap(M._wt_pow(h, live(own(exponent, 'pow'))));
  };
  // clamp(min?, max?) or clamp({ min, max }); null/undefined leaves a side open.
  function clampArgs(name, min, max) {
    if (min !== null && typeof min === 'object' && !(min instanceof Tensor) && max === undefined) ({ min, max } = checkOptions(name, min, ['min', 'max'], ['out']));
    const side = (v, what) => {
      if (v === null || v === undefined) return [0, 0, 0];
      if (!isScalar(v)) throw new Error(`${name}(): ${what} must be a number or null, got ${describe(v)}`);
      return [1, +v, scalarKind(v)];
    };
    // "At least one of 'min' or 'max'" is checked by the engine, after the in-place checks
    // that PyTorch runs first.
    return [...side(min, 'min'), ...side(max, 'max')];
  }
  // Tensor bounds: clamp(minTensor, maxTensor), either may be null (PyTorch has no mixed
  // tensor/number form).
  const isTensorBound = (min, max) => min instanceof Tensor || max instanceof Tensor;
  function tensorBounds(name, min, max) {
    const side = (v) => {
      if (v === null || v === undefined) return 0;
      if (!(v instanceof Tensor)) throw new Error(`${name}(): with a Tensor bound, the other must be a Tensor or null, got ${describe(v)}`);
      return live(own(v, name));
    };
    return [side(min), side(max)];
  }
  P.clamp = function (min, max) {
    const h = live(this);
    if (isTensorBound(min, max)) return wrap(M._wt_clamp_tensor(h, ...tensorBounds('clamp', min, max)));
    return wrap(M._wt_clamp(h, ...clampArgs('clamp', min, max)));
  };
  P.clip = P.clamp;
  P.clamp_ = function (min, max) {
    const h = live(this);
    if (isTensorBound(min, max)) rt.status(M._wt_clamp_tensor_(h, ...tensorBounds('clamp_', min, max)));
    else rt.status(M._wt_clamp_(h, ...clampArgs('clamp_', min, max)));
    return this;
  };

  // torch.where(condition, input, other); input/other may be numbers. t.where(cond, other)
  // is torch.where(cond, t, other), as in PyTorch.
  // Two numbers make a new tensor, so they follow Note [Literal dtypes] (a number is a
  // float: where(c, 1, 0) is float32); next to a tensor a number is a Python scalar.
  function where(condition, input, other) {
    const c = live(own(condition, 'where'));
    const literal = isScalar(input) && isScalar(other);
    const kind = (v) => (literal && typeof v === 'number' ? SCALAR_KIND.float : scalarKind(v));
    const side = (v) => (isScalar(v) ? [0, +v, kind(v)] : [live(own(v, 'where')), 0, 0]);
    return wrap(M._wt_where(c, ...side(input), ...side(other)));
  }
  P.where = function (condition, other) {
    return where(condition, this, other);
  };

  // max()/min() -> a Tensor; max(dim, keepdim) -> { values, indices }, iterable as
  // [values, indices] (PyTorch's named tuple).
  function valuesIndices(values, indices) {
    const result = { values, indices };
    Object.defineProperty(result, Symbol.iterator, { value: function* () { yield values; yield indices; } });
    Object.defineProperty(result, 0, { value: values });
    Object.defineProperty(result, 1, { value: indices });
    return result;
  }
  for (const name of ['max', 'min']) {
    const all = M[`_wt_${name}_all`];
    const byDim = M[`_wt_${name}_dim`];
    P[name] = function (dim, keepdim = false) {
      const h = live(this);
      if (dim instanceof Tensor) return name === 'max' ? this.maximum(dim) : this.minimum(dim);
      if (dim === undefined || dim === null) return wrap(all(h));
      rt.status(byDim(h, intArg(name, 'dim', dim), boolArg(name, 'keepdim', keepdim)));
      const [v, i] = rt.readInts(2);
      return valuesIndices(new Tensor(v >>> 0), new Tensor(i >>> 0));
    };
  }
  P.argmax = function (dim, keepdim = false) {
    const h = live(this);
    if (dim === undefined || dim === null) return wrap(M._wt_argmax(h, 0, 0, boolArg('argmax', 'keepdim', keepdim)));
    return wrap(M._wt_argmax(h, 1, intArg('argmax', 'dim', dim), boolArg('argmax', 'keepdim', keepdim)));
  };
  P.squeeze = function (dim) {
    const h = live(this);
    if (dim === undefined || dim === null) return wrap(M._wt_squeeze(h));
    return wrap(M._wt_squeeze_dim(h, intArg('squeeze', 'dim', dim)));
  };
  function joining(name) {
    const fn = M[`_wt_${name}`];
    return (tensors, dim = 0) => {
      if (!Array.isArray(tensors)) throw new Error(`${name}(): expected an array of Tensors, got ${describe(tensors)}`);
      const handles = tensors.map((t) => live(own(t, name)));
      rt.writeInts(handles);
      return wrap(fn(handles.length, intArg(name, 'dim', dim)));
    };
  }
  torch.cat = joining('cat');
  torch.concat = torch.cat;
  torch.stack = joining('stack');
  torch.where = where;

  // dtype conversions: t.to('int32'), t.float(), t.int(), t.bool() (the same tensor when
  // the dtype does not change, as in PyTorch).
  P.to = function (dtype) {
    const h = live(this);
    if (dtype !== null && typeof dtype === 'object') ({ dtype } = checkOptions('to', dtype, ['dtype'], ['device', 'nonBlocking', 'copy', 'memoryFormat']));
    const d = rt.dtype(dtype, 'to');
    if (M._wt_dtype(h) === d) return this;
    return wrap(M._wt_to(h, d));
  };
  P.float = function () {
    return this.to('float32');
  };
  P.int = function () {
    return this.to('int32');
  };
  P.bool = function () {
    return this.to('bool');
  };
  // .T / .mT: PyTorch's transposes as properties.
  Object.defineProperty(P, 'T', {
    get() {
      const n = this.ndim;
      return this.permute([...Array(n).keys()].reverse());
    },
  });
  Object.defineProperty(P, 'mT', {
    get() {
      // As PyTorch 1.13's matrix transpose: a 0-d tensor is its own mT, a 1-D one has none.
      const n = this.ndim;
      if (n === 0) return this;
      if (n === 1) throw new Error('tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.');
      return this.transpose(-2, -1);
    },
  });

  // ---- issue 14: gelu's approximate, softplus, var / std, norm, multinomial ----
  const geluExact = P.gelu;
  P.gelu = function (options) {
    const { approximate = 'none' } = checkOptions('gelu', options, { approximate: 'string' });
    if (approximate === 'tanh') return wrap(M._wt_gelu_tanh(live(this)));
    if (approximate !== 'none') throw new Error('approximate argument must be either none or tanh.');
    return geluExact.call(this);
  };
  // softplus(beta = 1, threshold = 20) or softplus({ beta, threshold }).
  P.softplus = function (beta = 1, threshold = 20) {
    if (beta === null || typeof beta === 'object') ({ beta = 1, threshold = 20 } = checkOptions('softplus', beta, { beta: 'number', threshold: 'number' }));
    threshold ??= 20;
    if (!isScalar(beta) || !isScalar(threshold)) throw new Error(`softplus(): beta and threshold must be numbers, got ${describe(beta)}, ${describe(threshold)}`);
    return wrap(M._wt_softplus(live(this), +beta, +threshold));
  };
  // A dim argument: undefined / null for every dim (-1), else the dims written to scratch.
  function optionalDims(name, dim) {
    if (dim === undefined || dim === null) return -1;
    const list = dimsArg(name, dim);
    rt.writeInts(list);
    return list.length;
  }
  // var(dim?, { correction, unbiased, keepdim }): torch 1.13 refuses unbiased with correction.
  for (const name of ['var', 'std']) {
    const fn = exportOf(name);
    P[name] = function (dim, options) {
      const h = live(this);
      if (dim !== null && typeof dim === 'object' && !Array.isArray(dim)) [dim, options] = [undefined, dim];
      const o = checkOptions(name, options, { correction: 'number', unbiased: 'boolean', keepdim: 'boolean' }, ['out']);
      if (o.correction !== undefined && o.unbiased !== undefined) throw new Error(`${name}(): pass either correction or unbiased, not both`);
      const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
      const n = optionalDims(name, dim);
      return wrap(fn(h, n, correction, o.keepdim ? 1 : 0));
    };
  }
  P.norm = function (p = 2, dim, keepdim = false) {
    const h = live(this);
    if (typeof p !== 'number') throw new Error(`norm(): p must be a number, got ${describe(p)}`);
    const k = boolArg('norm', 'keepdim', keepdim);
    return wrap(M._wt_norm(h, p, optionalDims('norm', dim), k));
  };
  P.multinomial = function (numSamples, replacement = false) {
    const h = live(this);
    return wrap(M._wt_multinomial(h, intArg('multinomial', 'num_samples', numSamples), boolArg('multinomial', 'replacement', replacement)));
  };

  // torch.NAME(t, ...args) for every method that takes the tensor first, in-place forms
  // included (torch.relu_(t), torch.clamp_(t, 0, 1), ...).
  const functional = (name) => (torch[name] = (t, ...args) => own(t, `torch.${name}`)[name](...args));
  for (const op of OPS) {
    if (op.functional === undefined && !op.scalarFirst) functional(op.name);
    if (op.inplace) functional(`${op.name}_`);
  }
  // torch.add(2, t), torch.sub(2, t) (= 2 - t) ...: a number first, as PyTorch accepts it, with
  // PyTorch's wrapped-number promotion and node (SubBackward0). Two numbers, or a number with
  // an alpha, go through a 0-d tensor (the same promotion within float32/int32/bool):
  // torch.add(1, 2) is a 0-d tensor.
  for (const { name } of OPS.filter((op) => op.scalarFirst)) {
    const method = (t, ...args) => own(t, `torch.${name}`)[name](...args);
    const scalarFirst = exportOf(`${name}_scalar_first`);
    torch[name] = (a, b, ...rest) => {
      if (!isScalar(a)) return method(a, b, ...rest);
      if (rest.length === 0 && !isScalar(b)) return wrap(scalarFirst(+a, scalarKind(a), live(own(b, `torch.${name}`))));
      const kind = scalarKind(a);
      const dtype = rt.dtype(kind === SCALAR_KIND.bool ? 'bool' : kind === SCALAR_KIND.int && isInt32(a) ? 'int32' : 'float32');
      const wrapped = wrap(M._wt_full(dtype, 0, +a, kind));
      try {
        return wrapped[name](b, ...rest);
      } finally {
        wrapped.dispose();
      }
    };
  }
  // torch.pow accepts a number as the base, as PyTorch does.
  torch.pow = (base, exponent) => {
    if (isScalar(base)) return wrap(M._wt_pow_scalar_base(+base, scalarKind(base), live(own(exponent, 'torch.pow'))));
    return own(base, 'torch.pow').pow(exponent);
  };
  installShapeOrderOps(Tensor, rt, { live, wrap, intArg, boolArg, valuesIndices });
}
