// nn.LeakyReLU and nn.ELU (torch/nn/modules/activation.py). ELU's in-place form is not
// implemented: inplace: true is refused.

import { describe } from '../runtime.mjs';
import { checkOptions } from '../options.mjs';

// Python's repr of a float: 1.0, 0.01.
const pyFloat = (v) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

export function createLeakyActivations({ Module, F }) {
  class LeakyReLU extends Module {
    // LeakyReLU(negativeSlope?, inplace?) or LeakyReLU({ negativeSlope, inplace }).
    constructor(negativeSlope = 0.01, inplace = false) {
      super();
      if (negativeSlope === null) negativeSlope = 0.01;
      if (typeof negativeSlope === 'object')
        ({ negativeSlope = 0.01, inplace = false } = checkOptions('LeakyReLU', negativeSlope, { negativeSlope: 'number', inplace: 'boolean' }));
      if (typeof negativeSlope !== 'number') throw new Error(`LeakyReLU(): negativeSlope must be a number, got ${describe(negativeSlope)}`);
      if (typeof inplace !== 'boolean') throw new Error(`LeakyReLU(): inplace must be a boolean, got ${describe(inplace)}`);
      this.negativeSlope = negativeSlope;
      this.inplace = inplace;
    }
    forward(input) {
      return F.leakyRelu(input, { negativeSlope: this.negativeSlope, inplace: this.inplace });
    }
    extraRepr() {
      return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
    }
  }
  class ELU extends Module {
    // ELU(alpha?) or ELU({ alpha }).
    constructor(alpha = 1) {
      super();
      if (alpha === null) alpha = 1;
      if (typeof alpha === 'object') ({ alpha = 1 } = checkOptions('ELU', alpha, { alpha: 'number' }, ['inplace']));
      if (typeof alpha !== 'number') throw new Error(`ELU(): alpha must be a number, got ${describe(alpha)}`);
      this.alpha = alpha;
    }
    forward(input) {
      return F.elu(input, { alpha: this.alpha });
    }
    extraRepr() {
      return `alpha=${pyFloat(this.alpha)}`;
    }
  }
  return { LeakyReLU, ELU };
}
