// The SIMD elementwise kernels on both builds (tests/cpp/kernels_math_test.cpp covers the
// scalar twin natively): relu / clamp with pmax / pmin on PyTorch 1.13's edge values,
// Note [Vectorised exp] on its special values and equal bit for bit in both builds, and
// Note [Fused softmax] on contiguous and strided rows. Expected values from torch 1.13.1
// (the commands are in the comments).
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

const EDGE = [-0, 0, NaN, -1.5, 2.5, -Infinity, Infinity];
// 22 values: the 16-wide, 4-wide and scalar tail loops all see the edge values (-0 in each).
const edge = () => [...EDGE, ...EDGE, ...EDGE, -0];
const sameValue = (actual, expected) => actual.forEach((a, i) => expect([i, a]).toEqual([i, expected[i % expected.length]]));
const close = (a, e, rtol = 1e-5, atol = 1e-6) => Math.abs(a - e) <= atol + rtol * Math.abs(e);

function lcg(n, seed, scale) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

const loaded = {};
beforeAll(async () => {
  for (const [name, loadEngine] of builds) loaded[name] = await loadEngine();
});

describe.each(builds)('elementwise kernels on %s', (backend) => {
  let torch;
  beforeAll(() => {
    torch = loaded[backend];
  });

  test('relu keeps -0 and NaN as torch does (relu, relu_)', () => {
    // torch.relu(tensor([-0., 0., nan, -1.5, 2.5, -inf, inf])) = [-0., 0., nan, 0., 2.5, 0., inf]
    const want = [-0, 0, NaN, 0, 2.5, 0, Infinity];
    sameValue(Array.from(torch.tensor(edge()).relu().data()), want);
    const t = torch.tensor(edge());
    t.relu_();
    sameValue(Array.from(t.data()), want);
  });

  test('clamp: signed zeros as torch, a single NaN bound is ignored', () => {
    // torch.clamp(x, min=-0., max=0.).signbit() = [T, F, F, T, F, T, F]
    sameValue(Array.from(torch.tensor(edge()).clamp(-0, 0).data()), [-0, 0, NaN, -0, 0, -0, 0]);
    // torch.clamp(x, min=nan) and torch.clamp(x, max=nan) return x
    sameValue(Array.from(torch.tensor(edge()).clamp(NaN).data()), EDGE);
    sameValue(Array.from(torch.tensor(edge()).clamp(null, NaN).data()), EDGE);
  });

  test('exp special values', () => {
    // torch.exp(tensor([nan, inf, -inf, 0., 88.72283, 88.7229, -87.33655, -103.9, -104.5, 1., -5.]))
    const x = [NaN, Infinity, -Infinity, 0, 88.72283, 88.7229, -87.33655, -103.9, -104.5, 1, -5];
    const want = [NaN, Infinity, 0, 1, 3.402798519021476e38, Infinity, 1.1754907074462803e-38, 1.401298464324817e-45, 0, 2.7182817459106445, 0.0067379469983279705];
    // Three copies so every value also goes through the vector loop.
    const got = Array.from(torch.tensor([...x, ...x, ...x]).exp().data());
    got.forEach((g, i) => {
      const w = want[i % want.length];
      if (Number.isNaN(w) || !Number.isFinite(w) || w === 0) expect([i, g]).toEqual([i, w]);
      else expect([i, close(g, w)]).toEqual([i, true]);
    });
  });

  test('tanh special values', () => {
    // torch.tanh(tensor([-0., 0., nan, -1.5, 2.5, -inf, inf])) = [-0., 0., nan, -0.9051482, 0.9866143, -1., 1.]
    const want = [-0, 0, NaN, -0.9051482, 0.9866143, -1, 1];
    Array.from(torch.tensor(edge()).tanh().data()).forEach((g, i) => {
      const w = want[i % 7];
      if (w === 0 || !Number.isFinite(w) || Math.abs(w) === 1) expect([i, g]).toEqual([i, w]);
      else expect([i, close(g, w)]).toEqual([i, true]);
    });
  });

  test('softmax and logSoftmax: NaN, inf and -inf rows as torch', () => {
    // torch.softmax of [1, nan, 3], [1, inf, 3] and [-inf]*3: all NaN;
    // torch.log_softmax(tensor([-inf, 1., 2.])) = [-inf, -1.31326162815094, -0.31326165795326233]
    for (const n of [3, 21]) {
      for (const special of [NaN, Infinity]) {
        const v = Array.from(lcg(n, 3, 2));
        v[n - 2] = special;
        expect(Array.from(torch.tensor(v).softmax(0).data()).every(Number.isNaN)).toBe(true);
        expect(Array.from(torch.tensor(v).logSoftmax(0).data()).every(Number.isNaN)).toBe(true);
      }
      expect(Array.from(torch.tensor(new Array(n).fill(-Infinity)).softmax(0).data()).every(Number.isNaN)).toBe(true);
    }
    const ls = Array.from(torch.tensor([-Infinity, 1, 2]).logSoftmax(0).data());
    expect(ls[0]).toBe(-Infinity);
    expect(close(ls[1], -1.31326162815094) && close(ls[2], -0.31326165795326233)).toBe(true);
  });

  test('softmax over the last dim and over a leading dim agree with a double reference', () => {
    for (const [rows, n] of [[5, 37], [8, 16], [3, 1000]]) {
      const v = lcg(rows * n, rows + n, 6);
      const x = torch.tensor(v, { shape: [rows, n] });
      const ref = [];
      for (let r = 0; r < rows; r++) {
        const row = Array.from(v.subarray(r * n, (r + 1) * n));
        const m = Math.max(...row);
        const s = row.reduce((a, b) => a + Math.exp(b - m), 0);
        ref.push(row.map((b) => [Math.exp(b - m) / s, b - m - Math.log(s)]));
      }
      const last = Array.from(x.softmax(1).data());
      const lastLog = Array.from(x.logSoftmax(1).data());
      // The same rows laid out as columns: softmax over dim 0 of the transposed copy.
      const xt = x.transpose(0, 1).contiguous();
      const lead = Array.from(xt.softmax(0).data());
      const leadLog = Array.from(xt.logSoftmax(0).data());
      for (let r = 0; r < rows; r++)
        for (let i = 0; i < n; i++) {
          const [p, lp] = ref[r][i];
          expect(close(last[r * n + i], p) && close(lead[i * rows + r], p)).toBe(true);
          expect(close(lastLog[r * n + i], lp) && close(leadLog[i * rows + r], lp)).toBe(true);
        }
    }
  });
});

