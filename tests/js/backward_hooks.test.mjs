// module.registerFullBackwardHook against torch 1.13.1 (tests/fixtures/backward_hooks.json,
// generate_backward_hooks.py: CASES there have the bodies of CASES here), on both builds.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/backward_hooks.json', import.meta.url)));

function makeCases(torch) {
  const nn = torch.nn;
  class Two extends nn.Module {
    forward(x, s, y) {
      return [x.mul(y).mul(s), x.add(1)];
    }
  }
  class Scale extends nn.Module {
    constructor() {
      super();
      this.w = nn.Parameter(torch.tensor([1.0, 2.0]));
    }
    forward(x) {
      return x.mul(this.w);
    }
  }
  const enc = (g) => (g === null ? null : g.tolist());
  const recorder = (calls) => (module, gradInput, gradOutput) => {
    calls.push({ module: module.constructor.name, gradInput: gradInput.map(enc), gradOutput: gradOutput.map(enc) });
  };
  const gradFnName = (t) => (t.gradFn === null ? null : t.gradFn.name);

  return {
    bothOutputsUsed(calls) {
      const m = new Two();
      m.registerFullBackwardHook(recorder(calls));
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const [a, b] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      a.sum().add(b.sum().mul(0)).backward();
      return { x: enc(x.grad), gradFns: [gradFnName(a), gradFnName(b)] };
    },
    oneOutputUsed(calls) {
      const m = new Two();
      m.registerFullBackwardHook(recorder(calls));
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const [a] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      a.sum().backward();
      return { x: enc(x.grad) };
    },
    replacedGradInput(calls) {
      const m = new Two();
      m.registerFullBackwardHook(recorder(calls));
      m.registerFullBackwardHook((mod, gi) => [gi[0].mul(10), null, null]);
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const [a] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      a.sum().backward();
      return { x: enc(x.grad) };
    },
    removed(calls) {
      const m = new Two();
      const handle = m.registerFullBackwardHook(recorder(calls));
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      let [a] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      handle.remove();
      a.sum().backward(); // the hooks of the call: it still runs
      [a] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      a.sum().backward();
      return { x: enc(x.grad) };
    },
    noInputRequiresGrad(calls) {
      const m = new Scale();
      m.registerFullBackwardHook(recorder(calls));
      m.call(torch.tensor([5.0, 6.0])).sum().backward();
      return { w: enc(m.w.grad) };
    },
    noInputRequiresGradReturns() {
      const m = new Scale();
      m.registerFullBackwardHook(() => [torch.ones([2])]);
      m.call(torch.tensor([5.0, 6.0])).sum().backward();
      return { w: enc(m.w.grad) };
    },
    wrongCount() {
      const m = new Two();
      m.registerFullBackwardHook((mod, gi) => [gi[0]]);
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const [a] = m.call(x, 2.0, torch.tensor([3.0, 4.0]));
      a.sum().backward();
      return { x: enc(x.grad) };
    },
    underNoGrad(calls) {
      const m = new Two();
      m.registerFullBackwardHook(recorder(calls));
      const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
      const [a, b] = torch.noGrad(() => m.call(x, 2.0, torch.tensor([3.0, 4.0])));
      return { gradFns: [gradFnName(a), gradFnName(b)] };
    },
  };
}

describe.each(builds)('registerFullBackwardHook on %s', (backend, loadEngine) => {
  let torch, cases;
  beforeAll(async () => {
    torch = await loadEngine();
    cases = makeCases(torch);
  });

  test.each(fixture.cases.map((c) => [c.case, c]))('%s', (name, c) => {
    const calls = [];
    let result, error;
    try {
      result = cases[name](calls);
    } catch (e) {
      error = e;
    }
    if (c.error !== undefined) {
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe(c.error);
    } else {
      expect(error).toBeUndefined();
      expect(result).toEqual(c.result);
    }
    expect(calls).toEqual(c.calls);
  });

  // README, "Differences from PyTorch": torch passes it through the identity Function too.
  test('a tensor argument that does not require grad reaches forward as it is', () => {
    const seen = [];
    class Probe extends torch.nn.Module {
      forward(x, y) {
        seen.push(x, y);
        return x.mul(y);
      }
    }
    const m = new Probe();
    m.registerFullBackwardHook(() => undefined);
    const x = torch.ones([2], { requiresGrad: true });
    const y = torch.ones([2]);
    m.call(x, y).sum().backward();
    expect([seen[0] === x, seen[0].gradFn.name, seen[1] === y, seen[1].requiresGrad]).toEqual([false, 'BackwardHookFunctionBackward', true, false]);
  });

  test('a hook must be a function and return an array or nothing', () => {
    const m = new torch.nn.Linear(2, 2);
    expect(() => m.registerFullBackwardHook(5)).toThrow('hook must be a function, got number 5');
    m.registerFullBackwardHook(() => torch.ones([2]));
    const x = torch.ones([1, 2], { requiresGrad: true });
    expect(() => m.call(x).sum().backward()).toThrow('registerFullBackwardHook: a hook must return an array of gradients or nothing, got object');
    m.dispose();
  });
});
