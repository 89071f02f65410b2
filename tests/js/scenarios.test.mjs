// Golden scenarios generated with PyTorch 1.13 (tests/fixtures/generate.py; maximum.json from
// generate_maximum.py),
// replayed against both webtorch builds. Every scenario is its own test.
//
//   node --experimental-vm-modules node_modules/jest/bin/jest.js tests/js/scenarios.test.mjs
//
// Jest must be configured to pick up *.test.mjs files (testMatch / testRegex).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { load } from '../../dist/index.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// custom_function.json and layout.json: generate_custom_function_layout.py (issue 19, 7-9).
// higher_order.json and higher_order_js.json: generate_higher_order.py (issue 13).
const FIXTURE_FILES = ['modes.json', 'spine.json', 'ops.json', 'maximum.json', 'custom_function.json', 'layout.json', 'higher_order.json', 'higher_order_js.json'];
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

const fixtures = FIXTURE_FILES.map((file) => {
  const data = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', file), 'utf8'));
  return [file, data.scenarios.map((s) => [s.name, s])];
});

const BUILDS = [
  ['wasm-simd', () => load()],
  ['wasm', () => load({ simd: false })],
];

describe.each(BUILDS)('scenarios on the %s build', (backend, loadBuild) => {
  let torch;

  beforeAll(async () => {
    torch = await loadBuild();
  });

  test('the build is the expected backend', () => {
    expect(torch.backend).toBe(backend);
  });

  describe.each(fixtures)('%s', (file, scenarios) => {
    test('has scenarios', () => {
      expect(scenarios.length).toBeGreaterThan(0);
    });

    test.each(scenarios)('%s', (name, scenario) => {
      expect(torch).toBeDefined();
      expect(torch.backend).toBe(backend);
      const actual = runScenario(torch, scenario);
      const mismatches = compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps });

      // A scenario must leave the default modes behind (grad on, inference off).
      const modes = { grad: torch.isGradEnabled(), inference: torch.isInferenceModeEnabled() };
      if (!modes.grad) torch.setGradEnabled(true); // keep later scenarios meaningful
      if (modes.grad !== true || modes.inference !== false) {
        mismatches.push(`after the scenario: modes are ${JSON.stringify(modes)}, expected grad on, inference off`);
      }

      expect(mismatches).toEqual([]);
    });
  });
});
