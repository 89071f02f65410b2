// The CNN layers of issue 15 against PyTorch 1.13.1 (tests/fixtures/generate_cnn.py ->
// cnn.json): F.batchNorm, F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d (forward, grad_fn,
// gradients with create_graph, second derivatives, torch's errors), max_pool2d's indices,
// and nn.BatchNorm1d/2d's running statistics over train and eval batches.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'cnn.json'), 'utf8'));
const TOLERANCE = { rtol: 1e-5, atol: 1e-5 };

function close(actual, expected, label, { rtol, atol } = TOLERANCE) {
  expect(actual.length).toBe(expected.length);
  const bad = [];
  expected.forEach((e, i) => {
    if (!(Math.abs(actual[i] - e) <= atol + rtol * Math.abs(e))) bad.push(`${label}[${i}]: expected ${e}, got ${actual[i]}`);
  });
  expect(bad.slice(0, 5)).toEqual([]);
}

describe.each(builds)('CNN layers on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test.each(fx.scenarios.map((s) => [s.name, s]))('%s', (name, scenario) => {
    const actual = runScenario(torch, scenario);
    expect(compareResults(actual, scenario.expect, { ...TOLERANCE, steps: scenario.steps })).toEqual([]);
  });

  // Forward values, indices and the input's gradient, called as users call them.
  test.each(fx.cases.map((c) => [`${c.fn} ${c.name}`, c]))('case %s', (name, c) => {
    const { F } = { F: torch.nn.functional };
    const x = torch.tensor(Float32Array.from(c.input)).reshape(c.shape).requiresGrad_();
    const p = c.params;
    let y;
    let indices;
    const state = {};
    if (c.fn === 'maxPool2d') {
      [y, indices] = F.maxPool2d(x, p.kernelSize, { stride: p.stride, padding: p.padding, dilation: p.dilation, ceilMode: p.ceilMode, returnIndices: true });
      expect(indices.dtype).toBe('int32');
      expect(Array.from(indices.data())).toEqual(c.indices);
      expect(y.gradFn.name).toBe('MaxPool2DWithIndicesBackward0');
    } else if (c.fn === 'avgPool2d') {
      y = F.avgPool2d(x, p.kernelSize, p.stride, p.padding, p.ceilMode, p.countIncludePad, p.divisorOverride);
      expect(y.gradFn.name).toBe('AvgPool2DBackward0');
    } else if (c.fn === 'adaptiveAvgPool2d') {
      y = F.adaptiveAvgPool2d(x, p.outputSize);
    } else {
      const vec = (v) => torch.tensor(Float32Array.from(v));
      state.rm = vec(p.runningMean);
      state.rv = vec(p.runningVar);
      y = F.batchNorm(x, state.rm, state.rv, { weight: vec(p.weight), bias: vec(p.bias), training: p.training, momentum: p.momentum, eps: p.eps });
      expect(y.gradFn.name).toBe('NativeBatchNormBackward0');
      close(Array.from(state.rm.data()), c.runningMeanAfter, 'running_mean');
      close(Array.from(state.rv.data()), c.runningVarAfter, 'running_var');
    }
    expect(y.shape).toEqual(c.outShape);
    close(Array.from(y.data()), c.output, 'output');
    const [gx] = torch.autograd.grad([y], [x], [torch.tensor(Float32Array.from(c.gradOutput)).reshape(c.outShape)]);
    close(Array.from(gx.data()), c.gradInput, 'grad input');
  });

  test.each(fx.modules.map((m) => [`${m.cls} ${m.shape.join('x')} momentum=${m.momentum} affine=${m.affine} track=${m.trackRunningStats}`, m]))(
    'module %s: outputs and buffers over train and eval batches', (name, m) => {
      const bn = new torch.nn[m.cls](3, { momentum: m.momentum, affine: m.affine, trackRunningStats: m.trackRunningStats });
      expect(bn.toString()).toBe(m.repr);
      for (const st of m.steps) {
        bn.train(st.mode === 'train');
        const y = bn.call(torch.tensor(Float32Array.from(st.input)).reshape(m.shape));
        close(Array.from(y.data()), st.output, `${st.mode} output`);
        const buffers = Object.fromEntries(bn.namedBuffers());
        expect(Object.keys(buffers).sort()).toEqual(Object.keys(st.buffers).sort());
        for (const [k, v] of Object.entries(st.buffers)) {
          if (typeof v === 'number') {
            expect(buffers[k].dtype).toBe('int32');
            expect(buffers[k].item()).toBe(v);
          } else close(Array.from(buffers[k].data()), v, k);
        }
      }
      const sd = bn.stateDict();
      expect(Object.keys(sd)).toEqual(m.stateDictKeys);
      torch.dispose(sd);
    });

  test('modules refuse a wrong input rank and a batch of one in training, changing nothing', () => {
    const { nn } = torch;
    const bn2 = new nn.BatchNorm2d(3);
    expect(() => bn2.call(torch.zeros([3, 4, 4]))).toThrow('expected 4D input (got 3D input)');
    expect(() => new nn.BatchNorm1d(3).call(torch.zeros([2, 3, 4, 4]))).toThrow('expected 2D or 3D input (got 4D input)');
    expect(() => bn2.call(torch.zeros([1, 3, 1, 1]))).toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])');
    expect(bn2.num_batches_tracked.item()).toBe(0);
    expect(bn2.numBatchesTracked).toBe(bn2.num_batches_tracked);
    expect(bn2.runningMean).toBe(bn2.running_mean);
    expect(Array.from(bn2.running_var.data())).toEqual([1, 1, 1]);
    bn2.eval();
    expect(bn2.call(torch.ones([1, 3, 1, 1])).shape).toEqual([1, 3, 1, 1]);
  });

  test('pooling modules call the functional forms with their arguments', () => {
    const { nn } = torch;
    const x = torch.tensor(Float32Array.from({ length: 32 }, (_, i) => i)).reshape([1, 2, 4, 4]);
    const mp = new nn.MaxPool2d(2, { returnIndices: true });
    const [v, i] = mp.call(x);
    expect(Array.from(v.data())).toEqual([5, 7, 13, 15, 21, 23, 29, 31]);
    expect(Array.from(i.data())).toEqual([5, 7, 13, 15, 5, 7, 13, 15]);
    expect(mp.toString()).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    expect(Array.from(new nn.AvgPool2d(2, { stride: 2 }).call(x).data())).toEqual([2.5, 4.5, 10.5, 12.5, 18.5, 20.5, 26.5, 28.5]);
    expect(Array.from(new nn.AdaptiveAvgPool2d([1, 1]).call(x).data())).toEqual([7.5, 23.5]);
    expect(new nn.AdaptiveAvgPool2d(1).toString()).toBe('AdaptiveAvgPool2d(output_size=1)');
    expect(() => new nn.MaxPool2d(2, { padding: 0, foo: 1 })).toThrow("MaxPool2d(): unexpected option 'foo'");
    expect(() => torch.nn.functional.maxPool2d(x, 2, { stride: 2 }, 1)).toThrow();
    expect(() => torch.nn.functional.avgPool2d(x, 2, 2, { stride: 2 })).toThrow("avgPool2d(): got multiple values for argument 'stride'");
  });

  test('the build is the expected backend', () => {
    expect(torch.backend).toBe(backend);
  });
});
