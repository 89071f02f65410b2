// Every elementwise op of API.md at the special float32 values (±0, ±inf, NaN, subnormals, the
// float32 extremes, ±1, around exp's overflow), on both builds, against torch 1.13.1
// (tests/fixtures/generate_special_values.py → special_values.json; tests/cpp/special_values_test.cpp
// runs the same natively).
//
// Each value (binary ops: each ordered pair) fills a row of 37 elements, so the 16-wide and
// 4-wide SIMD loops and the scalar tail all see it; the rows are narrowed from wider ones so
// that the loops cannot merge them. Layouts: contiguous rows, transposed (the strided loop),
// and for binary ops either side broadcast along the row (the splat loops). Every element must
// have torch's class (NaN, ±inf, ±0, ±subnormal, ±normal), sign included; normal and subnormal
// values agree within rtol 1e-5 (exp and tanh are within 1.3 ulp, Note [Vectorised exp]).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, '..', 'fixtures', 'special_values.json'), 'utf8'));
const dec = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const VALUES = fixture.values.map(dec);
const ROW = fixture.row;
const NORMAL_MIN = 2 ** -126;

function valueClass(v) {
  if (typeof v === 'boolean') return String(v);
  if (Number.isNaN(v)) return 'nan';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '+';
  if (!Number.isFinite(v)) return `${sign}inf`;
  if (v === 0) return `${sign}0`;
  return sign + (Math.abs(v) < NORMAL_MIN ? 'subnormal' : 'normal');
}
// Same class and sign; finite nonzero values within rtol 1e-5 (or two subnormal steps).
function agrees(actual, expected) {
  if (valueClass(actual) !== valueClass(expected)) return false;
  if (typeof expected === 'boolean' || !Number.isFinite(expected) || expected === 0) return true;
  return Math.abs(actual - expected) <= Math.max(1e-5 * Math.abs(expected), 2 ** -148);
}

// Softmax gradients y * (w - sum(w * y)) cancel where w is near the weighted sum: there the
// sum's rounding (its order) decides the last digits and the sign of a tiny result, so they are
// compared with an absolute tolerance (the fixtures' usual 1e-5 scale); NaN and inf exactly.
function agreesLoosely(actual, expected) {
  if (!Number.isFinite(expected)) return valueClass(actual) === valueClass(expected);
  return Number.isFinite(actual) && Math.abs(actual - expected) <= 1e-5 + 1e-5 * Math.abs(expected);
}

// rows[k] repeated over a row: a [n, ROW] view narrowed from [n, ROW + 1] (rows that the
// loops cannot merge), or its transposed twin (a strided loop).
function rowsOf(torch, values, layout) {
  const n = values.length;
  if (layout === 'transposed') {
    const data = new Float32Array(ROW * n);
    for (let c = 0; c < ROW; c++) for (let k = 0; k < n; k++) data[c * n + k] = values[k];
    return torch.tensor(data, { shape: [ROW, n] }).t();
  }
  if (layout === 'column') return torch.tensor(Float32Array.from(values), { shape: [n, 1] });
  const data = new Float32Array(n * (ROW + 1));
  for (let k = 0; k < n; k++) data.fill(values[k], k * (ROW + 1), (k + 1) * (ROW + 1));
  return torch.tensor(data, { shape: [n, ROW + 1] }).narrow(1, 0, ROW);
}

function applyUnary(torch, c, x) {
  const args = c.args.map((a) => (a === null ? null : dec(a)));
  if (c.op === 'clamp') return x.clamp(args[0], args[1]);
  if (c.op === 'pow') return x.pow(args[0]);
  if (c.op === 'rpow') return torch.pow(args[0], x);
  return x[c.op]();
}
function applyBinary(torch, c, a, b) {
  if (c.op === 'whereGt') return torch.where(a.gt(b), a, b);
  if (c.alpha !== undefined) return a[c.op](b, { alpha: c.alpha });
  return a[c.op](b);
}

