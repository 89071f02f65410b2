// API.md, sentence by sentence, as a user reading only that page would call it: every name,
// every calling convention (methods and torch.NAME(t, ...), arrays and varargs, negative
// dims, options last, scalars on either side), checked against torch 1.13.1
// (tests/fixtures/contract.json, generate_contract.py) wherever torch has an answer.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, version as exportedVersion } from '../../dist/index.mjs';
import { builds } from './engines.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/contract.json', import.meta.url)));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url)));
const decode = (v) => (Array.isArray(v) ? v.map(decode) : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const values = (t) => Array.from(t.data(), Number);
// float32 results against torch's: |a - e| <= 1e-6 + 1e-5 |e| (NaN matches NaN).
function close(actual, expected) {
  const e = decode(expected);
  expect(actual.length).toBe(e.length);
  actual.forEach((a, i) => {
    if (Number.isNaN(e[i])) expect(a).toBeNaN();
    else if (!Number.isFinite(e[i])) expect(a).toBe(e[i]);
    else expect(Math.abs(a - e[i])).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(e[i]));
  });
}
// The Error fn throws (a test fails if it returns).
const thrown = (fn) => {
  try { fn(); } catch (e) { return e; } // prettier-ignore
  throw new Error('expected a throw');
};
const X = [[1, -2, 3], [0.5, 2, -1]];
const Y = [[2, 1, 0.5], [1, 3, 2]];

describe('loading', () => {
  test('load() is memoised, picks the SIMD build here; load({ simd: false }) is the scalar one', async () => {
    const a = await load();
    const b = await load();
    expect(a).toBe(b);
    expect(a.backend).toBe('wasm-simd');
    const s1 = await load({ simd: false });
    expect(s1).toBe(await load({ simd: false }));
    expect(s1.backend).toBe('wasm');
    expect(s1).not.toBe(a);
  });

  test('torch.version is the package.json version (and the exported version)', async () => {
    const torch = await load();
    expect(torch.version).toBe(pkg.version);
    expect(exportedVersion).toBe(pkg.version);
  });

  test("require('webtorch') works: the CommonJS entry loads the same engine", () => {
    const cjs = fileURLToPath(new URL('../../dist/index.cjs', import.meta.url));
    const out = execFileSync(process.execPath, ['-e', `
      const { load, version } = require(${JSON.stringify(cjs)});
      Promise.all([load(), load(), load({ simd: false })]).then(([a, b, s]) => {
        console.log(JSON.stringify([a === b, a.backend, s.backend, a.version === version, a.ones([2]).sum().item()]));
      });`], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, 'wasm-simd', 'wasm', true, 2]);
  });
});

