// The float64 reference of every checked benchmark row, computed in plain JavaScript from the
// same float32 inputs the engines get (lib/workloads.mjs), with the error each float32
// result may have (Note [Reference tolerances]). No engine is the reference: webtorch is
// checked like the others.
//
// Note [Reference tolerances]
// u = 2^-24 is float32's unit roundoff. Each row states the largest error a correct float32
// computation can make, element by element:
// - add, mul: the float64 result of two float32 numbers is exact, and a correct float32 op
//   rounds it once: |err| ≤ u·|ref| (tight: a correctly rounding engine reaches 100 % of it).
// - relu: exact (err = 0).
// - exp: library exps are polynomial approximations, not correctly rounded: EXP_ULPS ulps,
//   |err| ≤ EXP_REL·|ref|.
// - sums of products (matmul, conv2d and its gradients, the dense layers): for any summation
//   order, blocking or fused multiply-add, |err| ≤ γ(K)·Σ|terms| with γ(K) = K·u/(1 − K·u)
//   (Higham, Accuracy and Stability of Numerical Algorithms, §3.1), K the number of terms.
//   Σ|terms| is computed alongside the reference, element by element (for matmul it is
//   bounded by Cauchy–Schwarz instead, to save a second 1024³ product). A kernel that drops,
//   repeats or misplaces a term misses this bound by about the size of a term.
// - MLP forward: the first layer's bound, carried through relu (1-Lipschitz) and the second
//   layer's weights, plus the second layer's own γ bound (first order).
// - softmax: exp(x − max) / Σ exp: the rounding of x − max (u·|x − max|, through exp), two
//   exps and the sum's γ(K), the division u; times SOFTMAX_SLACK, because engines may
//   rearrange it (exp(x − max − log Σ)), which moves the same errors around.
// - the training step's loss: checked before timing on the first two steps (the second
//   step's loss shows the first step's gradients and update) and after timing at the step
//   count the engine reached, against the float64 run of the same steps; relative
//   tolerance LOSS_RTOL (float32 rounding of a 784-wide layer is ~1e-6 relative; SGD at this
//   rate does not amplify it).

import { CONV, ELEMENTWISE_N, MLP, SOFTMAX, data, mlpData } from './workloads.mjs';

const U = 2 ** -24;
export const EXP_ULPS = 8;
const EXP_REL = EXP_ULPS * 2 * U; // one ulp of a float32 in [1, 2) is 2u
const SOFTMAX_SLACK = 2;
export const LOSS_RTOL = 1e-4;
const gamma = (k) => (k * U) / (1 - k * U);

// { values: Float64Array, allowed: Float64Array (largest correct |err| per element), rule }
function result(values, allowed, rule) {
  return { values, allowed, rule };
}

export function elementwise(op) {
  const a = data(ELEMENTWISE_N, 1);
  const b = data(ELEMENTWISE_N, 2);
  const v = new Float64Array(ELEMENTWISE_N);
  const allowed = new Float64Array(ELEMENTWISE_N);
  const f = { add: (i) => a[i] + b[i], mul: (i) => a[i] * b[i], relu: (i) => (a[i] > 0 ? a[i] : 0), exp: (i) => Math.exp(a[i]) }[op];
  const rel = { add: U, mul: U, relu: 0, exp: EXP_REL }[op];
  for (let i = 0; i < ELEMENTWISE_N; i++) {
    v[i] = f(i);
    allowed[i] = rel * Math.abs(v[i]);
  }
  const rule = { add: 'u·|ref| (one rounding)', mul: 'u·|ref| (one rounding)', relu: 'exact', exp: `${EXP_ULPS} ulp` }[op];
  return result(v, allowed, rule);
}

// C = A·B for n×n row-major A, B (float32 inputs), four rows of A at a time so each row of
// B is read once per four rows of C.
function matmul64(A, B, n) {
  const a = Float64Array.from(A);
  const b = Float64Array.from(B);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i += 4) {
    const rows = Math.min(4, n - i);
    for (let p = 0; p < n; p++) {
      const bo = p * n;
      for (let q = 0; q < rows; q++) {
        const x = a[(i + q) * n + p];
        const co = (i + q) * n;
        for (let j = 0; j < n; j++) c[co + j] += x * b[bo + j];
      }
    }
  }
  return c;
}

