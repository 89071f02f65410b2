// Issue 14's elementwise, reduction and random ops against PyTorch 1.13.1
// (tests/fixtures/generate_elementwise_reductions.py), on both builds: every case's result
// (values, shape, dtype, grad_fn), the leaf's gradient of sum(y * w) and the double backward
// (the gradient of sum(grad * v) through the create_graph pass), or torch's error; the random
// ops draw torch's values after the same torch.manualSeed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { builds } from './engines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'elementwise_reductions.json'), 'utf8'));
// sin / cos / erf run libm's float functions where torch runs SLEEF's: a few ulp apart.
const TOL = { rtol: 1e-5, atol: 1e-6 };

const decode = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const decodeArgs = (a) => (Array.isArray(a) ? a.map(decodeArgs) : a !== null && typeof a === 'object'
  ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, decodeArgs(v)])) : decode(a));

function close(actual, expected) {
  const e = decode(expected);
  if (typeof e === 'boolean') return actual === e;
  if (Number.isNaN(e)) return Number.isNaN(actual);
  if (!Number.isFinite(e)) return actual === e;
  return Math.abs(actual - e) <= TOL.atol + TOL.rtol * Math.abs(e);
}
function expectValues(t, expected, what) {
  const data = Array.from(t.data(), (x) => (t.dtype === 'bool' ? Boolean(x) : Number(x)));
  const bad = expected.map((e, i) => (close(data[i], e) ? null : `${what}[${i}]: ${data[i]} vs torch ${e}`)).filter(Boolean);
  expect([data.length, bad.slice(0, 5)]).toEqual([expected.length, []]);
}

// The case's input: the leaf and the op's input (a transposed or narrowed view of it).
function makeInput(torch, { shape, dtype, layout, values }, requiresGrad) {
  const data = values.map(decode);
  const leaf = (shape.length === 0 ? torch.tensor(data[0], { dtype }) : torch.tensor(data, { dtype }).reshape(shape)).requiresGrad_(requiresGrad);
  if (layout === 'transposed') return [leaf, leaf.transpose(-1, -2)];
  if (layout === 'narrowed') return [leaf, leaf.narrow(-1, 1, shape[shape.length - 1] - 2)];
  return [leaf, leaf];
}

