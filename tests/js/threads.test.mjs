// The threaded engine (API.md "Loading", Note [Threaded build] in js/threads.mjs): the
// threads option, its fallbacks, results bit-identical to the single-thread SIMD engine,
// modes per JavaScript thread, exact memory accounting, and a sample of the PyTorch fixtures.
// This suite is the only one that runs on the threaded build (the others run on the two
// single-thread builds), to keep CI short.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, test } from '@jest/globals';

import { load } from '../../dist/index.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = pathToFileURL(path.join(here, '../../dist/index.mjs')).href;

let single;
let threaded;
beforeAll(async () => {
  single = await load();
  threaded = await load({ threads: 2 });
}, 60_000);

// The bytes of every tensor in a (nested) result, for bit-for-bit comparison.
function bits(torch, value) {
  if (torch.isTensor(value)) return [value.shape, Array.from(new Uint8Array(value.data().buffer))];
  if (Array.isArray(value)) return value.map((v) => bits(torch, v));
  return value;
}

describe('load({ threads })', () => {
  test('two threads: the SIMD engine with a pool, memoised, no reason', async () => {
    expect(threaded.threads).toBe(2);
    expect(threaded.backend).toBe('wasm-simd');
    expect(threaded.threadsUnavailableReason).toBe(null);
    expect(await load({ threads: 2 })).toBe(threaded);
    expect(threaded).not.toBe(single);
  });

  test('one thread is the single-thread engine; load() is unchanged', async () => {
    expect(await load({ threads: 1 })).toBe(single);
    expect(single.threads).toBe(1);
    expect(single.threadsUnavailableReason).toBe(null);
  });

  test("'auto' asks for the machine's cores, at most 4", async () => {
    const os = await import('node:os');
    const auto = await load({ threads: 'auto' });
    expect(auto.threads).toBe(Math.min(4, os.availableParallelism()));
  }, 60_000);

  test('the scalar build has no threads: one thread and the reason', async () => {
    const scalar = await load({ simd: false, threads: 2 });
    expect(scalar.backend).toBe('wasm');
    expect(scalar.threads).toBe(1);
    expect(scalar.threadsUnavailableReason).toMatch(/simd: false.*no threaded build/);
  });

  test('bad values throw before anything loads', () => {
    for (const threads of [0, -1, 1.5, '2', true, null === 0])
      expect(() => load({ threads })).toThrow(/^load\(\): option 'threads' must be a positive integer or 'auto'/);
    expect(() => load({ threads: 65 })).toThrow(/^load\(\): option 'threads' is 65, more than the 64 threads/);
  });

  test('without SharedArrayBuffer: the single-thread engine and the reason (a fresh process)', () => {
    const script = `delete globalThis.SharedArrayBuffer;
      const { load } = await import(${JSON.stringify(entry)});
      const t = await load({ threads: 2 });
      console.log(JSON.stringify({ threads: t.threads, backend: t.backend, reason: t.threadsUnavailableReason, sum: t.ones([3]).sum().item() }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }));
    expect(out).toEqual({ threads: 1, backend: 'wasm-simd', reason: 'SharedArrayBuffer is not available in this JavaScript environment', sum: 3 });
  }, 60_000);

  test('a missing worker script: the single-thread engine and the reason, the process unharmed', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'webtorch-threads-'));
    try {
      cpSync(path.join(here, '../../dist'), copy, { recursive: true });
      rmSync(path.join(copy, 'webtorch-threads.worker.cjs'));
      const script = `const { load } = await import(${JSON.stringify(pathToFileURL(path.join(copy, 'index.mjs')).href)});
        const t = await load({ threads: 2 });
        console.log(JSON.stringify({ threads: t.threads, reason: t.threadsUnavailableReason, sum: t.ones([3]).sum().item() }));`;
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }));
      expect(out.threads).toBe(1);
      expect(out.reason).toMatch(/^the threaded engine could not start: its worker script .*webtorch-threads\.worker\.cjs is missing$/);
      expect(out.sum).toBe(3);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);

  test('a process that used the threaded engine exits by itself (idle workers do not keep it alive)', () => {
    const script = `const { load } = await import(${JSON.stringify(entry)});
      const t = await load({ threads: 2 });
      console.log(t.threads, t.matmul(t.ones([64, 64]), t.ones([64, 64])).sum().item());`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }).trim()).toBe('2 262144');
  }, 60_000);
});

// Note [Bit-identical for every thread count] (src/kernels/matmul.cpp).
describe('bit-identical to one thread', () => {
  const cases = {
    'matmul 1..300 (every GEMM path)': (t) => {
      t.manualSeed(1);
      const out = [];
      for (const [m, k, n] of [[1, 300, 257], [300, 77, 1], [64, 64, 64], [97, 257, 40], [256, 256, 256], [200, 513, 300], [5, 30, 2100]]) {
        const a = t.randn([m, k]);
        const b = t.randn([k, n]);
        out.push(t.matmul(a, b), t.matmul(b.t(), a.t()));
      }
      return out;
    },
    'elementwise on 200,003 elements (Note [Elementwise chunks])': (t) => {
      t.manualSeed(4);
      const x = t.randn([200003]);
      const y = t.randn([200003]);
      return [x.exp(), x.sigmoid(), x.tanh(), x.relu(), x.add(y), x.mul(0.5), x.gt(y), t.where(x.gt(y), x, y)];
    },
    // Note [Fixed reduction blocks] and Note [Reductions split by output] (src/kernels/reduce.cpp).
    'reductions over everything and over dims (sum, mean, max, min, argmax)': (t) => {
      t.manualSeed(5);
      const flat = t.randn([327693]);
      const wide = t.randn([3, 200003]);
      const grid = t.randn([700, 301]);
      const out = [flat.sum(), flat.mean(), flat.max(), flat.min(), flat.argmax(), wide.sum(1), wide.mean(1), wide.sum(0),
        grid.sum(0), grid.sum(1), grid.t().sum(1), grid.mean(), grid.argmax(0), grid.argmax(1), [...wide.max(1)]];
      for (const d of [0, 1]) out.push([...grid.max(d)], [...grid.t().min(d)]);
      return out;
    },
    'softmax and logSoftmax rows, forward and backward': (t) => {
      t.manualSeed(6);
      const out = [];
      for (const transposed of [false, true]) {
        for (const d of [0, 1]) {
          for (const fn of ['softmax', 'logSoftmax']) {
            // Just above the 65,536 elements where rows split across threads; small enough to
            // compare byte arrays quickly.
            const x = (transposed ? t.randn([513, 129]).t() : t.randn([129, 513])).detach().requiresGrad_();
            const y = x[fn](d);
            y.mul(t.randn([129, 513])).sum().backward();
            out.push(y, x.grad);
          }
        }
      }
      return out;
    },
    'optimizer steps on 131,079 parameters (SGD nesterov, Adam amsgrad, AdamW)': (t) => {
      t.manualSeed(7);
      const g = t.randn([131079]);
      const make = () => t.randn([131079]).requiresGrad_();
      const params = [make(), make(), make()];
      const opts = [new t.optim.SGD([params[0]], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
        new t.optim.Adam([params[1]], { amsgrad: true, weightDecay: 0.01 }), new t.optim.AdamW([params[2]], { lr: 0.01 })];
      for (const p of params) p.mul(g).sum().backward();
      for (let step = 0; step < 3; ++step) for (const opt of opts) opt.step();
      return params.map((p) => p.detach());
    },
    'linear forward and backward': (t) => {
      t.manualSeed(2);
      const x = t.randn([128, 300], { requiresGrad: true });
      const w = t.randn([200, 300], { requiresGrad: true });
      const b = t.randn([200], { requiresGrad: true });
      const y = t.nn.functional.linear(x, w, b).relu();
      y.sum().backward();
      return [y, x.grad, w.grad, b.grad];
    },
    'conv2d forward and backward': (t) => {
      t.manualSeed(3);
      const x = t.randn([4, 3, 28, 28], { requiresGrad: true });
      const w = t.randn([16, 3, 5, 5], { requiresGrad: true });
      const y = t.nn.functional.conv2d(x, w, null, { padding: 2 });
      y.mul(y).sum().backward();
      return [y, x.grad, w.grad];
    },
  };
  for (const [name, run] of Object.entries(cases)) {
    test(name, () => {
      const want = single.tidy(() => bits(single, run(single)));
      const got = threaded.tidy(() => bits(threaded, run(threaded)));
      expect(got).toEqual(want);
    }, 60_000);
  }

  test('3 and 4 threads too (matmul 256, conv2d, reductions, softmax)', async () => {
    for (const n of [3, 4]) {
      const t = await load({ threads: n });
      expect(t.threads).toBe(n);
      for (const name of ['matmul 1..300 (every GEMM path)', 'conv2d forward and backward',
        'reductions over everything and over dims (sum, mean, max, min, argmax)', 'softmax and logSoftmax rows, forward and backward']) {
        const want = single.tidy(() => bits(single, cases[name](single)));
        expect(t.tidy(() => bits(t, cases[name](t)))).toEqual(want);
      }
    }
  }, 120_000);
});

describe('memory and modes', () => {
  test('torch.memory() is exact after threaded kernels', () => {
    const before = threaded.memory();
    threaded.tidy(() => {
      const a = threaded.randn([300, 300], { requiresGrad: true });
      threaded.matmul(a, a).sum().backward();
    });
    expect(threaded.memory()).toEqual(before);
  });

  // Modes are per JavaScript thread: each thread's engine has its own, and the kernel
  // threads never touch them.
  test("a mode entered here is not seen by a worker thread's engine, and the other way round", async () => {
    threaded.setGradEnabled(false);
    try {
      const code = `const { parentPort } = require('node:worker_threads');
        import(${JSON.stringify(entry)}).then(async ({ load }) => {
          const t = await load({ threads: 2 });
          const seen = { threads: t.threads, grad: t.isGradEnabled() };
          t.setGradEnabled(false);
          t.inferenceMode(() => parentPort.postMessage({ ...seen, inside: t.isInferenceModeEnabled(), y: t.matmul(t.ones([40, 40]), t.ones([40, 40])).requiresGrad }));
        });`;
      const worker = new Worker(code, { eval: true });
      const msg = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(msg).toEqual({ threads: 2, grad: true, inside: true, y: false });
      expect(threaded.isGradEnabled()).toBe(false);
    } finally {
      threaded.setGradEnabled(true);
    }
    expect(threaded.isInferenceModeEnabled()).toBe(false);
    const x = threaded.ones([40, 40], { requiresGrad: true });
    expect(threaded.matmul(x, x).requiresGrad).toBe(true);
  }, 60_000);
});

// A sample of the PyTorch fixtures on the threaded engine: correct, and bit-identical to the
// single-thread SIMD engine.
const SAMPLE = ['ops.json', 'spine.json'];
describe.each(SAMPLE)('fixtures %s on the threaded engine', (file) => {
  const scenarios = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', file), 'utf8')).scenarios;
  test.each(scenarios.map((s) => [s.name, s]))('%s', (name, scenario) => {
    const actual = runScenario(threaded, scenario);
    expect(compareResults(actual, scenario.expect, { rtol: 1e-5, atol: 1e-6, steps: scenario.steps })).toEqual([]);
    expect(actual).toEqual(runScenario(single, scenario));
    if (!threaded.isGradEnabled()) threaded.setGradEnabled(true);
  });
});
