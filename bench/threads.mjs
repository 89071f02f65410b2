// Threads in Node: webtorch's threaded engine (load({ threads: 2 })) against the single-thread
// SIMD engine, in one run, with interleaved rounds (lib/timing.mjs). Wall-clock time: CPU
// time would add up both threads' work (Note [CPU time] in lib/timing.mjs). Also the cold
// start of each engine and, once, the cost of heap growth while kernel threads exist
// (pthreads + memory growth: every JS access to the heap checks for a new buffer).
//   node bench/threads.mjs [--quick] [--threads=N]
import { load } from '../dist/index.mjs';
import { compare, options } from './lib/timing.mjs';
import { CONV, MATMUL_SIZES, MLP, data, mlpData } from './lib/workloads.mjs';

const args = process.argv.slice(2);
if (args.includes('--quick')) Object.assign(options, { rounds: 3, minMs: 15, warmupMs: 150 });
const threads = Number(args.find((a) => a.startsWith('--threads='))?.slice(10) ?? 2);

async function cold(opts) {
  // A fresh engine each time: wasmBinary-less loads are memoised, so time the first one only.
  const t0 = performance.now();
  const torch = await load(opts);
  return { torch, ms: performance.now() - t0 };
}
const one = await cold({});
const many = await cold({ threads });
console.log(`webtorch ${one.torch.version}, Node ${process.version}; ${many.torch.threads} threads vs 1 (wall clock, best of ${options.rounds} interleaved rounds)`);
console.log(`cold start: single-thread ${one.ms.toFixed(0)} ms, threaded ${many.ms.toFixed(0)} ms (${many.torch.threads - 1} workers spawned)`);

function engines(make) {
  return { one: make(one.torch), many: make(many.torch) };
}

const rows = [];
for (const n of MATMUL_SIZES.filter((s) => s >= 256)) {
  rows.push([`matmul ${n}`, (t) => {
    const a = t.tensor(data(n * n, 1), { shape: [n, n] });
    const b = t.tensor(data(n * n, 2), { shape: [n, n] });
    return (k) => t.inferenceMode(() => { for (let i = 0; i < k; i++) t.matmul(a, b).dispose(); });
  }]);
}
function mlp(t) {
  const d = mlpData();
  const x = t.tensor(d.x, { shape: [MLP.batch, MLP.in] });
  const y = t.tensor(d.y, { shape: [MLP.batch, MLP.out] });
  const w1 = t.tensor(d.w1, { shape: [MLP.hidden, MLP.in], requiresGrad: true });
  const b1 = t.tensor(d.b1, { requiresGrad: true });
  const w2 = t.tensor(d.w2, { shape: [MLP.out, MLP.hidden], requiresGrad: true });
  const b2 = t.tensor(d.b2, { requiresGrad: true });
  const forward = () => t.nn.functional.linear(t.nn.functional.linear(x, w1, b1).relu(), w2, b2);
  const opt = new t.optim.SGD([w1, b1, w2, b2], { lr: MLP.lr });
  return { t, forward, y, opt };
}
rows.push([`MLP ${MLP.in}-${MLP.hidden}-${MLP.out} b${MLP.batch} forward`, (t) => {
  const m = mlp(t);
  return (k) => t.inferenceMode(() => { for (let i = 0; i < k; i++) m.forward().dispose(); });
}]);
rows.push(['MLP train step (SGD)', (t) => {
  const m = mlp(t);
  return (k) => {
    for (let i = 0; i < k; i++) t.tidy(() => {
      m.opt.zeroGrad();
      t.nn.functional.mseLoss(m.forward(), m.y).backward();
      m.opt.step();
    });
  };
}]);
rows.push([`conv2d ${CONV.n}x${CONV.c}x${CONV.h}x${CONV.w} k${CONV.k} ${CONV.r}x${CONV.s} forward + backward`, (t) => {
  const x = t.tensor(data(CONV.n * CONV.c * CONV.h * CONV.w, 5), { shape: [CONV.n, CONV.c, CONV.h, CONV.w], requiresGrad: true });
  const w = t.tensor(data(CONV.k * CONV.c * CONV.r * CONV.s, 6, 0.1), { shape: [CONV.k, CONV.c, CONV.r, CONV.s], requiresGrad: true });
  return (k) => {
    for (let i = 0; i < k; i++) t.tidy(() => {
      t.nn.functional.conv2d(x, w, null, { padding: CONV.pad }).sum().backward();
      x.grad = null;
      w.grad = null;
    });
  };
}]);

console.log(`\n${'row'.padEnd(48)} ${'1 thread'.padStart(10)} ${`${many.torch.threads} threads`.padStart(10)}  speed-up`);
const table = [];
for (const [name, make] of rows) {
  const fns = engines(make);
  const r = await compare({ one: { fn: fns.one }, many: { fn: fns.many } });
  const speedup = r.one.best / r.many.best;
  table.push({ name, oneMs: r.one.best, manyMs: r.many.best, speedup });
  console.log(`${name.padEnd(48)} ${r.one.best.toFixed(3).padStart(8)}ms ${r.many.best.toFixed(3).padStart(8)}ms  ${speedup.toFixed(2)}x`);
}

// Heap growth with kernel threads alive: grow the heap by ~256 MB in 16 MB tensors and back.
function growth(t) {
  const t0 = performance.now();
  const held = [];
  for (let i = 0; i < 16; i++) held.push(t.empty([4 << 20]));
  const ms = performance.now() - t0;
  held.forEach((x) => x.dispose());
  return ms;
}
console.log(`\nheap growth by 256 MB (16 tensors of 16 MB, first time): single-thread ${growth(one.torch).toFixed(1)} ms, threaded ${growth(many.torch).toFixed(1)} ms`);
export { table };
