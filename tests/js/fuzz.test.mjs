// The seeded API fuzzer (tests/js/fuzzer.mjs, Note [Fuzzer invariants]) against both builds,
// each with tensors of the other build mixed in. Prints the calls made and the distinct
// kinds of error seen.
//   WEBTORCH_FUZZ_SEED=123 WEBTORCH_FUZZ_CALLS=20000 node --experimental-vm-modules node_modules/jest/bin/jest.js tests/js/fuzz.test.mjs
//   WEBTORCH_FUZZ_SEED=123 node tests/js/fuzz_replay.mjs [--simd=false]   (replays, printing every call)
import { createFuzzer } from './fuzzer.mjs';
import { BUILDS, collectGarbage, memoryOf } from './reliability_helpers.mjs';

const SEED = Number(process.env.WEBTORCH_FUZZ_SEED ?? 1);
const MIN_CALLS = Number(process.env.WEBTORCH_FUZZ_CALLS ?? 10_000); // calls at any depth, per build

const allKinds = new Map();

describe.each(BUILDS)('fuzzing the %s build', (backend, loadBuild) => {
  let torch;
  let other;
  beforeAll(async () => {
    torch = await loadBuild();
    other = await BUILDS.find(([b]) => b !== backend)[1]();
    expect(torch.backend).toBe(backend);
    expect(other).not.toBe(torch);
  });

  test(`at least ${MIN_CALLS} random API calls keep every promise (seed ${SEED})`, async () => {
    await collectGarbage();
    const base = memoryOf(torch);
    const seed = SEED + (backend === 'wasm' ? 1_000_003 : 0);
    const fuzzer = createFuzzer({ torch, other, seed });
    const t0 = performance.now();
    while (fuzzer.stats.calls < MIN_CALLS) fuzzer.topLevel();
    const ms = performance.now() - t0;
    fuzzer.finish();

    // Everything the run made is gone once disposed or collected: no leak anywhere.
    // (A custom function's JavaScript state is dropped at the next apply after its graph
    // died, so apply one between collections.)
    const F = torch.autograd.Function({ forward: (ctx, x) => x.mul(1), backward: (ctx, g) => g });
    for (let i = 0; i < 3; i++) {
      await collectGarbage();
      const x = torch.ones([1]);
      F.apply(x).dispose();
      x.dispose();
    }
    await collectGarbage();
    const after = memoryOf(torch);

    const { stats } = fuzzer;
    const kinds = [...stats.kinds.entries()].sort((a, b) => b[1] - a[1]);
    for (const [k, n] of kinds) allKinds.set(k, (allKinds.get(k) ?? 0) + n);
    console.log(
      `${backend} (seed ${seed}): ${stats.calls} calls (${stats.topLevel} top-level) in ${(ms / 1000).toFixed(1)} s; ` +
        `${stats.ok} returned, ${stats.errors} threw an Error, ${stats.injected} faults injected; ` +
        `${kinds.length} distinct error kinds; memory before ${JSON.stringify(base)} after ${JSON.stringify(after)}\n` +
        (stats.skipped.length ? `API not present yet, not fuzzed: ${stats.skipped.join(', ')}\n` : '') +
        kinds.map(([k, n]) => `${String(n).padStart(6)}  ${k}`).join('\n'),
    );
    expect(stats.calls).toBeGreaterThanOrEqual(MIN_CALLS);
    expect(stats.errors).toBeGreaterThan(MIN_CALLS / 10); // it did try bad input
    expect(stats.ok).toBeGreaterThan(MIN_CALLS / 10); // and good input
    expect(after).toEqual(base);
  }, 300_000);

  afterAll(() => {
    if (backend === 'wasm') console.log(`both builds: ${allKinds.size} distinct error kinds`);
  });
});
