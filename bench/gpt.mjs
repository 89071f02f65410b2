// node --single-threaded bench/gpt.mjs: examples/gpt's model on both builds — greedy generation
// tokens/s with the key/value cache under inferenceMode (prompt + block_size tokens), the
// forward of a [8, block_size] batch, and one training step (forward, backward,
// clipGradNorm_, AdamW) of golden.json's [4, 64] batches; plus the peak torch.memory().bytes
// during generation after 8 and after all tokens (flat: the cache is allocated once).
// Not wired into bench/run.mjs; the onnxruntime-web row of issue 14 is not written yet.

import { load } from '../dist/index.mjs';
import { createGreedyDecoder, finetuneSteps, loadGPT } from '../examples/gpt/model.mjs';

function best(n, fn) {
  let t = Infinity;
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t = Math.min(t, performance.now() - s);
  }
  return t;
}

for (const simd of [true, false]) {
  const torch = await load({ simd });
  const { model, golden, encode } = await loadGPT(torch);
  const prompt = encode(golden.prompt);
  const n = golden.config.block_size - prompt.length;
  const peaks = [];
  const genMs = best(3, () => {
    const decoder = createGreedyDecoder(torch, model, prompt);
    for (let i = 0; i < n; i++) {
      decoder.next();
      if (i === 7 || i === n - 1) peaks.push(torch.memory().bytes);
    }
    decoder.dispose();
  });
  const idx = torch.tensor(Int32Array.from({ length: 8 * golden.config.block_size }, (_, i) => (i * 7) % golden.chars.length)).view(8, -1);
  const fwdMs = best(3, () => torch.inferenceMode(() => torch.tidy(() => model.forward(idx))));
  idx.dispose();
  const stepMs = best(3, () => finetuneSteps(torch, model, { ...golden.finetune, batches: golden.finetune.batches.slice(0, 1) }));
  console.log(`${torch.backend}: generation ${(n / (genMs / 1000)).toFixed(1)} tokens/s (${n} tokens, cache); ` +
    `forward [8, ${golden.config.block_size}] ${fwdMs.toFixed(1)} ms; training step [4, 64] ${stepMs.toFixed(1)} ms; ` +
    `torch.memory().bytes after 8 tokens ${peaks[0]}, after ${n} ${peaks[1]}`);
  model.dispose();
}
