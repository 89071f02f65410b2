// dispose, tidy, keep, memory(): JS-side lifetime rules (Note [Wrappers own one reference]).
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

describe.each(builds)('lifetime on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test('a disposed tensor says so on every use', () => {
    const t = torch.ones([2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.shape).toThrow(/disposed/);
    expect(() => t.add(1)).toThrow(/disposed/);
    expect(() => torch.ones([2]).add(t)).toThrow(/disposed/);
    expect(() => t.data()).toThrow(/disposed/);
    expect(() => t.backward()).toThrow(/disposed/);
    expect(() => torch.noGrad(() => t.mul(2))).toThrow(/disposed/);
    t.dispose(); // a second dispose is harmless
    expect(t.toString()).toBe('Tensor(disposed)');
  });

  test('disposing a base keeps its views (and the other way round)', () => {
    const base = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const v = base.transpose(0, 1);
    base.dispose();
    expect(Array.from(v.data())).toEqual([1, 3, 2, 4]);
    const w = v.view([4].length ? [2, 2] : []);
    v.dispose();
    expect(Array.from(w.data())).toEqual([1, 3, 2, 4]);
    w.dispose();
  });

  test('tidy frees what it does not return, nested, and on throw', () => {
    const before = torch.memory();
    const kept = torch.tidy(() => {
      const a = torch.ones([3]);
      const b = a.mul(2);
      const inner = torch.tidy(() => [b.add(1), { deep: b.sub(1) }]);
      expect(inner[1].deep.isDisposed).toBe(false);
      return { out: inner[0], list: [inner[1].deep] };
    });
    expect(kept.out.isDisposed).toBe(false);
    expect(Array.from(kept.out.data())).toEqual([3, 3, 3]);
    expect(Array.from(kept.list[0].data())).toEqual([1, 1, 1]);
    expect(torch.memory().tensors).toBe(before.tensors + 2);
    kept.out.dispose();
    kept.list[0].dispose();
    expect(torch.memory()).toMatchObject({ tensors: before.tensors, bytes: before.bytes });

    let escaped;
    expect(() =>
      torch.tidy(() => {
        escaped = torch.ones([2]);
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(escaped.isDisposed).toBe(true);
    expect(torch.memory().tensors).toBe(before.tensors);
  });

  test('keep survives every enclosing tidy', () => {
    let k;
    torch.tidy(() => torch.tidy(() => { k = torch.keep(torch.ones([1])); }));
    expect(k.isDisposed).toBe(false);
    k.dispose();
  });

  test('tidy refuses Promises and frees its tensors', () => {
    let t;
    expect(() => torch.tidy(() => { t = torch.ones([2]); return Promise.resolve(t); })).toThrow(/Promise/);
    expect(t.isDisposed).toBe(true);
    expect(() => torch.tidy('named', 5)).toThrow(/tidy expects a function/);
  });

  test('a training loop in tidy leaves memory unchanged and backward frees saved tensors', () => {
    const w = torch.ones([4, 4], { requiresGrad: true });
    const x = torch.ones([8, 4]);
    const before = torch.memory();
    for (let i = 0; i < 200; i++) {
      torch.tidy(() => {
        const loss = x.matmul(w).relu().sum();
        expect(torch.memory().savedBytes).toBeGreaterThan(0);
        loss.backward();
        expect(torch.memory().savedBytes).toBe(0);
        torch.noGrad(() => w.sub_(w.grad.mul(0.001)));
      });
    }
    const after = torch.memory();
    // .grad of w was created in the first iteration and stays with w.
    expect(after.tensors).toBe(before.tensors + 1);
    expect(after.graphNodes).toBe(0);
    expect(after.savedBytes).toBe(0);
    w.dispose();
    x.dispose();
  });

  test('retainGraph keeps saved tensors until the graph is dropped', () => {
    torch.tidy(() => {
      const w = torch.ones([3], { requiresGrad: true });
      const loss = w.mul(w).sum();
      loss.backward({ retainGraph: true });
      expect(torch.memory().savedBytes).toBeGreaterThan(0);
      loss.backward();
      expect(torch.memory().savedBytes).toBe(0);
      expect(Array.from(w.grad.data())).toEqual([4, 4, 4]);
      expect(() => loss.backward()).toThrow(/Trying to backward through the graph a second time/);
    });
    expect(torch.memory().graphNodes).toBe(0);
  });

  test('.grad returns the same wrapper while the gradient is the same tensor', () => {
    const w = torch.ones([2], { requiresGrad: true });
    w.mul(3).sum().backward();
    const g1 = w.grad;
    expect(w.grad).toBe(g1);
    w.mul(3).sum().backward(); // accumulates in place into the same .grad
    expect(w.grad).toBe(g1);
    expect(Array.from(g1.data())).toEqual([6, 6]);
    w.grad = null;
    expect(w.grad).toBe(null);
    w.dispose();
  });

  test('Symbol.dispose disposes', () => {
    const t = torch.ones([1]);
    if (typeof Symbol.dispose === 'symbol') {
      t[Symbol.dispose]();
      expect(t.isDisposed).toBe(true);
    } else {
      t.dispose();
    }
  });
});
