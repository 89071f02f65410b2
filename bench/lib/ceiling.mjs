// The wasm SIMD128 mul+add ceiling (bench/ceiling/ceiling.cpp, built by bench/build.sh):
// GFLOP/s of twelve independent f32x4 mul+add chains in registers.

import { readFileSync, existsSync } from 'node:fs';
import { compare } from './timing.mjs';

export const CEILING_WASM = new URL('../../build/bench/ceiling.wasm', import.meta.url);

export async function measureCeiling() {
  if (!existsSync(CEILING_WASM)) throw new Error(`${CEILING_WASM.pathname} is missing: run bash bench/build.sh`);
  const { instance } = await WebAssembly.instantiate(readFileSync(CEILING_WASM), {});
  const { wt_ceiling: run, wt_ceiling_flops_per_iter: perIter } = instance.exports;
  const STEPS = 100000; // one call: 9.6 MFLOP, long enough to leave call overhead out
  const flopsPerCall = STEPS * perIter();
  let sink = 0;
  const r = await compare({
    ceiling: {
      fn: (n) => {
        for (let i = 0; i < n; i++) sink += run(STEPS, 0.5, 0.5);
      },
    },
  });
  if (!Number.isFinite(sink)) throw new Error('ceiling loop diverged');
  return { gflops: flopsPerCall / (r.ceiling.best * 1e6), medianGflops: flopsPerCall / (r.ceiling.median * 1e6) };
}
