// The double backward of conv2d, nll_loss / cross_entropy and max/min along a dim (issue 13):
// gradcheck and gradgradcheck pass on each, on both builds, through the whole graph of the
// first gradient (ConvolutionBackwardBackward0, NllLossBackwardBackward0 /
// NllLoss2DBackwardBackward0, ScatterBackward0 -> GatherBackward0 -> ScatterAddBackward0), and
// of max/min over all elements and maximum/minimum (MaskedFillBackward1 / MaskedFillBackward0).
// Their values against torch 1.13.1 are scenarios of tests/fixtures/higher_order*.json
// (generate_higher_order.py), replayed by scenarios.test.mjs.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

// Deterministic values in [-1, 1) that are all distinct (max/min see no ties).
const values = (n, seed) => Array.from({ length: n }, (_, i) => (((i * 37 + seed * 11) % 97) - 48) / 48);

describe.each(builds)('double backward of nn ops on %s', (backend, loadEngine) => {
  let torch, F;
  beforeAll(async () => {
    torch = await loadEngine();
    F = torch.nn.functional;
  });
  const leaf = (shape, seed) =>
    torch.tensor(values(shape.reduce((a, b) => a * b, 1), seed)).reshape(shape).requiresGrad_(true);
  const both = (fn, inputs) => {
    expect(torch.autograd.gradcheck(fn, inputs)).toBe(true);
    expect(torch.autograd.gradgradcheck(fn, inputs)).toBe(true);
  };

  test.each([
    ['padding 1', { padding: 1 }, [1, 2, 4, 4], [2, 2, 2, 2]],
    ['stride 2', { stride: 2 }, [1, 2, 5, 5], [2, 2, 3, 3]],
    ["padding 'same', dilation 2", { padding: 'same', dilation: 2 }, [1, 2, 4, 4], [2, 2, 2, 2]],
    ['groups 2', { groups: 2 }, [1, 4, 3, 3], [2, 2, 2, 2]],
  ])('conv2d (%s): gradcheck and gradgradcheck on input, weight and bias', (label, options, xs, ws) => {
    torch.tidy(() => {
      const x = leaf(xs, 1), w = leaf(ws, 2).mul(0.5).detach().requiresGrad_(true), b = leaf([ws[0]], 3);
      both((a, k, c) => F.conv2d(a, k, c, options).tanh(), [x, w, b]);
    });
  });

  test('conv2d: the first gradient is recorded by ConvolutionBackwardBackward0, to third order', () => {
    torch.tidy(() => {
      const x = leaf([1, 1, 3, 3], 1), w = leaf([1, 1, 2, 2], 2);
      const [gx] = torch.autograd.grad(F.conv2d(x, w).pow(2).sum(), [x], { createGraph: true });
      expect(gx.gradFn.name).toBe('ConvolutionBackwardBackward0');
      const [gw] = torch.autograd.grad(gx.pow(2).sum(), [w], { createGraph: true });
      expect(gw.requiresGrad).toBe(true);
      const [g3] = torch.autograd.grad(gw.sum(), [x]);
      expect(g3.shape).toEqual([1, 1, 3, 3]);
      // README, "Differences from PyTorch": torch records this second-order input gradient as
      // ConvolutionBackward0 (a transposed convolution); the values are the same.
      const [gw1] = torch.autograd.grad(F.conv2d(x, w).sum(), [w], { createGraph: true });
      const v = torch.onesLike(gw1).requiresGrad_(true);
      const [ddx] = torch.autograd.grad(gw1, [x], v, { createGraph: true });
      expect(ddx.gradFn.name).toBe('ConvolutionBackwardBackward0');
    });
  });

  test.each(['mean', 'sum', 'none'])('nllLoss and crossEntropy (%s): gradcheck and gradgradcheck', (reduction) => {
    torch.tidy(() => {
      const a = leaf([3, 4], 4);
      const t = torch.tensor(new Int32Array([1, 0, 3]));
      const weight = torch.tensor([0.5, 1, 2, 1.5]);
      both((x) => F.nllLoss(x.logSoftmax(1), t, { reduction }), [a]);
      both((x) => F.crossEntropy(x, t, { reduction, weight, ignoreIndex: 0 }), [a]);
    });
  });

  test('crossEntropy on a 4-d input: NllLoss2DBackwardBackward0, gradgradcheck', () => {
    torch.tidy(() => {
      const a = leaf([2, 3, 2, 2], 5);
      const t = torch.tensor(new Int32Array([0, 2, 1, 1, 2, 0, 0, 1])).reshape([2, 2, 2]);
      const lp = a.logSoftmax(1);
      const [g] = torch.autograd.grad(F.nllLoss(lp, t), [lp], { createGraph: true });
      expect(g.gradFn.name).toBe('NllLoss2DBackwardBackward0');
      both((x) => F.crossEntropy(x, t), [a]);
    });
  });

  test('max / min over all elements and maximum / minimum (MaskedFillBackward1 / 0): gradgradcheck', () => {
    torch.tidy(() => {
      const a = leaf([3, 4], 7), b = leaf([3, 4], 8);
      both((x) => x.max().mul(x), [a]);
      both((x) => x.min().mul(x), [a]);
      both((x, y) => torch.maximum(x, y).pow(2), [a, b]);
      both((x, y) => torch.minimum(x, y).pow(2), [a, b]);
      const [g] = torch.autograd.grad(torch.maximum(a, b).pow(2).sum(), [a], { createGraph: true });
      expect(g.gradFn.name).toBe('MaskedFillBackward0');
      const [gm] = torch.autograd.grad(a.max(), [a], torch.tensor(1).requiresGrad_(true), { createGraph: true });
      expect(gm.gradFn.name).toBe('MaskedFillBackward1');
    });
  });

  test.each([['max', false], ['min', true]])('%s along a dim: gradcheck and gradgradcheck (keepdim %s)', (fn, keepdim) => {
    torch.tidy(() => {
      const a = leaf([3, 4], 6);
      both((x) => x[fn](1, keepdim)[0].pow(3), [a]);
      both((x) => x.t()[fn](0, keepdim)[0].tanh(), [a]);
      const [g] = torch.autograd.grad(a[fn](1, keepdim)[0].pow(2).sum(), [a], { createGraph: true });
      expect(g.gradFn.name).toBe('ScatterBackward0');
    });
  });
});
