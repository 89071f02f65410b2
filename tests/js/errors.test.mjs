// Every engine error reaches JavaScript as an Error with PyTorch's text; the engine keeps
// working, nothing it holds changes, and failing calls cost nothing that accumulates.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

const INPLACE_INFERENCE =
  'Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.';

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe.each(builds)('errors on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test('C++ errors are Errors with PyTorch text', () => {
    const e = thrown(() => torch.ones([2, 3]).add(torch.ones([3, 2])));
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1');
    expect(thrown(() => torch.ones([2]).sum().backward()).message).toBe('element 0 of tensors does not require grad and does not have a grad_fn');
    expect(thrown(() => torch.ones([6]).view([4])).message).toBe("shape '[4]' is invalid for input of size 6");
    expect(thrown(() => torch.ones([2, 3]).transpose(0, 2)).message).toBe('Dimension out of range (expected to be in range of [-2, 1], but got 2)');
  });

  test('inference tensors: every rule with its PyTorch message, data untouched', () => {
    const c = torch.inferenceMode(() => torch.tensor([1.5, 2.5]));
    expect(c.isInference()).toBe(true);
    expect(thrown(() => c.version).message).toBe('Inference tensors do not track version counter.');
    expect(thrown(() => c.add_(1)).message).toBe(INPLACE_INFERENCE);
    expect(thrown(() => c.zero_()).message).toBe(INPLACE_INFERENCE);
    expect(Array.from(c.data())).toEqual([1.5, 2.5]);
    expect(thrown(() => c.requiresGrad_()).message).toBe('Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.');
    const a = torch.ones([2], { requiresGrad: true });
    expect(thrown(() => a.mul(c)).message).toBe(
      'Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.',
    );
    expect(a.add(c).gradFn.name).toBe('AddBackward0'); // add saves nothing: allowed
    const v = c.view([2, 1]);
    expect(v.isInference()).toBe(true);
    expect(v.isView).toBe(false);
    expect(thrown(() => v.mul_(2)).message).toBe(INPLACE_INFERENCE);
    // Inside the mode the same tensor may change, with no version bump.
    torch.inferenceMode(() => c.add_(1));
    expect(Array.from(c.data())).toEqual([2.5, 3.5]);
    const normal = c.clone();
    expect(normal.isInference()).toBe(false);
    normal.add_(1);
    expect(normal.version).toBe(1);
    expect(a.mul(normal).gradFn.name).toBe('MulBackward0');
    for (const t of [c, a, v, normal]) t.dispose();
  });

  test('saved tensor modified in place: the version error', () => {
    const a = torch.ones([2], { requiresGrad: true });
    const b = a.exp();
    const l = b.mul(b).sum();
    b.add_(1);
    expect(thrown(() => l.backward()).message).toBe(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).',
    );
    expect(thrown(() => a.add_(1)).message).toBe('a leaf Variable that requires grad is being used in an in-place operation.');
  });

  test('argument errors name what was wrong', () => {
    expect(thrown(() => torch.tensor([[1, 2], [3]])).message).toBe('expected sequence of length 2 at dim 1 (got 1)');
    expect(thrown(() => torch.zeros([2], { dtype: 'float64' })).message).toMatch(/unknown dtype "float64"/);
    expect(thrown(() => torch.ones([2]).add('x')).message).toMatch(/expected a Tensor, got string x/);
    expect(thrown(() => torch.ones([2]).view([1.5])).message).toMatch(/size must be a list of integers/);
    expect(thrown(() => torch.zeros([-1])).message).toBe('Trying to create tensor with negative dimension -1: [-1]');
  });

  test('a tensor from another engine is refused', async () => {
    const { load } = await import('../../dist/index.mjs');
    const other = backend === 'wasm-simd' ? await load({ simd: false }) : await load();
    const mine = torch.ones([2]);
    const theirs = other.ones([2]);
    expect(thrown(() => mine.add(theirs)).message).toMatch(/another webtorch engine/);
    mine.dispose();
    theirs.dispose();
  });

  test('huge allocations are Errors naming bytes and shape; the engine keeps working', () => {
    const e = thrown(() => torch.zeros([70000, 70000]));
    expect(e.message).toMatch(/19600000000 bytes for a tensor of shape \[70000, 70000\]/);
    expect(torch.ones([2]).add(1).sum().item()).toBe(4);
  });

  test('100,000 failing calls leave memory, heap and stack where they were', () => {
    const keep = torch.ones([2, 3]);
    const inf = torch.inferenceMode(() => torch.ones([2]));
    const disposed = torch.ones([1]);
    disposed.dispose();
    const wrong = torch.ones([3, 2]);
    // Warm up every path once (lazy allocations such as the error string buffer).
    const attempts = [
      () => keep.add(wrong),
      () => inf.add_(1),
      () => disposed.add(1),
      () => keep.view([5]),
      () => keep.sum(7),
      () => torch.zeros([2], { dtype: 'int64' }),
    ];
    for (const f of attempts) expect(() => f()).toThrow();
    const before = { memory: torch.memory(), diag: torch.diagnostics() };
    let errors = 0;
    for (let i = 0; i < 100000; i++) {
      try {
        attempts[i % attempts.length]();
      } catch (e) {
        if (e instanceof Error && e.message.length > 0) errors++;
      }
    }
    expect(errors).toBe(100000);
    const after = { memory: torch.memory(), diag: torch.diagnostics() };
    expect(after.memory).toEqual(before.memory);
    expect(after.diag.heapInUse).toBe(before.diag.heapInUse);
    expect(after.diag.stackPointer).toBe(before.diag.stackPointer);
    expect(after.diag.modeState).toBe(before.diag.modeState);
    expect(after.diag.heapSize).toBe(before.diag.heapSize);
    for (const t of [keep, inf, wrong]) t.dispose();
  });
});