// Euclidean norms of the rows (byRows) or the columns of an n×n row-major matrix.
function norms(M, n, byRows) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[byRows ? i : j] += M[i * n + j] ** 2;
  return out.map(Math.sqrt);
}

// Σ_k |a_ik·b_kj| ≤ ‖row i of A‖·‖column j of B‖ (Cauchy–Schwarz): the γ bound with this
// magnitude is still a bound, at the cost of one more matmul saved (about 4/3 looser on
// these uniform inputs).
export function matmul(n) {
  const A = data(n * n, 3);
  const B = data(n * n, 4);
  const c = matmul64(A, B, n);
  const ra = norms(A, n, true);
  const cb = norms(B, n, false);
  const g = gamma(n);
  const allowed = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) allowed[i * n + j] = g * ra[i] * cb[j];
  return result(c, allowed, `γ(${n})·‖a_i‖·‖b_j‖`);
}

// x·Wᵀ + b for W [out, in] (nn.Linear's layout): values and Σ|terms| (bias included).
function linear(x, w, bias, batch, nin, nout) {
  const v = new Float64Array(batch * nout);
  const s = new Float64Array(batch * nout);
  for (let r = 0; r < batch; r++) {
    for (let o = 0; o < nout; o++) {
      let acc = bias[o];
      let mag = Math.abs(bias[o]);
      const xo = r * nin;
      const wo = o * nin;
      for (let i = 0; i < nin; i++) {
        const t = x[xo + i] * w[wo + i];
        acc += t;
        mag += Math.abs(t);
      }
      v[r * nout + o] = acc;
      s[r * nout + o] = mag;
    }
  }
  return { v, s };
}

export function mlpForward() {
  const d = mlpData();
  const { batch, in: nin, hidden, out } = MLP;
  const l1 = linear(d.x, d.w1, d.b1, batch, nin, hidden);
  const h = l1.v.map((z) => (z > 0 ? z : 0));
  const e1 = l1.s.map((m) => gamma(nin + 1) * m); // |h' − h| ≤ e1 (relu is 1-Lipschitz)
  const y = new Float64Array(batch * out);
  const allowed = new Float64Array(batch * out);
  const g2 = gamma(hidden + 1);
  for (let r = 0; r < batch; r++) {
    for (let o = 0; o < out; o++) {
      let acc = d.b2[o];
      let mag = Math.abs(d.b2[o]);
      let carried = 0;
      for (let j = 0; j < hidden; j++) {
        const w = d.w2[o * hidden + j];
        acc += h[r * hidden + j] * w;
        mag += (Math.abs(h[r * hidden + j]) + e1[r * hidden + j]) * Math.abs(w);
        carried += e1[r * hidden + j] * Math.abs(w);
      }
      y[r * out + o] = acc;
      allowed[r * out + o] = g2 * mag + carried;
    }
  }
  return result(y, allowed, `γ(785), γ(257) through the layers`);
}

export function softmax() {
  const [rows, cols] = SOFTMAX;
  const x = data(rows * cols, 5, 4);
  const y = new Float64Array(rows * cols);
  const allowed = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
    let sum = 0;
    let worstShift = 0;
    for (let j = 0; j < cols; j++) {
      y[o + j] = Math.exp(x[o + j] - max);
      sum += y[o + j];
      worstShift = Math.max(worstShift, U * (max - x[o + j]));
    }
    const sumRel = worstShift + EXP_REL + gamma(cols);
    for (let j = 0; j < cols; j++) {
      y[o + j] /= sum;
      allowed[o + j] = SOFTMAX_SLACK * y[o + j] * (U * (max - x[o + j]) + EXP_REL + sumRel + U);
    }
  }
  return result(y, allowed, `exp ${EXP_ULPS} ulp, γ(${cols}) sum, ×${SOFTMAX_SLACK}`);
}

function convInputs() {
  const { n, c, h, w, k, r, s } = CONV;
  return { x: data(n * c * h * w, 6), wt: data(k * c * r * s, 7, 0.1), gy: data(n * k * h * w, 8) };
}

