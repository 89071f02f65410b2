// torch.optim.Adam (and AMSGrad), as PyTorch 1.13's single-tensor Adam computes it (the
// update itself is one fused C++ pass, Note [Optimizer arithmetic] in
// src/ops/optimizer_steps.cpp).

import { describe } from '../runtime.mjs';
import { pyFloat, pyNumber } from '../nn/format.mjs';

const KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

function options(o) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error(`Adam(): expected an options object, got ${describe(o)}`);
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) throw new Error(`Adam(): unknown option '${k}' (expected one of ${KEYS.join(', ')})`);
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false } = o;
  for (const [k, v] of Object.entries({ lr, eps, weightDecay }))
    if (typeof v !== 'number') throw new Error(`Adam(): ${k} must be a number, got ${describe(v)}`);
  if (!Array.isArray(betas) || betas.length !== 2 || !betas.every((b) => typeof b === 'number'))
    throw new Error(`Adam(): betas must be a pair of numbers, got ${describe(betas)}`);
  if (!(lr >= 0)) throw new Error(`Invalid learning rate: ${pyNumber(lr)}`);
  if (!(eps >= 0)) throw new Error(`Invalid epsilon value: ${pyNumber(eps)}`);
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new Error(`Invalid beta parameter at index 0: ${pyFloat(betas[0])}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new Error(`Invalid beta parameter at index 1: ${pyFloat(betas[1])}`);
  if (!(weightDecay >= 0)) throw new Error(`Invalid weight_decay value: ${pyNumber(weightDecay)}`);
  if (typeof amsgrad !== 'boolean' || typeof maximize !== 'boolean') throw new Error('Adam(): amsgrad and maximize must be booleans');
  return { lr, betas: betas.slice(), eps, weightDecay, amsgrad, maximize };
}

export function createAdam(torch, Tensor, rt, { live }, Optimizer) {
  const { M } = rt;
  const handle = (t) => (t ? live(t) : 0);
  class Adam extends Optimizer {
    constructor(params, opts = {}) {
      super(params, options(opts));
    }
    _updateGroup(g) {
      const [beta1, beta2] = g.betas;
      for (const p of g.params) {
        const s = this.state.get(p);
        const step = (s?.step ?? 0) + 1;
        const done = rt.status(M._wt_adam_step(live(p), handle(s?.expAvg), handle(s?.expAvgSq), handle(s?.maxExpAvgSq), step,
          g.lr, beta1, beta2, g.eps, g.weightDecay, g.amsgrad ? 1 : 0, g.maximize ? 1 : 0));
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
  return Adam;
}
