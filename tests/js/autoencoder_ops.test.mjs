// tests/fixtures/autoencoder_ops.json (generate_autoencoder_ops.py, torch 1.13.1):
// F.convTranspose2d, F.binaryCrossEntropy, F.binaryCrossEntropyWithLogits, leakyRelu(_) and
// elu (forward, gradients, gradients of gradients, torch's error texts) on both builds, and
// the nn modules built on them (issue 15).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'autoencoder_ops.json'), 'utf8'));
const scenarios = fixture.scenarios.map((s) => [s.name, s]);
const TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

describe.each(builds)('autoencoder ops on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test.each(scenarios)('%s', (name, scenario) => {
    const actual = runScenario(torch, scenario);
    expect(compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps })).toEqual([]);
    expect(torch.isGradEnabled()).toBe(true);
  });

  test('nn.ConvTranspose2d: PyTorch weight layout, initialisation bounds, repr and forward', () => {
    const { nn } = torch;
    torch.manualSeed(0);
    const m = new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(m.weight.shape).toEqual([4, 3, 3, 3]);
    expect(m.bias.shape).toEqual([6]);
    const bound = 1 / Math.sqrt(3 * 9);
    for (const v of m.bias.toArray()) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(m.toString()).toBe('ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=2)');
    expect(Object.keys(m.stateDict()).sort()).toEqual(['bias', 'weight']);
    const y = m.forward(torch.ones([2, 4, 5, 5]));
    expect(y.shape).toEqual([2, 6, 10, 10]);
    expect(y.gradFn.name).toBe('ConvolutionBackward0');
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: 'reflect' })).toThrow('Only "zeros" padding mode is supported for ConvTranspose2d');
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { padding_mode: 'zeros' })).toThrow(/padding_mode/);
    expect(() => m.forward(torch.ones([2, 4, 5, 5]), [10, 10])).toThrow('outputSize is not supported by webtorch');
  });

  test('nn.BCELoss and nn.BCEWithLogitsLoss: buffers under PyTorch names, the functional result', () => {
    const { nn, F } = { nn: torch.nn, F: torch.nn.functional };
    const x = torch.tensor([0.25, 0.75]);
    const t = torch.tensor([0, 1]);
    const w = torch.tensor([2, 0.5]);
    const bce = new nn.BCELoss({ weight: w, reduction: 'sum' });
    expect(bce.forward(x, t).item()).toBeCloseTo(F.binaryCrossEntropy(x, t, { weight: w, reduction: 'sum' }).item(), 6);
    const logits = new nn.BCEWithLogitsLoss({ posWeight: w });
    expect(Object.keys(Object.fromEntries(logits.namedBuffers()))).toEqual(['pos_weight']);
    expect(logits.forward(x, t).item()).toBeCloseTo(F.binaryCrossEntropyWithLogits(x, t, { posWeight: w }).item(), 6);
    expect(() => new nn.BCELoss({ reduction: 'avg' })).toThrow('avg is not a valid value for reduction');
    expect(() => new nn.BCEWithLogitsLoss({ pos_weight: w })).toThrow(/pos_weight/);
    expect(() => F.binaryCrossEntropy(x, t, { sizeAverage: true })).toThrow(/sizeAverage/);
  });

  test('nn.LeakyReLU and nn.ELU: options, repr, in-place', () => {
    const { nn } = torch;
    const x = torch.tensor([-2, 0.5]);
    expect(new nn.LeakyReLU().forward(x).toArray()).toEqual([-0.019999999552965164, 0.5]);
    const m = new nn.LeakyReLU({ negativeSlope: 0.25, inplace: true });
    expect(m.toString()).toBe('LeakyReLU(negative_slope=0.25, inplace=True)');
    const y = x.clone();
    expect(m.forward(y)).toBe(y);
    expect(y.toArray()).toEqual([-0.5, 0.5]);
    expect(new nn.ELU({ alpha: 2 }).toString()).toBe('ELU(alpha=2.0)');
    expect(new nn.ELU().forward(torch.tensor([0.5])).toArray()).toEqual([0.5]);
    expect(() => new nn.ELU({ inplace: true })).toThrow(/inplace/);
    expect(() => new nn.LeakyReLU({ slope: 1 })).toThrow(/slope/);
    expect(() => torch.nn.functional.elu(x, { inplace: true })).toThrow(/inplace/);
    expect(() => x.leakyRelu('a')).toThrow("leakyRelu(): argument 'negative_slope' must be a number");
    expect(torch.leakyRelu(x, 0.5).toArray()).toEqual([-1, 0.5]);
  });
});
