// Long runs do not leak: a 10,000-step training loop in tidy, backward freeing what it saved,
// and the FinalizationRegistry backstop for tensors dropped without dispose(), on both builds.
import { BUILDS, collectGarbage, memoryOf, snapshot } from './reliability_helpers.mjs';

const STEPS = 10_000;

describe.each(BUILDS)('memory on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
    expect(torch.backend).toBe(backend);
  });

  test(`a ${STEPS}-step training loop inside tidy leaves torch.memory() unchanged`, () => {
    // Linear regression y = x @ [2, -1, 0.5] + 1 by SGD: every step records a graph, runs
    // backward, updates in place under noGrad and drops its grads.
    const x = torch.tensor([[1, 2, 3], [0, 1, -1], [2, 0, 1], [-1, -2, 0.5], [0.5, 0.5, 0.5], [3, 1, 2]]);
    const y = torch.tidy(() => x.matmul(torch.tensor([[2], [-1], [0.5]])).add(1));
    const w = torch.zeros([3, 1], { requiresGrad: true });
    const b = torch.zeros([1], { requiresGrad: true });
    const lr = 0.02;
    const step = () =>
      torch.tidy(() => {
        const diff = x.matmul(w).add(b).sub(y);
        const loss = diff.mul(diff).mean();
        loss.backward();
        torch.noGrad(() => {
          w.sub_(w.grad.mul(lr));
          b.sub_(b.grad.mul(lr));
        });
        w.grad = null;
        b.grad = null;
        return loss.item();
      });

    const firstLoss = step(); // warm-up: anything created once (caches) exists from here on
    const before = snapshot(torch);
    // The allocator's bytes in use cycle through a few values from step to step (a block's
    // header is 8 bytes, and which block a size class reuses follows a short period), so a
    // leak is heap use outside what the first 100 steps showed, not a difference from step 0.
    const steadyHeap = new Set([before.heapInUse]);
    const withoutHeap = ({ heapInUse, ...rest }) => rest;
    let lastLoss = firstLoss;
    const outer = torch.tidy(() => {
      for (let i = 0; i < STEPS; i++) {
        lastLoss = step();
        if (i < 100) steadyHeap.add(snapshot(torch).heapInUse);
        if (i === 100) expect(withoutHeap(snapshot(torch))).toEqual(withoutHeap(before));
      }
      return 'done';
    });
    expect(outer).toBe('done');
    const after = snapshot(torch);
    // Printed for the report: the deltas over the loop (all zero but the heap's cycle).
    const delta = Object.fromEntries(Object.keys(before).map((k) => [k, Number(after[k]) - Number(before[k])]));
    console.log(`${backend}: ${STEPS} steps, loss ${firstLoss.toFixed(4)} -> ${lastLoss.toExponential(3)}, deltas ${JSON.stringify(delta)}, heap values of steps 1-100 ${JSON.stringify([...steadyHeap])}`);
    expect(withoutHeap(after)).toEqual(withoutHeap(before));
    expect(steadyHeap.size).toBeLessThanOrEqual(4);
    expect(steadyHeap.has(after.heapInUse)).toBe(true);
    expect(lastLoss).toBeLessThan(1e-6); // it did train
    expect(Array.from(w.data()).map((v) => +v.toFixed(3))).toEqual([2, -1, 0.5]);
    for (const t of [x, y, w, b]) t.dispose();
  }, 120_000);

  test('backward frees saved tensors unless retainGraph; graph nodes go with their outputs', () => {
    const base = memoryOf(torch);
    expect(base.savedBytes).toBe(0);
    expect(base.graphNodes).toBe(0);
    const a = torch.ones([256], { requiresGrad: true });
    // tidy disposes the intermediate wrappers: only `out` keeps the graph reachable.
    const out = torch.tidy(() => a.mul(a).exp().sum());
    const recorded = memoryOf(torch);
    expect(recorded.savedBytes).toBeGreaterThan(0);
    expect(recorded.graphNodes).toBeGreaterThan(0);

    out.backward({ retainGraph: true });
    expect(memoryOf(torch).savedBytes).toBe(recorded.savedBytes); // kept for a second pass
    out.backward();
    expect(memoryOf(torch).savedBytes).toBe(0); // freed right after backward
    const grad = a.grad; // its own reference: disposed below, like any tensor handed out
    expect(grad.data()[0]).toBeCloseTo(4 * Math.E, 5); // two passes accumulated
    expect(grad.data()[255]).toBeCloseTo(4 * Math.E, 5);
    // A third pass finds the buffers freed, with PyTorch's message.
    expect(() => out.backward()).toThrow(/Trying to backward through the graph a second time/);
    expect(memoryOf(torch).graphNodes).toBeGreaterThan(0); // still reachable from `out`
    out.dispose();
    expect(memoryOf(torch).graphNodes).toBe(0);
    grad.dispose();
    a.dispose();
    expect(memoryOf(torch)).toEqual(base);
  });

  test('autograd.grad frees saved tensors too, and disposing its results restores everything', () => {
    const base = memoryOf(torch);
    const a = torch.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    const out = torch.tidy(() => a.mul(a).sum());
    const [g] = torch.autograd.grad(out, [a]);
    expect(Array.from(g.data())).toEqual([2, 4, 6]);
    expect(memoryOf(torch).savedBytes).toBe(0);
    for (const t of [g, out, a]) t.dispose();
    expect(memoryOf(torch)).toEqual(base);
  });

  test('a failed backward frees nothing it should keep and leaks nothing', () => {
    const base = snapshot(torch);
    const a = torch.ones([4], { requiresGrad: true });
    const c = torch.tidy(() => a.mul(a));
    const alias = a.detach();
    alias.mul_(3); // bumps the version `a` shares with its alias: c's saved `a` is stale
    const loss = c.sum();
    expect(() => loss.backward()).toThrow(/modified by an inplace operation/);
    expect(a.grad).toBe(null);
    for (const t of [a, alias, c, loss]) t.dispose();
    expect(snapshot(torch)).toEqual(base);
  });

  test('the FinalizationRegistry backstop frees tensors dropped without dispose()', async () => {
    await collectGarbage();
    const base = memoryOf(torch);
    (() => {
      for (let i = 0; i < 200; i++) torch.ones([1000]).add(i); // two tensors each, never disposed
    })();
    expect(memoryOf(torch).tensors).toBe(base.tensors + 400);
    await collectGarbage();
    expect(memoryOf(torch)).toEqual(base);
  }, 60_000);

  test('the backstop never frees storage a live view still uses', async () => {
    await collectGarbage();
    const base = memoryOf(torch);
    let view;
    let keptGrad;
    (() => {
      const data = Array.from({ length: 12 }, (_, i) => i * 1.5);
      const baseTensor = torch.tensor(data).view([3, 4]); // the base and its view: both dropped
      view = baseTensor.transpose(0, 1).unsqueeze(0); // a view of a view, kept
      const leaf = torch.ones([3], { requiresGrad: true });
      leaf.mul(2).sum().backward();
      keptGrad = leaf.grad; // .grad outlives its dropped leaf
    })();
    await collectGarbage();
    // What remains: the kept view, the base it keeps alive (PyTorch's ._base) and the kept
    // grad, with their storage (12 + 3 floats).
    expect(memoryOf(torch).tensors).toBe(base.tensors + 3);
    expect(memoryOf(torch).bytes).toBe(base.bytes + 15 * 4);
    expect(view.toArray()).toEqual([[[0, 6, 12], [1.5, 7.5, 13.5], [3, 9, 15], [4.5, 10.5, 16.5]]]);
    expect(Array.from(keptGrad.data())).toEqual([2, 2, 2]);
    // Churn the allocator: a freed storage would now be overwritten.
    const churn = [];
    for (let i = 0; i < 50; i++) churn.push(torch.full([12], -1));
    expect(view.toArray()).toEqual([[[0, 6, 12], [1.5, 7.5, 13.5], [3, 9, 15], [4.5, 10.5, 16.5]]]);
    churn.forEach((t) => t.dispose());
    view.dispose();
    keptGrad.dispose();
    expect(memoryOf(torch)).toEqual(base);
  }, 60_000);

  test('a tensor disposed explicitly is not released again by the backstop', async () => {
    await collectGarbage();
    const base = snapshot(torch);
    (() => {
      for (let i = 0; i < 100; i++) {
        const t = torch.ones([10]);
        const v = t.view([2, 5]);
        t.dispose(); // the view still holds the storage
        v.dispose();
      }
    })();
    await collectGarbage();
    expect(snapshot(torch)).toEqual(base);
    expect(torch.ones([2]).add(1).toArray()).toEqual([2, 2]);
  }, 60_000);
});
