// The wasm heap at its limits: growth between creating a tensor and reading it, addresses
// past 2 GB, allocations beyond 4 GB and allocations that fail inside malloc. Each is a
// clear Error or correct data, and the engine keeps working. (torch.empty for the big
// tensors: memory.grow reserves the pages, nothing touches them.)
import { BUILDS, memoryOf } from './reliability_helpers.mjs';

const MB = 2 ** 20;
const GB = 2 ** 30;

describe.each(BUILDS)('memory limits on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
    expect(torch.backend).toBe(backend);
  });

  const heapBytes = () => torch.diagnostics().heapSize; // the wasm memory's size in bytes
  const worksStill = () => {
    expect(torch.tidy(() => torch.tensor([[1, 2], [3, 4]], { dtype: 'int32' }).matmul(torch.ones([2, 1], { dtype: 'int32' })).toArray())).toEqual([[3], [7]]);
  };

  test('heap growth between creating tensors and reading them returns correct data', () => {
    const base = memoryOf(torch);
    const expected = Array.from({ length: 1000 }, (_, i) => i * 0.5 - 100);
    const small = torch.tensor(expected);
    const strided = torch.tidy(() => torch.tensor(expected).view([10, 100]).transpose(0, 1)); // read via a copy
    const grows = [];
    const hold = [];
    for (let i = 0; i < 6; i++) {
      const before = heapBytes();
      hold.push(torch.empty([(before / 4) | 0])); // at least the current heap: memory.grow
      grows.push(heapBytes() > before);
      // Every read after a growth sees the new buffer.
      expect(Array.from(small.data())).toEqual(expected);
      expect(small.shape).toEqual([1000]);
      expect(strided.toArray()[3][7]).toBe(expected[7 * 100 + 3]);
      expect(torch.tidy(() => small.sum().item())).toBe(expected.reduce((a, b) => a + b, 0));
      // A tensor written right after a growth.
      const fresh = torch.tensor([[i, -i], [0.25, 1e30]]);
      expect(fresh.toArray()).toEqual([[i, -i], [0.25, Math.fround(1e30)]]);
      fresh.dispose();
      if (heapBytes() > 1.2 * GB) break;
    }
    expect(grows.every(Boolean)).toBe(true);
    for (const t of [small, strided, ...hold]) t.dispose();
    expect(memoryOf(torch)).toEqual(base);
    worksStill();
  }, 60_000);

  test('tensors at addresses past 2 GB are read and written correctly', () => {
    const base = memoryOf(torch);
    const hold = [torch.empty([Math.floor((1.1 * GB) / 4)]), torch.empty([Math.floor((1.1 * GB) / 4)])];
    expect(heapBytes()).toBeGreaterThan(2 * GB);
    // 64 MB more comes from the top of the heap, past 2 GB.
    const n = (64 * MB) / 4;
    const high = torch.arange(0, n, { dtype: 'float32' });
    const d = high.data();
    expect([d[0], d[1], d[n - 1]]).toEqual([0, 1, n - 1]);
    const written = torch.tensor([[1.5, 2.5], [3.5, 4.5]]);
    expect(written.toArray()).toEqual([[1.5, 2.5], [3.5, 4.5]]);
    expect(torch.tidy(() => high.narrow(0, n - 2, 2).toArray())).toEqual([n - 2, n - 1]); // a strided read
    for (const t of [written, high, ...hold]) t.dispose();
    expect(memoryOf(torch)).toEqual(base);
    worksStill();
  }, 60_000);

  test('an allocation beyond the 4 GB wasm limit throws an Error giving the bytes and the shape', () => {
    const base = memoryOf(torch);
    const calls = [
      [() => torch.zeros([70000, 70000]), /you tried to allocate 19600000000 bytes for a tensor of shape \[70000, 70000\] \(float32\)/],
      [() => torch.ones([2 ** 31 - 1, 2 ** 31 - 1, 4], { dtype: 'bool' }), /can't allocate memory.*\[2147483647, 2147483647, 4\] \(bool\)/],
      [() => torch.empty([65536, 65536]), /17179869184 bytes for a tensor of shape \[65536, 65536\] \(float32\)/],
      [() => torch.full([2 ** 28, 4], 1.5), /4294967296 bytes/], // exactly 4 GB: one byte over
      [() => torch.zeros([2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1]), /more than 2\^64 bytes/],
    ];
    // Once first: the engine keeps the last error's text, whose buffer grows to the longest.
    for (const [call] of calls) expect(call).toThrow();
    const heap = torch.diagnostics().heapInUse;
    for (const [call, message] of calls) {
      let error;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(message);
    }
    expect(memoryOf(torch)).toEqual(base);
    expect(torch.diagnostics().heapInUse).toBe(heap);
    worksStill();
  });

  test('an allocation that passes the size check but fails in malloc throws, and the engine recovers', () => {
    const base = memoryOf(torch);
    const big = [];
    let error;
    try {
      for (let i = 0; i < 4; i++) big.push(torch.empty([(1.5 * GB) / 4])); // 6 GB in all: cannot fit
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/can't allocate memory: you tried to allocate 1610612736 bytes for a tensor of shape \[402653184\] \(float32\)/);
    expect(big.length).toBeGreaterThanOrEqual(1);
    expect(big.length).toBeLessThan(3);
    expect(memoryOf(torch).tensors).toBe(base.tensors + big.length);
    worksStill();
    // Failing ops (not only factories) leave the held tensors intact.
    const probe = torch.tensor([1, 2, 3], { dtype: 'float32' });
    expect(() => torch.tidy(() => probe.expand([(1.5 * GB) / 4, 3]).contiguous())).toThrow(/can't allocate memory/); // 4.5 GB
    if (big.length === 2) expect(() => big[0].add(1)).toThrow(/can't allocate memory: you tried to allocate 1610612736 bytes/);
    expect(Array.from(probe.data())).toEqual([1, 2, 3]);
    probe.dispose();
    big.forEach((t) => t.dispose());
    expect(memoryOf(torch)).toEqual(base);
    // The freed space is reusable.
    const again = torch.empty([(1.5 * GB) / 4]);
    again.dispose();
    worksStill();
  }, 60_000);
});
