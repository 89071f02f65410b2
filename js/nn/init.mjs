// torch.nn.init for one engine: in-place initialisations under noGrad, drawing from the
// engine's generator (torch.manualSeed) exactly as PyTorch 1.13 draws, so a module made
// here after manualSeed(s) has the weights PyTorch gives after torch.manual_seed(s).

import { checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyNumber } from './format.mjs';

export function createInit(torch, Tensor, rt, { live, own }) {
  const { M } = rt;
  const init = {};

  init.calculateGain = (nonlinearity, param) => {
    const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
    if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
    if (nonlinearity === 'tanh') return 5.0 / 3;
    if (nonlinearity === 'relu') return Math.sqrt(2.0);
    if (nonlinearity === 'leaky_relu') {
      let slope;
      if (param === undefined || param === null) slope = 0.01;
      else if (typeof param === 'number') slope = param;
      else throw new Error(`negative_slope ${String(param)} not a valid number`);
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    if (nonlinearity === 'selu') return 3.0 / 4;
    throw new Error(`Unsupported nonlinearity ${nonlinearity}`);
  };

  init.calculateFanInAndFanOut = (tensor) => {
    const shape = own(tensor, 'calculateFanInAndFanOut').shape;
    if (shape.length < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
    let receptive = 1;
    for (const s of shape.slice(2)) receptive *= s;
    return [shape[1] * receptive, shape[0] * receptive];
  };

  function correctFan(tensor, mode) {
    const m = String(mode).toLowerCase().replace('fanin', 'fan_in').replace('fanout', 'fan_out');
    if (m !== 'fan_in' && m !== 'fan_out') throw new Error(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
    const [fanIn, fanOut] = init.calculateFanInAndFanOut(tensor);
    return m === 'fan_in' ? fanIn : fanOut;
  }

  function number(name, what, v) {
    if (typeof v !== 'number') throw new Error(`${name}(): ${what} must be a number, got ${describe(v)}`);
    return v;
  }

  // tensor.uniform_(a, b) under noGrad: float32 values (r & 0xffffff) * 2^-24 * (b - a) + a,
  // one 32-bit draw each, as PyTorch's CPU uniform_.
  init.uniform_ = (tensor, a = 0, b = 1) => {
    const h = live(own(tensor, 'uniform_'));
    number('uniform_', 'a', a);
    number('uniform_', 'b', b);
    if (!(a <= b)) throw new Error(`uniform_ expects to return a [from, to) range, but found from=${pyNumber(a)} > to=${pyNumber(b)}`);
    torch.noGrad(() => rt.status(M._wt_uniform_(h, a, b)));
    return tensor;
  };
  init.normal_ = (tensor, mean = 0, std = 1) => {
    const h = live(own(tensor, 'normal_'));
    number('normal_', 'mean', mean);
    number('normal_', 'std', std);
    if (!(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${pyNumber(std)}`);
    torch.noGrad(() => rt.status(M._wt_normal_(h, mean, std)));
    return tensor;
  };
  init.constant_ = (tensor, val) => {
    own(tensor, 'constant_');
    torch.noGrad(() => tensor.fill_(val));
    return tensor;
  };
  init.zeros_ = (tensor) => {
    own(tensor, 'zeros_');
    torch.noGrad(() => tensor.zero_());
    return tensor;
  };
  init.ones_ = (tensor) => init.constant_(tensor, 1);

  function isEmpty(tensor) {
    return own(tensor, 'init').shape.includes(0);
  }
  // kaimingUniform_(tensor, { a, mode, nonlinearity }) (and kaimingNormal_).
  const KAIMING = { a: 'number', mode: 'string', nonlinearity: 'string' };
  init.kaimingUniform_ = (tensor, options) => {
    const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = checkOptions('kaimingUniform_', options, KAIMING);
    if (isEmpty(tensor)) return tensor; // PyTorch warns "Initializing zero-element tensors is a no-op"
    const fan = correctFan(tensor, mode);
    const std = init.calculateGain(nonlinearity, a) / Math.sqrt(fan);
    const bound = Math.sqrt(3.0) * std;
    return init.uniform_(tensor, -bound, bound);
  };
  init.kaimingNormal_ = (tensor, options) => {
    const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = checkOptions('kaimingNormal_', options, KAIMING);
    if (isEmpty(tensor)) return tensor;
    const fan = correctFan(tensor, mode);
    const std = init.calculateGain(nonlinearity, a) / Math.sqrt(fan);
    return init.normal_(tensor, 0, std);
  };
  // xavierUniform_(tensor, gain = 1) or (tensor, { gain }) (and xavierNormal_).
  const gainOf = (name, gain) => number(name, 'gain', isOptionsObject(gain) ? (checkOptions(name, gain, { gain: 'number' }).gain ?? 1) : gain);
  init.xavierUniform_ = (tensor, gain = 1) => {
    gain = gainOf('xavierUniform_', gain);
    const [fanIn, fanOut] = init.calculateFanInAndFanOut(tensor);
    const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
    const a = Math.sqrt(3.0) * std;
    return init.uniform_(tensor, -a, a);
  };
  init.xavierNormal_ = (tensor, gain = 1) => {
    gain = gainOf('xavierNormal_', gain);
    const [fanIn, fanOut] = init.calculateFanInAndFanOut(tensor);
    const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
    return init.normal_(tensor, 0, std);
  };
  return init;
}
