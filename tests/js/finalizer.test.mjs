// The FinalizationRegistry backstop (Note [Deferred registration] in js/lifetime.mjs): a
// tensor the user forgets to dispose is released once its wrapper is garbage collected,
// whether it was forgotten in the same job that made it or much later; a disposed tensor
// is never released a second time.
import { describe, expect, test, beforeAll } from '@jest/globals';
import v8 from 'node:v8';
import vm from 'node:vm';
import { builds } from './engines.mjs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

// Collects and lets finalizers run until the live tensor count is back to `target`.
async function collectUntil(torch, target) {
  for (let i = 0; i < 40 && torch.memory().tensors > target; i++) {
    await tick();
    gc();
    await tick(5);
  }
  return torch.memory().tensors;
}

describe.each(builds)('finalizer backstop on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test('tensors forgotten in the job that made them are released after GC', async () => {
    await collectUntil(torch, 0);
    const before = torch.memory().tensors;
    (() => {
      for (let i = 0; i < 50; i++) torch.ones([4]).add(1);
    })();
    expect(torch.memory().tensors).toBe(before + 100);
    expect(await collectUntil(torch, before)).toBe(before);
  });

  test('more forgotten tensors than the nursery holds, in one synchronous run', async () => {
    const before = torch.memory().tensors;
    (() => {
      for (let i = 0; i < 5000; i++) torch.full([2], i);
    })();
    expect(await collectUntil(torch, before)).toBe(before);
  });

  test('a tensor kept past the flush, then forgotten, is released', async () => {
    const before = torch.memory().tensors;
    let t = torch.ones([3]);
    await tick(); // registered now
    expect(torch.memory().tensors).toBe(before + 1);
    t = null;
    expect(await collectUntil(torch, before)).toBe(before);
  });

  test('disposed tensors, before or after the flush, are not released again', async () => {
    const before = torch.memory().tensors;
    const keep = torch.ones([2]);
    const early = torch.ones([2]);
    early.dispose(); // before registration
    const late = torch.ones([2]);
    await tick();
    late.dispose(); // after registration: unregistered
    // A new tensor may reuse the freed address; a stray finalizer would release it.
    let reused = [torch.ones([2]), torch.ones([2])];
    await tick();
    gc();
    await tick(10);
    gc();
    await tick(10);
    expect(torch.memory().tensors).toBe(before + 3);
    const sum = reused[0].add(keep);
    expect(Array.from(sum.data())).toEqual([2, 2]);
    sum.dispose();
    reused.forEach((t) => t.dispose());
    reused = null;
    keep.dispose();
    expect(torch.memory().tensors).toBe(before);
  });
});
