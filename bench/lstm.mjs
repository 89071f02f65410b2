// The LSTM rows of issue 15: an nn.LSTM forward and one training step (forward, cross-entropy,
// backward, SGD step) in webtorch (SIMD and scalar builds) and in TensorFlow.js (tf.layers.lstm
// on its wasm and cpu backends) with the same weights, whose outputs are checked against
// webtorch's before anything is timed. Interleaved rounds (lib/timing.mjs).
//   node --single-threaded bench/lstm.mjs [--quick]
//
// PyTorch 1.13.1 (native, one thread) runs the same rows when /usr/bin/python3 has torch
// (bench/lstm_torch.py, the same weights from manual_seed(0) and the same inputs). Debian's
// torch calls Debian's reference BLAS (libblas.so.3), not an optimised one: its matmuls, not
// its LSTM code, set its times here.
//
// Two shapes: the examples/lstm model (2 layers, batch 64, 8 steps of 8 features, hidden 32,
// a Linear(32, 10) on the last step) and a wider one-layer model (batch 32, 32 steps of 64
// features, hidden 128).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load } from '../dist/index.mjs';
import { createTfjs } from './peers/tfjs.mjs';
import { compare, options } from './lib/timing.mjs';
import { data } from './lib/workloads.mjs';

if (process.argv.includes('--quick')) Object.assign(options, { rounds: 3, minMs: 15, warmupMs: 150 });

const SHAPES = [
  { name: 'examples/lstm (2 layers, B 64, T 8, I 8, H 32)', batch: 64, steps: 8, input: 8, hidden: 32, layers: 2, classes: 10 },
  { name: 'wide (1 layer, B 32, T 32, I 64, H 128)', batch: 32, steps: 32, input: 64, hidden: 128, layers: 1, classes: 10 },
];
const LR = 0.01;

// webtorch: nn.LSTM (batchFirst) + nn.Linear on the last step.
function webtorchModel(torch, s) {
  torch.manualSeed(0);
  const lstm = new torch.nn.LSTM(s.input, s.hidden, { numLayers: s.layers, batchFirst: true });
  const fc = new torch.nn.Linear(s.hidden, s.classes);
  const x = torch.tensor(data(s.batch * s.steps * s.input, 1), { shape: [s.batch, s.steps, s.input] });
  const y = torch.tensor(Int32Array.from({ length: s.batch }, (_, i) => i % s.classes));
  const forward = () => fc.call(lstm.call(x)[0].select(1, s.steps - 1));
  const params = [...lstm.parameters(), ...fc.parameters()];
  const opt = new torch.optim.SGD(params, { lr: LR });
  return {
    lstm, fc,
    forward: (n) => torch.inferenceMode(() => { for (let i = 0; i < n; i++) torch.tidy(forward); }),
    train: (n) => { for (let i = 0; i < n; i++) torch.tidy(() => { opt.zeroGrad(); torch.nn.functional.crossEntropy(forward(), y).backward(); opt.step(); }); },
    output: () => torch.noGrad(() => torch.tidy(() => Float32Array.from(forward().data()))),
  };
}

// tfjs: the same weights. Its LSTM kernel is [I, 4H] with gates i, f, c, o (PyTorch's i, f, g, o)
// and one bias (b_ih + b_hh); recurrentActivation 'sigmoid' (its default is hardSigmoid).
function tfjsModel(tf, torch, wt, s) {
  const layers = [];
  for (let l = 0; l < s.layers; l++) {
    // Zero initialisers: the weights are set below (the default orthogonal one is slow and warns).
    layers.push(tf.layers.lstm({ units: s.hidden, returnSequences: l < s.layers - 1, recurrentActivation: 'sigmoid',
      kernelInitializer: 'zeros', recurrentInitializer: 'zeros',
      ...(l === 0 && { inputShape: [s.steps, s.input] }) }));
  }
  layers.push(tf.layers.dense({ units: s.classes }));
  const model = tf.sequential({ layers });
  const values = (t) => torch.tidy(() => t.t().contiguous().data());
  for (let l = 0; l < s.layers; l++) {
    const p = (n) => wt.lstm[`${n}_l${l}`];
    const bias = torch.tidy(() => p('bias_ih').add(p('bias_hh')).data());
    layers[l].setWeights([tf.tensor(values(p('weight_ih')), p('weight_ih').shape.slice().reverse()),
      tf.tensor(values(p('weight_hh')), p('weight_hh').shape.slice().reverse()), tf.tensor(bias)]);
  }
  layers[s.layers].setWeights([tf.tensor(values(wt.fc.weight), [s.hidden, s.classes]), tf.tensor(torch.tidy(() => wt.fc.bias.data()))]);
  const x = tf.tensor(data(s.batch * s.steps * s.input, 1), [s.batch, s.steps, s.input]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from({ length: s.batch }, (_, i) => i % s.classes), 'int32'), s.classes);
  const opt = tf.train.sgd(LR);
  return {
    forward: (n) => { for (let i = 0; i < n; i++) tf.tidy(() => model.predict(x)); },
    train: (n) => { for (let i = 0; i < n; i++) tf.dispose(opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true)); },
    output: () => tf.tidy(() => model.predict(x).dataSync().slice()),
  };
}

