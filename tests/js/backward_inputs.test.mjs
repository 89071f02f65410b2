// Tensor.backward(gradient, { inputs }) against torch 1.13.1 (tests/fixtures/backward_inputs.json,
// generate_backward_inputs.py: CASES there have the bodies of CASES here), on both builds.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/backward_inputs.json', import.meta.url)));

function makeCases(torch) {
  const enc = (g) => (g === null ? null : g.tolist());
  const leaves = () => [torch.tensor([1.0, 2.0], { requiresGrad: true }), torch.tensor([3.0, 4.0], { requiresGrad: true })];
  return {
    oneLeaf() {
      const [x, w] = leaves();
      x.mul(w).sum().mul(2).backward({ inputs: [x] });
      return [enc(x.grad), enc(w.grad)];
    },
    singleTensorWithGradient() {
      const [x, w] = leaves();
      x.mul(w).sum().backward(torch.tensor(2.0), { inputs: w });
      return [enc(x.grad), enc(w.grad)];
    },
    nonLeafTwice() {
      const [x, w] = leaves();
      const y = x.mul(w);
      const z = y.mul(3).sum();
      z.backward({ inputs: [y, w], retainGraph: true });
      const first = [enc(y.grad), enc(w.grad), enc(x.grad), y.retainsGrad];
      z.backward({ inputs: y });
      return [...first, enc(y.grad), enc(w.grad)];
    },
    unusedInput() {
      const [x, w] = leaves();
      const u = torch.ones([2], { requiresGrad: true });
      x.mul(w).sum().backward({ inputs: [u, x] });
      return [enc(u.grad), enc(x.grad), enc(w.grad)];
    },
    empty() {
      const [x, w] = leaves();
      x.mul(w).sum().backward({ inputs: [] });
    },
    notRequiringGrad() {
      const [x, w] = leaves();
      x.mul(w).sum().backward({ inputs: [torch.ones([2])] });
    },
    notATensor() {
      const [x, w] = leaves();
      x.mul(w).sum().backward({ inputs: [x, 1.0] });
    },
  };
}

// Python's type names become JavaScript's (README, "Differences from PyTorch").
const jsText = (text) => text.replace('but got float', 'but got number');

describe.each(builds)('backward inputs on %s', (backend, loadEngine) => {
  let torch, cases;
  beforeAll(async () => {
    torch = await loadEngine();
    cases = makeCases(torch);
  });

  test.each(fixture.cases.map((c) => [c.case, c]))('%s', (name, c) => {
    if (c.error !== undefined) {
      expect(() => cases[name]()).toThrow(jsText(c.error));
    } else {
      expect(cases[name]()).toEqual(c.result);
    }
  });

  test('a refused inputs option changes nothing: no grad retained, none accumulated', () => {
    const x = torch.tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.sum().backward({ inputs: [y, torch.ones([2])] })).toThrow("can't retain_grad on Tensor that has requires_grad=False");
    expect([y.retainsGrad, x.grad]).toEqual([false, null]);
  });
});
