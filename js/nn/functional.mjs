// torch.nn.functional for one engine. Every function takes PyTorch's positional arguments,
// with keyword arguments as a last options object (camelCase):
//   F.crossEntropy(input, target, { weight, ignoreIndex, reduction, labelSmoothing })
//   F.conv2d(input, weight, bias, { stride, padding, dilation, groups })  (or positionally)
// Class-index targets are int32 tensors (webtorch's index dtype; PyTorch uses int64).

import { CONV_PADDING, REDUCTION } from '../constants.mjs';
import { checkOptions, isOptionsObject as isOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';

export function reductionOf(reduction) {
  if (typeof reduction !== 'string' || !Object.hasOwn(REDUCTION, reduction)) throw new Error(`${reduction} is not a valid value for reduction`);
  return REDUCTION[reduction];
}

// PyTorch's deprecated size_average / reduce arguments of the losses (use reduction).
export const LEGACY_REDUCTION = ['sizeAverage', 'reduce'];

export function createFunctional(torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;

  function optTensor(v, what) {
    if (v === undefined || v === null) return 0;
    return live(own(v, what));
  }

  // An int or a list of ints (Python's IntArrayRef[2]: an int becomes [v, v]).
  function intList(fn, what, v, n = 2) {
    if (Number.isInteger(v)) return new Array(n).fill(v);
    if (Array.isArray(v) && v.every(Number.isInteger)) return v;
    throw new Error(`${fn}(): argument '${what}' must be an int or a list of ints, got ${describe(v)}`);
  }

  const F = {};

  F.relu = (input, options) => {
    const inplace = typeof options === 'boolean' ? options : checkOptions('relu', options, { inplace: 'boolean' }).inplace ?? false;
    own(input, 'relu');
    return inplace ? input.relu_() : input.relu();
  };

  // The dim PyTorch picks when none is given (with a deprecation warning there).
  function implicitDim(input) {
    const nd = input.ndim;
    return nd === 0 || nd === 1 || nd === 3 ? 0 : 1;
  }
  // softmax(input, dim?) or softmax(input, { dim }); the dtype keyword is not implemented.
  function dimOf(name, input, dim, options) {
    if (isOptions(dim)) [dim, options] = [undefined, dim];
    const o = checkOptions(name, options, ['dim'], ['dtype']);
    if (o.dim !== undefined && dim !== undefined && dim !== null) throw new Error(`${name}(): got multiple values for argument 'dim'`);
    return o.dim ?? dim ?? implicitDim(input);
  }
  F.softmax = (input, dim, options) => {
    own(input, 'softmax');
    return input.softmax(dimOf('softmax', input, dim, options));
  };
  F.logSoftmax = (input, dim, options) => {
    own(input, 'logSoftmax');
    return input.logSoftmax(dimOf('logSoftmax', input, dim, options));
  };

  F.linear = (input, weight, bias) => wrap(M._wt_linear(live(own(input, 'linear')), live(own(weight, 'linear')), optTensor(bias, 'linear')));

  // conv2d(input, weight, bias?, stride = 1, padding = 0, dilation = 1, groups = 1), or the
  // same with an options object after bias; padding may be 'valid' or 'same'.
  F.conv2d = (input, weight, bias, ...rest) => {
    let o;
    if (rest.length === 1 && isOptions(rest[0])) o = checkOptions('conv2d', rest[0], ['stride', 'padding', 'dilation', 'groups']);
    else if (rest.length === 0 && isOptions(bias) && !(bias instanceof Tensor)) {
      o = checkOptions('conv2d', bias, ['bias', 'stride', 'padding', 'dilation', 'groups']);
      bias = o.bias;
    } else {
      const [stride, padding, dilation, groups] = rest;
      o = { stride, padding, dilation, groups };
    }
    const x = live(own(input, 'conv2d'));
    const w = live(own(weight, 'conv2d'));
    const b = optTensor(bias, 'conv2d');
    const stride = intList('conv2d', 'stride', o.stride ?? 1);
    const dilation = intList('conv2d', 'dilation', o.dilation ?? 1);
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups)) throw new Error(`conv2d(): argument 'groups' must be an int, got ${describe(groups)}`);
    const padding = o.padding ?? 0;
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') throw new Error(`Invalid padding string: '${padding}'`);
      rt.writeInts([...stride, ...dilation]);
      return wrap(M._wt_conv2d_padding_mode(x, w, b, stride.length, dilation.length, CONV_PADDING[padding], groups));
    }
    const pad = intList('conv2d', 'padding', padding);
    rt.writeInts([...stride, ...pad, ...dilation]);
    return wrap(M._wt_conv2d(x, w, b, stride.length, pad.length, dilation.length, groups));
  };

  F.mseLoss = (input, target, options) => {
    const o = checkOptions('mseLoss', options, ['reduction'], LEGACY_REDUCTION);
    return wrap(M._wt_mse_loss(live(own(input, 'mseLoss')), live(own(target, 'mseLoss')), reductionOf(o.reduction ?? 'mean')));
  };

  function ignoreIndexOf(fn, v) {
    if (v === undefined) return -100;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new Error(`${fn}(): ignoreIndex must be a 32-bit integer, got ${describe(v)}`);
    return v;
  }

  F.nllLoss = (input, target, options) => {
    const o = checkOptions('nllLoss', options, ['weight', 'ignoreIndex', 'reduction'], LEGACY_REDUCTION);
    return wrap(M._wt_nll_loss_nd(live(own(input, 'nllLoss')), live(own(target, 'nllLoss')), optTensor(o.weight, 'nllLoss'),
      reductionOf(o.reduction ?? 'mean'), ignoreIndexOf('nllLoss', o.ignoreIndex)));
  };

  F.crossEntropy = (input, target, options) => {
    const o = checkOptions('crossEntropy', options, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing'], LEGACY_REDUCTION);
    const ls = o.labelSmoothing ?? 0;
    if (typeof ls !== 'number') throw new Error(`crossEntropy(): labelSmoothing must be a number, got ${describe(ls)}`);
    return wrap(M._wt_cross_entropy(live(own(input, 'crossEntropy')), live(own(target, 'crossEntropy')), optTensor(o.weight, 'crossEntropy'),
      reductionOf(o.reduction ?? 'mean'), ignoreIndexOf('crossEntropy', o.ignoreIndex), ls));
  };

  // dropout(input, p = 0.5, training = true, inplace = false), or dropout(input, { p, training, inplace }).
  F.dropout = (input, p = 0.5, training = true, inplace = false) => {
    if (isOptions(p)) {
      const o = checkOptions('dropout', p, ['p', 'training', 'inplace']);
      ({ p = 0.5, training = true, inplace = false } = o);
    }
    if (typeof p !== 'number' || p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
    if (typeof training !== 'boolean') throw new Error(`dropout(): training must be a boolean, got ${describe(training)}`);
    if (typeof inplace !== 'boolean') throw new Error(`dropout(): inplace must be a boolean, got ${describe(inplace)}`);
    own(input, 'dropout');
    // PyTorch returns the input itself here (F.dropout(x, training=False) is x).
    if (!training || p === 0 || input.numel === 0) return input;
    const out = wrap(M._wt_dropout(live(input), p, 1, inplace ? 1 : 0));
    if (!inplace) return out;
    out.dispose(); // the same tensor as input (dropout_ multiplies it in place)
    return input;
  };

  return F;
}