const simd = await load();
const scalar = await load({ simd: false });
const peer = await createTfjs();
// tf.layers lives in the @tensorflow/tfjs bundle, which shares createTfjs's tfjs-core instance
// (its import prints a hint about tfjs-node: keep stdout clean).
const consoleLog = console.log;
console.log = () => {};
const tf = await import('@tensorflow/tfjs');
tf.tensor([1]).dispose();
console.log = consoleLog;
const version = peer.wasm.version;
console.log(`webtorch ${simd.version}, tfjs ${version}, Node ${process.version}; best of ${options.rounds} interleaved rounds, ms per call (${options.clock} time)`);

// PyTorch's times per shape, or null (no torch here).
function pytorchTimes() {
  const script = fileURLToPath(new URL('./lstm_torch.py', import.meta.url));
  const r = spawnSync('/usr/bin/python3', [script, JSON.stringify(SHAPES), String(options.rounds)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`PyTorch: not run (${(r.error?.message ?? r.stderr.trim().split('\n').pop()) || `exit ${r.status}`})`);
    return null;
  }
  return JSON.parse(r.stdout);
}
const pytorch = pytorchTimes();

for (const s of SHAPES) {
  const a = webtorchModel(simd, s);
  const b = webtorchModel(scalar, s);
  const engines = { 'webtorch simd': a, 'webtorch scalar': b };
  for (const backend of ['wasm', 'cpu']) {
    tf.setBackend(backend);
    engines[`tfjs-${backend}`] = tfjsModel(tf, simd, a, s);
  }
  // The same function in every engine: outputs within 1e-4 of webtorch SIMD's.
  const ref = a.output();
  // tfjs has one global backend (already initialised: switching is synchronous).
  const use = (name) => { if (name.startsWith('tfjs-') && tf.getBackend() !== name.slice(5)) tf.setBackend(name.slice(5)); };
  for (const [name, e] of Object.entries(engines)) {
    use(name);
    const out = e.output();
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
    if (!(worst <= 1e-4)) throw new Error(`${name}: output differs from webtorch's by ${worst} (${s.name})`);
  }
  // PyTorch drew the same weights (manual_seed(0)): its first outputs are webtorch's.
  if (pytorch && pytorch[s.name].first.some((v, i) => Math.abs(v - ref[i]) > 1e-4 * Math.max(1, Math.abs(ref[i]))))
    throw new Error(`PyTorch's output differs from webtorch's (${s.name}): ${pytorch[s.name].first} vs ${Array.from(ref.slice(0, 3))}`);
  for (const row of ['forward', 'train']) {
    const variants = {};
    for (const [name, e] of Object.entries(engines)) {
      variants[name] = { fn: (n) => { use(name); e[row](n); } };
    }
    const r = await compare(variants);
    const base = r['webtorch simd'].best;
    const cells = Object.entries(r).map(([n, v]) => (v.error ? `${n} error: ${v.error}` : `${n} ${v.best.toFixed(2)} (${(v.best / base).toFixed(2)}x)`));
    if (pytorch) cells.push(`PyTorch native ${pytorch[s.name][row].toFixed(2)} (${(pytorch[s.name][row] / base).toFixed(2)}x)`);
    console.log(`${s.name}, ${row === 'forward' ? 'forward (inference)' : 'train step (SGD)'}: ${cells.join(', ')}`);
  }
}
