// nn.Identity and nn.Linear (torch/nn/modules/linear.py).

import { MODULE_UNSUPPORTED, checkNoArguments, checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';

export function checkSize(cls, what, v) {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${cls}(): ${what} must be a non-negative integer, got ${describe(v)}`);
  return v;
}

export function createLinear({ torch, Module, F, init, emptyParameter }) {
  // PyTorch's Identity ignores its arguments; webtorch ignores nothing (Note [Options objects]).
  class Identity extends Module {
    constructor(...args) {
      super();
      checkNoArguments('Identity', args);
    }
    forward(input) {
      return input;
    }
  }

  // y = x W^T + b, with W: [outFeatures, inFeatures] and b: [outFeatures], initialised as
  // PyTorch does (kaiming_uniform_(a = sqrt(5)) for W, U(-1/sqrt(inFeatures), ..) for b).
  class Linear extends Module {
    constructor(inFeatures, outFeatures, options = {}) {
      super();
      const { bias = true } = checkOptions('Linear', options, { bias: 'boolean' }, MODULE_UNSUPPORTED);
      this.inFeatures = checkSize('Linear', 'inFeatures', inFeatures);
      this.outFeatures = checkSize('Linear', 'outFeatures', outFeatures);
      this.weight = emptyParameter([outFeatures, inFeatures]);
      if (bias) this.bias = emptyParameter([outFeatures]);
      else this.registerParameter('bias', null);
      this.resetParameters();
    }
    resetParameters() {
      init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
      if (this.bias) {
        const [fanIn] = init.calculateFanInAndFanOut(this.weight);
        const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        init.uniform_(this.bias, -bound, bound);
      }
    }
    forward(input) {
      return F.linear(input, this.weight, this.bias);
    }
    extraRepr() {
      return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
    }
  }
  void torch;
  return { Identity, Linear };
}
