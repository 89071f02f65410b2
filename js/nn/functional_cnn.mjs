// torch.nn.functional's CNN layers (issue 15): batchNorm, maxPool2d, avgPool2d,
// adaptiveAvgPool2d. Each takes PyTorch's positional parameters, or any of them as a last
// options object (camelCase):
//   F.batchNorm(input, runningMean, runningVar, { weight, bias, training, momentum, eps })
//   F.maxPool2d(input, kernelSize, { stride, padding, dilation, ceilMode, returnIndices })
//   F.avgPool2d(input, kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride })
//   F.adaptiveAvgPool2d(input, outputSize)
// maxPool2d's indices are int32 (webtorch's index dtype; PyTorch: int64), flat within each
// H x W plane as PyTorch's.

import { checkNoArguments, checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { torchSize } from './format.mjs';

// Positional parameters (after the leading ones) merged with a last options object into one
// checked object: a parameter given both ways is an error, as in Python.
export function cnnArguments(fn, names, types, args) {
  const given = args.slice();
  while (given.length && given[given.length - 1] === undefined) given.pop();
  const merged = given.length && isOptionsObject(given[given.length - 1]) ? { ...given.pop() } : {};
  if (given.length > names.length) throw new Error(`${fn}() takes at most ${names.length} arguments after the input, got ${given.length}`);
  given.forEach((v, i) => {
    if (v === undefined) return;
    if (merged[names[i]] !== undefined && merged[names[i]] !== null) throw new Error(`${fn}(): got multiple values for argument '${names[i]}'`);
    merged[names[i]] = v;
  });
  return checkOptions(fn, merged, types);
}

// Python's int or list of ints (a list may have any length: the op checks it, with
// PyTorch's message).
function intsOf(fn, what, v) {
  if (Number.isInteger(v)) return [v];
  if (Array.isArray(v) && v.every(Number.isInteger)) return v;
  throw new Error(`${fn}(): argument '${what}' must be an int or a list of ints, got ${describe(v)}`);
}

// F.batch_norm's _verify_batch_size: in training one value per channel has no variance.
export function verifyBatchSize(shape) {
  let values = shape[0];
  for (let i = 2; i < shape.length; i++) values *= shape[i];
  if (values === 1) throw new Error(`Expected more than 1 value per channel when training, got input size ${torchSize(shape)}`);
}

export function createCnnFunctional(torch, Tensor, rt, { live, own, wrap }) {
  const { M } = rt;
  const optTensor = (v, fn) => (v === undefined || v === null ? 0 : live(own(v, fn)));
  const F = {};

  F.batchNorm = (input, runningMean, runningVar, ...rest) => {
    const o = cnnArguments('batchNorm', ['weight', 'bias', 'training', 'momentum', 'eps'],
      { weight: 'any', bias: 'any', training: 'boolean', momentum: 'number', eps: 'number' }, rest);
    own(input, 'batchNorm');
    const { training = false, momentum = 0.1, eps = 1e-5 } = o;
    if (training) verifyBatchSize(input.shape);
    return wrap(M._wt_batch_norm(live(input), optTensor(o.weight, 'batchNorm'), optTensor(o.bias, 'batchNorm'),
      optTensor(runningMean, 'batchNorm'), optTensor(runningVar, 'batchNorm'), training ? 1 : 0, momentum, eps));
  };

  // The window lists of a pooling call, written to scratch (kernel_size, stride, padding, then
  // the extra lists); returns their lengths for the entry point.
  function writeWindow(fn, kernelSize, o, extra = []) {
    const lists = [intsOf(fn, 'kernel_size', kernelSize), o.stride === undefined ? [] : intsOf(fn, 'stride', o.stride),
      intsOf(fn, 'padding', o.padding ?? 0), ...extra.map(([what, v]) => intsOf(fn, what, v))];
    rt.writeInts(lists.flat());
    return lists.map((l) => l.length);
  }

  F.maxPool2d = (input, kernelSize, ...rest) => {
    const o = cnnArguments('maxPool2d', ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'],
      { stride: 'any', padding: 'any', dilation: 'any', ceilMode: 'boolean', returnIndices: 'boolean' }, rest);
    const x = live(own(input, 'maxPool2d'));
    const counts = writeWindow('maxPool2d', kernelSize, o, [['dilation', o.dilation ?? 1]]);
    const values = wrap(M._wt_max_pool2d(x, ...counts, o.ceilMode ? 1 : 0, o.returnIndices ? 1 : 0));
    if (!o.returnIndices) return values;
    return [values, new Tensor(rt.readInts(1)[0] >>> 0)];
  };

  F.avgPool2d = (input, kernelSize, ...rest) => {
    const o = cnnArguments('avgPool2d', ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
      { stride: 'any', padding: 'any', ceilMode: 'boolean', countIncludePad: 'boolean', divisorOverride: 'integer' }, rest);
    const x = live(own(input, 'avgPool2d'));
    const counts = writeWindow('avgPool2d', kernelSize, o);
    const divisor = o.divisorOverride;
    return wrap(M._wt_avg_pool2d(x, ...counts, o.ceilMode ? 1 : 0, o.countIncludePad ?? true ? 1 : 0,
      divisor === undefined ? 0 : 1, divisor ?? 0));
  };

  // outputSize: an int, or a pair whose entries may be null (that dim keeps the input's size).
  F.adaptiveAvgPool2d = (input, outputSize, ...rest) => {
    checkNoArguments('adaptiveAvgPool2d', rest);
    const x = live(own(input, 'adaptiveAvgPool2d'));
    let size;
    if (Number.isInteger(outputSize)) size = [outputSize, outputSize];
    else if (Array.isArray(outputSize) && outputSize.every((v) => v === null || Number.isInteger(v))) {
      const shape = input.shape;
      size = outputSize.map((v, i) => v ?? shape[shape.length - outputSize.length + i]);
    } else throw new Error(`adaptiveAvgPool2d(): argument 'output_size' must be an int or a list of ints, got ${describe(outputSize)}`);
    rt.writeInts(size);
    return wrap(M._wt_adaptive_avg_pool2d(x, size.length));
  };

  return F;
}
