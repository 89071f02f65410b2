// node examples/gpt/finetune.mjs [--scalar]
// 20 training steps of the GPT from model.safetensors, as train_gpt.py ran them in PyTorch
// (AdamW, clipGradNorm_(1.0), golden.json's fixed batches), each loss printed beside PyTorch's.

import { load } from '../../dist/index.mjs';
import { finetuneSteps, loadGPT } from './model.mjs';

const torch = await load({ simd: !process.argv.includes('--scalar') });
const { model, golden } = await loadGPT(torch);
console.log('step  webtorch   PyTorch    |diff|');
let worst = 0;
finetuneSteps(torch, model, golden.finetune, (i, loss) => {
  const ref = golden.finetune.losses[i];
  worst = Math.max(worst, Math.abs(loss - ref));
  console.log(`${String(i + 1).padStart(4)}  ${loss.toFixed(5)}  ${ref.toFixed(5)}  ${Math.abs(loss - ref).toExponential(1)}`);
});
console.log(`largest difference ${worst.toExponential(2)} (${torch.backend})`);