// Calls f(ni, ki, ci, oy, ox, iy, ix, ry, sx) for every product term of the convolution
// (stride 1, padding CONV.pad, output the input's size): out[ni,ki,oy,ox] += x[ni,ci,iy,ix]·w[ki,ci,ry,sx].
function forEachConvTerm(f) {
  const { n, c, h, w, k, r, s, pad } = CONV;
  for (let ni = 0; ni < n; ni++)
    for (let ki = 0; ki < k; ki++)
      for (let ci = 0; ci < c; ci++)
        for (let ry = 0; ry < r; ry++)
          for (let sx = 0; sx < s; sx++)
            for (let oy = 0; oy < h; oy++) {
              const iy = oy + ry - pad;
              if (iy < 0 || iy >= h) continue;
              for (let ox = 0; ox < w; ox++) {
                const ix = ox + sx - pad;
                if (ix < 0 || ix >= w) continue;
                f(ni, ki, ci, oy, ox, iy, ix, ry, sx);
              }
            }
}

// The three products of a convolution layer, each with Σ|terms|: the output, the input
// gradient and the weight gradient for the output gradient gy.
function convProducts() {
  const { n, c, h, w, k, r, s } = CONV;
  const { x, wt, gy } = convInputs();
  const out = { v: new Float64Array(n * k * h * w), s: new Float64Array(n * k * h * w) };
  const gx = { v: new Float64Array(n * c * h * w), s: new Float64Array(n * c * h * w) };
  const gw = { v: new Float64Array(k * c * r * s), s: new Float64Array(k * c * r * s) };
  forEachConvTerm((ni, ki, ci, oy, ox, iy, ix, ry, sx) => {
    const xi = ((ni * c + ci) * h + iy) * w + ix;
    const wi = ((ki * c + ci) * r + ry) * s + sx;
    const oi = ((ni * k + ki) * h + oy) * w + ox;
    const a = x[xi] * wt[wi];
    out.v[oi] += a;
    out.s[oi] += Math.abs(a);
    const b = gy[oi] * wt[wi];
    gx.v[xi] += b;
    gx.s[xi] += Math.abs(b);
    const g = gy[oi] * x[xi];
    gw.v[wi] += g;
    gw.s[wi] += Math.abs(g);
  });
  return { out, gx, gw };
}

let convCache = null;
const conv = () => (convCache ??= convProducts());

export function conv2d() {
  const { c, r, s } = CONV;
  const g = gamma(c * r * s);
  const { out } = conv();
  return result(out.v, out.s.map((m) => g * m), `γ(${c * r * s})·Σ|x·w|`);
}

// The input gradient followed by the weight gradient, as the engines' outputs are laid out.
export function conv2dTrain() {
  const { n, k, h, w, r, s } = CONV;
  const { gx, gw } = conv();
  const gIn = gamma(k * r * s);
  const gW = gamma(n * h * w);
  const values = new Float64Array(gx.v.length + gw.v.length);
  const allowed = new Float64Array(values.length);
  values.set(gx.v);
  values.set(gw.v, gx.v.length);
  allowed.set(gx.s.map((m) => gIn * m));
  allowed.set(gw.s.map((m) => gW * m), gx.v.length);
  return result(values, allowed, `γ(${k * r * s})·Σ|gy·w|, γ(${n * h * w})·Σ|gy·x|`);
}

// The transposed convolution of gy with the same weight (in = CONV.k, out = CONV.c channels):
// the convolution's input gradient.
export function convTranspose2d() {
  const { k, r, s } = CONV;
  const g = gamma(k * r * s);
  const { gx } = conv();
  return result(gx.v, gx.s.map((m) => g * m), `γ(${k * r * s})·Σ|gy·w|`);
}

export const REFERENCES = { elementwise, matmul, mlpForward, softmax, conv2d, conv2dTrain, convTranspose2d };

// Compares an engine's output with a reference: the largest |err|, the largest |err| /
// allowed (≤ 1 passes), and the first element that fails.
export function compareToReference(output, ref) {
  if (!output || output.length !== ref.values.length) return { ok: false, maxAbsError: Infinity, worst: Infinity, reason: `length ${output?.length} against ${ref.values.length}` };
  let maxAbsError = 0;
  let worst = 0;
  let firstBad = -1;
  for (let i = 0; i < output.length; i++) {
    const err = Math.abs(output[i] - ref.values[i]);
    if (!(err <= ref.allowed[i]) && firstBad < 0) firstBad = i;
    const ratio = err === 0 ? 0 : ref.allowed[i] > 0 ? err / ref.allowed[i] : Infinity;
    worst = Math.max(worst, Number.isNaN(ratio) ? Infinity : ratio);
    maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Infinity : err);
  }
  const ok = firstBad < 0;
  return {
    ok,
    maxAbsError,
    worst,
    reason: ok ? null : `element ${firstBad}: ${output[firstBad]} against ${ref.values[firstBad]} (allowed |err| ${ref.allowed[firstBad].toExponential(2)}, rule ${ref.rule})`,
  };
}

