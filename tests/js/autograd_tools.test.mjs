// torch.autograd.gradcheck / gradgradcheck and torch.autograd.functional against torch 1.13.1
// (tests/fixtures/autograd_tools.json, generate_autograd_tools.py: FUNCTIONS there have the
// bodies of FUNCTIONS here), on both builds. gradcheck and gradgradcheck also pass on every
// op with a double backward, and fail on a wrong custom backward with torch's text.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/autograd_tools.json', import.meta.url)));

const FUNCTIONS = {
  expSum: (x) => x.exp().sum(),
  tanhMul: (x) => x.tanh().mul(x),
  sigmoidProductSum: (x, w) => x.mul(w).sigmoid().sum(),
  tanhMatvec: (x, w) => w.matmul(x).tanh(),
  softmaxLogSum: (x) => x.softmax(0).mul(x).sum(),
};
const INPUTS = {
  expSum: [[0.5, -1.0, 0.25]],
  tanhMul: [[0.5, -1.0, 0.25]],
  sigmoidProductSum: [[0.5, -1.0, 0.25], [1.5, 0.5, -2.0]],
  tanhMatvec: [[0.5, -1.0, 0.25], [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]],
  softmaxLogSum: [[0.5, -1.0, 0.25]],
};

// Nested results (tensors, arrays of them) as nested number lists, compared within float32 noise.
function close(actual, expected, where) {
  if (Array.isArray(expected)) {
    expect([where, Array.isArray(actual) ? actual.length : typeof actual]).toEqual([where, expected.length]);
    expected.forEach((e, i) => close(actual[i], e, `${where}[${i}]`));
    return;
  }
  expect([where, Math.abs(actual - expected) <= 1e-5 + 1e-4 * Math.abs(expected)]).toEqual([where, true]);
}
const lists = (r) => (Array.isArray(r) ? r.map(lists) : r.tolist());

// Unary ops with a double backward: gradcheck and gradgradcheck pass on them in float32.
const UNARY = [
  ['tanh', (a) => a.tanh()], ['sigmoid', (a) => a.sigmoid()], ['gelu', (a) => a.gelu()], ['exp', (a) => a.exp()],
  ['log', (a) => a.abs().add(0.5).log()], ['sqrt', (a) => a.abs().add(0.5).sqrt()], ['relu', (a) => a.relu()],
  ['abs', (a) => a.abs()], ['softmax', (a) => a.softmax(1)], ['logSoftmax', (a) => a.logSoftmax(1)],
  ['pow', (a) => a.pow(3)], ['clamp', (a) => a.clamp(-0.8, 0.8)], ['mean', (a) => a.mean(0)], ['sum', (a) => a.sum(1)],
  ['narrow', (a) => a.narrow(1, 1, 2)], ['select', (a) => a.select(1, 2)], ['transpose', (a) => a.t().mul(a.t())],
  ['matmul', (a) => a.matmul(a.t())], ['div', (a) => a.div(a.abs().add(1))], ['sub', (a) => a.sub(a.mul(a))],
];
// Values away from the kinks of relu, abs and clamp (finite differences cross no kink).
const POINT = [[0.3, -1.1, 0.7], [1.3, -0.45, 0.15]];

