// nn.Flatten (torch/nn/modules/flatten.py): flattens dims startDim..endDim (default 1..-1,
// keeping the batch dim).

import { checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';

export function createFlatten({ Module }) {
  class Flatten extends Module {
    // Flatten(startDim, endDim) or Flatten({ startDim, endDim }).
    constructor(startDim = 1, endDim = -1) {
      super();
      if (isOptionsObject(startDim)) ({ startDim = 1, endDim = -1 } = checkOptions('Flatten', startDim, { startDim: 'integer', endDim: 'integer' }));
      for (const d of [startDim, endDim]) if (!Number.isInteger(d)) throw new Error(`Flatten(): startDim and endDim must be integers, got ${describe(d)}`);
      this.startDim = startDim;
      this.endDim = endDim;
    }
    forward(input) {
      return input.flatten(this.startDim, this.endDim);
    }
    extraRepr() {
      return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
    }
  }
  return { Flatten };
}
