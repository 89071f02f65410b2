// Replays a fuzz run (tests/js/fuzzer.mjs) outside Jest, printing every call and its outcome.
//   WEBTORCH_FUZZ_SEED=123 node tests/js/fuzz_replay.mjs [--simd=false] [--calls=N] [--quiet]
// The Jest suite seeds the scalar build with SEED + 1000003; its failure message prints the
// exact command.
import { load } from '../../dist/index.mjs';
import { createFuzzer } from './fuzzer.mjs';

const args = process.argv.slice(2);
const simd = !args.includes('--simd=false');
const callsArg = args.find((a) => a.startsWith('--calls='));
const calls = callsArg ? Number(callsArg.slice(8)) : 10_000;
const seed = Number(process.env.WEBTORCH_FUZZ_SEED ?? 1);
const quiet = args.includes('--quiet');

const torch = await load({ simd });
const other = await load({ simd: !simd });
const fuzzer = createFuzzer({ torch, other, seed, log: quiet ? () => {} : (line) => console.log(line) });
const base = torch.memory();
try {
  while (fuzzer.stats.calls < calls) fuzzer.topLevel();
  fuzzer.finish();
  console.log(`${torch.backend} seed ${seed}: ${fuzzer.stats.calls} calls, ${fuzzer.stats.errors} errors, no failure`);
  if (typeof globalThis.gc === 'function') {
    // With --expose-gc: what is left once everything is disposed or collected.
    const F = torch.autograd.Function({ forward: (ctx, x) => x.mul(1), backward: (ctx, g) => g });
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
      const x = torch.ones([1]);
      F.apply(x).dispose();
      x.dispose();
    }
    const m = torch.memory();
    console.log(`memory before ${JSON.stringify(base)}\nmemory after  ${JSON.stringify(m)}`);
    if (m.tensors !== base.tensors || m.bytes !== base.bytes) process.exitCode = 2;
  }
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
}
