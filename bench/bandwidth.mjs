// Why relu on 1M floats cannot pull ahead of tfjs-wasm: it is a memory-traffic question.
// Compares, in one process on 1M float32 (4 MB per tensor), relu into a new tensor with
// clone (wasm's memory.copy), zerosLike (memory.fill), add and in-place relu_. A SIMD loop's
// 16-byte stores read each cache line before writing it; memory.copy / memory.fill lower to
// x64 string instructions that do not, which is what a wasm loop cannot express.
//   node --single-threaded bench/bandwidth.mjs [--scalar]
import { load } from '../dist/index.mjs';

const torch = await load(process.argv.includes('--scalar') ? { simd: false } : {});
const n = 1 << 20;
const x = torch.randn([n]);
const y = torch.randn([n]);
const out = torch.empty([n]);

function time(label, bytes, f, reps = 400) {
  for (let i = 0; i < 50; i++) f();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  console.log(`${label.padEnd(28)} ${(best * 1000).toFixed(1).padStart(7)} µs  ${(bytes / best / 1e6).toFixed(1).padStart(6)} GB/s`);
}

const MB4 = 4 * n;
console.log(`webtorch ${torch.version} on ${torch.backend}, 1M float32, best of 5 batches, inferenceMode`);
torch.inferenceMode(() => {
  time('empty (allocation only)', 0, () => torch.empty([n]).dispose());
  time('zerosLike (memory.fill)', MB4, () => torch.zerosLike(x).dispose());
  time('clone (memory.copy)', 2 * MB4, () => x.clone().dispose());
  time('relu (SIMD loop, new out)', 2 * MB4, () => x.relu().dispose());
  time('add (SIMD loop, new out)', 3 * MB4, () => x.add(y).dispose());
  time('copy_ + relu_ (in place)', 4 * MB4, () => out.copy_(x).relu_());
});
