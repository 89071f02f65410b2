// The indexing ops of issue 14 (indexSelect, gather, scatter, scatterAdd, maskedFill and their
// in-place forms, t.index(...) and t.indexPut_(...)) on both builds: every scenario of
// tests/fixtures/indexing.json (generate_indexing.py, torch 1.13.1: values, grad_fns, first
// and second gradients, error texts), then what only JavaScript can get wrong.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'indexing.json'), 'utf8'));
const scenarios = fixture.scenarios.map((s) => [s.name, s]);
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

describe.each(builds)('indexing on the %s build', (_, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test('the fixture has scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(200);
  });

  test.each(scenarios)('%s', (name, scenario) => {
    const actual = runScenario(torch, scenario);
    expect(compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps })).toEqual([]);
    expect([torch.isGradEnabled(), torch.isInferenceModeEnabled()]).toEqual([true, false]);
  });

  test('torch.slice: Python\'s start:end:step, checked when made', () => {
    expect(torch.slice(1, null, 2)).toMatchObject({ start: 1, end: null, step: 2 });
    expect(torch.slice()).toMatchObject({ start: null, end: null, step: 1 });
    expect(() => torch.slice(0, 3, 0)).toThrow('slice step cannot be zero');
    expect(() => torch.slice(0.5)).toThrow("slice(): argument 'start' must be an integer");
  });

  test('t.index reads, t.indexPut_ writes, and both are torch.NAME functions', () => {
    torch.tidy(() => {
      const x = torch.arange(0, 12, 1).view(3, 4);
      const i = torch.tensor(Int32Array.from([2, 0]));
      expect(x.index(null, torch.slice(1, null, 2)).toArray()).toEqual([[1, 3], [5, 7], [9, 11]]);
      expect(torch.index(x, i, -1).toArray()).toEqual([11, 3]);
      expect(x.index(torch.tensor([true, false, true])).shape).toEqual([2, 4]);
      const y = torch.zeros([3]);
      expect(y.indexPut_([torch.tensor(Int32Array.from([1, 1]))], 2.5, { accumulate: true })).toBe(y);
      expect(Array.from(y.data())).toEqual([0, 5, 0]);
      torch.indexPut_(y, [0], 1);
      expect(Array.from(y.data())).toEqual([1, 5, 0]);
      // README, "Differences from PyTorch": accumulate through basic indices only adds.
      y.indexPut_([torch.slice(0, 2)], 1, { accumulate: true });
      expect(Array.from(y.data())).toEqual([2, 6, 0]);
    });
  });

  test('bad arguments throw before anything changes', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 2, 3]);
      expect(() => x.index(1.5)).toThrow('index(): an index must be an integer, null, torch.slice(...) or an int32 or bool Tensor, got number 1.5');
      expect(() => x.index('a')).toThrow('index(): an index must be');
      expect(() => x.indexPut_([0], 1, { accumulate: 1 })).toThrow('indexPut_(): accumulate must be a boolean');
      expect(() => x.indexPut_([0], 1, { acumulate: true })).toThrow("indexPut_(): unexpected option 'acumulate'");
      expect(() => x.indexPut_(0, 1)).toThrow('indexPut_(): indices must be an array');
      expect(() => x.maskedFill_(torch.tensor([true, false, true]), 'a')).toThrow('maskedFill_(): value must be a number');
      expect(() => x.indexPut_([torch.tensor(Int32Array.from([0, 5]))], 9)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
      expect(() => x.scatter_(0, torch.tensor(Int32Array.from([0, 3])), 9)).toThrow('index 3 is out of bounds for dimension 0 with size 3');
      expect(Array.from(x.data())).toEqual([1, 2, 3]);
      expect(x.version).toBe(0);
    });
  });

  // README, "Differences from PyTorch": torch 1.13 still accepts an int or float mask.
  test('a non-bool mask is refused (torch 1.13 accepts it, deprecated)', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 2, 3]);
      expect(() => x.maskedFill(torch.tensor(Int32Array.from([1, 0, 1])), 0)).toThrow(
        'masked_fill_ only supports boolean masks, but got mask with dtype Int');
      expect(() => x.maskedFill_(torch.tensor([1, 0, 1]), 0)).toThrow('masked_fill_ only supports boolean masks, but got mask with dtype Float');
      expect(Array.from(x.data())).toEqual([1, 2, 3]);
    });
  });
});
