// nn.ConvTranspose2d (torch/nn/modules/conv.py): weight [in, out / groups, kH, kW] and the
// initialisation of _ConvNd (kaiming_uniform_ with a = sqrt(5), whose fan-in is then
// out / groups * kH * kW; the bias uniform in ±1/sqrt(fan-in)), zero padding only.

import { describe } from '../runtime.mjs';
import { MODULE_UNSUPPORTED, checkOptions } from '../options.mjs';
import { checkSize } from './linear.mjs';

const twoInts = (what, v) => {
  if (Number.isInteger(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)) return [...v];
  throw new Error(`ConvTranspose2d(): ${what} must be an int or a pair of ints, got ${describe(v)}`);
};

export function createConvTranspose({ Module, F, init, emptyParameter }) {
  class ConvTranspose2d extends Module {
    constructor(inChannels, outChannels, kernelSize, options = {}) {
      super();
      const o = checkOptions('ConvTranspose2d', options, { stride: 'any', padding: 'any', outputPadding: 'any', groups: 'any',
        bias: 'boolean', dilation: 'any', paddingMode: 'string' }, MODULE_UNSUPPORTED);
      const { groups = 1, bias = true, paddingMode = 'zeros' } = o;
      checkSize('ConvTranspose2d', 'inChannels', inChannels);
      checkSize('ConvTranspose2d', 'outChannels', outChannels);
      if (!Number.isInteger(groups) || groups <= 0) throw new Error('groups must be a positive integer');
      if (inChannels % groups !== 0) throw new Error('in_channels must be divisible by groups');
      if (outChannels % groups !== 0) throw new Error('out_channels must be divisible by groups');
      if (paddingMode !== 'zeros') throw new Error('Only "zeros" padding mode is supported for ConvTranspose2d');
      this.inChannels = inChannels;
      this.outChannels = outChannels;
      this.kernelSize = twoInts('kernelSize', kernelSize);
      this.stride = twoInts('stride', o.stride ?? 1);
      this.padding = twoInts('padding', o.padding ?? 0);
      this.outputPadding = twoInts('outputPadding', o.outputPadding ?? 0);
      this.dilation = twoInts('dilation', o.dilation ?? 1);
      this.groups = groups;
      this.paddingMode = paddingMode;
      this.weight = emptyParameter([inChannels, outChannels / groups, ...this.kernelSize]);
      if (bias) this.bias = emptyParameter([outChannels]);
      else this.registerParameter('bias', null);
      this.resetParameters();
    }
    resetParameters() {
      init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
      if (this.bias) {
        const [fanIn] = init.calculateFanInAndFanOut(this.weight);
        if (fanIn !== 0) {
          const bound = 1 / Math.sqrt(fanIn);
          init.uniform_(this.bias, -bound, bound);
        }
      }
    }
    // PyTorch's forward(input, output_size=None): output_size is not supported.
    forward(input, outputSize) {
      if (outputSize !== undefined && outputSize !== null) throw new Error("ConvTranspose2d.forward(): outputSize is not supported by webtorch");
      return F.convTranspose2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding,
        outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation });
    }
    extraRepr() {
      const t = (v) => `(${v.join(', ')})`;
      let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
      if (this.padding.some((p) => p !== 0)) s += `, padding=${t(this.padding)}`;
      if (this.dilation.some((d) => d !== 1)) s += `, dilation=${t(this.dilation)}`;
      if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${t(this.outputPadding)}`;
      if (this.groups !== 1) s += `, groups=${this.groups}`;
      if (!this.bias) s += ', bias=False';
      return s;
    }
  }
  return { ConvTranspose2d };
}
