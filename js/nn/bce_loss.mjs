// nn.BCELoss and nn.BCEWithLogitsLoss (torch/nn/modules/loss.py): weight and pos_weight are
// buffers (in stateDict() when given, under PyTorch's names); forward(input, target) calls
// the functional form.

import { checkOptions } from '../options.mjs';
import { LEGACY_REDUCTION, reductionOf } from './functional.mjs';

export function createBCELosses({ Module, F }) {
  class BCELoss extends Module {
    constructor(options = {}) {
      super();
      const { weight = null, reduction = 'mean' } = checkOptions('BCELoss', options, { weight: 'any', reduction: 'string' }, LEGACY_REDUCTION);
      reductionOf(reduction);
      this.registerBuffer('weight', weight);
      this.reduction = reduction;
    }
    forward(input, target) {
      return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
    }
  }
  class BCEWithLogitsLoss extends Module {
    constructor(options = {}) {
      super();
      const { weight = null, posWeight = null, reduction = 'mean' } = checkOptions('BCEWithLogitsLoss', options,
        { weight: 'any', posWeight: 'any', reduction: 'string' }, LEGACY_REDUCTION);
      reductionOf(reduction);
      this.registerBuffer('weight', weight);
      this.registerBuffer('pos_weight', posWeight);
      this.reduction = reduction;
    }
    forward(input, target) {
      return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
    }
  }
  return { BCELoss, BCEWithLogitsLoss };
}
