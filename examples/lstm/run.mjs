// The LSTM that PyTorch trained (train_lstm.py), in webtorch: load its safetensors, check the
// held-out logits against PyTorch's, replay PyTorch's next training steps and compare the
// losses; then, given a number of epochs, train the same model from scratch in webtorch
// (manualSeed(0) draws PyTorch's initial weights; Adam lr 0.01, batches of 64).
//
//   node examples/lstm/run.mjs [epochs] [--scalar]

import { load } from '../../dist/index.mjs';
import { accuracy, createModel, loadDigits, loadTorchTrained, relativeError, replaySteps, trainEpoch } from './lstm.mjs';

const args = process.argv.slice(2);
const EPOCHS = Number(args.find((a) => !a.startsWith('--')) ?? 0);
const torch = await load({ simd: !args.includes('--scalar') });
console.log(`webtorch ${torch.version} on ${torch.backend}`);
const data = await loadDigits(torch);

// 1. PyTorch's weights: the held-out logits.
const { model, golden, meta, weightsMeta } = await loadTorchTrained(torch);
console.log(`model: ${weightsMeta.architecture}`);
model.eval();
let t0 = performance.now();
const logits = torch.inferenceMode(() => model.call(data.xTest));
const forwardMs = performance.now() - t0;
const agree = torch.tidy(() => logits.argmax(1).eq(golden.logits.argmax(1)).sum().item());
const acc = torch.tidy(() => logits.argmax(1).eq(data.yTest).sum().item() / data.yTest.shape[0]);
console.log(`held-out logits: max relative difference from PyTorch's ${relativeError(torch, logits, golden.logits).toExponential(2)}, ` +
  `${agree}/360 predictions as PyTorch's, accuracy ${(acc * 100).toFixed(2)}% (PyTorch: ${(Number(meta.test_accuracy) * 100).toFixed(2)}%), ` +
  `forward of 360 sequences ${forwardMs.toFixed(0)} ms`);

// 2. PyTorch's next training steps.
t0 = performance.now();
const losses = replaySteps(torch, model, data.xTrain, data.yTrain, meta);
const stepMs = (performance.now() - t0) / losses.length;
const expected = Array.from(golden.losses.data());
console.log(`${losses.length} SGD steps (lr ${meta.lr}, momentum ${meta.momentum}, batch ${meta.batch}), ${stepMs.toFixed(0)} ms per step`);
losses.forEach((l, i) => console.log(`  step ${i + 1}  webtorch ${l.toFixed(6)}  PyTorch ${expected[i].toFixed(6)}`));
torch.dispose([logits, golden]);
model.dispose();

// 3. Optionally, the whole training in webtorch.
if (EPOCHS > 0) {
  torch.manualSeed(0);
  const fresh = createModel(torch);
  const optimizer = new torch.optim.Adam(fresh.parameters(), { lr: 0.01 });
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    t0 = performance.now();
    trainEpoch(torch, fresh, optimizer, data.xTrain, data.yTrain, 64);
    const seconds = (performance.now() - t0) / 1000;
    const heldOut = accuracy(torch, fresh, data.xTest, data.yTest);
    console.log(`epoch ${String(epoch).padStart(2)}  held-out accuracy ${(heldOut * 100).toFixed(2)}%  (${seconds.toFixed(1)} s)`);
  }
  fresh.dispose();
  optimizer.dispose();
}
