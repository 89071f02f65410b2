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
  // GELU({ approximate }): the exact form only ('none'); the tanh approximation is refused.
  class GELU extends Module {
    constructor(options) {
      super();
      const { approximate = 'none' } = checkOptions('GELU', typeof options === 'string' ? { approximate: options } : options, { approximate: 'string' });
      if (approximate === 'tanh') throw new Error("GELU(): approximate 'tanh' is not supported by webtorch (only 'none')");
      if (approximate !== 'none') throw new Error(`approximate argument must be either none or tanh.`);
    }
    forward(input) {
      return input.gelu();
    }
    extraRepr() {
      return "approximate='none'";
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
