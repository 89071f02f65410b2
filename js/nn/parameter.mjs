// nn.Parameter, what counts as a parameter, and zeroing grads (shared by Module.zeroGrad and
// Optimizer.zeroGrad).

import { checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';

// Marks a Tensor as a parameter (read by `instanceof nn.Parameter` and by js/tensor.mjs).
export const PARAMETER = Symbol('webtorch.nn.Parameter');

// Whether v, assigned to a Module attribute, becomes a parameter (Note [Module registration]).
export function isParameterLike(Tensor, v) {
  if (!(v instanceof Tensor)) return false;
  if (v[PARAMETER] === true) return true;
  if (v.isDisposed) throw new Error('cannot assign a disposed Tensor to a Module attribute');
  return v.requiresGrad && v.isLeaf;
}

// nn.Parameter and emptyParameter for one engine.
export function createParameter(torch, Tensor, own) {
  // nn.Parameter(data, requiresGrad = true): a leaf sharing data's storage, marked as a
  // parameter; works with or without `new`. `x instanceof nn.Parameter` tells parameters.
  function Parameter(data, requiresGrad = true) {
    if (isOptionsObject(requiresGrad)) ({ requiresGrad } = checkOptions('Parameter', requiresGrad, { requiresGrad: 'boolean' }));
    requiresGrad ??= true; // null: not given
    const src = data === undefined ? torch.empty([0]) : own(data, 'Parameter');
    if (typeof requiresGrad !== 'boolean') throw new Error(`Parameter(): requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
    const p = src.detach();
    if (data === undefined) src.dispose();
    try {
      if (requiresGrad) p.requiresGrad_(true);
    } catch (e) {
      p.dispose();
      throw e;
    }
    p[PARAMETER] = true;
    return p;
  }
  Object.defineProperty(Parameter, Symbol.hasInstance, { value: (v) => v instanceof Tensor && v[PARAMETER] === true });

  // A fresh parameter of the given shape (uninitialised), without an intermediate wrapper.
  function emptyParameter(shape) {
    const p = torch.empty(shape, { requiresGrad: true });
    p[PARAMETER] = true;
    return p;
  }
  return { Parameter, emptyParameter };
}

// PyTorch 1.13's zero_grad(set_to_none): through handles, so no wrapper is made for a grad
// that is about to be dropped (a wrapper would keep it alive until garbage collection).
export function zeroGrads(rt, live, params, setToNone) {
  const { M } = rt;
  for (const p of params) {
    const h = live(p);
    if (rt.status(M._wt_grad(h)) === 0) continue;
    const gh = rt.readInts(1)[0] >>> 0;
    try {
      if (setToNone) {
        rt.status(M._wt_set_grad(h, 0));
        p._grad = null; // the cached wrapper (if the user holds it, it stays valid)
        continue;
      }
      if (M.gradFnName(gh) !== null) {
        // p.grad.detach_(): the grad itself leaves the graph (a wrapper the user holds too).
        rt.status(M._wt_detach_(gh));
      } else if (M._wt_requires_grad(gh)) {
        rt.status(M._wt_requires_grad_(gh, 0));
      }
      rt.status(M._wt_zero_(gh));
    } finally {
      M._wt_release(gh);
    }
  }
}
