// torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum,
// weight decay and maximize, as PyTorch 1.13's single-tensor SGD computes it (the update
// itself is one fused C++ pass, Note [Optimizer arithmetic] in src/ops/optimizer_steps.cpp).

import { checkOptions } from '../options.mjs';
import { pyNumber } from '../nn/format.mjs';
import { REQUIRED } from './optimizer.mjs';

const KEYS = { lr: 'number', momentum: 'number', dampening: 'number', weightDecay: 'number', nesterov: 'boolean', maximize: 'boolean' };
// PyTorch 1.13's SGD keywords that choose an implementation webtorch does not have.
const UNSUPPORTED = ['foreach', 'differentiable'];

function options(o) {
  const { lr = REQUIRED, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = checkOptions('SGD', o, KEYS, UNSUPPORTED);
  if (lr !== REQUIRED && lr < 0) throw new Error(`Invalid learning rate: ${pyNumber(lr)}`);
  if (momentum < 0) throw new Error(`Invalid momentum value: ${pyNumber(momentum)}`);
  if (weightDecay < 0) throw new Error(`Invalid weight_decay value: ${pyNumber(weightDecay)}`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) throw new Error('Nesterov momentum requires a momentum and zero dampening');
  return { lr, momentum, dampening, weightDecay, nesterov, maximize };
}

export function createSGD(torch, Tensor, rt, { live }, Optimizer) {
  const { M } = rt;
  class SGD extends Optimizer {
    constructor(params, opts = {}) {
      super(params, options(opts));
    }
    static unsupportedOptions = UNSUPPORTED;
    // A group's values are type-checked; PyTorch checks their ranges for the defaults only.
    validateGroup(g) {
      checkOptions('SGD', Object.fromEntries(Object.keys(KEYS).map((k) => [k, g[k]])), KEYS);
    }
    _updateGroup(g) {
      for (const p of g.params) {
        const s = this.state.get(p);
        const buf = s?.momentumBuffer ?? null;
        const done = rt.status(M._wt_sgd_step(live(p), buf ? live(buf) : 0, g.lr, g.momentum, g.dampening, g.weightDecay,
          g.nesterov ? 1 : 0, g.maximize ? 1 : 0));
        if (done === 0) continue; // no grad: skipped, as in PyTorch
        const created = rt.readInts(1)[0] >>> 0;
        const st = this._stateOf(p);
        st.momentumBuffer = created ? torch.keep(new Tensor(created)) : buf;
      }
    }
  }
  return SGD;
}
