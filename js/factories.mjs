// Tensor factories of API.md. Every factory takes an optional last { dtype, requiresGrad }.

import { TYPED_ARRAY, readNested, typedArrayDtype } from './data.mjs';
import { FACTORY_UNSUPPORTED, checkOptions } from './options.mjs';
import { INT32_MAX, describe, isInt32, scalarKind } from './runtime.mjs';

// The options every factory takes (tensor() also takes { shape } for TypedArray data).
const FACTORY_OPTIONS = { dtype: 'any', requiresGrad: 'boolean' };

export function installFactories(torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;

  function optionsOf(args, name) {
    const last = args.length ? args[args.length - 1] : undefined;
    // A trailing null after the sizes is "no options" (API.md: null means not given).
    if (last === null && args.length > 1) {
      args.pop();
      return {};
    }
    if (last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Tensor) && !ArrayBuffer.isView(last)) {
      args.pop();
      return checkOptions(name, last, FACTORY_OPTIONS, FACTORY_UNSUPPORTED);
    }
    return {};
  }

  const likeOptions = (name, options) => checkOptions(name, options, FACTORY_OPTIONS, FACTORY_UNSUPPORTED);

  function shapeOf(name, shape) {
    if (!Array.isArray(shape)) throw new Error(`${name}(): size must be an array of integers, got ${describe(shape)}`);
    for (const s of shape) {
      if (!Number.isInteger(s)) throw new Error(`${name}(): size must be an array of integers, got ${describe(s)}`);
      if (s < 0) throw new Error(`Trying to create tensor with negative dimension ${s}: [${shape.join(', ')}]`);
      if (s > INT32_MAX) throw new Error(`${name}(): size ${s} is too large: webtorch sizes are at most ${INT32_MAX}`);
    }
    return shape;
  }

  // Applies requiresGrad; the half-made tensor is freed if PyTorch's check refuses it.
  function finish(t, options) {
    if (options.requiresGrad !== undefined && options.requiresGrad !== false) {
      if (options.requiresGrad !== true) throw new Error(`requiresGrad must be a boolean, got ${describe(options.requiresGrad)}`);
      if (M._wt_requires_grad_at_creation(t._h, 1) < 0) {
        const e = rt.lastError();
        t.dispose();
        throw e;
      }
    }
    return t;
  }

  function fill(name, shape, value, defaultDtype, rest) {
    const options = optionsOf(rest, name);
    shapeOf(name, shape);
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`${name}(): fill_value must be a number, got ${describe(value)}`);
    const dtype = rt.dtype(options.dtype ?? defaultDtype, name);
    rt.writeInts(shape);
    return finish(wrap(M._wt_full(dtype, shape.length, +value, scalarKind(value))), options);
  }

  // A shape given as an array, or as varargs (zeros(2, 3), as torch.zeros(2, 3)); the
  // options object has already been popped.
  // No size at all is refused, as torch.zeros() is.
  function sizeArgs(args) {
    if (args.length === 0) return undefined;
    return args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  }

  // full's dtype follows its fill value as torch.full's does, with a JavaScript number a
  // float (Note [Literal dtypes]): float32, or bool for a boolean.
  torch.full = (shape, value, ...rest) => fill('full', shape, value, typeof value === 'boolean' ? 'bool' : 'float32', rest);
  torch.zeros = (...args) => {
    const options = optionsOf(args, 'zeros');
    return fill('zeros', sizeArgs(args), 0, 'float32', [options]);
  };
  torch.ones = (...args) => {
    const options = optionsOf(args, 'ones');
    return fill('ones', sizeArgs(args), 1, 'float32', [options]);
  };
  torch.empty = (...args) => {
    const options = optionsOf(args, 'empty');
    const shape = shapeOf('empty', sizeArgs(args));
    rt.writeInts(shape);
    return finish(wrap(M._wt_empty(rt.dtype(options.dtype, 'empty'), shape.length)), options);
  };
  torch.zerosLike = (t, options = {}) => torch.zeros(own(t, 'zerosLike').shape, { dtype: t.dtype, ...likeOptions('zerosLike', options) });
  torch.onesLike = (t, options = {}) => torch.ones(own(t, 'onesLike').shape, { dtype: t.dtype, ...likeOptions('onesLike', options) });
  torch.fullLike = (t, value, options = {}) => torch.full(own(t, 'fullLike').shape, value, { dtype: t.dtype, ...likeOptions('fullLike', options) });

  torch.arange = (...args) => {
    const options = optionsOf(args, 'arange');
    for (const a of args) if (typeof a !== 'number') throw new Error(`arange(): expected numbers, got ${describe(a)}`);
    let [start, end, step = 1] = args;
    if (end === undefined) {
      end = start;
      start = 0;
    }
    const allInts = [start, end, step].every(Number.isInteger);
    const dtype = rt.dtype(options.dtype ?? (allInts ? 'int32' : 'float32'), 'arange');
    return finish(wrap(M._wt_arange(start, end, step, dtype)), options);
  };

  torch.eye = (...args) => {
    const options = optionsOf(args, 'eye');
    const [n, m = n] = args;
    if (!isInt32(n) || !isInt32(m)) throw new Error(`eye(): n and m must be integers of at most ${INT32_MAX}, got ${describe(n)} and ${describe(m)}`);
    return finish(wrap(M._wt_eye(n, m, rt.dtype(options.dtype, 'eye'))), options);
  };

  // tensor(data): nested arrays or a number (dtype as Note [Literal dtypes] says), or a
  // TypedArray with { shape }.
  torch.tensor = (data, options = {}) => {
    options = checkOptions('tensor', options, { ...FACTORY_OPTIONS, shape: 'any' }, FACTORY_UNSUPPORTED);
    if (data instanceof Tensor) throw new Error('tensor(): got a Tensor; use t.clone() or t.detach() to copy a tensor');
    let shape;
    let values;
    let dtypeName = options.dtype;
    if (ArrayBuffer.isView(data)) {
      shape = options.shape ?? [data.length];
      values = data;
      shapeOf('tensor', shape);
      const n = shape.reduce((a, b) => a * b, 1);
      if (n !== data.length) throw new Error(`tensor(): shape [${shape.join(', ')}] is invalid for input of size ${data.length}`);
      dtypeName ??= typedArrayDtype(data);
    } else {
      if (options.shape !== undefined) throw new Error('tensor(): { shape } is only for TypedArray data');
      if (dtypeName !== undefined) rt.dtype(dtypeName, 'tensor'); // an unknown dtype first
      ({ shape, values, dtype: dtypeName } = readNested(data, dtypeName));
    }
    const dtype = rt.dtype(dtypeName, 'tensor');
    // Into int32, a JavaScript number must fit, as torch.tensor checks (an Int32Array store
    // would wrap 3e9 silently). TypedArray data is converted as is.
    if (dtypeName === 'int32' && !ArrayBuffer.isView(data)) {
      for (let i = 0; i < values.length; i++) {
        const v = +values[i];
        if (!(v >= -2147483648 && v <= 2147483647)) throw new Error('value cannot be converted to type int32 without overflow');
      }
    }
    rt.writeInts(shape);
    const t = wrap(M._wt_empty(dtype, shape.length));
    const Typed = TYPED_ARRAY[dtypeName];
    const n = values.length;
    if (n > 0 && values instanceof Typed && dtypeName !== 'bool') {
      // The common case (a Float32Array or Int32Array of the tensor's dtype): one copy into
      // the current heap view, without making a new view per tensor. >>> 2 reads the address
      // as unsigned, so addresses past 2 GB work.
      const heap = dtypeName === 'float32' ? M.HEAPF32 : M.HEAP32;
      heap.set(values, M._wt_data_ptr(t._h) >>> 2);
    } else if (n > 0) {
      const dst = new Typed(M.HEAPU8.buffer, M._wt_data_ptr(t._h) >>> 0, n); // >>> 0: addresses past 2 GB
      if (dtypeName === 'bool') {
        // Nonzero is true, NaN included (PyTorch: torch.tensor([nan], dtype=torch.bool) is True).
        for (let i = 0; i < n; i++) {
          const v = values[i];
          dst[i] = v === true || (v !== false && v !== 0) ? 1 : 0;
        }
      } else if (values instanceof Typed) {
        dst.set(values);
      } else {
        for (let i = 0; i < n; i++) dst[i] = +values[i];
      }
    }
    return finish(t, options);
  };

  // rand / randn from the engine's generator (torch.manualSeed), as torch's CPU generator.
  for (const name of ['rand', 'randn']) {
    const fn = M[`_wt_${name}`];
    torch[name] = (...args) => {
      const options = optionsOf(args, name);
      const shape = shapeOf(name, sizeArgs(args));
      rt.writeInts(shape);
      return finish(wrap(fn(rt.dtype(options.dtype, name), shape.length)), options);
    };
  }
  // randint(low, high, shape) or randint(high, shape), and randperm(n): torch 1.13's draws on
  // the same generator (src/ops/sampling.cpp); int32 results unless { dtype } says otherwise.
  const int64Arg = (name, what, v) => {
    if (!Number.isSafeInteger(v)) throw new Error(`${name}(): argument '${what}' must be an integer, got ${describe(v)}`);
    return v;
  };
  torch.randint = (...args) => {
    const options = optionsOf(args, 'randint');
    if (args.length === 2) args.unshift(0);
    const [low, high, shape] = args;
    if (args.length !== 3) throw new Error(`randint(): expected (low?, high, size), got ${args.length} arguments`);
    shapeOf('randint', shape);
    const dtype = rt.dtype(options.dtype ?? 'int32', 'randint');
    const [lo, hi] = [int64Arg('randint', 'low', low), int64Arg('randint', 'high', high)];
    rt.writeInts(shape);
    return finish(wrap(M._wt_randint(lo, hi, dtype, shape.length)), options);
  };
  torch.randperm = (n, options) => {
    const opts = checkOptions('randperm', options, FACTORY_OPTIONS, FACTORY_UNSUPPORTED);
    if (!Number.isInteger(n) || n > INT32_MAX) throw new Error(`randperm(): argument 'n' must be an integer of at most ${INT32_MAX}, got ${describe(n)}`);
    return finish(wrap(M._wt_randperm(n, rt.dtype(opts.dtype ?? 'int32', 'randperm'))), opts);
  };
  torch.randLike = (t, options = {}) => torch.rand(own(t, 'randLike').shape, { dtype: t.dtype, ...likeOptions('randLike', options) });
  torch.randnLike = (t, options = {}) => torch.randn(own(t, 'randnLike').shape, { dtype: t.dtype, ...likeOptions('randnLike', options) });
  torch.manualSeed = (seed) => {
    if (!Number.isInteger(seed)) throw new Error(`manualSeed(): seed must be an integer, got ${describe(seed)}`);
    rt.status(M._wt_manual_seed(seed));
  };
  void live;
}

// The C++ reference of torch.tensor(nestedArray) (src/io/nested_array.h) on JSON-like text
// (NaN and +-Infinity allowed). Internal: tests cross-check torch.tensor against it.
export function installTensorFromText(torch, rt, { wrap }) {
  torch._tensorFromText = (text, options = {}) => {
    if (typeof text !== 'string') throw new Error(`_tensorFromText(): expected a string, got ${describe(text)}`);
    const { dtype: name } = checkOptions('_tensorFromText', options, ['dtype']);
    const dtype = name === undefined ? -1 : rt.dtype(name, 'tensor');
    return wrap(rt.M.tensorFromText(text, dtype));
  };
}
