// js/constants.mjs is the one definition of what JavaScript and the engine agree on (Note
// [Constants shared with C++]); the engine compiled from it reports the same values, and an
// engine built from other constants is refused at load instead of misreading dtypes.

import { DTYPES, SCRATCH_INTS } from '../../js/constants.mjs';
import { reductionOf } from '../../js/nn/functional.mjs';
import { createRuntime } from '../../js/runtime.mjs';
import { builds } from './engines.mjs';

function fakeModule(dtypes) {
  return {
    _wt_scratch_i32: () => 0,
    _wt_scratch_f64: () => 0,
    _wt_scratch_size: () => SCRATCH_INTS,
    dtypeCount: () => dtypes.length,
    dtypeName: (i) => dtypes[i],
  };
}

test('a runtime over an engine with other dtypes is an Error, not a silent mapping', () => {
  expect(() => createRuntime(fakeModule(['float32', 'int32']))).toThrow(/differ from js\/constants.mjs/);
  expect(() => createRuntime(fakeModule(['int32', 'float32', 'bool']))).toThrow(/differ from js\/constants.mjs/);
  expect(createRuntime(fakeModule(DTYPES.map((d) => d.name))).dtypeNames).toEqual(['float32', 'int32', 'bool']);
});

test('an unknown dtype name is an Error naming the known ones', () => {
  const rt = createRuntime(fakeModule(DTYPES.map((d) => d.name)));
  expect(() => rt.dtype('float64', 'zeros')).toThrow("zeros: unknown dtype \"float64\"; webtorch supports 'float32', 'int32', 'bool'");
  expect(rt.dtype(undefined)).toBe(0); // not given: the default dtype
});

test('reduction names are own keys only', () => {
  expect(reductionOf('sum')).toBe(2);
  expect(() => reductionOf('constructor')).toThrow('constructor is not a valid value for reduction');
});

describe.each(builds)('%s', (_, loadEngine) => {
  test('the engine reports the dtypes of js/constants.mjs', async () => {
    const torch = await loadEngine();
    expect(torch.dtypes).toEqual(DTYPES.map((d) => d.name));
    for (const d of DTYPES) {
      const t = torch.zeros([2], { dtype: d.name });
      expect(t.dtype).toBe(d.name);
      t.dispose();
    }
  });
});
