// Per-op time of a tiny add (4 elements) under recording, noGrad and inferenceMode, in
// one process (ratios, not absolute times, are what to compare).
//   node bench/tiny-add.mjs [--scalar]
import { load } from '../dist/index.mjs';

const torch = await load(process.argv.includes('--scalar') ? { simd: false } : {});
const N = 200000;

// The mode is entered once around the loop, as real code wraps a forward pass.
function run(label, setup, scope) {
  const { a, b } = setup();
  const loop = (n) => {
    for (let i = 0; i < n; i++) a.add(b).dispose();
  };
  scope(() => loop(20000)); // warm up
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    scope(() => loop(N));
    best = Math.min(best, ((performance.now() - t0) * 1000) / N);
  }
  a.dispose();
  b.dispose();
  return { label, usPerOp: best };
}

const normal = () => ({ a: torch.ones([4], { requiresGrad: true }), b: torch.ones([4]) });
const inference = () => torch.inferenceMode(() => ({ a: torch.ones([4]), b: torch.ones([4]) }));
const rows = [
  run('recording', normal, (f) => f()),
  run('noGrad', normal, (f) => torch.noGrad(f)),
  run('inferenceMode', inference, (f) => torch.inferenceMode(f)),
];
console.log(`backend ${torch.backend}, ${N} tiny adds per timing, best of 5`);
for (const r of rows) console.log(`${r.label.padEnd(14)} ${r.usPerOp.toFixed(3)} us/op`);
console.log(`noGrad/recording ${(rows[1].usPerOp / rows[0].usPerOp).toFixed(2)}, inference/noGrad ${(rows[2].usPerOp / rows[1].usPerOp).toFixed(2)}`);
