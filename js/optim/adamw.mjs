// torch.optim.AdamW as PyTorch 1.13's single-tensor AdamW computes it: Adam's update with the
// weight decay decoupled from the gradient. For each parameter that has a grad, first
//   param.mul_(1 - lr * weightDecay)
// then Adam's moments and step without an L2 term (the fused C++ Adam step, given weight
// decay 0). Default weightDecay 0.01; amsgrad and maximize as in Adam.

// PyTorch 1.13's AdamW keywords that choose an implementation webtorch does not have.
const UNSUPPORTED = ['foreach', 'capturable'];

export function createAdamW(AdamBase) {
  class AdamW extends AdamBase {
    static optionsName = 'AdamW';
    static defaultWeightDecay = 1e-2;
    static unsupportedOptions = UNSUPPORTED;
    _coupledWeightDecay() {
      return 0;
    }
    _beforeUpdate(p, g) {
      if (this._hasGrad(p)) p.mul_(1 - g.lr * g.weightDecay); // a parameter without a grad is skipped
    }
  }
  return AdamW;
}
