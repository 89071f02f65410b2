// torch.nn.functional against PyTorch 1.13.1 (tests/fixtures/generate_nn.py): linear, conv2d,
// crossEntropy / nllLoss / mseLoss — values, gradients of every input, grad_fn names and
// error texts — on both builds.
//
// Tolerances: rtol 1e-5 (atol 1e-6) for linear and the losses; conv2d sums up to a few
// hundred products in an order unlike oneDNN's (PyTorch's CPU backend), so atol 1e-5 there.

import { BUILDS, compareTensor, errorOf, fromFixture, nnFixture } from './nn_helpers.mjs';

const fx = nnFixture();
const TOL = { rtol: 1e-5, atol: 1e-6 };
const CONV_TOL = { rtol: 1e-5, atol: 1e-5 };

describe.each(BUILDS)('torch.nn.functional on the %s build', (backend, loadBuild) => {
  let torch;
  let F;
  beforeAll(async () => {
    torch = await loadBuild();
    F = torch.nn.functional;
  });

  // Runs one value/gradient case: forward(ins) returns the output; grads are compared for
  // every named input.
  function runCase(c, makeInputs, forward, tol) {
    const before = torch.memory().tensors;
    const mismatches = torch.tidy(() => {
      const ins = makeInputs();
      const out = forward(ins);
      const m = [...compareTensor(out, c.output, { ...tol, what: 'output' })];
      if ((out.gradFn ? out.gradFn.name : null) !== c.gradFn) m.push(`gradFn ${out.gradFn && out.gradFn.name}, expected ${c.gradFn}`);
      if (c.grads) {
        const go = fromFixture(torch, c.gradOutput).t;
        out.mul(go).sum().backward();
        for (const [name, expected] of Object.entries(c.grads)) {
          const leaf = ins[name];
          // PyTorch's leaf was the (non-contiguous) view itself: compare through the view.
          const grad = leaf ? (ins.views?.[name] ?? ((g) => g))(leaf.grad) : null;
          m.push(...compareTensor(grad, expected, { ...tol, what: `grad of ${name}` }));
        }
      }
      return m;
    });
    expect(mismatches).toEqual([]);
    expect(torch.memory().tensors).toBe(before);
  }

  describe('linear', () => {
    test.each(fx.linear.cases.map((c) => [c.name, c]))('%s', (name, c) => {
      let x;
      runCase(
        c,
        () => {
          const i = fromFixture(torch, c.input, { requiresGrad: true });
          x = i.t;
          return {
            input: i.leaf,
            views: { input: i.view },
            weight: fromFixture(torch, c.weight, { requiresGrad: true }).t,
            bias: fromFixture(torch, c.bias, { requiresGrad: true }).t,
          };
        },
        (ins) => F.linear(x, ins.weight, ins.bias),
        TOL,
      );
    });
    test.each(fx.linear.errors.map((c) => [c.name, c]))('error: %s', (name, c) => {
      torch.tidy(() => {
        const args = [c.input, c.weight, c.bias].map((e) => fromFixture(torch, e).t);
        const before = torch.memory().tensors;
        expect(errorOf(() => F.linear(...args))).toBe(c.error);
        expect(torch.memory().tensors).toBe(before);
      });
    });
  });

  describe('conv2d', () => {
    test.each(fx.conv2d.cases.map((c) => [c.name, c]))('%s', (name, c) => {
      let x;
      runCase(
        c,
        () => {
          const i = fromFixture(torch, c.input, { requiresGrad: true });
          x = i.t;
          return {
            input: i.leaf,
            views: { input: i.view },
            weight: fromFixture(torch, c.weight, { requiresGrad: true }).t,
            bias: fromFixture(torch, c.bias, { requiresGrad: true }).t,
          };
        },
        (ins) => F.conv2d(x, ins.weight, ins.bias, c.options),
        CONV_TOL,
      );
    });
    test('positional stride, padding, dilation, groups as in PyTorch', () => {
      const c = fx.conv2d.cases.find((k) => k.name === 'asymmetric stride/padding/dilation');
      torch.tidy(() => {
        const [x, w, b] = [c.input, c.weight, c.bias].map((e) => fromFixture(torch, e).t);
        const o = c.options;
        expect(compareTensor(F.conv2d(x, w, b, o.stride, o.padding, o.dilation, 1), c.output, CONV_TOL)).toEqual([]);
      });
    });
    test.each(fx.conv2d.errors.map((c) => [c.name, c]))('error: %s', (name, c) => {
      torch.tidy(() => {
        const [x, w, b] = [c.input, c.weight, c.bias].map((e) => fromFixture(torch, e).t);
        const before = torch.memory().tensors;
        expect(errorOf(() => F.conv2d(x, w, b, c.options))).toBe(c.error);
        expect(torch.memory().tensors).toBe(before);
      });
    });
  });

  describe('losses', () => {
    test.each(fx.losses.cases.map((c) => [c.name, c]))('%s', (name, c) => {
      runCase(
        c,
        () => ({
          input: fromFixture(torch, c.input, { requiresGrad: true }).t,
          target: fromFixture(torch, c.target, { requiresGrad: c.fn === 'mseLoss' }).t,
        }),
        (ins) => {
          const o = { ...c.options };
          if (o.weight) o.weight = fromFixture(torch, o.weight).t;
          return F[c.fn](ins.input, ins.target, o);
        },
        TOL,
      );
    });
    test.each(fx.losses.errors.map((c) => [c.name, c]))('error: %s', (name, c) => {
      torch.tidy(() => {
        const x = fromFixture(torch, c.input).t;
        const t = fromFixture(torch, c.target).t;
        const o = { ...c.options };
        if (o.weight) o.weight = fromFixture(torch, o.weight).t;
        const before = torch.memory().tensors;
        expect(errorOf(() => F[c.fn](x, t, o))).toBe(c.webtorchError ?? c.error);
        expect(torch.memory().tensors).toBe(before);
      });
    });
  });

  test('the backend is the expected build', () => {
    expect(torch.backend).toBe(backend);
  });
});