describe.each(builds)('torch.autograd tools on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test.each(fixture.cases.map((c) => [`${c.what} of ${c.fn}`, c]))('functional %s matches torch', (label, c) => {
    torch.tidy(() => {
      const ins = INPUTS[c.fn].map((d) => torch.tensor(d));
      const args = ins.length === 1 ? ins[0] : ins;
      const v = c.v === undefined ? undefined : Array.isArray(c.v[0]) && ins.length > 1 ? c.v.map((d) => torch.tensor(d)) : torch.tensor(c.v);
      const F = torch.autograd.functional;
      const fn = FUNCTIONS[c.fn];
      const result = c.what === 'jacobian' || c.what === 'hessian' ? F[c.what](fn, args) : F[c.what](fn, args, v)[1];
      close(lists(result), c.result, label);
    });
  });

  test('functional errors are torch\'s', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 2]);
      const F = torch.autograd.functional;
      const E = fixture.errors;
      expect(() => F.vjp((a) => a.exp(), x)).toThrow(E.vjpNoV);
      expect(() => F.jvp((a) => a.exp(), x)).toThrow(E.jvpNoV);
      expect(() => F.hessian((a) => a.exp(), x)).toThrow(E.hessianNotSingleElement);
      expect(() => F.hessian((a) => [a.sum(), a.sum()], x)).toThrow(E.hessianNotTensor);
      expect(() => F.hvp((a) => a.exp(), x, x)).toThrow(E.hvpNotSingleElement);
      expect(() => F.vhp((a) => [a.sum(), a.sum()], x, x)).toThrow(E.vhpNotTensor);
      expect(() => torch.autograd.gradcheck((a) => a.mul(2), [torch.ones([2], { dtype: 'int32' })])).toThrow(E.gradcheckNoInputRequiresGrad);
    });
  });

  test('createGraph: functional results can be differentiated again', () => {
    torch.tidy(() => {
      const x = torch.tensor([0.5, -1, 0.25], { requiresGrad: true });
      const [, g] = torch.autograd.functional.vjp((a) => a.exp().sum(), x, undefined, { createGraph: true });
      expect(g.requiresGrad).toBe(true);
      const [, plain] = torch.autograd.functional.vjp((a) => a.exp().sum(), x);
      expect(plain.requiresGrad).toBe(false);
      const [gg] = torch.autograd.grad(g.sum(), x);
      close(gg.tolist(), x.detach().exp().tolist(), 'd/dx sum(exp(x))');
    });
  });

  test.each(UNARY)('gradcheck and gradgradcheck pass on %s', (name, fn) => {
    torch.tidy(() => {
      const a = torch.tensor(POINT, { requiresGrad: true });
      expect(torch.autograd.gradcheck(fn, [a])).toBe(true);
      expect(torch.autograd.gradgradcheck(fn, [a])).toBe(true);
    });
  });

  test('torch.utils.checkpoint: torch\'s node and gradients; only the inputs are saved', () => {
    torch.tidy(() => {
      const C = fixture.checkpoint;
      const w = torch.tensor(C.w, { requiresGrad: true });
      const x = torch.tensor(C.x, { requiresGrad: true });
      const y = torch.utils.checkpoint((a) => a.matmul(w).tanh(), x);
      expect(y.gradFn.name).toBe(C.gradFn);
      y.sum().backward();
      close(x.grad.tolist(), C.xGrad, 'x.grad');
      close(w.grad.tolist(), C.wGrad, 'w.grad');
      // An 8-layer MLP step: the checkpointed forward saves only its input.
      const layers = Array.from({ length: 8 }, (_, i) => torch.full([16, 16], 0.01 * (i + 1), { requiresGrad: true }));
      const mlp = (a) => layers.reduce((h, l) => h.matmul(l).tanh(), a);
      // As in torch's reentrant checkpoint, an input must require grad for the output to.
      const input = torch.ones([4, 16], { requiresGrad: true });
      const before = torch.memory().savedBytes;
      const plain = mlp(input);
      const plainSaved = torch.memory().savedBytes - before;
      const checkpointed = torch.utils.checkpoint(mlp, input);
      const checkpointSaved = torch.memory().savedBytes - before - plainSaved;
      expect(checkpointSaved).toBeLessThan(plainSaved / 4);
      checkpointed.sum().backward();
      const viaCheckpoint = layers.map((l) => l.grad.tolist());
      layers.forEach((l) => { l.grad = null; });
      plain.sum().backward();
      viaCheckpoint.forEach((g, i) => close(g, layers[i].grad.tolist(), `layer ${i}`));
    });
  });

  test('a wrong custom backward fails gradcheck with torch\'s text; raiseException: false returns false', () => {
    torch.tidy(() => {
      const Wrong = torch.autograd.Function({ forward: (ctx, a) => a.mul(2), backward: (ctx, g) => g.mul(3) });
      const a = torch.ones([2], { requiresGrad: true });
      let message = '';
      try {
        torch.autograd.gradcheck((x) => Wrong.apply(x), [a]);
      } catch (e) {
        message = e.message;
      }
      expect(message.split('\n')[0]).toBe(fixture.errors.wrongBackwardFirstLine);
      expect(torch.autograd.gradcheck((x) => Wrong.apply(x), [a], { raiseException: false })).toBe(false);
      // A custom Function whose backward is right to first order but not differentiable
      // correctly (it detaches) fails gradgradcheck.
      const Detached = torch.autograd.Function({
        forward: (ctx, x) => {
          ctx.saveForBackward(x);
          return x.mul(x);
        },
        backward: (ctx, g) => g.mul(ctx.savedTensors[0].detach()).mul(2),
      });
      expect(torch.autograd.gradcheck((x) => Detached.apply(x), [a])).toBe(true);
      expect(() => torch.autograd.gradgradcheck((x) => Detached.apply(x), [a])).toThrow(/^Jacobian mismatch for output 0 with respect to input 0,/);
    });
  });
});