test('exp, sigmoid, tanh and softmax are bit-identical in the SIMD build and its scalar twin', () => {
  const x = lcg(4099, 11, 90);
  const out = {};
  for (const [name] of builds) {
    const torch = loaded[name];
    const t = torch.tensor(x, { shape: [4099] });
    const s = torch.tensor(x.subarray(0, 64 * 64), { shape: [64, 64] });
    // Rows spanning under 87 (x * 0.45) take exp_normal in the SIMD build (Note [Fused softmax]).
    const narrow = torch.tensor(x.subarray(0, 64 * 64).map((v) => v * 0.45), { shape: [64, 64] });
    // A max of 0 and 4096 shifts down to -87: the sum rounds to exactly 1, so the outputs are
    // the exps themselves, subnormal results near -87 included.
    const sweep = new Float32Array(4097);
    for (let i = 1; i < sweep.length; i++) sweep[i] = -87 + (57 * (i - 1)) / 4095;
    const row = torch.tensor(sweep, { shape: [4097] });
    out[name] = [t.exp(), t.sigmoid(), t.tanh(), s.softmax(1), s.softmax(0), s.logSoftmax(1), narrow.softmax(1),
      narrow.logSoftmax(1), row.softmax(0)].map((r) => Array.from(r.data()));
  }
  const [a, b] = builds.map(([name]) => out[name]);
  a.forEach((values, k) => expect([k, values]).toEqual([k, b[k]]));
});
