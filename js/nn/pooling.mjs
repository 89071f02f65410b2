// nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d (torch/nn/modules/pooling.py): the
// functional forms with the constructor's arguments.

import { checkNoArguments, checkOptions } from '../options.mjs';

export function createPooling({ Module, F }) {
  // Python prints a pooling parameter as given: an int, or a tuple.
  const repr = (v) => (Array.isArray(v) ? `(${v.join(', ')})` : v === null ? 'None' : String(v));
  const pyBool = (b) => (b ? 'True' : 'False');

  class MaxPool2d extends Module {
    constructor(kernelSize, options = {}) {
      super();
      const { stride = null, padding = 0, dilation = 1, returnIndices = false, ceilMode = false } = checkOptions('MaxPool2d', options,
        { stride: 'any', padding: 'any', dilation: 'any', returnIndices: 'boolean', ceilMode: 'boolean' });
      this.kernelSize = kernelSize;
      this.stride = stride ?? kernelSize;
      this.padding = padding;
      this.dilation = dilation;
      this.returnIndices = returnIndices;
      this.ceilMode = ceilMode;
    }
    forward(input) {
      return F.maxPool2d(input, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation,
        ceilMode: this.ceilMode, returnIndices: this.returnIndices });
    }
    extraRepr() {
      return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}, dilation=${repr(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
    }
  }

  class AvgPool2d extends Module {
    constructor(kernelSize, options = {}) {
      super();
      const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = checkOptions('AvgPool2d', options,
        { stride: 'any', padding: 'any', ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer' });
      this.kernelSize = kernelSize;
      this.stride = stride ?? kernelSize;
      this.padding = padding;
      this.ceilMode = ceilMode;
      this.countIncludePad = countIncludePad;
      this.divisorOverride = divisorOverride;
    }
    forward(input) {
      return F.avgPool2d(input, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
        countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride });
    }
    extraRepr() {
      return `kernel_size=${repr(this.kernelSize)}, stride=${repr(this.stride)}, padding=${repr(this.padding)}`;
    }
  }

  class AdaptiveAvgPool2d extends Module {
    constructor(outputSize, ...rest) {
      super();
      checkNoArguments('AdaptiveAvgPool2d', rest);
      this.outputSize = outputSize;
    }
    forward(input) {
      return F.adaptiveAvgPool2d(input, this.outputSize);
    }
    extraRepr() {
      return `output_size=${repr(this.outputSize)}`;
    }
  }

  return { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d };
}
