// The Tensor class of one engine: a JavaScript wrapper owning one reference to a C++
// tensor (Note [Wrappers own one reference] in lifetime.mjs). Every method checks that the
// tensor is alive and belongs to this engine, calls one engine entry point, and turns a
// failure into an Error carrying PyTorch's text.

import { TYPED_ARRAY, formatTensor, unflatten } from './data.mjs';
import { recordForwardStack } from './anomaly_mode.mjs';
import { PARAMETER } from './nn/module.mjs';
import { describe, isScalar, scalarKind } from './runtime.mjs';

export function createTensorClass(rt, lifetime) {
  const { M } = rt;

  class Tensor {
    constructor(handle) {
      this._h = handle;
      this._kept = false;
      this._grad = null; // the wrapper last returned by .grad, reused while it is current
      this._registered = false; // with the FinalizationRegistry (Note [Deferred registration])
      lifetime.track(this);
      if (rt.anomalyEnabled) recordForwardStack(M, handle);
    }

    // ---- lifetime ----
    dispose() {
      lifetime.dispose(this);
    }
    get isDisposed() {
      return this._h === 0;
    }

    // ---- properties ----
    get shape() {
      const h = live(this);
      return rt.readInts(M._wt_shape(h));
    }
    size(dim) {
      const shape = this.shape;
      if (dim === undefined) return shape;
      return shape[wrapDim(dim, shape.length)];
    }
    get ndim() {
      return M._wt_dim(live(this));
    }
    dim() {
      return this.ndim;
    }
    get numel() {
      return M._wt_numel(live(this));
    }
    get dtype() {
      return rt.dtypeNames[M._wt_dtype(live(this))];
    }
    get requiresGrad() {
      return M._wt_requires_grad(live(this)) !== 0;
    }
    set requiresGrad(flag) {
      this.requiresGrad_(flag);
    }
    get isLeaf() {
      return rt.status(M._wt_is_leaf(live(this))) !== 0;
    }
    get gradFn() {
      const name = M.gradFnName(live(this));
      if (name === undefined) rt.fail();
      return name === null ? null : { name };
    }
    get version() {
      return rt.status(M._wt_version(live(this)));
    }
    get isView() {
      return M._wt_is_view(live(this)) !== 0;
    }
    isInference() {
      return M._wt_is_inference(live(this)) !== 0;
    }
    isContiguous() {
      return M._wt_is_contiguous(live(this)) !== 0;
    }
    get grad() {
      const h = live(this);
      if (rt.status(M._wt_grad(h)) === 0) {
        this._grad = null;
        return null;
      }
      const gh = rt.readInts(1)[0] >>> 0;
      // The same .grad tensor as last time: hand back the same wrapper (PyTorch returns the
      // same object), and release the extra reference.
      if (this._grad !== null && this._grad._h === gh) {
        M._wt_release(gh);
        return this._grad;
      }
      this._grad = new Tensor(gh);
      return this._grad;
    }
    set grad(value) {
      const h = live(this);
      if (value === null || value === undefined) {
        rt.status(M._wt_set_grad(h, 0));
      } else {
        rt.status(M._wt_set_grad(h, live(own(value, 'grad'))));
      }
      this._grad = null;
    }

    // ---- reading data ----
    data() {
      const h = live(this);
      const dtype = this.dtype;
      const n = M._wt_numel(h);
      const Typed = TYPED_ARRAY[dtype];
      let src = h;
      let copy = 0;
      if (!M._wt_is_contiguous(h)) {
        copy = rt.handle(M._wt_contiguous_copy(h));
        src = copy;
      }
      const ptr = M._wt_data_ptr(src) >>> 0; // a wasm i32 arrives signed: addresses past 2 GB
      // A fresh view on the current memory buffer: growth may have replaced the old one.
      const out = new Typed(n);
      out.set(new Typed(M.HEAPU8.buffer, ptr, n));
      if (copy) M._wt_release(copy);
      return out;
    }
    toArray() {
      return unflatten(this.data(), this.shape, this.dtype);
    }
    tolist() {
      return this.toArray();
    }
    item() {
      const h = live(this);
      // Python's Tensor.item() text (the C++ check says "a Tensor with N elements cannot be
      // converted to Scalar").
      if (M._wt_numel(h) !== 1) throw new Error('only one element tensors can be converted to Python scalars');
      rt.status(M._wt_item(h));
      const v = rt.readF64(0);
      return M._wt_dtype(h) === BOOL ? v !== 0 : v;
    }
    toString() {
      if (this._h === 0) return 'Tensor(disposed)';
      const suffixes = [];
      const fn = this.gradFnSafe();
      if (fn) suffixes.push(`grad_fn=<${fn}>`);
      else if (this.requiresGrad) suffixes.push('requires_grad=True');
      const str = formatTensor(Array.from(this.data()), this.shape, this.dtype, suffixes);
      // nn.Parameter's repr, as PyTorch prints a parameter.
      return this[PARAMETER] === true ? `Parameter containing:\n${str}` : str;
    }
    gradFnSafe() {
      const name = M.gradFnName(this._h);
      return typeof name === 'string' ? name : null;
    }
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return this.toString();
    }

    // ---- autograd ----
    requiresGrad_(flag = true) {
      if (typeof flag !== 'boolean') throw new Error(`requiresGrad_(): requires_grad must be a boolean, got ${describe(flag)}`);
      rt.status(M._wt_requires_grad_(live(this), flag ? 1 : 0));
      return this;
    }
    // detach(), clone(), contiguous(): operators of the table (js/op_table.mjs, js/ops.mjs).
    retainGrad() {
      rt.status(M._wt_retain_grad(live(this)));
    }
    get retainsGrad() {
      return M._wt_retains_grad(live(this)) !== 0;
    }
  }

  const BOOL = rt.dtypeNames.indexOf('bool');

  // The handle of a live tensor of this engine, or an Error that says what is wrong.
  function live(t) {
    const h = t._h;
    if (h === 0) throw new Error('Tensor is disposed: it was freed by dispose() or tidy() and cannot be used any more');
    return h;
  }

  // Checks an argument is a Tensor of this engine.
  function own(t, what) {
    if (t instanceof Tensor) return t;
    if (t !== null && typeof t === 'object' && typeof t._h === 'number' && typeof t.dispose === 'function')
      throw new Error(`${what}: the tensor belongs to another webtorch engine (each load() option set has its own); move data with t.data()`);
    throw new Error(`${what}: expected a Tensor, got ${describe(t)}`);
  }

  function wrap(h) {
    return new Tensor(rt.handle(h));
  }

  function wrapDim(dim, ndim) {
    const n = ndim === 0 ? 1 : ndim;
    if (!Number.isInteger(dim)) throw new Error(`dim must be an integer, got ${describe(dim)}`);
    if (dim < -n || dim >= n) throw new Error(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
    return dim < 0 ? dim + n : dim;
  }

  return { Tensor, live, own, wrap, scalarKind, isScalar };
}
