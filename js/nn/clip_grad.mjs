// torch.nn.utils.clipGradNorm_ / clipGradValue_ (torch/nn/utils/clip_grad.py, PyTorch 1.13),
// composed of existing ops under noGrad:
//   total = norm([norm(g, p) for each grad g], p)        (p = inf: the largest |g|)
//   clipCoef = clamp(maxNorm / (total + 1e-6), max = 1)  (Python's maxNorm / t is
//              t.reciprocal() * maxNorm; 1 / t is the same float32 division)
//   every grad *= clipCoef (in place, also when clipCoef is 1, as PyTorch does)
// and the total norm is returned as a 0-dim tensor. A grad of null is skipped. The grads are
// read through handles into temporary wrappers (freed at the end), as zeroGrad does, so no
// p.grad wrapper is left for the garbage collector.

import { checkNoArguments, checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyFloat, pyTypeName } from './format.mjs';

export function createClipGrad({ torch, Tensor }, rt, { live }) {
  const { M } = rt;
  // Runs body(grads) with the grads of `parameters` (a Tensor or an iterable of Tensors) that
  // are not null, as temporary wrappers.
  function withGrads(fn, parameters, body) {
    let list;
    if (parameters instanceof Tensor) list = [parameters];
    else if (parameters !== null && typeof parameters === 'object' && typeof parameters[Symbol.iterator] === 'function') list = [...parameters];
    else throw new TypeError(`${fn}(): parameters must be a Tensor or an iterable of Tensors, got ${pyTypeName(parameters)}`);
    for (const p of list) if (!(p instanceof Tensor)) throw new TypeError(`${fn}(): parameters must be Tensors, got ${pyTypeName(p)}`);
    const grads = [];
    try {
      for (const p of list) if (rt.status(M._wt_grad(live(p))) !== 0) grads.push(new Tensor(rt.readInts(1)[0] >>> 0));
      return body(grads);
    } finally {
      torch.dispose(grads);
    }
  }

  function checkNumber(fn, what, v) {
    if (typeof v !== 'number') throw new Error(`${fn}(): ${what} must be a number, got ${describe(v)}`);
    return v;
  }

  // torch.norm(t, p) of all of t's elements, as a 0-dim float32 tensor.
  function norm(t, p) {
    if (p === Infinity) return t.abs().max();
    if (p === -Infinity) return t.abs().min();
    if (p === 0) return t.eq(0).float().sum().neg().add(t.numel); // the count of non-zero elements
    if (p === 1) return t.abs().sum();
    if (p === 2) return t.mul(t).sum().sqrt();
    return t.abs().pow(p).sum().pow(1 / p);
  }

  // clipGradNorm_(parameters, maxNorm, normType = 2, errorIfNonfinite = false), or with
  // { normType, errorIfNonfinite } as the third argument.
  function clipGradNorm_(parameters, maxNorm, ...args) {
    let [normType = 2, errorIfNonfinite = false] = args;
    if (isOptionsObject(args[0])) {
      checkNoArguments('clipGradNorm_', args.slice(1));
      ({ normType = 2, errorIfNonfinite = false } = checkOptions('clipGradNorm_', args[0], { normType: 'number', errorIfNonfinite: 'boolean' }, ['foreach']));
    } else checkNoArguments('clipGradNorm_', args.slice(2));
    normType ??= 2;
    errorIfNonfinite ??= false;
    checkNumber('clipGradNorm_', 'maxNorm', maxNorm);
    checkNumber('clipGradNorm_', 'normType', normType);
    if (typeof errorIfNonfinite !== 'boolean') throw new Error(`clipGradNorm_(): errorIfNonfinite must be a boolean, got ${describe(errorIfNonfinite)}`);
    return withGrads('clipGradNorm_', parameters, (grads) => {
      if (grads.length === 0) return torch.tensor(0);
      return torch.noGrad(() => clipNorm(grads, maxNorm, normType, errorIfNonfinite));
    });
  }
  function clipNorm(grads, maxNorm, normType, errorIfNonfinite) {
    const total = torch.tidy(() => {
      const norms = grads.map((g) => norm(g.detach(), normType));
      return norms.length === 1 ? norms[0] : norm(torch.stack(norms), normType);
    });
    if (errorIfNonfinite && !Number.isFinite(total.item())) {
      total.dispose();
      throw new Error(`The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``);
    }
    torch.tidy(() => {
      const coef = torch.ones([]).div(total.add(1e-6)).mul(maxNorm).clamp(null, 1);
      for (const g of grads) g.detach().mul_(coef);
    });
    return total;
  }

  // clipGradValue_(parameters, clipValue): every grad clamped to [-clipValue, clipValue] in place.
  function clipGradValue_(parameters, clipValue, ...rest) {
    checkNoArguments('clipGradValue_', rest);
    checkNumber('clipGradValue_', 'clipValue', clipValue);
    withGrads('clipGradValue_', parameters, (grads) => torch.noGrad(() => torch.tidy(() => {
      for (const g of grads) g.detach().clamp_(-clipValue, clipValue);
    })));
  }

  return { clipGradNorm_, clipGradValue_ };
}
