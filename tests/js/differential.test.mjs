// Seeded random differential cases (tests/fixtures/generate_differential.py, torch 1.13.1 as
// the oracle) replayed against both webtorch builds: dtypes and type promotion, Python-number
// operands, broadcasting with size-0/size-1 dims, NaN/±inf/-0.0/large values, negative dims,
// keepdim, in-place type rules, error texts and the gradient of every float32 input.
//
//   npm run test:js -- tests/js/differential.test.mjs
//
// Tolerance: the fixtures' usual rtol = 1e-5, atol = 1e-6 (README.md, "Comparing results").
// Every value is a float32 computed by both engines from the same float32 inputs; the
// remaining differences are the last-bit rounding of transcendental functions (exp, tanh,
// gelu ...) and of the summation order of reductions and matmul, all far inside that bound.
// Integers, booleans, dtypes, shapes, grad_fn names and error texts must match exactly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { load } from '../../dist/index.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'differential.json'), 'utf8'));
const scenarios = fixture.scenarios.map((s) => [s.name, s]);

const BUILDS = [
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
];

describe.each(BUILDS)('differential cases on the %s build', (backend, loadBuild) => {
  let torch;

  beforeAll(async () => {
    torch = await loadBuild();
  });

  test('the build is the expected backend and the fixture has a few thousand cases', () => {
    expect(torch.backend).toBe(backend);
    expect(scenarios.length).toBeGreaterThan(3000);
  });

  test.each(scenarios)('%s', (name, scenario) => {
    const actual = runScenario(torch, scenario);
    const mismatches = compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps });
    expect(mismatches).toEqual([]);
  });

  test('no tensor outlives its case', () => {
    expect(torch.memory().tensors).toBe(0);
  });
});
