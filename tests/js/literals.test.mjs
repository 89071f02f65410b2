// torch.tensor(literal) against PyTorch 1.13.1 (tests/fixtures/literals.json, from
// generate_literals.py): a JavaScript number is a Python float (Note [Literal dtypes] in
// js/data.mjs), so the shape, dtype and values, or the error text, are torch's for the same
// data with float numbers. Checked for JavaScript's torch.tensor and for the C++ parser
// (torch._tensorFromText, src/io/nested_array.h), with no dtype and with each dtype. Both builds.
import { readFileSync } from 'node:fs';

import { builds } from './engines.mjs';
import { tensorOutcome } from './reliability_helpers.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/literals.json', import.meta.url), 'utf8'));
const decode = (v) => (typeof v === 'string' ? Number(v) : v); // 'NaN', 'Infinity', '-Infinity'

function expected(result) {
  if (result.message !== undefined) return { error: result.message };
  return { shape: result.shape, dtype: result.dtype, values: result.values.map(decode) };
}

describe.each(builds)('tensor literals as PyTorch 1.13.1 reads them, on the %s build', (_name, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  const rows = fixture.cases.flatMap((c) => Object.keys(c.results).map((dtype) => [c.name, dtype, c]));

  test.each(rows)('%s (dtype %s)', (_caseName, dtype, c) => {
    const options = dtype === 'default' ? {} : { dtype };
    // The fixture's text is JavaScript source (NaN, Infinity, objects, strings included).
    const data = new Function(`return (${c.text});`)();
    const want = expected(c.results[dtype]);
    expect(tensorOutcome(() => torch.tensor(data, options))).toEqual(want);
    if (c.cpp) expect(tensorOutcome(() => torch._tensorFromText(c.text, options))).toEqual(want);
  });

  test('the README example: numbers are floats, so they can require grad', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    x.sum().backward();
    expect(x.dtype).toBe('float32');
    expect(x.grad.toArray()).toEqual([[1, 1], [1, 1]]);
  });

  test('full() of a number is float32, of a boolean bool; integer TypedArrays give int32', () => {
    // torch.full([2], 7.0).dtype is torch.float32; torch.full([2], True).dtype is torch.bool.
    expect(torch.full([2], 7).dtype).toBe('float32');
    expect(torch.full([2], true).dtype).toBe('bool');
    expect(torch.full([2], 7, { dtype: 'int32' }).dtype).toBe('int32');
    for (const Typed of [Int32Array, Int16Array, Int8Array, Uint16Array, Uint8Array]) expect(torch.tensor(new Typed([1, 2])).dtype).toBe('int32');
    for (const Typed of [Float32Array, Float64Array]) expect(torch.tensor(new Typed([1, 2])).dtype).toBe('float32');
  });

  test('index-making functions give int32; *Like factories keep the source dtype', () => {
    expect(torch.arange(3).dtype).toBe('int32');
    expect(torch.arange(0, 1, 0.5).dtype).toBe('float32');
    const x = torch.tensor([1, 5, 2]);
    expect(x.argmax().dtype).toBe('int32');
    expect(x.max(0).indices.dtype).toBe('int32');
    expect(x.min(0).indices.dtype).toBe('int32');
    const i = torch.tensor([1, 2], { dtype: 'int32' });
    for (const t of [torch.zerosLike(i), torch.onesLike(i), torch.fullLike(i, 3)]) expect(t.dtype).toBe('int32');
  });

  test('in arithmetic a number is a Python scalar: int32 stays int32 unless the number is fractional', () => {
    const i = torch.tensor([1, 2], { dtype: 'int32' });
    expect(i.add(2).dtype).toBe('int32');
    expect(i.mul(2).toArray()).toEqual([2, 4]);
    expect(i.add(2.5).dtype).toBe('float32');
  });

  test('JavaScript-only values are named as JavaScript names them', () => {
    // torch: 'Could not infer dtype of NoneType' for None; undefined is JavaScript's other null.
    expect(() => torch.tensor([1, undefined])).toThrow('Could not infer dtype of undefined');
    expect(() => torch.tensor([1, undefined], { dtype: 'float32' })).toThrow('must be real number, not undefined');
    // torch.tensor('a'): "new(): invalid data type 'str'"
    expect(() => torch.tensor('a')).toThrow("new(): invalid data type 'string'");
    // A cycle is not followed past the dimension limit.
    const cycle = [1];
    cycle.push(cycle);
    expect(() => torch.tensor(cycle)).toThrow('must be real number, not Array');
  });
});
