// Activation modules (torch/nn/modules/activation.py): ReLU, Sigmoid, Tanh, GELU, Softmax,
// LogSoftmax.

import { describe } from '../runtime.mjs';
import { checkNoArguments, checkOptions, isOptionsObject } from '../options.mjs';

export function createActivations({ Module, F }) {
  class ReLU extends Module {
    constructor(options = {}) {
      super();
      // ReLU(true) is PyTorch's positional ReLU(inplace=True).
      const { inplace = false } = typeof options === 'boolean' ? { inplace: options } : checkOptions('ReLU', options, ['inplace']);
      if (typeof inplace !== 'boolean') throw new Error(`ReLU(): inplace must be a boolean, got ${describe(inplace)}`);
      this.inplace = inplace;
    }
    forward(input) {
      return F.relu(input, { inplace: this.inplace });
    }
    extraRepr() {
      return this.inplace ? 'inplace=True' : '';
    }
  }
  class Sigmoid extends Module {
    constructor(...args) {
      super();
      checkNoArguments('Sigmoid', args);
    }
    forward(input) {
      return input.sigmoid();
    }
  }
  class Tanh extends Module {
    constructor(...args) {
      super();
      checkNoArguments('Tanh', args);
    }
    forward(input) {
      return input.tanh();
    }
  }
  // GELU({ approximate }) or GELU('tanh'): the exact form ('none') or the tanh approximation.
  class GELU extends Module {
    constructor(options) {
      super();
      const { approximate = 'none' } = checkOptions('GELU', typeof options === 'string' ? { approximate: options } : options, { approximate: 'string' });
      if (approximate !== 'none' && approximate !== 'tanh') throw new Error(`approximate argument must be either none or tanh.`);
      this.approximate = approximate;
    }
    forward(input) {
      return F.gelu(input, { approximate: this.approximate });
    }
    extraRepr() {
      return `approximate='${this.approximate}'`;
    }
  }
  function dimModule(name, method) {
    return class extends Module {
      // Softmax(dim) or Softmax({ dim }).
      constructor(dim) {
        super();
        if (isOptionsObject(dim)) ({ dim } = checkOptions(name, dim, { dim: 'any' }));
        if (dim !== undefined && dim !== null && !Number.isInteger(dim)) throw new Error(`${name}(): dim must be an integer, got ${describe(dim)}`);
        this.dim = dim ?? null;
      }
      forward(input) {
        return F[method](input, this.dim ?? undefined);
      }
      extraRepr() {
        return `dim=${this.dim === null ? 'None' : this.dim}`;
      }
      _getName() {
        return name;
      }
    };
  }
  const Softmax = dimModule('Softmax', 'softmax');
  const LogSoftmax = dimModule('LogSoftmax', 'logSoftmax');
  Object.defineProperty(Softmax, 'name', { value: 'Softmax' });
  Object.defineProperty(LogSoftmax, 'name', { value: 'LogSoftmax' });
  return { ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax };
}
