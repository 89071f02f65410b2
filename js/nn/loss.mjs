// Loss modules (torch/nn/modules/loss.py): MSELoss, CrossEntropyLoss, NLLLoss. forward(input,
// target) calls the functional form; a class weight is registered as a buffer, as in PyTorch.

import { checkOptions } from '../options.mjs';
import { LEGACY_REDUCTION, reductionOf } from './functional.mjs';

export function createLosses({ Module, F }) {
  class MSELoss extends Module {
    constructor(options = {}) {
      super();
      const { reduction = 'mean' } = checkOptions('MSELoss', options, { reduction: 'string' }, LEGACY_REDUCTION);
      reductionOf(reduction);
      this.reduction = reduction;
    }
    forward(input, target) {
      return F.mseLoss(input, target, { reduction: this.reduction });
    }
  }
  function weighted(name, fn, extra) {
    return class extends Module {
      constructor(options = {}) {
        super();
        const o = checkOptions(name, options, { weight: 'any', ignoreIndex: 'integer', reduction: 'string', ...extra }, LEGACY_REDUCTION);
        reductionOf(o.reduction ?? 'mean');
        this.registerBuffer('weight', o.weight ?? null);
        this.ignoreIndex = o.ignoreIndex ?? -100;
        this.reduction = o.reduction ?? 'mean';
        if ('labelSmoothing' in extra) this.labelSmoothing = o.labelSmoothing ?? 0;
      }
      forward(input, target) {
        const o = { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction };
        if ('labelSmoothing' in extra) o.labelSmoothing = this.labelSmoothing;
        return F[fn](input, target, o);
      }
      _getName() {
        return name;
      }
    };
  }
  const CrossEntropyLoss = weighted('CrossEntropyLoss', 'crossEntropy', { labelSmoothing: 'number' });
  const NLLLoss = weighted('NLLLoss', 'nllLoss', {});
  Object.defineProperty(CrossEntropyLoss, 'name', { value: 'CrossEntropyLoss' });
  Object.defineProperty(NLLLoss, 'name', { value: 'NLLLoss' });
  return { MSELoss, CrossEntropyLoss, NLLLoss };
}
