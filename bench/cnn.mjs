// The CNN row of issue 15: the small ResNet of examples/resnet (conv, BatchNorm2d, residual
// adds, MaxPool2d, AdaptiveAvgPool2d, Linear) with PyTorch's trained weights, on batches of 64
// 8x8 digits: the eval-mode forward and one training step (train-mode forward, cross-entropy,
// backward, SGD with momentum), webtorch's SIMD build against TensorFlow.js's wasm backend
// running the same network (NHWC, the same weights) with its ops.
//   node --single-threaded bench/cnn.mjs [--quick]

import { load } from '../dist/index.mjs';
import { loadDigitImages, loadTrained } from '../examples/resnet/resnet.mjs';
import { createTfjs } from './peers/tfjs.mjs';
import { compare, options } from './lib/timing.mjs';

if (process.argv.includes('--quick')) Object.assign(options, { rounds: 3, minMs: 15, warmupMs: 150 });
const BATCH = 64;

const torch = await load();
const data = await loadDigitImages(torch);
const { model } = await loadTrained(torch);
const x = data.xTrain.narrow(0, 0, BATCH).contiguous();
const y = data.yTrain.narrow(0, 0, BATCH).contiguous();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-4, momentum: 0.9 });

const webtorch = {
  forward: {
    fn: (n) => {
      model.eval();
      for (let i = 0; i < n; i++) torch.noGrad(() => model.call(x)).dispose();
    },
  },
  step: {
    fn: (n) => {
      model.train();
      for (let i = 0; i < n; i++) {
        torch.tidy(() => {
          optimizer.zeroGrad();
          torch.nn.functional.crossEntropy(model.call(x), y).backward();
          optimizer.step();
        });
      }
    },
  },
};

// The same network in TF.js ops, NHWC, from webtorch's state dict.
async function tfjsNetwork() {
  const { tf } = await createTfjs();
  await tf.setBackend('wasm');
  const sd = model.stateDict();
  const constant = (name, perm) => {
    const t = sd[name];
    const w = tf.tensor(Array.from(t.data()), t.shape);
    return perm ? w.transpose(perm) : w;
  };
  const v = (name, perm) => tf.variable(constant(name, perm));
  const conv = (name) => v(`${name}.weight`, [2, 3, 1, 0]); // OIHW -> HWIO
  const bn = (name) => ({ g: v(`${name}.weight`), b: v(`${name}.bias`), m: constant(`${name}.running_mean`), s: constant(`${name}.running_var`) });
  const block = (name) => ({ c1: conv(`${name}.conv1`), b1: bn(`${name}.bn1`), c2: conv(`${name}.conv2`), b2: bn(`${name}.bn2`) });
  const p = { conv: conv('stem.conv'), bn: bn('stem.bn'), block1: block('block1'), block2: block('block2'), w: v('head.weight', [1, 0]), hb: v('head.bias') };
  torch.dispose(sd);
  const norm = (t, q, training) => {
    if (!training) return tf.batchNorm(t, q.m, q.s, q.b, q.g, 1e-5);
    const { mean, variance } = tf.moments(t, [0, 1, 2]);
    return tf.batchNorm(t, mean, variance, q.b, q.g, 1e-5);
  };
  const c = (t, w) => tf.conv2d(t, w, 1, 'same');
  const res = (t, q, training) => tf.relu(tf.add(t, norm(c(tf.relu(norm(c(t, q.c1), q.b1, training)), q.c2), q.b2, training)));
  const forward = (t, training) => {
    let h = tf.relu(norm(c(t, p.conv), p.bn, training));
    h = res(h, p.block1, training);
    h = tf.maxPool(h, 2, 2, 'valid');
    h = res(h, p.block2, training);
    return tf.add(tf.matMul(tf.mean(h, [1, 2]), p.w), p.hb);
  };
  const input = tf.tensor(Array.from(x.permute([0, 2, 3, 1]).contiguous().data()), [BATCH, 8, 8, 1]);
  const labels = tf.oneHot(tf.tensor1d(Array.from(y.data()), 'int32'), 10);
  const opt = tf.train.momentum(1e-4, 0.9);
  return {
    forward: { fn: (n) => { for (let i = 0; i < n; i++) tf.tidy(() => forward(input, false)).dispose(); } },
    step: {
      fn: (n) => {
        for (let i = 0; i < n; i++) {
          tf.tidy(() => opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, forward(input, true))));
        }
      },
    },
  };
}

let tfjs = null;
try {
  tfjs = await tfjsNetwork();
} catch (e) {
  console.log(`TF.js wasm unavailable: ${e.message}`);
}
for (const row of ['forward', 'step']) {
  const variants = { webtorch: webtorch[row], ...(tfjs && { 'tfjs-wasm': tfjs[row] }) };
  const r = await compare(variants);
  const ms = (k) => (r[k]?.best !== undefined ? `${r[k].best.toFixed(2)} ms` : r[k]?.error ?? 'n/a');
  // > 1: webtorch is faster.
  const ratio = tfjs && r['tfjs-wasm']?.best ? ` (tfjs-wasm / webtorch: ${(r['tfjs-wasm'].best / r.webtorch.best).toFixed(2)})` : '';
  console.log(`ResNet ${row === 'forward' ? 'eval forward' : 'training step'}, batch ${BATCH}: webtorch ${ms('webtorch')}, tfjs-wasm ${ms('tfjs-wasm')}${ratio}`);
}