describe.each(builds)('API.md contract on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  // ---- Tensors: creation ----
  test('every factory takes an optional last { dtype, requiresGrad }', () => {
    torch.tidy(() => {
      const cases = [
        [torch.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true }), [2, 2], 'float32', true],
        [torch.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }), [2, 3], 'float32', false],
        [torch.tensor(new Int32Array([1, 2]), { shape: [2, 1] }), [2, 1], 'int32', false],
        [torch.zeros([2, 3], { requiresGrad: true }), [2, 3], 'float32', true],
        [torch.ones([2], { dtype: 'int32' }), [2], 'int32', false],
        [torch.full([2, 2], 1.5, { requiresGrad: true }), [2, 2], 'float32', true],
        [torch.full([2], 7, { dtype: 'float32' }), [2], 'float32', false],
        [torch.empty([3, 1], { dtype: 'bool' }), [3, 1], 'bool', false],
        [torch.arange(5, { dtype: 'float32', requiresGrad: true }), [5], 'float32', true],
        [torch.arange(1, 4, { dtype: 'float32' }), [3], 'float32', false],
        [torch.arange(0, 1, 0.25, { requiresGrad: true }), [4], 'float32', true],
        [torch.eye(3, { dtype: 'int32' }), [3, 3], 'int32', false],
        [torch.rand([2, 3], { requiresGrad: true }), [2, 3], 'float32', true],
        [torch.randn([4], { requiresGrad: true }), [4], 'float32', true],
        [torch.zerosLike(torch.ones([2], { dtype: 'int32' })), [2], 'int32', false],
        [torch.onesLike(torch.ones([3]), { requiresGrad: true }), [3], 'float32', true],
        [torch.onesLike(torch.ones([3]), { dtype: 'bool' }), [3], 'bool', false],
      ];
      for (const [t, shape, dtype, rg] of cases) {
        expect(t.shape).toEqual(shape);
        expect(t.dtype).toBe(dtype);
        expect(t.requiresGrad).toBe(rg);
        expect(t.isLeaf).toBe(true);
      }
    });
  });

  test('factory values and inferred dtypes follow torch (int32 standing in for int64)', () => {
    torch.tidy(() => {
      // A JavaScript number is a float (README, "Differences from PyTorch").
      expect(torch.tensor([[1, 2], [3, 4]]).dtype).toBe('float32');
      expect(torch.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
      expect(torch.tensor([1.5, 2]).dtype).toBe('float32');
      expect(torch.tensor([true, false]).dtype).toBe('bool');
      expect(torch.tensor(2.5).shape).toEqual([]);
      expect(torch.tensor([]).shape).toEqual([0]);
      expect(torch.full([2], 3).dtype).toBe('float32');
      expect(torch.full([2], true).toArray()).toEqual([true, true]);
      expect(torch.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
      expect(torch.arange(5).dtype).toBe('int32');
      expect(torch.arange(2, 5).toArray()).toEqual([2, 3, 4]);
      expect(torch.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
      expect(torch.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
      expect(torch.eye(2, 3).shape).toEqual([2, 3]);
      expect(torch.zeros([2]).toArray()).toEqual([0, 0]);
      expect(torch.ones([1, 2]).toArray()).toEqual([[1, 1]]);
      torch.manualSeed(0);
      close(values(torch.rand([3])), [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]);
      torch.manualSeed(0);
      close(values(torch.randn([3])), [1.5409960746765137, -0.293428897857666, -2.1787893772125244]);
      torch.manualSeed(7);
      const a = values(torch.rand([5]));
      torch.manualSeed(7);
      expect(values(torch.rand([5]))).toEqual(a);
    });
  });

  test('shapes as an array or as varargs, for factories and views; -1 infers one size', () => {
    torch.tidy(() => {
      expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
      expect(torch.ones(4).shape).toEqual([4]);
      expect(torch.zeros(2, 3, { dtype: 'int32' }).dtype).toBe('int32');
      expect(torch.empty(1, 2).shape).toEqual([1, 2]);
      expect(torch.rand(2, 3).shape).toEqual([2, 3]);
      expect(torch.randn(3).shape).toEqual([3]);
      expect(torch.zeros([]).shape).toEqual([]);
      expect(thrown(() => torch.zeros()).message).toMatch(/size/);
      const t = torch.arange(6);
      expect(t.view([2, 3]).shape).toEqual([2, 3]);
      expect(t.view(2, 3).shape).toEqual([2, 3]);
      expect(t.view(-1, 2).shape).toEqual([3, 2]);
      expect(t.reshape([3, -1]).shape).toEqual([3, 2]);
      expect(t.reshape(6).shape).toEqual([6]);
      const m = t.view(2, 3);
      expect(m.permute([1, 0]).shape).toEqual([3, 2]);
      expect(m.permute(1, 0).toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
      expect(m.unsqueeze(1).expand([2, 4, 3]).shape).toEqual([2, 4, 3]);
      expect(m.unsqueeze(1).expand(2, 4, 3).shape).toEqual([2, 4, 3]);
      expect(torch.view(t, 3, 2).shape).toEqual([3, 2]);
      expect(torch.reshape(t, [2, 3]).shape).toEqual([2, 3]);
      expect(torch.permute(m, [1, 0]).shape).toEqual([3, 2]);
    });
  });

  // ---- properties and reads ----
  test('properties and reads', () => {
    torch.tidy(() => {
      const x = torch.tensor(X, { requiresGrad: true });
      expect(Array.isArray(x.shape)).toBe(true);
      expect(x.shape).toEqual([2, 3]);
      expect([x.dtype, x.ndim, x.numel, x.requiresGrad, x.isLeaf, x.isView, x.isInference()]).toEqual(['float32', 2, 6, true, true, false, false]);
      expect(x.grad).toBeNull();
      expect(x.gradFn).toBeNull();
      expect(x.version).toBe(0);
      const y = x.mul(2);
      expect(y.gradFn).toEqual({ name: 'MulBackward0' });
      expect(y.gradFn.name).toBe('MulBackward0');
      expect(y.isLeaf).toBe(false);
      expect(y.toArray()).toEqual([[2, -4, 6], [1, 4, -2]]);
      expect(x.data()).toBeInstanceOf(Float32Array);
      expect(torch.ones([2], { dtype: 'int32' }).data()).toBeInstanceOf(Int32Array);
      expect(torch.tensor([true, false]).data()).toEqual(new Uint8Array([1, 0]));
      expect(torch.tensor([[true], [false]]).toArray()).toEqual([[true], [false]]);
      expect(torch.tensor(2.5).toArray()).toBe(2.5);
      // data() is a copy
      const d = x.data();
      d[0] = 100;
      expect(x.toArray()[0][0]).toBe(1);
      expect(torch.tensor([3.5]).item()).toBe(3.5);
      expect(torch.tensor(7).item()).toBe(7);
      expect(torch.tensor(true).item()).toBe(true);
      expect(x.sum().item()).toBeCloseTo(3.5, 5);
      expect(thrown(() => x.item()).message).toBe(fixture.errors.item);
      expect(thrown(() => torch.zeros([0]).item()).message).toBe(fixture.errors.itemEmpty);
      expect(typeof x.toString()).toBe('string');
      const v = x.view(6);
      expect(v.isView).toBe(true);
      expect(x.transpose(0, 1).isView).toBe(true);
      expect(x.detach().isView).toBe(false); // as torch's _is_view()
      expect(x.clone().isView).toBe(false);
    });
  });

  test.each(fixture.printing.map((c) => [c.name, c]))('toString() prints as torch: %s', (name, c) => {
    torch.tidy(() => {
      const vals = decode(c.values);
      let t;
      if (c.dtype === 'bool') t = torch.tensor(vals, { dtype: 'bool' }).reshape(c.shape);
      else t = torch.tensor(c.dtype === 'int32' ? Int32Array.from(vals) : Float32Array.from(vals), { shape: c.shape });
      if (c.requiresGrad) t.requiresGrad_();
      if (c.op === 'mul2') t = t.mul(2);
      expect(t.toString()).toBe(c.str);
      expect(`${t}`).toBe(c.str);
    });
  });

  // ---- autograd on a tensor ----
  test('requiresGrad_, backward(gradient?, { retainGraph }), retainGrad, registerHook, detach, clone', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 2, 3], { dtype: 'float32' });
      expect(x.requiresGrad_()).toBe(x);
      expect(x.requiresGrad).toBe(true);
      expect(torch.ones([1]).requiresGrad_(true).requiresGrad).toBe(true);
      const y = x.mul(x);
      expect(y.retainGrad()).toBeUndefined();
      const seen = [];
      const handle = y.registerHook((g) => {
        seen.push(values(g));
        return g.mul(2);
      });
      expect(typeof handle.remove).toBe('function');
      y.backward(torch.ones([3]), { retainGraph: true });
      expect(values(x.grad)).toEqual([4, 8, 12]);
      expect(values(y.grad)).toEqual([1, 1, 1]); // 1.13: retain_grad sees the grad before this hook
      expect(seen).toEqual([[1, 1, 1]]);
      handle.remove();
      y.backward(torch.tensor([1, 0, 1], { dtype: 'float32' }));
      expect(values(x.grad)).toEqual([6, 8, 18]);
      expect(values(y.grad)).toEqual([2, 1, 2]);
      const s = x.sum();
      s.backward();
      expect(values(x.grad)).toEqual([7, 9, 19]);
      const d = x.detach();
      expect([d.requiresGrad, d.isLeaf, d.gradFn]).toEqual([false, true, null]);
      const c = x.clone();
      expect(c.gradFn.name).toBe('CloneBackward0');
      expect(torch.autograd.backward).toBeDefined();
      // backward({ retainGraph }) without a gradient
      const z = x.mul(2).sum();
      z.backward({ retainGraph: true });
      z.backward();
      expect(values(x.grad)).toEqual([11, 13, 23]);
    });
  });

  // ---- operations: methods and torch.NAME(t, ...) ----
  const OPS = {
    add: (x, y) => [x.add(y), torch.add(x, y)],
    'add-scalar': (x) => [x.add(2), torch.add(x, 2)],
    'add-alpha': (x, y) => [x.add(y, { alpha: 2 }), torch.add(x, y, { alpha: 2 })],
    sub: (x, y) => [x.sub(y), torch.sub(x, y)],
    'sub-scalar': (x) => [x.sub(2), torch.sub(x, 2)],
    'sub-alpha': (x, y) => [x.sub(y, { alpha: 0.5 }), torch.sub(x, y, 0.5)],
    mul: (x, y) => [x.mul(y), torch.mul(x, y)],
    'mul-scalar': (x) => [x.mul(2), torch.mul(x, 2)],
    div: (x, y) => [x.div(y), torch.div(x, y)],
    'div-scalar': (x) => [x.div(2), torch.div(x, 2)],
    pow: (x, y) => [y.pow(x), torch.pow(y, x)],
    'pow-scalar': (x, y) => [y.pow(0.5), torch.pow(y, 0.5)],
    'pow-scalar-base': (x) => [torch.pow(2, x)],
    neg: (x) => [x.neg(), torch.neg(x)],
    abs: (x) => [x.abs(), torch.abs(x)],
    exp: (x) => [x.exp(), torch.exp(x)],
    log: (x, y) => [y.log(), torch.log(y)],
    sqrt: (x, y) => [y.sqrt(), torch.sqrt(y)],
    tanh: (x) => [x.tanh(), torch.tanh(x)],
    sigmoid: (x) => [x.sigmoid(), torch.sigmoid(x)],
    relu: (x) => [x.relu(), torch.relu(x)],
    gelu: (x) => [x.gelu(), torch.gelu(x)],
    clamp: (x) => [x.clamp(0, 1), torch.clamp(x, 0, 1), x.clamp({ min: 0, max: 1 })],
    'clamp-min': (x) => [x.clamp(0), torch.clamp(x, { min: 0 }), x.clamp(0, null)],
    'clamp-max': (x) => [x.clamp(null, 1), torch.clamp(x, undefined, 1), x.clamp({ max: 1 })],
    where: (x, y) => [x.where(x.gt(0), y), torch.where(x.gt(0), x, y), torch.where(torch.gt(x, 0), x, y)],
    'where-scalar': (x) => [torch.where(x.gt(0), x, 0.5), x.where(x.gt(0), 0.5)],
    matmul: (x, y) => [x.matmul(y.t()), torch.matmul(x, y.transpose(0, 1))],
    'matmul-dot': (x, y) => [x.select(0, 0).matmul(y.select(0, 0)), torch.matmul(x.select(0, 0), y.select(0, 0))],
    'matmul-mv': (x, y) => [x.matmul(y.select(0, 0)), torch.matmul(x, y.select(0, 0))],
    sum: (x) => [x.sum(), torch.sum(x)],
    'sum-dim': (x) => [x.sum(1), torch.sum(x, 1), x.sum(-1, false)],
    'sum-keepdim': (x) => [x.sum(0, true), torch.sum(x, 0, true), x.sum([0], true)],
    mean: (x) => [x.mean(), torch.mean(x)],
    'mean-dim': (x) => [x.mean(-1), torch.mean(x, 1)],
    max: (x) => [x.max(), torch.max(x)],
    'max-dim': (x) => [x.max(1).values, torch.max(x, 1)[0], [...x.max(-1)][0]],
    min: (x) => [x.min(), torch.min(x)],
    'min-dim': (x) => [x.min(0).values, torch.min(x, 0).values],
    softmax: (x) => [x.softmax(1), torch.softmax(x, 1), torch.nn.functional.softmax(x, -1)],
    'log-softmax': (x) => [x.logSoftmax(-1), torch.logSoftmax(x, 1), torch.nn.functional.logSoftmax(x, 1)],
    view: (x) => [x.view(3, 2), x.view([3, 2]), torch.view(x, 3, 2)],
    reshape: (x) => [x.reshape(6), x.reshape([-1]), torch.reshape(x, [6])],
    'reshape-copy': (x) => [x.t().reshape(6), torch.reshape(torch.transpose(x, 0, 1), -1)],
    transpose: (x) => [x.transpose(0, 1), torch.transpose(x, -1, -2)],
    permute: (x) => [x.permute(1, 0), x.permute([1, 0]), torch.permute(x, -1, 0)],
    squeeze: (x) => [x.view(1, 6).squeeze(), torch.squeeze(x.view(1, 6))],
    'squeeze-dim': (x) => [x.view(1, 6).squeeze(0), torch.squeeze(x.view(1, 6), -2)],
    unsqueeze: (x) => [x.unsqueeze(0), torch.unsqueeze(x, -3)],
    expand: (x) => [x.view(2, 1, 3).expand(2, 4, 3), x.view(2, 1, 3).expand([-1, 4, -1]), torch.expand(x.view(2, 1, 3), 2, 4, 3)],
    narrow: (x) => [x.narrow(1, 0, 2), torch.narrow(x, -1, 0, 2)],
    select: (x) => [x.select(0, 1), torch.select(x, 0, -1)],
    flatten: (x) => [x.flatten(), torch.flatten(x), x.flatten(0, -1)],
    contiguous: (x) => [x.t().contiguous(), torch.contiguous(x.t())],
    cat: (x, y) => [torch.cat([x, y], 0), torch.cat([x, y]), torch.cat([x, y], -2)],
    stack: (x, y) => [torch.stack([x, y], 1), torch.stack([x, y], -2)],
    clone: (x) => [x.clone(), torch.clone(x)],
    t: (x) => [x.t(), torch.t(x)],
    't-1d': (x) => [x.select(0, 0).t(), torch.t(x.select(0, 0))],
    mT: (x) => [x.mT],
    T: (x) => [x.T],
    'mT-0d': (x) => [x.select(0, 0).select(0, 0).mT],
  };
  test.each(Object.keys(fixture.ops))('op %s: method and torch.NAME, value, grad_fn, gradients as torch', (name) => {
    const e = fixture.ops[name];
    expect(OPS[name]).toBeDefined();
    torch.tidy(() => {
      const x = torch.tensor(X, { requiresGrad: true });
      const y = torch.tensor(Y, { requiresGrad: true });
      for (const r of OPS[name](x, y)) {
        expect(r.gradFn.name).toBe(e.gradFn);
        expect(r.shape).toEqual(e.shape);
        close(values(r), e.values);
        const [gx, gy] = torch.autograd.grad([r.sum()], [x, y], null, { allowUnused: true });
        if (e.gx === null) expect(gx).toBeNull();
        else close(values(gx), e.gx);
        if (e.gy === null) expect(gy).toBeNull();
        else close(values(gy), e.gy);
      }
    });
  });

  test('comparisons eq lt gt le ge give bool tensors, as methods and functions, with scalars', () => {
    torch.tidy(() => {
      const x = torch.tensor(X);
      const y = torch.tensor(Y);
      for (const name of ['eq', 'lt', 'gt', 'le', 'ge']) {
        const e = fixture.comparisons[name];
        for (const r of [x[name](y), torch[name](x, y)]) {
          expect(r.dtype).toBe('bool');
          expect(values(r).map(Boolean)).toEqual(e.values);
          expect(r.requiresGrad).toBe(false);
        }
        expect(values(x[name](1)).map(Boolean)).toEqual(e.scalar);
        expect(values(torch[name](x, 1)).map(Boolean)).toEqual(e.scalar);
      }
      const a = fixture.argmax;
      expect(values(x.argmax())).toEqual(a.all);
      expect(values(torch.argmax(x, 1))).toEqual(a.dim);
      expect(x.argmax(-1, true).shape).toEqual(a.keepdimShape);
    });
  });

  test.each(Object.keys(fixture.negativeDims))('negative dims: %s', (name) => {
    const e = fixture.negativeDims[name];
    torch.tidy(() => {
      const x = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).mul(torch.tensor([1, -1, 0.5, 2]));
      const calls = {
        'unsqueeze(-1)': () => x.unsqueeze(-1), 'unsqueeze(-4)': () => x.unsqueeze(-4), 'squeeze(-1)': () => x.unsqueeze(-1).squeeze(-1),
        'flatten(0,-1)': () => x.flatten(0, -1), 'flatten(-2)': () => x.flatten(-2), 'narrow(-1,1,2)': () => x.narrow(-1, 1, 2),
        'narrow(-1,-3,2)': () => x.narrow(-1, -3, 2), 'transpose(-1,-2)': () => x.transpose(-1, -2), 'argmax(-1)': () => x.argmax(-1),
        'argmax(-1,true)': () => x.argmax(-1, true), 'max(-1).values': () => x.max(-1).values, 'max(-1).indices': () => x.max(-1).indices,
        'min(-2,true).values': () => x.min(-2, true)[0], 'min(-2,true).indices': () => x.min(-2, true)[1],
        'softmax(-1)': () => x.softmax(-1), 'logSoftmax(-3)': () => x.logSoftmax(-3), 'sum([-1,-2])': () => x.sum([-1, -2]),
        'sum(-1,true)': () => x.sum(-1, true), 'mean(-1,true)': () => x.mean(-1, true), 'mean(-2)': () => x.mean(-2),
        'sum([0,-1],true)': () => x.sum([0, -1], true), 'cat(-2)': () => torch.cat([x, x], -2), 'stack(-1)': () => torch.stack([x, x], -1),
        'stack(-4)': () => torch.stack([x, x], -4), 'select(-1,-1)': () => x.select(-1, -1), 'select(0,-2)': () => x.select(0, -2),
        'permute(-1,0,-2)': () => x.permute(-1, 0, -2), 'expand(3,-1,-1,-1)': () => x.unsqueeze(0).expand(3, -1, -1, -1),
        'view(-1,4)': () => x.view(-1, 4), 'reshape(2,-1)': () => x.reshape(2, -1),
      };
      const r = calls[name]();
      expect(r.shape).toEqual(e.shape);
      close(values(r), e.values);
    });
  });

  // Each key names its call: op(a) or op(a,b), a/b one of f (float32), i (int32), b (bool) or
  // a number (int, float, bool); pow(s,a) is torch.pow(number, tensor).
  test.each(Object.keys(fixture.dtypeMatrix))('dtypes as torch: %s', (key) => {
    const e = fixture.dtypeMatrix[key];
    const make = { f: () => torch.tensor([1.5, -2, 0]), i: () => torch.tensor([3, -2, 0], { dtype: 'int32' }), b: () => torch.tensor([true, false, true]) };
    const numbers = { int: 2, float: 0.5, bool: true };
    const [, name, a, b] = key.match(/^(\w+)\((\w+)(?:,(\w+))?/);
    const arg = (k) => (k in make ? make[k]() : numbers[k]);
    torch.tidy(() => {
      let call;
      if (name === 'where') call = () => torch.where(make.b(), arg(a), arg(b));
      else if (name === 'pow' && a in numbers) call = () => torch.pow(numbers[a], arg(b));
      else if (name === 'clamp') call = () => arg(a).clamp(a === undefined ? 0 : key.includes('0.5') ? 0.5 : 0, 1);
      else if (b === undefined) call = () => (name === 'softmax' ? arg(a).softmax(0) : arg(a)[name]());
      else call = () => arg(a)[name](arg(b));
      if (e.error !== undefined) {
        expect(thrown(call).message).toBe(e.error);
        return;
      }
      const r = call();
      expect(r.dtype).toBe(e.dtype);
      if (r.dtype === 'bool') expect(values(r).map(Boolean)).toEqual(e.values);
      else close(values(r), e.values);
    });
  });

  test('max/min: { values, indices } with a dim, iterable as [values, indices]; a Tensor without', () => {
    torch.tidy(() => {
      const x = torch.tensor([[1, 5, 2], [7, 0, 3]], { dtype: 'float32' });
      for (const r of [x.max(1), torch.max(x, 1), x.max(-1, false)]) {
        expect(r.values.toArray()).toEqual([5, 7]);
        expect(r.indices.toArray()).toEqual([1, 0]);
        const [v, i] = r;
        expect(v).toBe(r.values);
        expect(i).toBe(r.indices);
        expect([...r]).toHaveLength(2);
      }
      const { values: mv, indices: mi } = x.min(0, true);
      expect(mv.toArray()).toEqual([[1, 0, 2]]);
      expect(mi.toArray()).toEqual([[0, 1, 0]]);
      const [tv, ti] = torch.min(x, -1, true);
      expect(tv.shape).toEqual([2, 1]);
      expect(ti.toArray()).toEqual([[0], [1]]);
      const whole = x.max();
      expect(whole).toBeInstanceOf(torch.Tensor);
      expect(whole.shape).toEqual([]);
      expect(whole.item()).toBe(7);
      expect(torch.min(x).item()).toBe(0);
      expect(torch.max(x, torch.full([2, 3], 4, { dtype: 'float32' })).toArray()).toEqual([[4, 5, 4], [7, 4, 4]]);
    });
  });

  test.each(Object.keys(fixture.scalarFirst))('scalars on either side: torch.%s', (name) => {
    const e = fixture.scalarFirst[name];
    torch.tidy(() => {
      const x = torch.tensor([1, 2, 4], { dtype: 'float32', requiresGrad: true });
      const i = torch.tensor([1, 2], { dtype: 'int32' });
      const calls = {
        'add(2,x)': () => torch.add(2, x), 'sub(2,x)': () => torch.sub(2, x), 'mul(2,x)': () => torch.mul(2, x),
        'div(2,x)': () => torch.div(2, x), 'add(2,x,alpha=3)': () => torch.add(2, x, { alpha: 3 }),
        'sub(2,x,alpha=3)': () => torch.sub(2, x, 3), 'add(0.5,x)': () => torch.add(0.5, x),
        'add(2,int)': () => torch.add(2, i), 'add(2.5,int)': () => torch.add(2.5, i), 'mul(true,int)': () => torch.mul(true, i),
        'div(3,int)': () => torch.div(3, i),
      };
      const r = calls[name]();
      expect(r.dtype).toBe(e.dtype);
      close(values(r), e.values);
      if (e.gradFn === null) {
        expect(r.gradFn).toBeNull();
      } else {
        expect(r.gradFn.name).toBe(e.gradFn);
        const [g] = torch.autograd.grad([r.sum()], [x]);
        close(values(g), e.grad);
      }
    });
  });

  test('scalars mix with tensors: x.mul(2), torch.add(x, 1), x.pow(0.5), torch.add(1, 2)', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 4], { dtype: 'float32' });
      expect(x.mul(2).toArray()).toEqual([2, 8]);
      expect(torch.add(x, 1).toArray()).toEqual([2, 5]);
      expect(x.pow(0.5).toArray()).toEqual([1, 2]);
      expect(x.sub(1).toArray()).toEqual([0, 3]);
      expect(x.div(4).toArray()).toEqual([0.25, 1]);
      expect(torch.pow(2, x).toArray()).toEqual([2, 16]);
      const both = torch.add(1, 2);
      expect([both.shape, both.item(), both.dtype]).toEqual([[], 3, 'int32']);
      expect(torch.mul(1.5, 2).item()).toBe(3);
    });
  });

  // ---- in-place ----
  test('in-place ops return the tensor, bump the version counter shared with views; torch.NAME_ too', () => {
    torch.tidy(() => {
      const t = torch.zeros([2, 2]);
      const v = t.view(4);
      expect(t.add_(1)).toBe(t);
      expect(t.sub_(0.5)).toBe(t);
      expect(t.mul_(4)).toBe(t);
      expect(t.div_(2)).toBe(t);
      expect(values(t)).toEqual([1, 1, 1, 1]);
      expect(t.version).toBe(4);
      expect(v.version).toBe(4);
      expect(v.fill_(-3)).toBe(v);
      expect(t.version).toBe(5);
      expect(t.relu_()).toBe(t);
      expect(values(t)).toEqual([0, 0, 0, 0]);
      t.copy_(torch.tensor([1, 5], { dtype: 'float32' }));
      expect(t.toArray()).toEqual([[1, 5], [1, 5]]);
      expect(t.clamp_(2, 4).toArray()).toEqual([[2, 4], [2, 4]]);
      expect(t.zero_()).toBe(t);
      expect(t.version).toBe(9);
      expect(t.add_(torch.ones([2]), { alpha: 2 }).toArray()).toEqual([[2, 2], [2, 2]]);
      expect(torch.mul_(t, 2)).toBe(t);
      expect(torch.relu_(t)).toBe(t);
      expect(torch.clamp_(t, 0, 3)).toBe(t);
      expect(torch.add_(t, 1)).toBe(t);
      expect(torch.sub_(t, 1)).toBe(t);
      expect(torch.div_(t, 3)).toBe(t);
      expect(torch.fill_(t, 2)).toBe(t);
      expect(torch.copy_(t, torch.ones([2, 2]))).toBe(t);
      expect(torch.zero_(t).toArray()).toEqual([[0, 0], [0, 0]]);
      expect(t.version).toBe(19);
    });
  });

  // ---- errors ----
  test("errors are Errors with PyTorch's texts", () => {
    const E = fixture.errors;
    torch.tidy(() => {
      const leaf = torch.ones([2], { requiresGrad: true });
      const inf = torch.inferenceMode(() => torch.ones([2]));
      const cases = {
        noGradFn: () => torch.ones([2]).sum().backward(),
        nonScalar: () => leaf.mul(2).backward(),
        backwardTwice: () => {
          const y = leaf.mul(leaf).sum();
          y.backward();
          y.backward();
        },
        savedModified: () => {
          const y = leaf.mul(1);
          const z = y.mul(y);
          y.add_(1);
          z.sum().backward();
        },
        inplaceLeaf: () => leaf.add_(1),
        inplaceInference: () => inf.add_(1),
        inferenceVersion: () => inf.version,
        inferenceRequiresGrad: () => inf.requiresGrad_(),
        inferenceSaved: () => leaf.mul(inf),
        intRequiresGrad: () => torch.zeros([2], { dtype: 'int32' }).requiresGrad_(),
        intFactoryRequiresGrad: () => torch.ones([2], { dtype: 'int32', requiresGrad: true }),
        nonLeafRequiresGrad: () => leaf.mul(2).requiresGrad_(false),
        broadcast: () => torch.ones([2, 3]).add(torch.ones([3, 2])),
        viewSize: () => torch.ones([6]).view(4),
        viewStride: () => torch.ones([2, 3]).t().view(6),
        twoInferred: () => torch.ones([6]).view(-1, -1),
        dimRange: () => torch.ones([2, 3]).transpose(0, 2),
        softmaxDim: () => torch.ones([2, 3]).softmax(2),
        sumDim: () => torch.ones([2, 3]).sum(-3),
        matmul: () => torch.ones([2, 3]).matmul(torch.ones([2, 3])),
        catEmpty: () => torch.cat([]),
        catSizes: () => torch.cat([torch.zeros([2, 2]), torch.zeros([3, 3])]),
        stackSizes: () => torch.stack([torch.zeros([2]), torch.zeros([3])]),
        narrow: () => torch.zeros([3]).narrow(0, 2, 2),
        select: () => torch.zeros([3]).select(0, 3),
        expand: () => torch.zeros([3]).expand(2),
        permute: () => torch.zeros([2, 3]).permute(0, 0),
        t3d: () => torch.zeros([2, 2, 2]).t(),
        mT1d: () => torch.zeros([3]).mT,
        clampNone: () => torch.zeros([3]).clamp(),
        maxEmpty: () => torch.zeros([0]).max(),
        meanInt: () => torch.tensor([1, 2], { dtype: 'int32' }).mean(),
        negativeSize: () => torch.zeros([-1]),
        ragged: () => torch.tensor([[1, 2], [3]]),
        unusedInput: () => torch.autograd.grad([leaf.mul(2).sum()], [leaf, torch.ones([1], { requiresGrad: true })]),
        inputNoGrad: () => torch.autograd.grad([leaf.mul(2).sum()], [torch.ones([1])]),
        item: () => torch.ones([2]).item(),
        itemEmpty: () => torch.zeros([0]).item(),
      };
      expect(Object.keys(cases).sort()).toEqual(Object.keys(E).sort());
      for (const [key, fn] of Object.entries(cases)) {
        const e = thrown(fn);
        expect(e).toBeInstanceOf(Error);
        expect([key, e.message]).toEqual([key, E[key]]);
      }
      expect(leaf.version).toBe(0);
    });
  });

  test('a refused in-place op on an inference tensor leaves its data untouched', () => {
    torch.tidy(() => {
      const c = torch.inferenceMode(() => torch.tensor([1.5, -2], { dtype: 'float32' }));
      const ops = [(t) => t.add_(5), (t) => t.sub_(1), (t) => t.mul_(3), (t) => t.div_(2), (t) => t.zero_(), (t) => t.fill_(9),
        (t) => t.copy_(torch.zeros([2])), (t) => t.clamp_(0, 1), (t) => t.relu_(), (t) => t.view(2, 1).mul_(2)];
      for (const op of ops) {
        expect(thrown(() => op(c)).message).toBe(fixture.errors.inplaceInference);
        expect(c.toArray()).toEqual([1.5, -2]);
      }
      // Inside inference mode it may change; clone() outside gives a normal tensor.
      torch.inferenceMode(() => c.add_(1));
      expect(c.toArray()).toEqual([2.5, -1]);
      const normal = c.clone();
      expect([normal.isInference(), normal.version]).toEqual([false, 0]);
    });
  });

  test('using a disposed tensor throws an Error that says so', () => {
    const t = torch.ones([2]);
    t.dispose();
    for (const fn of [() => t.shape, () => t.add(1), () => torch.add(t, 1), () => t.toArray(), () => t.item(), () => torch.cat([t])]) {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toMatch(/disposed/);
    }
    t.dispose(); // twice is harmless
  });

  // ---- lifetime ----
  test('tidy keeps a returned Tensor, Tensors in arrays and plain objects, and frees the rest', () => {
    const before = torch.memory().tensors;
    const single = torch.tidy(() => torch.ones([2]).add(1));
    expect(torch.memory().tensors).toBe(before + 1);
    const out = torch.tidy(() => {
      const a = torch.ones([2]);
      const b = a.mul(2);
      return { b, list: [a.add(1), { deep: a.sub(1) }], n: 3, s: 'x' };
    });
    expect(out.n).toBe(3);
    expect(out.b.isDisposed).toBe(false);
    expect(out.list[0].toArray()).toEqual([2, 2]);
    expect(out.list[1].deep.toArray()).toEqual([0, 0]);
    expect(torch.memory().tensors).toBe(before + 4);
    const r = torch.tidy(() => torch.tensor([[1, 3]], { dtype: 'float32' }).max(1));
    const [v, i] = r;
    expect([v.isDisposed, i.isDisposed]).toEqual([false, false]);
    torch.dispose([single, out, r.values, r.indices]);
    expect(torch.memory().tensors).toBe(before);
  });

  test('tidy and every mode function refuse a Promise synchronously, with the state already restored', () => {
    const grad0 = torch.isGradEnabled();
    const inf0 = torch.isInferenceModeEnabled();
    const before = torch.memory().tensors;
    const attempts = [
      () => torch.tidy(() => Promise.resolve(torch.ones([1]))),
      () => torch.tidy(async () => 1),
      () => torch.noGrad(() => Promise.resolve(1)),
      () => torch.noGrad(async () => 1),
      () => torch.enableGrad(() => Promise.resolve(1)),
      () => torch.setGradEnabled(false, () => Promise.resolve(1)),
      () => torch.inferenceMode(() => Promise.resolve(1)),
      () => torch.inferenceMode(true, async () => 1),
      () => torch.inferenceMode(false, () => Promise.resolve(1)),
      () => torch.noGrad.wrap(() => Promise.resolve(1))(),
      () => torch.inferenceMode.wrap(async () => 1)(),
    ];
    for (const attempt of attempts) {
      let stateInCatch;
      try {
        attempt();
        throw new Error('expected a throw');
      } catch (e) {
        stateInCatch = [torch.isGradEnabled(), torch.isInferenceModeEnabled()];
        expect(e).toBeInstanceOf(Error);
        expect(e.message).toMatch(/Promise/);
      }
      expect(stateInCatch).toEqual([grad0, inf0]);
    }
    expect(torch.memory().tensors).toBe(before);
  });

  test('modes: every form restores the previous state; setGradEnabled(flag) returns the previous flag', () => {
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.noGrad(() => torch.isGradEnabled())).toBe(false);
    expect(torch.noGrad(() => torch.enableGrad(() => torch.isGradEnabled()))).toBe(true);
    expect(torch.setGradEnabled(false, () => torch.isGradEnabled())).toBe(false);
    expect(torch.setGradEnabled(false)).toBe(true);
    expect(torch.isGradEnabled()).toBe(false);
    expect(torch.setGradEnabled(false)).toBe(false);
    expect(torch.setGradEnabled(true)).toBe(false);
    expect(torch.isGradEnabled()).toBe(true);
    expect(torch.inferenceMode(() => [torch.isInferenceModeEnabled(), torch.isGradEnabled()])).toEqual([true, false]);
    expect(torch.inferenceMode(true, () => torch.inferenceMode(false, () => [torch.isInferenceModeEnabled(), torch.isGradEnabled()]))).toEqual([false, true]);
    expect(torch.inferenceMode(() => torch.inferenceMode(false, () => torch.noGrad(() => torch.isGradEnabled())))).toBe(false);
    expect(thrown(() => torch.noGrad(() => {
      throw new Error('boom');
    })).message).toBe('boom');
    expect(torch.isGradEnabled()).toBe(true);
    const f = torch.noGrad.wrap(function (a, b) {
      return [this && this.k, a + b, torch.isGradEnabled()];
    });
    expect(f.call({ k: 1 }, 2, 3)).toEqual([1, 5, false]);
    expect(torch.inferenceMode.wrap(() => torch.isInferenceModeEnabled())()).toBe(true);
    expect(torch.inferenceMode.wrap(false, () => torch.isInferenceModeEnabled())()).toBe(false);
    expect(torch.isInferenceModeEnabled()).toBe(false);
    torch.tidy(() => {
      const x = torch.ones([2], { requiresGrad: true });
      expect(torch.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
      const inf = torch.inferenceMode(() => x.mul(2));
      expect([inf.isInference(), inf.requiresGrad]).toEqual([true, false]);
    });
  });

  test('memory(): tensors, bytes, graphNodes, savedBytes; savedBytes falls after backward, graphNodes with the graph', () => {
    const m0 = torch.memory();
    expect(Object.keys(m0).sort()).toEqual(['bytes', 'graphNodes', 'savedBytes', 'tensors']);
    for (const v of Object.values(m0)) expect(Number.isInteger(v)).toBe(true);
    const a = torch.ones([100], { requiresGrad: true });
    const m1 = torch.memory();
    expect(m1.tensors).toBe(m0.tensors + 1);
    expect(m1.bytes).toBe(m0.bytes + 400);
    const b = a.mul(a);
    const s = b.sum();
    const m2 = torch.memory();
    expect(m2.savedBytes).toBe(m0.savedBytes + 800); // mul saves both operands
    expect(m2.graphNodes).toBeGreaterThan(m1.graphNodes);
    s.backward({ retainGraph: true });
    expect(torch.memory().savedBytes).toBe(m2.savedBytes); // retained
    s.backward();
    expect(torch.memory().savedBytes).toBe(m0.savedBytes); // freed by backward
    const nodes = torch.memory().graphNodes;
    s.dispose();
    b.dispose();
    expect(torch.memory().graphNodes).toBeLessThan(nodes);
    const g = a.grad;
    g.dispose();
    a.dispose();
    expect(torch.memory()).toEqual(m0);
    // autograd.grad frees saved tensors too.
    const c = torch.ones([10], { requiresGrad: true });
    const d = torch.tidy(() => c.mul(c).sum());
    expect(torch.memory().savedBytes).toBe(m0.savedBytes + 80);
    torch.dispose(torch.autograd.grad(d, c));
    expect(torch.memory().savedBytes).toBe(m0.savedBytes);
    torch.dispose([c, d]);
    expect(torch.memory()).toEqual(m0);
  });

  test('graphNodes counts the nodes reachable from live tensors, and nothing else', () => {
    const nodes = () => torch.memory().graphNodes;
    const g0 = nodes();
    const x = torch.ones([2], { requiresGrad: true });
    expect(nodes()).toBe(g0); // a leaf alone has no node
    const y = x.mul(2);
    expect(nodes()).toBe(g0 + 2); // MulBackward0 and x's AccumulateGrad
    const z = y.sum();
    expect(nodes()).toBe(g0 + 3);
    y.dispose();
    expect(nodes()).toBe(g0 + 3); // still reachable from z
    z.dispose();
    expect(nodes()).toBe(g0);
    const w = torch.noGrad(() => x.mul(2));
    expect(nodes()).toBe(g0);
    const v = x.view(2);
    expect(nodes()).toBe(g0 + 2);
    torch.dispose([v, w, x]);
    expect(nodes()).toBe(g0);
  });

  test('t.grad always reflects the current grad: after a second backward, zeroGrad, t.grad = null', () => {
    torch.tidy(() => {
      const x = torch.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
      expect(x.grad).toBeNull();
      x.mul(2).sum().backward();
      const g1 = x.grad;
      expect(x.grad).toBe(g1); // the same wrapper while it is the same grad
      x.mul(3).sum().backward();
      expect(x.grad.toArray()).toEqual([5, 5, 5]); // accumulated in place, as torch
      expect(g1.toArray()).toEqual([5, 5, 5]);
      x.grad = null;
      expect(x.grad).toBeNull();
      expect(g1.toArray()).toEqual([5, 5, 5]); // a wrapper the user holds stays valid
      x.mul(1).sum().backward();
      const g2 = x.grad;
      expect(g2).not.toBe(g1);
      expect(g2.toArray()).toEqual([1, 1, 1]);
      g2.dispose();
      expect(x.grad.toArray()).toEqual([1, 1, 1]); // a fresh wrapper after the old one was disposed
      const opt = new torch.optim.SGD([x], { lr: 0.1 });
      const g3 = x.grad;
      opt.zeroGrad();
      expect(x.grad.toArray()).toEqual([0, 0, 0]);
      expect(g3.toArray()).toEqual([0, 0, 0]); // zeroed in place (1.13's set_to_none=False)
      opt.zeroGrad({ setToNone: true });
      expect(x.grad).toBeNull();
      x.grad = torch.tensor([7, 8, 9], { dtype: 'float32' });
      expect(x.grad.toArray()).toEqual([7, 8, 9]);
      // A grad wrapper made inside a tidy is freed there; the next read makes a new one.
      torch.tidy(() => {
        expect(x.grad.toArray()).toEqual([7, 8, 9]);
      });
      expect(x.grad.toArray()).toEqual([7, 8, 9]);
      x.mul(2).sum().backward();
      expect(x.grad.toArray()).toEqual([9, 10, 11]);
    });
  });

  // ---- autograd extras ----
  test('autograd.grad(outputs, inputs, gradOutputs?, { retainGraph }) returns an array of Tensors', () => {
    torch.tidy(() => {
      const a = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
      const b = torch.tensor([3, 4], { dtype: 'float32', requiresGrad: true });
      const out = a.mul(b);
      const gs = torch.autograd.grad([out], [a, b], [torch.tensor([1, 0.5])], { retainGraph: true });
      expect(Array.isArray(gs)).toBe(true);
      expect(gs.map((g) => g.toArray())).toEqual([[3, 2], [1, 1]]);
      const [ga] = torch.autograd.grad(out.sum(), [a]);
      expect(ga.toArray()).toEqual([3, 4]);
      expect(a.grad).toBeNull(); // grad() does not accumulate into .grad
      expect(thrown(() => torch.autograd.grad(out.sum(), [a])).message).toBe(fixture.errors.backwardTwice);
    });
  });

  test('autograd.Function: a factory; apply, ctx.saveForBackward, ctx.savedTensors; forward below autograd', () => {
    torch.tidy(() => {
      let inside;
      const MyExp = torch.autograd.Function({
        forward(ctx, x, k) {
          const y = x.exp().mul(k);
          inside = [y.requiresGrad, y.gradFn, torch.isGradEnabled()];
          ctx.saveForBackward(y);
          return y;
        },
        backward(ctx, g) {
          const [y] = ctx.savedTensors;
          return [g.mul(y), null];
        },
      });
      expect(typeof MyExp.apply).toBe('function');
      const x = torch.tensor([0, 1], { dtype: 'float32', requiresGrad: true });
      const y = MyExp.apply(x, 2);
      expect(inside).toEqual([false, null, false]);
      expect(y.requiresGrad).toBe(true);
      expect(y.gradFn.name).toMatch(/Backward$/);
      y.sum().backward();
      close(values(x.grad), [2, 2 * Math.E]);
    });
  });

  // ---- nn, optim, weights ----
  test('nn.Module subclass: registration in assignment order, stateDict, namedParameters, parameters', () => {
    const { nn } = torch;
    const N = fixture.nn;
    class Net extends nn.Module {
      constructor() {
        super();
        this.fc1 = new nn.Linear(4, 8);
        this.act = new nn.ReLU();
        this.fc2 = new nn.Linear(8, 2, { bias: false });
        this.scale = new nn.Parameter(torch.ones([1]));
        this.registerBuffer('steps', torch.zeros([1]));
      }
      forward(x) {
        return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
      }
    }
    const net = new Net();
    expect(net).toBeInstanceOf(nn.Module);
    const sd = net.stateDict();
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(Object.keys(sd)).toEqual(N.stateDictKeys);
    for (const t of Object.values(sd)) expect(t).toBeInstanceOf(torch.Tensor);
    const named = net.namedParameters();
    expect(Array.isArray(named)).toBe(true);
    expect(named.map(([k]) => k)).toEqual(N.namedParameters);
    expect(named.every((p) => Array.isArray(p) && p.length === 2 && p[1] instanceof torch.Tensor)).toBe(true);
    const params = net.parameters();
    expect(params).toHaveLength(4);
    expect(params[1]).toBe(net.fc1.weight);
    expect(net.fc1.weight.shape).toEqual([8, 4]);
    expect(net.fc2.bias).toBeNull();
    expect(net.toString()).toBe(N.repr);
    expect(String(new nn.Parameter(torch.ones([2])))).toBe(N.parameterStr);
    torch.tidy(() => {
      expect(net.forward(torch.ones([3, 4])).shape).toEqual([3, 2]);
      expect(net.call(torch.ones([3, 4])).shape).toEqual([3, 2]);
    });
    expect(net.train()).toBe(net);
    expect([net.training, net.fc1.training]).toEqual([true, true]);
    expect(net.eval()).toBe(net);
    expect([net.training, net.fc1.training]).toEqual([false, false]);
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    expect(Object.keys(seq.stateDict())).toEqual(N.sequentialKeys);
    torch.tidy(() => expect(seq.forward(torch.ones([5, 2])).shape).toEqual([5, 1]));

    // loadStateDict: strict errors as PyTorch's, non-strict reports; a failure changes nothing.
    const bad = { ...sd };
    delete bad['fc1.bias'];
    bad.extra = torch.ones([1]);
    const w0 = net.fc1.weight.toArray();
    expect(thrown(() => net.loadStateDict(bad)).message).toBe(N.strictError);
    expect(thrown(() => net.loadStateDict({ ...sd, 'fc1.weight': torch.ones([3, 3]) })).message).toBe(N.sizeError);
    expect(net.fc1.weight.toArray()).toEqual(w0);
    const res = net.loadStateDict(bad, { strict: false });
    expect([res.missingKeys, res.unexpectedKeys]).toEqual([N.missingKeys, N.unexpectedKeys]);
    const other = new Net();
    other.loadStateDict(net.stateDict());
    expect(other.fc1.weight.toArray()).toEqual(w0);
    torch.dispose([Object.values(sd), bad.extra]);
    net.dispose();
    other.dispose();
    seq.dispose();
  });

  test('nn.Conv2d(inC, outC, k, { stride, padding, dilation, groups, bias }), nn.Dropout(p), nn.functional', () => {
    const { nn } = torch;
    const C = fixture.nn.conv;
    const conv = new nn.Conv2d(2, 4, 3, { stride: 2, padding: 1, dilation: 1, groups: 2, bias: false });
    expect(conv.toString()).toBe(C.repr);
    expect(conv.weight.shape).toEqual(C.weightShape);
    expect(conv.bias).toBeNull();
    torch.tidy(() => expect(conv.forward(torch.arange(144, { dtype: 'float32' }).reshape(2, 2, 6, 6).div(50)).shape).toEqual(C.outShape));
    const d = new nn.Conv2d(2, 4, 3);
    expect(d.toString()).toBe(C.defaultRepr);
    expect([d.stride, d.padding, d.dilation, d.groups]).toEqual([C.stride, C.padding, C.dilation, C.groups]);
    expect(d.bias.shape).toEqual([4]);
    const drop = new nn.Dropout(0.25);
    expect(drop.p).toBe(0.25);
    expect(drop.toString()).toBe(fixture.nn.dropout.repr);
    expect(new nn.Dropout().p).toBe(fixture.nn.dropout.defaultP);
    torch.tidy(() => {
      const x = torch.ones([1000]);
      const y = drop.forward(x);
      const kept = values(y).filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
      expect(drop.eval().forward(x).toArray()).toEqual(x.toArray());
      const F = nn.functional;
      for (const name of ['mseLoss', 'crossEntropy', 'relu', 'softmax', 'logSoftmax', 'linear', 'conv2d']) expect(typeof F[name]).toBe('function');
      expect(F.mseLoss(torch.tensor([1, 2.5]), torch.tensor([0, 2], { dtype: 'float32' })).item()).toBeCloseTo(0.625, 6);
      expect(F.crossEntropy(torch.tensor([[1, 2.5, 0.5]]), torch.tensor([1], { dtype: 'int32' })).item()).toBeCloseTo(0.30637, 4);
      expect(F.linear(torch.ones([2, 3]), torch.ones([4, 3]), torch.ones([4])).toArray()[0]).toEqual([4, 4, 4, 4]);
      expect(F.conv2d(torch.ones([1, 1, 3, 3]), torch.ones([1, 1, 2, 2])).toArray()).toEqual([[[[4, 4], [4, 4]]]]);
    });
    conv.dispose();
    d.dispose();
  });

  test('optim.SGD / optim.Adam: options, defaults and texts as torch, and their updates', () => {
    const { optim } = torch;
    const N = fixture.nn;
    const p = torch.ones([2], { requiresGrad: true });
    const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));
    expect(pick(new optim.SGD([p], { lr: 0.1 }).defaults, Object.keys(N.sgdDefaults))).toEqual(N.sgdDefaults);
    expect(pick(new optim.Adam([p]).defaults, Object.keys(N.adamDefaults))).toEqual(N.adamDefaults);
    expect(pick(new optim.Adam([p], {}).defaults, Object.keys(N.adamDefaults))).toEqual(N.adamDefaults);
    expect(thrown(() => new optim.SGD([p])).message).toBe(N.sgdNoLr);
    expect(thrown(() => new optim.SGD([p], { lr: -1 })).message).toBe(N.sgdNegativeLr);
    expect(thrown(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).message).toBe(N.sgdNesterov);
    expect(thrown(() => new optim.Adam([p], { betas: [1.0, 0.9] })).message).toBe(N.adamBeta);
    expect(thrown(() => new optim.Adam([p], { lr: -1 })).message).toBe(N.adamLr);
    const train = (make) => {
      const w = torch.tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
      const opt = make([w]);
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        torch.tidy(() => w.matmul(torch.tensor([1, 2], { dtype: 'float32' })).pow(2).sum().backward());
        opt.step();
      }
      const out = values(w);
      opt.dispose();
      w.dispose();
      return out;
    };
    close(train((ps) => new optim.SGD(ps, { lr: 0.01, momentum: 0.9, weightDecay: 0.1, nesterov: true })), N.sgdTrained);
    close(train((ps) => new optim.Adam(ps, { lr: 0.1, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1 })), N.adamTrained);
    p.dispose();
  });

  test('classes are constructed with new; torch.optim.SGD(params, { lr }) as API.md writes it also works without', () => {
    const { nn, optim } = torch;
    const lin = nn.Linear(3, 2, { bias: false });
    expect(lin).toBeInstanceOf(nn.Linear);
    expect(lin).toBeInstanceOf(nn.Module);
    expect(lin.bias).toBeNull();
    const seq = nn.Sequential(lin, nn.ReLU(), nn.Dropout(0.1));
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight']);
    class Wide extends nn.Linear {
      constructor() {
        super(2, 4);
        this.act = new nn.ReLU();
      }
    }
    const w = new Wide();
    expect(w).toBeInstanceOf(Wide);
    expect(w).toBeInstanceOf(nn.Linear);
    expect(w.namedParameters().map(([k]) => k)).toEqual(['weight', 'bias']);
    const sgd = optim.SGD(lin.parameters(), { lr: 0.5, momentum: 0.9 });
    expect(sgd).toBeInstanceOf(optim.SGD);
    expect(sgd).toBeInstanceOf(optim.Optimizer);
    expect([sgd.defaults.lr, sgd.defaults.momentum]).toEqual([0.5, 0.9]);
    const adam = optim.Adam(lin.parameters(), { lr: 0.01 });
    expect(adam.defaults.lr).toBe(0.01);
    for (const m of [seq, w]) m.dispose();
  });

  test('saveSafetensors(dict) -> Uint8Array; loadSafetensors(bytes) -> { name: Tensor }', () => {
    torch.tidy(() => {
      const dict = { 'b.weight': torch.tensor([[1, 2]], { dtype: 'float32' }), a: torch.tensor([3, 4], { dtype: 'int32' }), m: torch.tensor([true]) };
      const bytes = torch.saveSafetensors(dict);
      expect(bytes).toBeInstanceOf(Uint8Array);
      const back = torch.loadSafetensors(bytes);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.keys(back).sort()).toEqual(['a', 'b.weight', 'm']);
      expect(back['b.weight'].toArray()).toEqual([[1, 2]]);
      expect([back.a.dtype, back.m.dtype]).toEqual(['int32', 'bool']);
      expect(torch.loadSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).a.toArray()).toEqual([3, 4]);
    });
  });
});
