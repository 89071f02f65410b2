// Train the 8x8 digits classifier in webtorch, evaluate it, save its weights as
// safetensors, reload them into a fresh engine and serve under inferenceMode; then load the
// weights PyTorch trained (train_torch.py) and check that webtorch predicts what PyTorch
// predicted.
//
//   bash scripts/build.sh && node examples/digits/train.mjs [epochs] [--scalar]
//
// --scalar trains on the scalar build (and reloads into the SIMD one).

import { load } from '../../dist/index.mjs';
import { accuracy, createModel, loadDigits, readExampleFile, trainEpoch } from './digits.mjs';

const args = process.argv.slice(2);
const scalar = args.includes('--scalar');
const EPOCHS = Number(args.find((a) => !a.startsWith('--')) ?? 20);
const torch = await load({ simd: !scalar });
console.log(`webtorch ${torch.version} on ${torch.backend}`);
const data = await loadDigits(torch);
console.log(`digits: ${data.xTrain.shape[0]} training and ${data.xTest.shape[0]} held-out images of 8x8 grey levels`);

// 1. Train with recording (autograd), as train_torch.py does: manualSeed(0), Adam(lr=0.01),
//    cross-entropy, batches of 64.
torch.manualSeed(0);
const model = createModel(torch);
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
let seconds = 0;
for (let epoch = 1; epoch <= EPOCHS; epoch++) {
  const t0 = performance.now();
  const loss = trainEpoch(torch, model, optimizer, data.xTrain, data.yTrain, 64);
  seconds += (performance.now() - t0) / 1000;
  // 2. Evaluate under noGrad.
  const acc = accuracy(torch, model, data.xTest, data.yTest);
  console.log(`epoch ${String(epoch).padStart(2)}  train loss ${loss.toFixed(4)}  held-out accuracy ${(acc * 100).toFixed(2)}%`);
}
console.log(`training: ${((seconds / EPOCHS) * 1000).toFixed(1)} ms per epoch (${data.xTrain.shape[0]} images, batch 64)`);

// 3. Save the weights, 4. reload them in a fresh engine (the scalar build: its own wasm
//    instance and memory) and predict under inferenceMode.
const bytes = torch.saveSafetensors(model.stateDict(), { format: 'pt', trainedWith: `webtorch ${torch.version}` });
console.log(`saved ${bytes.length} bytes of safetensors: ${Object.keys(torch.safetensorsHeader(bytes).tensors).join(', ')}`);
const fresh = await load({ simd: scalar });
const served = createModel(fresh);
fresh.tidy(() => served.loadStateDict(fresh.loadSafetensors(bytes)));
served.eval();
const xTest = fresh.tensor(data.xTest.data(), { shape: data.xTest.shape });
const yTest = fresh.tensor(data.yTest.data(), { shape: data.yTest.shape, dtype: 'int32' });
const predictions = fresh.inferenceMode(() => served.call(xTest).argmax(1));
const same = torch.noGrad(() => torch.tidy(() => model.call(data.xTest).argmax(1).data()));
const agree = predictions.data().every((p, i) => p === same[i]);
const servedAcc = fresh.tidy(() => predictions.eq(yTest).sum().item() / yTest.shape[0]);
console.log(`reloaded in a fresh ${fresh.backend} engine: inference tensors ${predictions.isInference()}, ` +
  `held-out accuracy ${(servedAcc * 100).toFixed(2)}%, same predictions as the trained model: ${agree}`);

// 5. The model PyTorch trained: same predictions as PyTorch, logits within 1e-5.
const torchModel = createModel(torch);
const weights = await readExampleFile('digits-mlp.safetensors');
torch.tidy(() => torchModel.loadStateDict(torch.loadSafetensors(weights)));
const { logits: torchLogits } = torch.loadSafetensors(await readExampleFile('torch-test-logits.safetensors'));
const ours = torch.inferenceMode(() => torchModel.call(data.xTest));
const maxDiff = torch.tidy(() => ours.sub(torchLogits).abs().max().item());
const argmaxAgree = torch.tidy(() => ours.argmax(1).eq(torchLogits.argmax(1)).sum().item());
const torchAcc = accuracy(torch, torchModel, data.xTest, data.yTest);
console.log(`PyTorch-trained weights: ${argmaxAgree}/${data.yTest.shape[0]} predictions as PyTorch's, ` +
  `max |logit difference| ${maxDiff.toExponential(2)}, held-out accuracy ${(torchAcc * 100).toFixed(2)}%`);
