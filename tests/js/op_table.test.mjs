// The op table (Note [The op table] in js/op_table.mjs) is the one description of every
// operator: the committed typings must be what the generator makes of it, and every entry
// must be reachable, on both builds, in each form the table promises.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { OPS } from '../../js/op_table.mjs';
import { builds } from './engines.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('js/index.d.ts carries the typings generated from the table (run `node codegen/generate.mjs typings`)', () => {
  expect(() => execFileSync(process.execPath, ['codegen/generate.mjs', 'typings', '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
});

test('every entry names a known form, and each name appears once', () => {
  const forms = new Set(['unary', 'binary', 'compare', 'pair', 'reduction', 'shape', 'ints', 'custom',
    'floats']);
  for (const op of OPS) expect([op.name, forms.has(op.form)]).toEqual([op.name, true]);
  expect(new Set(OPS.map((op) => op.name)).size).toBe(OPS.length);
});

describe.each(builds)('%s', (_, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
  });

  test('each op is a Tensor method, with its in-place and torch.NAME forms where the table says', () => {
    const missing = [];
    for (const op of OPS) {
      if (typeof torch.Tensor.prototype[op.name] !== 'function') missing.push(`Tensor.${op.name}`);
      if (op.inplace && typeof torch.Tensor.prototype[`${op.name}_`] !== 'function') missing.push(`Tensor.${op.name}_`);
      if (op.functional !== false && typeof torch[op.name] !== 'function') missing.push(`torch.${op.name}`);
      if (op.inplace && typeof torch[`${op.name}_`] !== 'function') missing.push(`torch.${op.name}_`);
    }
    expect(missing).toEqual([]);
  });

  test('a generated method runs its op (unary, shape and ints forms)', () => {
    const x = torch.tensor([[1, -2, 3], [-4, 5, -6]]);
    expect(x.neg().toArray()).toEqual([[-1, 2, -3], [4, -5, 6]]);
    expect(torch.view(x, 3, 2).shape).toEqual([3, 2]);
    expect(x.flatten().shape).toEqual([6]);
    expect(() => x.transpose(0, 1.5)).toThrow("transpose(): argument 'dim1' must be an integer");
    torch.dispose(x);
  });

  test('a generated method runs its op (floats form: defaults, a number, in place, a bad argument)', () => {
    const x = torch.tensor([-2, 4]);
    expect(x.leakyRelu().toArray()).toEqual([-0.019999999552965164, 4]);
    expect(torch.leakyRelu(x, 0.5).toArray()).toEqual([-1, 4]);
    expect(x.leakyRelu_(0.25)).toBe(x);
    expect(x.toArray()).toEqual([-0.5, 4]);
    expect(() => x.elu(null)).toThrow("elu(): argument 'alpha' must be a number, got null");
    torch.dispose(x);
  });

  // The fuzzer's storage groups (tests/js/fuzzer.mjs) trust `view`: a unary op flagged shares
  // its input's storage (ops.json's view/*/shares-storage pins torch's), one not flagged never
  // does. (The flags once sat on clone instead of detach and contiguous.)
  test("a unary op's `view` flag says whether its result shares its input's storage", () => {
    const sharing = [];
    for (const op of OPS.filter((o) => o.form === 'unary')) {
      const x = torch.tensor([[1, 2], [3, 4]]);
      const y = x[op.name]();
      y.fill_(9);
      if (x.toArray()[0][0] === 9) sharing.push(op.name);
      torch.dispose([x, y]);
    }
    expect(sharing).toEqual(OPS.filter((o) => o.form === 'unary' && o.view).map((o) => o.name));
  });
});