// Checks out (a [n, ROW] tensor or n * ROW values) row by row against expected[k].
function check(failures, what, out, expected) {
  const got = out.data ? out.contiguous().data() : out;
  const isBool = out.dtype === 'bool';
  expected.forEach((e, k) => {
    const want = dec(e);
    for (let c = 0; c < ROW; c++) {
      const g = isBool ? Boolean(got[k * ROW + c]) : got[k * ROW + c];
      if (!agrees(g, want)) {
        failures.push(`${what} #${k} col ${c}: got ${Object.is(g, -0) ? '-0' : g}, torch ${Object.is(want, -0) ? '-0' : want}`);
        return;
      }
    }
  });
}

const loaded = {};
beforeAll(async () => {
  for (const [name, loadEngine] of builds) loaded[name] = await loadEngine();
});

const byKind = (kind) => fixture.cases.filter((c) => c.kind === kind).map((c) => [c.name, c]);

describe.each(builds)('special values on %s', (backend) => {
  let torch;
  beforeAll(() => {
    torch = loaded[backend];
  });

  test('the fixture covers every value and op', () => {
    expect(VALUES.length).toBeGreaterThanOrEqual(21);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(55);
  });

  test.each(byKind('unary'))('%s', (name, c) => {
    const failures = [];
    torch.tidy(() => {
      for (const layout of ['rows', 'transposed']) check(failures, `${layout}`, applyUnary(torch, c, rowsOf(torch, VALUES, layout)), c.expect);
      if (c.grad) {
        const grads = [];
        for (const v of VALUES) {
          const x = torch.full([ROW], v, { dtype: 'float32', requiresGrad: true });
          const y = applyUnary(torch, c, x);
          y.backward(torch.onesLike(y));
          grads.push(...x.grad.data());
        }
        check(failures, 'grad', grads, c.grad);
      }
    });
    expect(failures).toEqual([]);
  });

  test.each(byKind('binary'))('%s', (name, c) => {
    const n = VALUES.length;
    const as = [], bs = [];
    for (const a of VALUES) for (const b of VALUES) as.push(a), bs.push(b);
    const failures = [];
    torch.tidy(() => {
      const layouts = [['rows', 'rows'], ['rows', 'column'], ['column', 'rows'], ['transposed', 'rows']];
      for (const [la, lb] of layouts)
        check(failures, `${la}/${lb}`, applyBinary(torch, c, rowsOf(torch, as, la), rowsOf(torch, bs, lb)), c.expect);
      if (c.gradSelf) {
        const a = rowsOf(torch, as, 'rows').contiguous().requiresGrad_();
        const b = rowsOf(torch, bs, 'rows').contiguous().requiresGrad_();
        const y = applyBinary(torch, c, a, b);
        y.backward(torch.onesLike(y));
        check(failures, 'grad self', a.grad, c.gradSelf);
        check(failures, 'grad other', b.grad, c.gradOther);
      }
    });
    expect(n * n).toBe(c.expect.length);
    expect(failures).toEqual([]);
  });

  test.each(byKind('rows'))('%s rows', (name, c) => {
    const failures = [];
    torch.tidy(() => {
      const x = torch.tensor(c.rows.map((r) => r.map(dec)), { dtype: 'float32', requiresGrad: true });
      const y = x[c.op](1);
      y.backward(torch.tensor(c.weights, { dtype: 'float32' }));
      const flat = (rows) => rows.flat();
      const yd = y.data(), gd = x.grad.data();
      flat(c.expect).forEach((e, i) => {
        if (!agrees(yd[i], dec(e))) failures.push(`value [${Math.floor(i / ROW)}, ${i % ROW}]: got ${yd[i]}, torch ${dec(e)}`);
      });
      flat(c.grad).forEach((e, i) => {
        if (!agreesLoosely(gd[i], dec(e))) failures.push(`grad [${Math.floor(i / ROW)}, ${i % ROW}]: got ${gd[i]}, torch ${dec(e)}`);
      });
    });
    expect(failures.slice(0, 30)).toEqual([]);
  });
});
