// TensorFlow.js's side of every row, on two backends of one tfjs-core: 'wasm' (XNNPACK,
// one thread, SIMD, its .wasm loaded from node_modules) and 'cpu' (plain JavaScript).
// tfjs has one global backend, so every row switches to its backend before it runs.

import { createRequire } from 'node:module';
import path from 'node:path';
import { CONV, ELEMENTWISE_N, MLP, SOFTMAX, data, mlpData, transposed } from '../lib/workloads.mjs';

const require = createRequire(import.meta.url);

export async function createTfjs() {
  // tfjs-core prints a hint about tfjs-node when it first runs in Node; keep stdout clean.
  const log = console.log;
  console.log = () => {};
  const tf = await import('@tensorflow/tfjs-core');
  // tfjs-core alone registers no gradients (its ESM register_all_gradients does not load in
  // Node); the @tensorflow/tfjs bundle registers them with the same tfjs-core instance.
  await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(dir + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
  await tf.setBackend('wasm');
  await tf.ready();
  tf.tensor([1]).dispose(); // first op prints the hint
  await tf.setBackend('cpu');
  tf.tensor([1]).dispose();
  await tf.setBackend('wasm');
  console.log = log;
  const version = require('@tensorflow/tfjs-core/package.json').version;

  function engine(backend) {
    const use = () => {
      if (tf.getBackend() !== backend) tf.setBackend(backend);
    };
    // Every row's fn and output switch first (cheap when already current): rows are made
    // for every engine before any runs, so the last one made set the global backend.
    const wrap = (make) => (...args) => {
      use();
      const v = make(...args);
      if (!v.fn) return v;
      const { fn, output } = v;
      return { ...v, fn: (n) => (use(), fn(n)), ...(output && { output: () => (use(), output()) }) };
    };
    const rows = {
      tinyOp: wrap(() => {
        const av = new Float32Array([1, 2, 3, 4]);
        const bv = new Float32Array([5, 6, 7, 8]);
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) {
              const a = tf.tensor1d(av);
              const b = tf.tensor1d(bv);
              const c = tf.add(a, b);
              a.dispose();
              b.dispose();
              c.dispose();
            }
          },
        };
      }),
      elementwise: wrap((op) => {
        const a = tf.tensor1d(data(ELEMENTWISE_N, 1));
        const b = tf.tensor1d(data(ELEMENTWISE_N, 2));
        const f = { add: (x) => tf.add(x, b), mul: (x) => tf.mul(x, b), relu: (x) => tf.relu(x), exp: (x) => tf.exp(x) }[op];
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) f(a).dispose();
          },
          output: () => { const r = f(a); const d = r.dataSync(); r.dispose(); return d; },
          dispose: () => tf.dispose([a, b]),
        };
      }),
      matmul: wrap((size) => {
        const a = tf.tensor2d(data(size * size, 3), [size, size]);
        const b = tf.tensor2d(data(size * size, 4), [size, size]);
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) tf.matMul(a, b).dispose();
          },
          output: () => { const r = tf.matMul(a, b); const d = r.dataSync(); r.dispose(); return d; },
          dispose: () => tf.dispose([a, b]),
        };
      }),
      // tfjs's dense layers run fused matMul + bias + activation, its fastest path.
      mlpForward: wrap(() => {
        const p = params(false);
        const forward = () =>
          tf.tidy(() => {
            const h = tf.fused.matMul({ a: p.x, b: p.w1, bias: p.b1, activation: 'relu' });
            return tf.fused.matMul({ a: h, b: p.w2, bias: p.b2 });
          });
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) forward().dispose();
          },
          output: () => { const r = forward(); const d = r.dataSync(); r.dispose(); return d; },
          dispose: () => tf.dispose(Object.values(p)),
        };
      }),
      trainStep: wrap(() => {
        const p = params(true);
        const opt = tf.train.sgd(MLP.lr);
        const vars = [p.w1, p.b1, p.w2, p.b2];
        const lossFn = () => {
          const h = tf.fused.matMul({ a: p.x, b: p.w1, bias: p.b1, activation: 'relu' });
          const out = tf.fused.matMul({ a: h, b: p.w2, bias: p.b2 });
          return tf.losses.meanSquaredError(p.y, out);
        };
        const step = () => {
          const cost = opt.minimize(lossFn, true, vars);
          const v = cost.dataSync()[0];
          cost.dispose();
          return v;
        };
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) step();
          },
          output: () => new Float32Array([step()]),
          dispose: () => {
            tf.dispose(Object.values(p));
            opt.dispose();
          },
        };
      }),
      softmax: wrap(() => {
        const x = tf.tensor2d(data(SOFTMAX[0] * SOFTMAX[1], 5, 4), SOFTMAX);
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) tf.softmax(x).dispose();
          },
          output: () => { const r = tf.softmax(x); const d = r.dataSync(); r.dispose(); return d; },
          dispose: () => x.dispose(),
        };
      }),
      // tfjs convolves NHWC with HWIO filters: the same numbers, transposed once here, and
      // the output transposed back for the cross-check only.
      conv2d: wrap(() => {
        const { n: N, c, h, w, k, r, s, pad } = CONV;
        const xn = tf.tensor4d(data(N * c * h * w, 6), [N, c, h, w]);
        const wn = tf.tensor4d(data(k * c * r * s, 7, 0.1), [k, c, r, s]);
        const x = tf.transpose(xn, [0, 2, 3, 1]);
        const wt = tf.transpose(wn, [2, 3, 1, 0]);
        tf.dispose([xn, wn]);
        const conv = () => tf.conv2d(x, wt, 1, pad === 0 ? 'valid' : 'same');
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) conv().dispose();
          },
          output: () =>
            tf.tidy(() => tf.transpose(conv(), [0, 3, 1, 2]).dataSync()),
          dispose: () => tf.dispose([x, wt]),
        };
      }),
      // tf.conv2dTranspose (Conv2DBackpropInput) with the conv2d row's filter in HWIO.
      convTranspose2d: wrap(() => {
        if (!tf.getKernel('Conv2DBackpropInput', backend)) return { na: `tfjs-backend-${backend} has no Conv2DBackpropInput kernel` };
        const { n: N, c, h, w, k, r, s, pad } = CONV;
        const nhwc = (v, shape, perm) => tf.tidy(() => tf.transpose(tf.tensor4d(v, shape), perm));
        const gy = nhwc(data(N * k * h * w, 8), [N, k, h, w], [0, 2, 3, 1]);
        const wt = nhwc(data(k * c * r * s, 7, 0.1), [k, c, r, s], [2, 3, 1, 0]);
        const run = () => tf.conv2dTranspose(gy, wt, [N, h, w, c], 1, pad === 0 ? 'valid' : 'same');
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) run().dispose();
          },
          output: () => tf.tidy(() => tf.transpose(run(), [0, 3, 1, 2]).dataSync()),
          dispose: () => tf.dispose([gy, wt]),
        };
      }),
      // tf.grads of tf.conv2d: Conv2DBackpropInput and Conv2DBackpropFilter. tfjs-backend-wasm
      // registers no Conv2DBackpropFilter kernel (4.22), so that backend cannot run this row.
      conv2dTrain: wrap(() => {
        if (backend === 'wasm' && !tf.getKernel('Conv2DBackpropFilter', 'wasm'))
          return { na: "tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tf.grads of conv2d throws)" };
        const { n: N, c, h, w, k, r, s, pad } = CONV;
        const nhwc = (v, shape, perm) => tf.tidy(() => tf.transpose(tf.tensor4d(v, shape), perm));
        const x = nhwc(data(N * c * h * w, 6), [N, c, h, w], [0, 2, 3, 1]);
        const wt = nhwc(data(k * c * r * s, 7, 0.1), [k, c, r, s], [2, 3, 1, 0]);
        const gy = nhwc(data(N * k * h * w, 8), [N, k, h, w], [0, 2, 3, 1]);
        const grads = tf.grads((a, b) => tf.conv2d(a, b, 1, pad === 0 ? 'valid' : 'same'));
        return {
          fn: (n) => {
            for (let i = 0; i < n; i++) tf.dispose(grads([x, wt], gy));
          },
          output: () =>
            tf.tidy(() => {
              const [gx, gw] = grads([x, wt], gy);
              const a = tf.transpose(gx, [0, 3, 1, 2]).dataSync();
              const b = tf.transpose(gw, [3, 2, 0, 1]).dataSync();
              const out = new Float32Array(a.length + b.length);
              out.set(a);
              out.set(b, a.length);
              return out;
            }),
          dispose: () => tf.dispose([x, wt, gy]),
        };
      }),
    };

    // Dense weights in tfjs's [in, out] layout.
    function params(trainable) {
      const d = mlpData();
      const { batch, in: nin, hidden, out } = MLP;
      const v = (t) => {
        if (!trainable) return t;
        const r = tf.variable(t);
        t.dispose();
        return r;
      };
      return {
        x: tf.tensor2d(d.x, [batch, nin]),
        y: tf.tensor2d(d.y, [batch, out]),
        w1: v(tf.tensor2d(transposed(d.w1, hidden, nin), [nin, hidden])),
        b1: v(tf.tensor1d(d.b1)),
        w2: v(tf.tensor2d(transposed(d.w2, out, hidden), [hidden, out])),
        b2: v(tf.tensor1d(d.b2)),
      };
    }
    return { name: `tfjs-${backend}`, version, backend, rows };
  }

  return { wasm: engine('wasm'), cpu: engine('cpu'), tf };
}
