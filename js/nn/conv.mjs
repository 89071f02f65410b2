// nn.Conv2d (torch/nn/modules/conv.py), zero padding.

import { describe } from '../runtime.mjs';
import { MODULE_UNSUPPORTED, checkOptions } from '../options.mjs';
import { checkSize } from './linear.mjs';

function pair(cls, what, v) {
  if (Number.isInteger(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)) return v.slice();
  throw new Error(`${cls}(): ${what} must be an int or a pair of ints, got ${describe(v)}`);
}

export function createConv({ Module, F, init, emptyParameter }) {
  class Conv2d extends Module {
    constructor(inChannels, outChannels, kernelSize, options = {}) {
      super();
      const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros' } = checkOptions('Conv2d', options,
        { stride: 'any', padding: 'any', dilation: 'any', groups: 'any', bias: 'boolean', paddingMode: 'string' }, MODULE_UNSUPPORTED);
      checkSize('Conv2d', 'inChannels', inChannels);
      checkSize('Conv2d', 'outChannels', outChannels);
      if (!Number.isInteger(groups) || groups <= 0) throw new Error('groups must be a positive integer');
      if (inChannels % groups !== 0) throw new Error('in_channels must be divisible by groups');
      if (outChannels % groups !== 0) throw new Error('out_channels must be divisible by groups');
      this.inChannels = inChannels;
      this.outChannels = outChannels;
      this.kernelSize = pair('Conv2d', 'kernelSize', kernelSize);
      this.stride = pair('Conv2d', 'stride', stride);
      if (typeof padding === 'string') {
        if (padding !== 'same' && padding !== 'valid')
          throw new Error(`Invalid padding string '${padding}', should be one of {'same', 'valid'}`);
        if (padding === 'same' && this.stride.some((s) => s !== 1))
          throw new Error("padding='same' is not supported for strided convolutions");
        this.padding = padding;
      } else {
        this.padding = pair('Conv2d', 'padding', padding);
      }
      this.dilation = pair('Conv2d', 'dilation', dilation);
      this.groups = groups;
      if (!['zeros', 'reflect', 'replicate', 'circular'].includes(paddingMode))
        throw new Error(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${paddingMode}'`);
      if (paddingMode !== 'zeros') throw new Error(`Conv2d(): webtorch supports paddingMode 'zeros' only, got '${paddingMode}'`);
      this.paddingMode = paddingMode;
      this.weight = emptyParameter([outChannels, inChannels / groups, ...this.kernelSize]);
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
    forward(input) {
      return F.conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
    }
    extraRepr() {
      const t = (v) => `(${v.join(', ')})`;
      let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
      if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
      else if (this.padding.some((p) => p !== 0)) s += `, padding=${t(this.padding)}`;
      if (this.dilation.some((d) => d !== 1)) s += `, dilation=${t(this.dilation)}`;
      if (this.groups !== 1) s += `, groups=${this.groups}`;
      if (!this.bias) s += ', bias=False';
      return s;
    }
  }
  return { Conv2d };
}