// ---- the MLP training step (MSE, SGD), in float64 ----

// The loss before each update: losses[t] is the loss at the parameters after t steps.
// Grown on demand and shared by the engines (each reaches its own step count).
export function createTrainingReference() {
  const d = mlpData();
  d.x = Float64Array.from(d.x);
  const { batch, in: nin, hidden, out, lr } = MLP;
  const p = { w1: Float64Array.from(d.w1), b1: Float64Array.from(d.b1), w2: Float64Array.from(d.w2), b2: Float64Array.from(d.b2) };
  const losses = [];
  const z1 = new Float64Array(batch * hidden);
  const h = new Float64Array(batch * hidden);
  const dOut = new Float64Array(batch * out);
  const dz = new Float64Array(batch * hidden);
  const gw1 = new Float64Array(hidden * nin);
  const gb1 = new Float64Array(hidden);
  const gw2 = new Float64Array(out * hidden);
  const gb2 = new Float64Array(out);

  function step() {
    // forward
    for (let r = 0; r < batch; r++)
      for (let j = 0; j < hidden; j++) {
        let acc = p.b1[j];
        for (let i = 0; i < nin; i++) acc += d.x[r * nin + i] * p.w1[j * nin + i];
        z1[r * hidden + j] = acc;
        h[r * hidden + j] = acc > 0 ? acc : 0;
      }
    let loss = 0;
    for (let r = 0; r < batch; r++)
      for (let o = 0; o < out; o++) {
        let acc = p.b2[o];
        for (let j = 0; j < hidden; j++) acc += h[r * hidden + j] * p.w2[o * hidden + j];
        const diff = acc - d.y[r * out + o];
        loss += diff * diff;
        dOut[r * out + o] = (2 * diff) / (batch * out); // d mean(diff²)
      }
    losses.push(loss / (batch * out));
    // backward
    gw2.fill(0);
    gb2.fill(0);
    dz.fill(0);
    for (let r = 0; r < batch; r++)
      for (let o = 0; o < out; o++) {
        const g = dOut[r * out + o];
        gb2[o] += g;
        for (let j = 0; j < hidden; j++) {
          gw2[o * hidden + j] += g * h[r * hidden + j];
          dz[r * hidden + j] += g * p.w2[o * hidden + j];
        }
      }
    for (let k = 0; k < dz.length; k++) if (!(z1[k] > 0)) dz[k] = 0; // relu's gradient: 1 where z > 0
    gw1.fill(0);
    gb1.fill(0);
    for (let r = 0; r < batch; r++)
      for (let j = 0; j < hidden; j++) {
        const g = dz[r * hidden + j];
        if (g === 0) continue;
        gb1[j] += g;
        const wo = j * nin;
        const xo = r * nin;
        for (let i = 0; i < nin; i++) gw1[wo + i] += g * d.x[xo + i];
      }
    // SGD
    for (const [w, g] of [[p.w1, gw1], [p.b1, gb1], [p.w2, gw2], [p.b2, gb2]]) for (let k = 0; k < w.length; k++) w[k] -= lr * g[k];
  }

  return {
    /** The float64 loss at the parameters after `t` steps. */
    lossAfter(t) {
      while (losses.length <= t) step();
      return losses[t];
    },
  };
}

export function compareLoss(loss, refLoss) {
  const err = Math.abs(loss - refLoss);
  const ok = err <= LOSS_RTOL * Math.abs(refLoss);
  return { ok, maxAbsError: Number.isNaN(err) ? Infinity : err, worst: err / (LOSS_RTOL * Math.abs(refLoss)), reason: ok ? null : `loss ${loss} against ${refLoss} (relative tolerance ${LOSS_RTOL})` };
}
