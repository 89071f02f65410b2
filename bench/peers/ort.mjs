// onnxruntime-web's side of the inference rows: one tiny ONNX graph per row (written by
// onnx.mjs), the wasm execution provider on one thread (SIMD build). Each run copies its
// inputs into the wasm heap and the outputs back out: that is what its API does, and what
// a user pays. ORT has no training step (onnxruntime-web training is a separate package).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CONV, ELEMENTWISE_N, MLP, SOFTMAX, data, mlpData } from '../lib/workloads.mjs';
import { onnxModel } from './onnx.mjs';

const require = createRequire(import.meta.url);

// onnxruntime-web's "exports" hides its package.json: find it next to the resolved entry.
function packageVersion(name) {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) || JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

export async function createOrt() {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true;
  ort.env.logLevel = 'error';
  const version = packageVersion('onnxruntime-web');
  const T = (d, shape) => new ort.Tensor('float32', d, shape);
  const session = (model) => ort.InferenceSession.create(onnxModel(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });

  // Runs the session n times on the same feeds, disposing the outputs.
  const runner = (s, feeds, outName) => ({
    isAsync: true,
    fn: async (n) => {
      for (let i = 0; i < n; i++) {
        const r = await s.run(feeds);
        r[outName].dispose();
      }
    },
    output: async () => {
      const r = await s.run(feeds);
      const d = r[outName].data.slice();
      r[outName].dispose();
      return d;
    },
    dispose: () => s.release(),
  });

  const rows = {
    async tinyOp() {
      const s = await session({ nodes: [['Add', ['A', 'B'], ['C']]], inputs: [['A', [4]], ['B', [4]]], outputs: [['C', [4]]] });
      const av = new Float32Array([1, 2, 3, 4]);
      const bv = new Float32Array([5, 6, 7, 8]);
      return {
        isAsync: true,
        fn: async (n) => {
          for (let i = 0; i < n; i++) {
            const a = T(av.slice(), [4]);
            const b = T(bv.slice(), [4]);
            const r = await s.run({ A: a, B: b });
            a.dispose();
            b.dispose();
            r.C.dispose();
          }
        },
        dispose: () => s.release(),
      };
    },
    async elementwise(op) {
      const N = ELEMENTWISE_N;
      const onnxOp = { add: 'Add', mul: 'Mul', relu: 'Relu', exp: 'Exp' }[op];
      const unary = op === 'relu' || op === 'exp';
      const s = await session({
        nodes: [[onnxOp, unary ? ['A'] : ['A', 'B'], ['C']]],
        inputs: unary ? [['A', [N]]] : [['A', [N]], ['B', [N]]],
        outputs: [['C', [N]]],
      });
      const feeds = unary ? { A: T(data(N, 1), [N]) } : { A: T(data(N, 1), [N]), B: T(data(N, 2), [N]) };
      return runner(s, feeds, 'C');
    },
    async matmul(size) {
      const s = await session({ nodes: [['MatMul', ['A', 'B'], ['C']]], inputs: [['A', [size, size]], ['B', [size, size]]], outputs: [['C', [size, size]]] });
      return runner(s, { A: T(data(size * size, 3), [size, size]), B: T(data(size * size, 4), [size, size]) }, 'C');
    },
    // Gemm with transB=1 takes nn.Linear's [out, in] weights as they are.
    async mlpForward() {
      const d = mlpData();
      const { batch, in: nin, hidden, out } = MLP;
      const s = await session({
        nodes: [
          ['Gemm', ['X', 'W1', 'B1'], ['H0'], { transB: 1 }],
          ['Relu', ['H0'], ['H']],
          ['Gemm', ['H', 'W2', 'B2'], ['Y'], { transB: 1 }],
        ],
        inputs: [['X', [batch, nin]]],
        outputs: [['Y', [batch, out]]],
        initializers: [['W1', [hidden, nin], d.w1], ['B1', [hidden], d.b1], ['W2', [out, hidden], d.w2], ['B2', [out], d.b2]],
      });
      return runner(s, { X: T(d.x, [batch, nin]) }, 'Y');
    },
    trainStep() {
      return { na: 'no training in onnxruntime-web' };
    },
    conv2dTrain() {
      return { na: 'no training in onnxruntime-web' };
    },
    async softmax() {
      const s = await session({ nodes: [['Softmax', ['X'], ['Y'], { axis: -1 }]], inputs: [['X', SOFTMAX]], outputs: [['Y', SOFTMAX]] });
      return runner(s, { X: T(data(SOFTMAX[0] * SOFTMAX[1], 5, 4), SOFTMAX) }, 'Y');
    },
    async convTranspose2d() {
      const { n: N, c, h, w, k, r, s: S, pad } = CONV;
      const sess = await session({
        nodes: [['ConvTranspose', ['X', 'W'], ['Y'], { pads: [pad, pad, pad, pad], kernel_shape: [r, S] }]],
        inputs: [['X', [N, k, h, w]]],
        outputs: [['Y', [N, c, h, w]]],
        initializers: [['W', [k, c, r, S], data(k * c * r * S, 7, 0.1)]],
      });
      return runner(sess, { X: T(data(N * k * h * w, 8), [N, k, h, w]) }, 'Y');
    },
    async conv2d() {
      const { n: N, c, h, w, k, r, s: S, pad } = CONV;
      const sess = await session({
        nodes: [['Conv', ['X', 'W'], ['Y'], { pads: [pad, pad, pad, pad], kernel_shape: [r, S] }]],
        inputs: [['X', [N, c, h, w]]],
        outputs: [['Y', [N, k, h, w]]],
        initializers: [['W', [k, c, r, S], data(k * c * r * S, 7, 0.1)]],
      });
      return runner(sess, { X: T(data(N * c * h * w, 6), [N, c, h, w]) }, 'Y');
    },
  };
  return { name: 'onnxruntime-web', version, backend: 'wasm', rows };
}
