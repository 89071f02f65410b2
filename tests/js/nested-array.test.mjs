// torch.tensor(nestedArray) in JavaScript (js/data.mjs, for speed) against its C++ reference
// (src/io/nested_array.h, Note [Nested-array semantics]) on random inputs, ragged and odd
// ones included: the same shape, dtype and values, or the same error text. Both builds.
// tests/js/literals.test.mjs pins both paths to PyTorch's results and texts.
//   WEBTORCH_NESTED_SEED=7 node --experimental-vm-modules node_modules/jest/bin/jest.js tests/js/nested-array.test.mjs
import { BUILDS, rng, tensorOutcome } from './reliability_helpers.mjs';

const CASES = 3000;
const SEED = Number(process.env.WEBTORCH_NESTED_SEED ?? 7);

// JavaScript values written as the parser's text: String() for numbers, as JavaScript
// prints them (NaN, Infinity, 1e+21), but -0 keeps its sign.
function toText(v, r) {
  const space = () => (r.chance(0.1) ? r.pick([' ', '\n', '\t ', '\r\n']) : '');
  if (Array.isArray(v)) return `${space()}[${v.map((x) => toText(x, r)).join(`${space()},`)}${space()}]`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return String(v); // true, false, null
}

function randomData(r) {
  const leaf = () => {
    const p = r.next();
    if (p < 0.45) return r.int(-9, 9);
    if (p < 0.6) return r.int(-100, 100) / 8;
    if (p < 0.72) return r.chance(0.5);
    if (p < 0.8) return r.pick([NaN, Infinity, -Infinity, -0, 0.1, 1 / 3, 1e21, 1e-7, 5e-324, 1e39, 3.4028235677973366e38]);
    if (p < 0.9) return r.pick([2147483647, -2147483648, 2147483648, -2147483649, 3e9, 2147483647.5, -2147483648.5, 2 ** 53]);
    return null;
  };
  if (r.chance(0.05)) return leaf();
  const depth = r.chance(0.05) ? r.int(15, 18) : r.int(1, 4);
  const dims = Array.from({ length: depth }, () => (depth > 6 ? r.int(1, 2) : r.int(0, 4)));
  const build = (d) => {
    if (d === depth) return r.chance(0.02) ? [leaf()] : leaf();
    let n = dims[d];
    if (r.chance(0.04)) n = r.int(0, 4); // ragged
    if (r.chance(0.01)) return leaf(); // a scalar where an array belongs
    return Array.from({ length: n }, () => build(d + 1));
  };
  return build(0);
}

describe.each(BUILDS)('torch.tensor(nestedArray) against the C++ parser on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  const compare = (data, text, dtype) => {
    const options = dtype === undefined ? {} : { dtype };
    const js = tensorOutcome(() => torch.tensor(data, options));
    const cpp = tensorOutcome(() => torch._tensorFromText(text, options));
    return { js, cpp };
  };

  test('fixed edge cases agree, with PyTorch texts', () => {
    const cases = [
      [[[1, 2], [3]], undefined, 'expected sequence of length 2 at dim 1 (got 1)'],
      [[[1, 2], [3, 4, 5]], undefined, 'expected sequence of length 2 at dim 1 (got 3)'],
      [[[1], 2], undefined, 'not a sequence'],
      [[1, [2]], undefined, 'must be real number, not Array'],
      [[1, [2]], 'int32', "'Array' object cannot be interpreted as an integer"],
      [[[1], null], undefined, 'Could not infer dtype of null'],
      [[[], [1]], undefined, null],
      [[3e9], 'int32', 'value cannot be converted to type int32 without overflow'],
      [[2147483647.5], 'int32', 'value cannot be converted to type int32 without overflow'],
      [[NaN], 'int32', 'value cannot be converted to type int32 without overflow'],
      [JSON.parse('['.repeat(17) + '1' + ']'.repeat(17)), undefined, 'tensor(): too many dimensions: webtorch supports tensors of at most 16 dimensions'],
      [[[-0, 0]], undefined, null],
      [[NaN, 0, -0, 2], 'bool', null],
      [[true, 2], undefined, null],
      [[[]], undefined, null],
      [[1e39, -1e39, 5e-324], 'float32', null],
      [JSON.parse('['.repeat(16) + '1' + ']'.repeat(16)), undefined, null],
    ];
    const r = rng(1);
    for (const [data, dtype, error] of cases) {
      const { js, cpp } = compare(data, toText(data, r), dtype);
      expect(js).toEqual(cpp);
      if (error) expect(js.error).toBe(error);
      else expect(js.error).toBeUndefined();
    }
    expect(compare([NaN, 0, -0, 2], toText([NaN, 0, -0, 2], r), 'bool').js.values).toEqual([1, 0, 0, 1]);
  });

  test(`${CASES} random nested arrays give the same tensor or the same error (seed ${SEED})`, () => {
    const r = rng(SEED + (backend === 'wasm' ? 1 : 0));
    const kinds = { ok: 0, error: 0 };
    for (let i = 0; i < CASES; i++) {
      const data = randomData(r);
      const text = toText(data, r);
      const dtype = r.pick([undefined, undefined, 'float32', 'int32', 'bool']);
      const { js, cpp } = compare(data, text, dtype);
      if (JSON.stringify(js) !== JSON.stringify(cpp) && !(js.values && cpp.values && js.values.every((v, k) => Object.is(v, cpp.values[k])))) {
        throw new Error(`case ${i} (seed ${SEED}): ${text.slice(0, 300)} with dtype ${dtype}\n  JS:  ${JSON.stringify(js).slice(0, 300)}\n  C++: ${JSON.stringify(cpp).slice(0, 300)}`);
      }
      kinds[js.error ? 'error' : 'ok']++;
    }
    // Both outcomes are well represented.
    expect(kinds.ok).toBeGreaterThan(CASES / 5);
    expect(kinds.error).toBeGreaterThan(CASES / 10);
  }, 60_000);

  test('syntax the JavaScript path can never see is refused with its offset', () => {
    expect(() => torch._tensorFromText('[1, 2')).toThrow('tensor(): invalid nested-array text at offset 5: the text ends where \',\' or \']\' was expected');
    expect(() => torch._tensorFromText('[1,, 2]')).toThrow(/offset 3: unexpected ','/);
    expect(() => torch._tensorFromText('[[1]] [2]')).toThrow(/after the end of the data/);
    expect(() => torch._tensorFromText(`[1, ${'['.repeat(100000)}${']'.repeat(100000)}]`)).toThrow('must be real number, not Array');
    expect(() => torch._tensorFromText('[1]', { dtype: 'float64' })).toThrow(/unknown dtype/);
  });
});
