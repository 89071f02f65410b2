// Issue 14's shape and ordering ops on both builds: the scenarios of
// tests/fixtures/shape_order.json (generate_shape_order.py, torch 1.13.1: values, node names,
// views, first and second derivatives, torch's tie order of sort / topk, error texts), then
// what only JavaScript has: arrays of views longer than the scratch area, the
// { values, indices } results, the torch.NAME forms and options.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'shape_order.json'), 'utf8'));
const scenarios = fixture.scenarios.map((s) => [s.name, s]);
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };
// sort(stable=...), keyword-only in torch (the scenario DSL has no keywords).
const stableCases = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'shape_order_stable.json'), 'utf8')).cases;

describe.each(builds)('shape and ordering ops on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test.each(scenarios)('%s', (name, scenario) => {
    const actual = runScenario(torch, scenario);
    expect(compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps })).toEqual([]);
    expect([torch.isGradEnabled(), torch.isInferenceModeEnabled()]).toEqual([true, false]);
  });

  test('split / chunk / unbind return arrays of views, as torch.NAME too', () => {
    torch.tidy(() => {
      const x = torch.arange(0, 10).float().view(2, 5);
      const parts = x.split([1, 4], 1);
      expect(parts.map((p) => p.shape)).toEqual([[2, 1], [2, 4]]);
      expect(parts.every((p) => p.isView)).toBe(true);
      expect(torch.split(x, 2, 1).map((p) => p.shape[1])).toEqual([2, 2, 1]);
      expect(torch.chunk(x, 2, 0).map((p) => p.toArray())).toEqual([[[0, 1, 2, 3, 4]], [[5, 6, 7, 8, 9]]]);
      expect(torch.unbind(x, 1)[4].toArray()).toEqual([4, 9]);
    });
  });

  test('unbind of a dim longer than the scratch area gives every piece', () => {
    torch.tidy(() => {
      const x = torch.arange(0, 1000).float().requiresGrad_();
      const y = x.mul(1);
      const parts = y.unbind();
      expect(parts.length).toBe(1000);
      expect(parts[999].item()).toBe(999);
      expect(parts[300].gradFn.name).toBe('UnbindBackward0');
      parts[700].mul(3).backward();
      const g = x.grad.data();
      expect([g[699], g[700], g[701]]).toEqual([0, 3, 0]);
    });
  });

  test('sort and topk give { values, indices }, iterable, int32 indices', () => {
    torch.tidy(() => {
      const x = torch.tensor([[3, 1, 2], [0, 5, 4]]);
      const r = x.sort(1, true);
      expect(r.values.toArray()).toEqual([[3, 2, 1], [5, 4, 0]]);
      expect(r.indices.dtype).toBe('int32');
      const [v, i] = torch.topk(x, 1);
      expect([v.toArray(), i.toArray()]).toEqual([[[3], [5]], [[0], [1]]]);
      expect(x.sort({ dim: 0 }).indices.toArray()).toEqual([[1, 0, 0], [0, 1, 1]]);
    });
  });

  test.each(stableCases.map((c) => [`n=${c.shape[1]} stable=${c.stable} descending=${c.descending}`, c]))('sort({ stable }) as torch: %s', (name, c) => {
    torch.tidy(() => {
      const x = torch.tensor(c.data).view(c.shape).requiresGrad_();
      const { values, indices } = x.sort({ dim: 1, descending: c.descending, stable: c.stable });
      expect([Array.from(values.data()), Array.from(indices.data()), values.gradFn.name]).toEqual([c.values, c.indices, c.gradFn]);
    });
  });

  test('bad input: torch texts and named options, nothing made', () => {
    torch.tidy(() => {
      const x = torch.ones([2, 5]);
      const before = torch.memory().tensors;
      expect(() => x.topk(6)).toThrow('selected index k out of range');
      expect(() => x.split([2, 2], 1)).toThrow('split_with_sizes expects split_sizes to sum exactly to 5');
      expect(() => x.roll([1, 2], [0])).toThrow('shifts and dimensions must align. shifts: 2, dims:1');
      expect(() => x.sort({ out: x })).toThrow("sort(): option 'out' is not supported by webtorch");
      expect(() => x.sort({ bogus: 1 })).toThrow('bogus');
      expect(() => x.split(1.5)).toThrow('split_size');
      expect(() => x.cumsum(0, { dtype: 'float32' })).toThrow('dtype');
      expect(torch.memory().tensors).toBe(before);
    });
  });

  test('tril_ / triu_ return the tensor itself; torch.tril_ does not exist (as in PyTorch)', () => {
    torch.tidy(() => {
      const x = torch.ones([3, 3]);
      expect(x.tril_(-1)).toBe(x);
      expect(x.toArray()).toEqual([[0, 0, 0], [1, 0, 0], [1, 1, 0]]);
      expect(torch.triu(torch.ones([2, 2]), 1).toArray()).toEqual([[0, 1], [0, 0]]);
      expect(torch.tril_).toBeUndefined();
    });
  });
});
