// The workloads every engine runs, with deterministic data (the same numbers in every
// engine, so their outputs can be cross-checked before anything is timed).

export const ELEMENTWISE_N = 1 << 20;
export const MATMUL_SIZES = [128, 256, 512, 1024];
export const MLP = { batch: 64, in: 784, hidden: 256, out: 10, lr: 0.01 };
export const SOFTMAX = [64, 1000];
// A small CNN layer: batch 8, 16 -> 32 channels, 3x3, 32x32 image, padding 1 (same size).
export const CONV = { n: 8, c: 16, h: 32, w: 32, k: 32, r: 3, s: 3, pad: 1 };

export const flops = {
  matmul: (n) => 2 * n * n * n,
  mlpForward: () => 2 * MLP.batch * (MLP.in * MLP.hidden + MLP.hidden * MLP.out),
  // forward + two products per layer in backward (the input gradient of layer 1 is not needed)
  trainStep: () => 2 * MLP.batch * (3 * MLP.in * MLP.hidden + 3 * MLP.hidden * MLP.out) - 2 * MLP.batch * MLP.in * MLP.hidden,
  conv: () => 2 * CONV.n * CONV.k * CONV.h * CONV.w * CONV.c * CONV.r * CONV.s,
  // forward, then the input gradient and the weight gradient: each the forward's product count
  convTrain: () => 3 * flops.conv(),
};

// A small LCG: reproducible values in [-scale, scale).
export function data(n, seed = 1, scale = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

// The MLP's parameters in PyTorch's nn.Linear layout (weight [out, in]) and the batch.
export function mlpData() {
  const { batch, in: nin, hidden, out } = MLP;
  return {
    x: data(batch * nin, 11),
    y: data(batch * out, 12),
    w1: data(hidden * nin, 13, 1 / Math.sqrt(nin)),
    b1: data(hidden, 14, 0.1),
    w2: data(out * hidden, 15, 1 / Math.sqrt(hidden)),
    b2: data(out, 16, 0.1),
  };
}

// [out, in] -> [in, out], for engines whose dense layers take weights that way.
export function transposed(w, rows, cols) {
  const t = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
  return t;
}
