// The engine inside Web Workers (demo/worker.html): two module workers each load their own
// engine (SIMD and scalar) and keep their own modes: worker A turns grad off for good with
// setGradEnabled(false), while worker B and the page still record and differentiate.
//
//   node --test tests/browser/worker.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { artifact, openSession } from './harness.mjs';

const INPLACE =
  'Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.';

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

test('each Web Worker runs its own engine with its own modes', { timeout: 60_000 }, async () => {
  const tab = await session.newPage({ width: 1100, height: 700 });
  try {
    const { page, problems } = tab;
    await page.goto(session.url('/demo/worker.html'));
    await page.waitForFunction(() => window.workerResults && (window.workerResults.ready || window.workerResults.error));
    const r = await page.evaluate(() => window.workerResults);
    assert.equal(r.error, undefined, r.error);
    // Worker A: SIMD build, grad off in that worker only; nothing recorded there.
    assert.equal(r.a.backend, 'wasm-simd');
    assert.equal(r.a.gradEnabled, false);
    assert.equal(r.a.gradFn, null);
    assert.equal(r.a.grad, null);
    assert.equal(r.a.value, 12);
    // Worker B: scalar build, grad on: recorded and differentiated.
    assert.equal(r.b.backend, 'wasm');
    assert.equal(r.b.gradEnabled, true);
    assert.equal(r.b.gradFn, 'SumBackward0');
    assert.deepEqual(r.b.grad, [[2], [2], [2]]);
    assert.equal(r.b.value, 12);
    for (const w of [r.a, r.b]) {
      assert.deepEqual(w.modeStack, []);
      assert.equal(w.servedIsInference, true);
      assert.equal(w.inplaceError, INPLACE);
      assert.equal(w.memory.graphNodes, 0, 'tidy left no graph behind');
    }
    // The page's own engine is untouched by worker A's mode.
    assert.deepEqual(r.page, { backend: 'wasm-simd', gradEnabled: true });
    await page.screenshot({ path: artifact('worker.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});
