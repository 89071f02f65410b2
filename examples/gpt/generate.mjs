// node examples/gpt/generate.mjs ["And God said"] [--build wasm]
// Greedy continuation of a prompt by the GPT of train_gpt.py (loaded from model.safetensors),
// streamed token by token, with the key/value cache under torch.inferenceMode; then the
// continuation PyTorch produced for golden.json's prompt, to compare.

import { load } from '../../dist/index.mjs';
import { generateGreedy, loadGPT } from './model.mjs';

const args = process.argv.slice(2);
const scalar = args.includes('--scalar');
const torch = await load({ simd: !scalar });
const { model, golden, encode, decode } = await loadGPT(torch);
const prompt = args.find((a) => !a.startsWith('--')) ?? golden.prompt;
const n = Math.min(golden.newTokens, golden.config.block_size - [...prompt].length);

process.stdout.write(prompt);
const start = performance.now();
const ids = generateGreedy(torch, model, encode(prompt), n, (id) => process.stdout.write(decode([id])));
const seconds = (performance.now() - start) / 1000;
process.stdout.write('\n');
console.log(`(${n} tokens in ${seconds.toFixed(2)} s, ${(n / seconds).toFixed(1)} tokens/s, ${torch.backend})`);
if (prompt === golden.prompt) {
  const same = decode(ids) === golden.continuation;
  console.log(`PyTorch 1.13.1: ${JSON.stringify(golden.continuation)}`);
  console.log(same ? 'same as PyTorch' : 'DIFFERS from PyTorch');
  if (!same) process.exitCode = 1;
}
