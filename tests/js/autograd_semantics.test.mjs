// Autograd under in-place ops, hooks, retainGrad, requiresGrad_, inference mode and
// optimizers, against PyTorch 1.13.1 (tests/fixtures/generate_autograd_semantics.py,
// issue 19), on both builds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { load } from '../../dist/index.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'autograd_semantics.json'), 'utf8'));
const scenarios = fixture.scenarios.map((s) => [s.name, s]);

describe.each([
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
])('autograd semantics on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test('has scenarios', () => {
    expect(scenarios.length).toBeGreaterThan(50);
  });

  test.each(scenarios)('%s', (name, scenario) => {
    expect(torch.backend).toBe(backend);
    const actual = runScenario(torch, scenario);
    const mismatches = compareResults(actual, scenario.expect, { rtol: 1e-5, atol: 1e-6, steps: scenario.steps });
    const modes = { grad: torch.isGradEnabled(), inference: torch.isInferenceModeEnabled() };
    if (!modes.grad) torch.setGradEnabled(true);
    if (modes.grad !== true || modes.inference !== false) mismatches.push(`after the scenario: modes are ${JSON.stringify(modes)}`);
    expect(mismatches).toEqual([]);
  });
});
