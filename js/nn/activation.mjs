// Activation modules (torch/nn/modules/activation.py): ReLU, Sigmoid, Tanh, GELU, Softmax,
// LogSoftmax.

import { describe } from '../runtime.mjs';
import { checkKeys } from './linear.mjs';

export function createActivations({ Module, F }) {
  class ReLU extends Module {
    constructor(options = {}) {
      super();
      // ReLU(true) is PyTorch's positional ReLU(inplace=True).
      const { inplace = false } = typeof options === 'boolean' ? { inplace: options } : checkKeys('ReLU', options, ['inplace']);
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
    forward(input) {
      return input.sigmoid();
    }
  }
  class Tanh extends Module {
    forward(input) {
      return input.tanh();
    }
  }
  class GELU extends Module {
    forward(input) {
      return input.gelu();
    }
    extraRepr() {
      return "approximate='none'";
    }
  }
  function dimModule(name, method) {
    return class extends Module {
      constructor(dim) {
        super();
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
