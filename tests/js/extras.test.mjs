// What the scenario DSL cannot express, against torch 1.13.1 (tests/fixtures/extras.json,
// generate_extras.py): printing, hooks, retainGrad, autograd.grad, autograd.Function.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/extras.json', import.meta.url)));
const decode = (v) => (Array.isArray(v) ? v.map(decode) : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
// float32 values compared as in the scenario runner: |a - e| <= 1e-6 + 1e-5 |e|.
function close(actual, expected) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(expected[i])));
}
const values = (t) => Array.from(t.data());

describe.each(builds)('torch 1.13 extras on %s', (backend, loadEngine) => {
  let torch;
  const A = fixture.autograd;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test.each(fixture.printing.map((c) => [c.name, c]))('toString prints like torch: %s', (name, c) => {
    let t = torch.tensor(decode(c.data), { dtype: c.dtype, requiresGrad: c.requiresGrad });
    if (c.op === 'mul2') t = t.mul(2);
    expect(t.toString()).toBe(c.str);
    expect(String(t)).toBe(c.str);
  });

  test('a hook replaces a non-leaf gradient; a leaf hook observes', () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(x);
    y.registerHook((g) => g.mul(2));
    const seen = [];
    x.registerHook((g) => {
      seen.push(values(g));
    });
    y.sum().backward();
    close(values(x.grad), A['hook-doubles'].xgrad);
    close(seen[0], A['hook-doubles'].seen);
  });

  test('hooks run in registration order', () => {
    const x = torch.tensor([1, 1], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(3);
    y.registerHook((g) => g.add(1));
    y.registerHook((g) => g.mul(10));
    y.sum().backward();
    close(values(x.grad), A['hook-order'].xgrad);
  });

  test('a removed hook no longer runs', () => {
    const x = torch.tensor([1, 1], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(3);
    const handle = y.registerHook((g) => g.mul(100));
    handle.remove();
    y.sum().backward();
    expect(values(x.grad)).toEqual([3, 3]);
  });

  test('retainGrad is a hook in registration order', () => {
    const x = torch.tensor([2, 3], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(2);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.registerHook((g) => g.mul(5));
    y.mul(y).sum().backward();
    close(values(y.grad), A['retain-grad-after-hook'].ygrad);
    close(values(x.grad), A['retain-grad-after-hook'].xgrad);
  });

  test('a hook that throws propagates the same error and the engine stays usable', () => {
    const x = torch.ones([2], { requiresGrad: true });
    const err = new Error('hook failed');
    x.mul(2).registerHook(() => {
      throw err;
    });
    const y = x.mul(2);
    y.registerHook(() => {
      throw err;
    });
    let caught;
    try {
      y.sum().backward();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(err);
    expect(torch.isGradEnabled()).toBe(true);
    x.mul(3).sum().backward();
    expect(values(x.grad)).toEqual([3, 3]);
  });

  test('autograd.grad with gradOutputs and retainGraph; .grad untouched', () => {
    const a = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = torch.tensor([3, 4], { dtype: 'float32', requiresGrad: true });
    const out = a.mul(b).add(a.exp());
    const [ga, gb] = torch.autograd.grad([out], [a, b], [torch.tensor([1, 0.5])], { retainGraph: true });
    const [ga2] = torch.autograd.grad([out.sum()], [a]);
    close(values(ga), A['autograd-grad'].ga);
    close(values(gb), A['autograd-grad'].gb);
    close(values(ga2), A['autograd-grad'].ga2);
    expect(a.grad).toBe(null);
    expect(() => torch.autograd.grad([out.sum()], [torch.ones([2], { requiresGrad: true })])).toThrow(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
    const [unused] = torch.autograd.grad([a.mul(2).sum()], [b], undefined, { allowUnused: true });
    expect(unused).toBe(null);
  });

  const MyExp = () =>
    torch.autograd.Function({
      name: 'MyExp',
      forward(ctx, x) {
        const y = x.exp();
        ctx.saveForBackward(y);
        return y;
      },
      backward(ctx, g) {
        const [y] = ctx.savedTensors;
        return g.mul(y);
      },
    });

  test('autograd.Function: forward, saved tensors, backward, node name', () => {
    const F = MyExp();
    const x = torch.tensor([0.5, -1], { dtype: 'float32', requiresGrad: true });
    const y = F.apply(x);
    close(values(y), A['function-exp'].y);
    expect(y.gradFn.name).toBe(A['function-exp'].gradFn);
    y.mul(3).sum().backward();
    close(values(x.grad), A['function-exp'].xgrad);
  });

  test('autograd.Function under inferenceMode and noGrad records nothing', () => {
    const F = MyExp();
    const x = torch.tensor([0.5, -1], { dtype: 'float32', requiresGrad: true });
    const yi = torch.inferenceMode(() => F.apply(x));
    expect(yi.gradFn).toBe(A['function-exp-inference'].gradFn);
    expect(yi.isInference()).toBe(A['function-exp-inference'].isInference);
    expect(yi.requiresGrad).toBe(A['function-exp-inference'].requiresGrad);
    expect(torch.noGrad(() => F.apply(x)).gradFn).toBe(A['function-exp-nograd'].gradFn);
  });

  test('autograd.Function forward runs with grad mode off', () => {
    const probe = {};
    const F = torch.autograd.Function({
      name: 'Probe',
      forward(ctx, x) {
        const h = x.mul(2);
        probe.inner_requires_grad = h.requiresGrad;
        probe.grad_enabled = torch.isGradEnabled();
        return h;
      },
      backward(ctx, g) {
        return g.mul(2);
      },
    });
    F.apply(torch.ones([1], { requiresGrad: true }));
    expect(probe.inner_requires_grad).toBe(A['function-probe'].inner_requires_grad);
    // As torch 1.13's Python Function, forward runs with grad mode off.
    expect(probe.grad_enabled).toBe(A['function-probe'].grad_enabled);
  });

  test('autograd.Function with a non-tensor argument and a saved input modified in place', () => {
    const Scale = torch.autograd.Function({
      name: 'Inner2',
      forward(ctx, x, k) {
        ctx.k = k;
        return x.mul(k).add(1);
      },
      backward(ctx, g) {
        return [g.mul(ctx.k), null];
      },
    });
    const x = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const y = Scale.apply(x, 4);
    expect(y.gradFn.name).toBe(A['function-forward-not-recorded'].gradFn);
    y.sum().backward();
    close(values(x.grad), A['function-forward-not-recorded'].xgrad);

    const Saver = torch.autograd.Function({
      name: 'Saver',
      forward(ctx, v) {
        ctx.saveForBackward(v);
        return v.mul(2);
      },
      backward(ctx, g) {
        ctx.savedTensors;
        return g.mul(2);
      },
    });
    const a = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const b = a.mul(1);
    const c = Saver.apply(b);
    b.add_(1);
    expect(() => c.sum().backward()).toThrow(A['function-saved-modified'].error);
  });

  test('nn.functional elementwise results take a permuted input\'s memory order', () => {
    const F = torch.nn.functional;
    const p = torch.arange(1, 25, { dtype: 'float32' }).view([2, 3, 4]).permute([2, 0, 1]);
    const q = torch.arange(24, 0, -1, { dtype: 'float32' }).view([2, 3, 4]).permute([2, 0, 1]);
    const qc = q.contiguous();
    const results = {
      mseNone: F.mseLoss(p, q, { reduction: 'none' }),
      mseNoneContiguousFirst: F.mseLoss(qc, p, { reduction: 'none' }),
      dropout: F.dropout(p, 0.5),
      dropoutAll: F.dropout(p, 1.0),
    };
    for (const [name, r] of Object.entries(results)) {
      expect([name, r.isContiguous(), r.permute([1, 2, 0]).isContiguous()]).toEqual([name, ...A['layout-nn'][name]]);
    }
  });

  test('a Function whose forward throws leaves no pending node and the modes as they were', () => {
    const F = torch.autograd.Function({
      forward: () => {
        throw new Error('forward failed');
      },
      backward: (ctx, g) => g,
    });
    const x = torch.tensor([1.5, 2.5], { requiresGrad: true });
    const before = torch.memory().graphNodes;
    expect(() => F.apply(x)).toThrow('forward failed');
    expect(torch.memory().graphNodes).toBe(before);
    expect(torch.isGradEnabled()).toBe(true);
    x.dispose();
  });

  test('an inference tensor cannot be saved by a Function outside the mode', () => {
    const F = MyExp();
    const Save = torch.autograd.Function({
      forward(ctx, x, c) {
        ctx.saveForBackward(c);
        return x.mul(1);
      },
      backward(ctx, g) {
        return [g, null];
      },
    });
    const c = torch.inferenceMode(() => torch.ones([2]));
    const x = torch.ones([2], { requiresGrad: true });
    expect(() => Save.apply(x, c)).toThrow(
      'Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.',
    );
    expect(F.apply(x).gradFn.name).toBe('FunctionBackward'.replace('Function', 'MyExp'));
  });
});
