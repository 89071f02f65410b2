// The torch.nn.functional forms of the autoencoder family (issue 15), added to F by
// js/nn/index.mjs:
//   F.convTranspose2d(input, weight, bias?, { stride, padding, outputPadding, groups, dilation })
//     (or positionally, in PyTorch's order: stride, padding, output_padding, groups, dilation)
//   F.binaryCrossEntropy(input, target, { weight, reduction })
//   F.binaryCrossEntropyWithLogits(input, target, { weight, posWeight, reduction })
//   F.leakyRelu(input, negativeSlope = 0.01 | { negativeSlope, inplace }), F.elu(input, alpha = 1 | { alpha })

import { checkOptions, isOptionsObject as isOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { LEGACY_REDUCTION, reductionOf } from './functional.mjs';

export function addAutoencoderFunctional(F, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;
  const optTensor = (v, what) => (v === undefined || v === null ? 0 : live(own(v, what)));
  function intList(what, v) {
    if (Number.isInteger(v)) return [v, v];
    if (Array.isArray(v) && v.every(Number.isInteger)) return v;
    throw new Error(`convTranspose2d(): argument '${what}' must be an int or a list of ints, got ${describe(v)}`);
  }

  const CONV_T_KEYS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'];
  F.convTranspose2d = (input, weight, bias, ...rest) => {
    let o;
    if (rest.length === 1 && isOptions(rest[0])) o = checkOptions('convTranspose2d', rest[0], CONV_T_KEYS);
    else if (rest.length === 0 && isOptions(bias) && !(bias instanceof Tensor)) {
      o = checkOptions('convTranspose2d', bias, ['bias', ...CONV_T_KEYS]);
      bias = o.bias;
    } else {
      const [stride, padding, outputPadding, groups, dilation] = rest;
      o = { stride, padding, outputPadding, groups, dilation };
    }
    const x = live(own(input, 'convTranspose2d'));
    const w = live(own(weight, 'convTranspose2d'));
    const b = optTensor(bias, 'convTranspose2d');
    const groups = o.groups ?? 1;
    if (!Number.isInteger(groups)) throw new Error(`convTranspose2d(): argument 'groups' must be an int, got ${describe(groups)}`);
    const lists = ['stride', 'padding', 'outputPadding', 'dilation'].map((k) => intList(k, o[k] ?? (k === 'stride' || k === 'dilation' ? 1 : 0)));
    rt.writeInts(lists.flat());
    return wrap(M._wt_conv_transpose2d(x, w, b, ...lists.map((l) => l.length), groups));
  };

  F.binaryCrossEntropy = (input, target, options) => {
    const o = checkOptions('binaryCrossEntropy', options, ['weight', 'reduction'], LEGACY_REDUCTION);
    return wrap(M._wt_binary_cross_entropy(live(own(input, 'binaryCrossEntropy')), live(own(target, 'binaryCrossEntropy')),
      optTensor(o.weight, 'binaryCrossEntropy'), reductionOf(o.reduction ?? 'mean')));
  };

  F.binaryCrossEntropyWithLogits = (input, target, options) => {
    const fn = 'binaryCrossEntropyWithLogits';
    const o = checkOptions(fn, options, ['weight', 'posWeight', 'reduction'], LEGACY_REDUCTION);
    return wrap(M._wt_binary_cross_entropy_with_logits(live(own(input, fn)), live(own(target, fn)), optTensor(o.weight, fn),
      optTensor(o.posWeight, fn), reductionOf(o.reduction ?? 'mean')));
  };

  // leakyRelu(input, negativeSlope = 0.01, inplace = false) or leakyRelu(input, { negativeSlope, inplace }).
  F.leakyRelu = (input, negativeSlope = 0.01, inplace = false) => {
    if (negativeSlope === null) negativeSlope = 0.01; // null: not given
    if (isOptions(negativeSlope)) ({ negativeSlope = 0.01, inplace = false } = checkOptions('leakyRelu', negativeSlope, ['negativeSlope', 'inplace']));
    if (typeof inplace !== 'boolean') throw new Error(`leakyRelu(): inplace must be a boolean, got ${describe(inplace)}`);
    own(input, 'leakyRelu');
    return inplace ? input.leakyRelu_(negativeSlope) : input.leakyRelu(negativeSlope);
  };

  // elu(input, alpha = 1) or elu(input, { alpha }); PyTorch's inplace is refused by name.
  F.elu = (input, alpha = 1) => {
    if (alpha === null) alpha = 1; // null: not given
    if (isOptions(alpha)) ({ alpha = 1 } = checkOptions('elu', alpha, ['alpha'], ['inplace']));
    own(input, 'elu');
    return input.elu(alpha);
  };
}
