// Loads the ResNet PyTorch trained (train_resnet.py) into webtorch and checks it against
// PyTorch: eval and train-mode logits, the running statistics, five SGD steps' losses and the
// eval logits after them.
//
//   bash scripts/build.sh && node examples/resnet/check.mjs [--scalar]

import { load } from '../../dist/index.mjs';
import { compareWithTorch, loadDigitImages, loadTrained } from './resnet.mjs';

const torch = await load({ simd: !process.argv.includes('--scalar') });
console.log(`webtorch ${torch.version} on ${torch.backend}`);
const data = await loadDigitImages(torch);
const { model, golden } = await loadTrained(torch);
const r = compareWithTorch(torch, model, golden, data);
const fmt = (e) => e.toExponential(2);
console.log(`eval logits: max relative error ${fmt(r.eval)}`);
console.log(`train-mode logits: ${fmt(r.train)}; running mean ${fmt(r.runningMean)}, running var ${fmt(r.runningVar)}`);
console.log(`SGD losses: webtorch ${r.losses.map((l) => l.toFixed(6)).join(' ')}`);
console.log(`            PyTorch  ${r.torchLosses.map((l) => l.toFixed(6)).join(' ')}  (max relative error ${fmt(r.lossError)})`);
console.log(`eval logits after the steps: ${fmt(r.afterSteps)}`);
