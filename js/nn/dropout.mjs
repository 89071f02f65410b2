// nn.Dropout (torch/nn/modules/dropout.py): zeroes elements with probability p while the
// module is training, scaling the others by 1 / (1 - p); the identity after eval().

import { describe } from '../runtime.mjs';
import { checkOptions, isOptionsObject } from '../options.mjs';

export function createDropout({ Module, F }) {
  class Dropout extends Module {
    constructor(p = 0.5, options = {}) {
      super();
      // Dropout(0.2, true), Dropout(0.2, { inplace }) or Dropout({ p, inplace }).
      if (isOptionsObject(p)) ({ p = 0.5, ...options } = checkOptions('Dropout', p, { p: 'any', inplace: 'any' }));
      const { inplace = false } = typeof options === 'boolean' ? { inplace: options } : checkOptions('Dropout', options, ['inplace']);
      if (typeof p !== 'number' || p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
      if (typeof inplace !== 'boolean') throw new Error(`Dropout(): inplace must be a boolean, got ${describe(inplace)}`);
      this.p = p;
      this.inplace = inplace;
    }
    forward(input) {
      return F.dropout(input, this.p, this.training, this.inplace);
    }
    extraRepr() {
      return `p=${this.p}, inplace=${this.inplace ? 'True' : 'False'}`;
    }
  }
  return { Dropout };
}
