// torch.optim.Adam (and AMSGrad), as PyTorch 1.13's single-tensor Adam computes it (the
// update itself is one fused C++ pass, Note [Optimizer arithmetic] in
// src/ops/optimizer_steps.cpp). AdamW (adamw.mjs) shares the base class AdamBase, with the
// weight decay decoupled (see _coupledWeightDecay and _beforeUpdate); as in PyTorch, an AdamW
// is not an Adam.

import { checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyFloat, pyNumber } from '../nn/format.mjs';

const KEYS = { lr: 'number', betas: 'any', eps: 'number', weightDecay: 'number', amsgrad: 'boolean', maximize: 'boolean' };
// PyTorch 1.13's Adam keywords that choose an implementation webtorch does not have.
const UNSUPPORTED = ['foreach', 'capturable', 'differentiable', 'fused'];

function checkBetas(name, betas) {
  if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => typeof b === 'number'))
    throw new Error(`${name}(): betas must be a pair of numbers, got ${describe(betas)}`);
}

// The options of cls (Adam or AdamW: its name, default weight decay and unsupported keywords).
function options(cls, o) {
  const name = cls.optionsName;
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = cls.defaultWeightDecay, amsgrad = false, maximize = false } =
    checkOptions(name, o, KEYS, cls.unsupportedOptions);
  checkBetas(name, betas);
  if (!(lr >= 0)) throw new Error(`Invalid learning rate: ${pyNumber(lr)}`);
  if (!(eps >= 0)) throw new Error(`Invalid epsilon value: ${pyNumber(eps)}`);
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${pyFloat(betas[0])}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${pyFloat(betas[1])}`);
  if (!(weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${pyNumber(weightDecay)}`);
  return { lr, betas: betas.slice(), eps, weightDecay, amsgrad, maximize };
}

export function createAdam(torch, Tensor, rt, { live }, Optimizer) {
  const { M } = rt;
  const handle = (t) => (t ? live(t) : 0);
  // Adam's algorithm; subclasses name the optimizer and its defaults in static fields.
  class AdamBase extends Optimizer {
    constructor(params, opts = {}) {
      super(params, options(new.target, opts));
    }
    // A group's values are type-checked; PyTorch checks their ranges for the defaults only.
    validateGroup(g) {
      const name = this.constructor.optionsName;
      checkOptions(name, Object.fromEntries(Object.keys(KEYS).map((k) => [k, g[k]])), KEYS);
      checkBetas(name, g.betas);
    }
    // The L2 penalty the fused step adds to the gradient (Adam's weight decay).
    _coupledWeightDecay(g) {
      return g.weightDecay;
    }
    // Runs before p's update (AdamW decays p here when it has a grad).
    _beforeUpdate() {}
    // Through the handle: reading p.grad would leave a wrapper for the garbage collector.
    _hasGrad(p) {
      if (rt.status(M._wt_grad(live(p))) === 0) return false;
      M._wt_release(rt.readInts(1)[0] >>> 0);
      return true;
    }
    _updateGroup(g) {
      const [beta1, beta2] = g.betas;
      const weightDecay = this._coupledWeightDecay(g);
      for (const p of g.params) {
        this._beforeUpdate(p, g);
        const s = this.state.get(p);
        const step = (s?.step ?? 0) + 1;
        const done = rt.status(M._wt_adam_step(live(p), handle(s?.expAvg), handle(s?.expAvgSq), handle(s?.maxExpAvgSq), step,
          g.lr, beta1, beta2, g.eps, weightDecay, g.amsgrad ? 1 : 0, g.maximize ? 1 : 0));
        if (done === 0) continue; // no grad: skipped, as in PyTorch
        const [m, v, vmax] = rt.readInts(3).map((x) => x >>> 0);
        const st = this._stateOf(p);
        st.step = step;
        if (m) st.expAvg = torch.keep(new Tensor(m));
        if (v) st.expAvgSq = torch.keep(new Tensor(v));
        if (vmax) st.maxExpAvgSq = torch.keep(new Tensor(vmax));
      }
    }
  }
  class Adam extends AdamBase {
    static optionsName = 'Adam';
    static defaultWeightDecay = 0;
    static unsupportedOptions = UNSUPPORTED;
  }
  return { Adam, AdamBase };
}
