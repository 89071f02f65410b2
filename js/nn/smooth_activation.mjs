// The smooth activations of transformers (issue 14): nn.SiLU, and F.gelu(x, { approximate }),
// F.silu(x, { inplace }), F.softplus(x, { beta, threshold }) (PyTorch's positional forms too).
// The ops are the Tensor methods (js/ops.mjs); nn.GELU is in activation.mjs.

import { checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';

// inplace is PyTorch's keyword of silu; webtorch has no in-place silu, so true is refused.
function checkNotInplace(name, options) {
  const inplace = typeof options === 'boolean' ? options : checkOptions(name, options, { inplace: 'boolean' }).inplace ?? false;
  if (inplace) throw new Error(`${name}(): option 'inplace' is not supported by webtorch`);
}

export function createSmoothActivations({ Module, F, Tensor }) {
  const tensorOf = (name, input) => {
    if (!(input instanceof Tensor)) throw new Error(`${name}(): argument 'input' must be a Tensor, got ${describe(input)}`);
    return input;
  };
  F.gelu = (input, options) => tensorOf('gelu', input).gelu(typeof options === 'string' ? { approximate: options } : options);
  F.silu = (input, options) => {
    checkNotInplace('silu', options);
    return tensorOf('silu', input).silu();
  };
  F.softplus = (input, beta = 1, threshold = 20) => {
    tensorOf('softplus', input);
    if (isOptionsObject(beta)) return input.softplus(checkOptions('softplus', beta, { beta: 'number', threshold: 'number' }));
    return input.softplus(beta, threshold);
  };
  class SiLU extends Module {
    constructor(options) {
      super();
      checkNotInplace('SiLU', options);
    }
    forward(input) {
      return input.silu();
    }
  }
  return { SiLU };
}