describe.each(builds)('issue 14 elementwise and reductions on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test.each(fx.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    torch.tidy(() => {
      const rg = c.grad !== undefined;
      const [leaf, x] = makeInput(torch, c.input, rg);
      const call = () => x[c.op](...decodeArgs(c.args));
      if (c.error !== undefined) {
        expect(call).toThrow(c.error);
        return;
      }
      const y = call();
      expect([Array.from(y.shape), y.dtype, y.gradFn ? y.gradFn.name : null]).toEqual([c.result.shape, c.result.dtype, c.result.gradFn]);
      expectValues(y, c.result.values, 'value');
      if (!rg) return;
      const w = torch.tensor(c.w).reshape(Array.from(y.shape));
      const [g] = torch.autograd.grad([y.mul(w).sum()], [leaf], undefined, { createGraph: true, allowUnused: true });
      const grad = g ?? torch.zerosLike(leaf);
      expectValues(grad, c.grad, 'grad');
      if (c.gradgrad === null) {
        expect(grad.requiresGrad).toBe(false);
        return;
      }
      const v = torch.tensor(c.v).reshape(Array.from(leaf.shape));
      const [gg] = torch.autograd.grad([grad.mul(v).sum()], [leaf], undefined, { allowUnused: true });
      expectValues(gg ?? torch.zerosLike(leaf), c.gradgrad, 'gradgrad');
    });
  });

  // randint / randperm / multinomial: webtorch's generator draws as torch's CPU kernels do.
  const calls = {
    randint: ([low, high, shape, options]) => torch.randint(low, high, shape, options),
    randperm: ([n]) => torch.randperm(n),
    multinomial: ([probs, n, replacement]) => torch.tensor(probs).multinomial(n, replacement),
  };
  test.each(fx.random.map((r) => [r.name, r]))('random: %s', (name, r) => {
    torch.tidy(() => {
      torch.manualSeed(r.seed);
      r.calls.forEach(({ fn, args }, k) => {
        const expected = r.results[k];
        const run = () => calls[fn](decodeArgs(args));
        if (expected.error !== undefined) {
          expect(run).toThrow(expected.error);
          return;
        }
        const t = run();
        expect([Array.from(t.shape), t.dtype, Array.from(t.data(), Number)]).toEqual([expected.shape, expected.dtype, expected.values]);
      });
    });
  });

  // README, "Differences from PyTorch": a float32 randint over a range of 2^32 or more draws as
  // torch's int64 kernel does, not as its float32 one.
  test.each(fx.knownDifferences.map((d) => [d.name, d]))('known difference: %s', (name, d) => {
    torch.tidy(() => {
      torch.manualSeed(d.seed);
      const [low, high, shape, options] = d.args;
      const values = Array.from(torch.randint(low, high, shape, options).data(), Number);
      expect(values).toEqual(d.webtorch);
      expect(values).not.toEqual(d.torch);
    });
  });

  // The draws' properties, beyond the pinned streams.
  test('randint stays in [low, high) and hits every value', () => {
    torch.tidy(() => {
      torch.manualSeed(11);
      const v = Array.from(torch.randint(-3, 4, [4000]).data());
      expect([Math.min(...v), Math.max(...v), new Set(v).size]).toEqual([-3, 3, 7]);
      const t = torch.randint(5, [2, 3]);
      expect([Array.from(t.shape), t.dtype]).toEqual([[2, 3], 'int32']);
    });
  });
  test('randperm is a permutation, and manualSeed repeats it', () => {
    torch.tidy(() => {
      torch.manualSeed(5);
      const a = Array.from(torch.randperm(200).data());
      expect([...a].sort((x, y) => x - y)).toEqual([...Array(200).keys()]);
      torch.manualSeed(5);
      expect(Array.from(torch.randperm(200).data())).toEqual(a);
    });
  });
  test('multinomial follows the probabilities; without replacement it never repeats', () => {
    torch.tidy(() => {
      torch.manualSeed(2);
      const probs = torch.tensor([0.1, 0.2, 0.3, 0.4]);
      const counts = [0, 0, 0, 0];
      for (const i of probs.multinomial(20000, true).data()) counts[i] += 1;
      counts.forEach((c, i) => expect(Math.abs(c / 20000 - [0.1, 0.2, 0.3, 0.4][i])).toBeLessThan(0.015));
      const rows = torch.tensor([[1, 1, 1, 1, 1], [0, 2, 0, 1, 1]]).multinomial(3);
      expect([Array.from(rows.shape), rows.dtype]).toEqual([[2, 3], 'int32']);
      const [r0, r1] = [Array.from(rows.data()).slice(0, 3), Array.from(rows.data()).slice(3)];
      expect([new Set(r0).size, new Set(r1).size, r1.every((i) => i !== 0 && i !== 2)]).toEqual([3, 3, true]);
    });
  });
  test('bad arguments throw before drawing', () => {
    torch.tidy(() => {
      torch.manualSeed(0);
      const first = torch.rand([1]).item();
      torch.manualSeed(0);
      expect(() => torch.randint(0, 2, [-1])).toThrow('Trying to create tensor with negative dimension -1: [-1]');
      expect(() => torch.randint(0, 2, [2], { dtype: 'bool', device: 'cpu' })).toThrow("randint(): option 'device' is not supported by webtorch");
      expect(() => torch.randperm(2.5)).toThrow("randperm(): argument 'n'");
      expect(() => torch.tensor([1, 2], { dtype: 'int32' }).multinomial(1)).toThrow('multinomial only supports floating-point dtypes for input, got: Int');
      expect(torch.rand([1]).item()).toBe(first);
    });
  });

  // The modules and functionals over the same ops (their values are the fixture's).
  test('nn.GELU({ approximate }), nn.SiLU, F.gelu, F.silu and F.softplus call the ops', () => {
    torch.tidy(() => {
      const { nn } = torch;
      const F = nn.functional;
      const x = torch.tensor([-2, -0.5, 0, 1.5, 3]);
      const same = (a, b) => expect(Array.from(a.data())).toEqual(Array.from(b.data()));
      const tanhGelu = new nn.GELU({ approximate: 'tanh' });
      expect([tanhGelu.approximate, tanhGelu.extraRepr()]).toEqual(['tanh', "approximate='tanh'"]);
      same(tanhGelu.forward(x), x.gelu({ approximate: 'tanh' }));
      same(new nn.GELU('tanh').forward(x), F.gelu(x, 'tanh'));
      same(new nn.GELU().forward(x), F.gelu(x));
      same(new nn.SiLU().forward(x), F.silu(x));
      same(F.softplus(x, 2, 1), x.softplus({ beta: 2, threshold: 1 }));
      same(torch.softplus(x), x.softplus());
      expect(() => new nn.SiLU({ inplace: true })).toThrow("SiLU(): option 'inplace' is not supported by webtorch");
      expect(() => F.silu(x, true)).toThrow("silu(): option 'inplace' is not supported by webtorch");
      expect(() => F.gelu([1, 2])).toThrow("gelu(): argument 'input' must be a Tensor");
      expect(() => new nn.GELU({ approximate: 'fast' })).toThrow('approximate argument must be either none or tanh.');
      expect(() => x.var(0, { unbiased: true, correction: 1 })).toThrow('var(): pass either correction or unbiased, not both');
      expect(() => x.logsumexp()).toThrow('logsumexp() received an invalid combination of arguments');
    });
  });

  // README, "Differences from PyTorch": any / all over a list of dims (torch 1.13: one dim).
  test('any / all take a list of dims', () => {
    torch.tidy(() => {
      const x = torch.tensor([[[0, 1], [0, 0]], [[0, 0], [0, 0]]]);
      expect(Array.from(x.any([1, 2]).data(), Boolean)).toEqual([true, false]);
      expect(Array.from(x.all([0, 2], true).data(), Boolean)).toEqual([false, false]);
      expect(Array.from(x.any([0, 1, 2]).data(), Boolean)).toEqual([true]);
    });
  });
});
