// webtorch's side of every benchmark row. Inference rows run inside inferenceMode (entered
// once around the batch, as a real forward pass is wrapped); the training step records.

import { load } from '../../dist/index.mjs';
import { CONV, ELEMENTWISE_N, MLP, SOFTMAX, data, mlpData } from '../lib/workloads.mjs';

export async function createWebtorch(loadOptions = {}) {
  const torch = await load(loadOptions);
  const im = (f) => torch.inferenceMode(f);
  const F = torch.nn && torch.nn.functional;

  const rows = {
    tinyOp() {
      const av = new Float32Array([1, 2, 3, 4]);
      const bv = new Float32Array([5, 6, 7, 8]);
      const opts = { shape: [4] };
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) {
              const a = torch.tensor(av, opts);
              const b = torch.tensor(bv, opts);
              const c = a.add(b);
              a.dispose();
              b.dispose();
              c.dispose();
            }
          }),
      };
    },
    elementwise(op) {
      const [a, b] = im(() => [torch.tensor(data(ELEMENTWISE_N, 1)), torch.tensor(data(ELEMENTWISE_N, 2))]);
      if (typeof a[op] !== 'function') return { pending: `${op} is not in webtorch yet` };
      const unary = op === 'relu' || op === 'exp';
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) (unary ? a[op]() : a[op](b)).dispose();
          }),
        output: () => im(() => { const r = unary ? a[op]() : a[op](b); const d = r.data(); r.dispose(); return d; }),
        dispose: () => torch.dispose([a, b]),
      };
    },
    matmul(size) {
      const [a, b] = im(() => [
        torch.tensor(data(size * size, 3), { shape: [size, size] }),
        torch.tensor(data(size * size, 4), { shape: [size, size] }),
      ]);
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) a.matmul(b).dispose();
          }),
        output: () => im(() => { const r = a.matmul(b); const d = r.data(); r.dispose(); return d; }),
        dispose: () => torch.dispose([a, b]),
      };
    },
    mlpForward() {
      const p = params();
      const forward = () => {
        const h = p.x.matmul(p.w1.transpose(0, 1)).add(p.b1).relu();
        return h.matmul(p.w2.transpose(0, 1)).add(p.b2);
      };
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) torch.tidy(forward).dispose();
          }),
        output: () => im(() => { const r = torch.tidy(forward); const d = r.data(); r.dispose(); return d; }),
        dispose: () => torch.dispose(Object.values(p)),
      };
    },
    trainStep() {
      const p = params();
      const list = [p.w1, p.b1, p.w2, p.b2];
      const step = () =>
        torch.tidy(() => {
          const h = p.x.matmul(p.w1.transpose(0, 1)).add(p.b1).relu();
          const d = h.matmul(p.w2.transpose(0, 1)).add(p.b2).sub(p.y);
          const loss = d.mul(d).mean();
          loss.backward();
          torch.noGrad(() => {
            for (const w of list) {
              w.sub_(w.grad.mul(MLP.lr));
              w.grad = null;
            }
          });
          return loss.item();
        });
      return {
        fn: (n) => {
          for (let i = 0; i < n; i++) step();
        },
        output: () => new Float32Array([step()]),
        dispose: () => torch.dispose(Object.values(p)),
      };
    },
    softmax() {
      const x = im(() => torch.tensor(data(SOFTMAX[0] * SOFTMAX[1], 5, 4), { shape: SOFTMAX }));
      if (typeof x.softmax !== 'function') {
        x.dispose();
        return { pending: 'softmax is being added on main (issue 4)' };
      }
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) x.softmax(-1).dispose();
          }),
        output: () => im(() => { const r = x.softmax(-1); const d = r.data(); r.dispose(); return d; }),
        dispose: () => x.dispose(),
      };
    },
    conv2d() {
      if (!F || typeof F.conv2d !== 'function') return { pending: 'conv2d is being added on branch nn' };
      const { n: N, c, h, w, k, r, s, pad } = CONV;
      const [x, wt] = im(() => [
        torch.tensor(data(N * c * h * w, 6), { shape: [N, c, h, w] }),
        torch.tensor(data(k * c * r * s, 7, 0.1), { shape: [k, c, r, s] }),
      ]);
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) F.conv2d(x, wt, null, { padding: pad }).dispose();
          }),
        output: () => im(() => { const o = F.conv2d(x, wt, null, { padding: pad }); const d = o.data(); o.dispose(); return d; }),
        dispose: () => torch.dispose([x, wt]),
      };
    },
    // A decoder layer: gy [n, k, h, w] through ConvTranspose2d(k, c, 3, padding 1) with the
    // conv2d row's weight ([k, c, 3, 3] is PyTorch's transposed layout [in, out, kH, kW]).
    convTranspose2d() {
      if (!F || typeof F.convTranspose2d !== 'function') return { pending: 'convTranspose2d is being added (issue 15)' };
      const { n: N, c, h, w, k, r, s, pad } = CONV;
      const [gy, wt] = im(() => [
        torch.tensor(data(N * k * h * w, 8), { shape: [N, k, h, w] }),
        torch.tensor(data(k * c * r * s, 7, 0.1), { shape: [k, c, r, s] }),
      ]);
      const run = () => F.convTranspose2d(gy, wt, null, { padding: pad });
      return {
        fn: (n) =>
          im(() => {
            for (let i = 0; i < n; i++) run().dispose();
          }),
        output: () => im(() => { const o = run(); const d = o.data(); o.dispose(); return d; }),
        dispose: () => torch.dispose([gy, wt]),
      };
    },
    // The forward pass recorded, then both gradients for a given output gradient (what a
    // training step of a convolution layer computes).
    conv2dTrain() {
      if (!F || typeof F.conv2d !== 'function') return { pending: 'conv2d is being added on branch nn' };
      const { n: N, c, h, w, k, r, s, pad } = CONV;
      const x = torch.tensor(data(N * c * h * w, 6), { shape: [N, c, h, w], requiresGrad: true });
      const wt = torch.tensor(data(k * c * r * s, 7, 0.1), { shape: [k, c, r, s], requiresGrad: true });
      const gy = torch.tensor(data(N * k * h * w, 8), { shape: [N, k, h, w] });
      const grads = () => torch.tidy(() => torch.autograd.grad([F.conv2d(x, wt, null, { padding: pad })], [x, wt], [gy]));
      return {
        fn: (n) => {
          for (let i = 0; i < n; i++) torch.dispose(grads());
        },
        output: () => {
          const [gx, gw] = grads();
          const out = new Float32Array(gx.numel + gw.numel);
          out.set(gx.data());
          out.set(gw.data(), gx.numel);
          torch.dispose([gx, gw]);
          return out;
        },
        dispose: () => torch.dispose([x, wt, gy]),
      };
    },
  };

  function params() {
    const d = mlpData();
    const { batch, in: nin, hidden, out } = MLP;
    return {
      x: torch.tensor(d.x, { shape: [batch, nin] }),
      y: torch.tensor(d.y, { shape: [batch, out] }),
      w1: torch.tensor(d.w1, { shape: [hidden, nin], requiresGrad: true }),
      b1: torch.tensor(d.b1, { shape: [hidden], requiresGrad: true }),
      w2: torch.tensor(d.w2, { shape: [out, hidden], requiresGrad: true }),
      b2: torch.tensor(d.b2, { shape: [out], requiresGrad: true }),
    };
  }

  return { name: 'webtorch', torch, version: torch.version, backend: torch.backend, rows };
}
