// The mode functions of API.md from JavaScript: all forms, nesting as PyTorch, restore on
// return and throw, Promise refusal, .wrap, and misuse errors.
import { describe, expect, test, beforeAll } from '@jest/globals';
import { builds } from './engines.mjs';

describe.each(builds)('modes on %s', (backend, loadEngine) => {
  let torch;
  beforeAll(async () => {
    torch = await loadEngine();
    expect(torch.backend).toBe(backend);
  });
  const state = () => [torch.isGradEnabled(), torch.isInferenceModeEnabled()];

  test('defaults: grad on, inference off', () => {
    expect(state()).toEqual([true, false]);
  });

  test('each form returns fn result and restores', () => {
    expect(torch.noGrad(() => 1)).toBe(1);
    expect(torch.enableGrad(() => 'a')).toBe('a');
    const obj = {};
    expect(torch.setGradEnabled(false, () => obj)).toBe(obj);
    expect(torch.inferenceMode(() => null)).toBe(null);
    expect(torch.inferenceMode(false, () => undefined)).toBe(undefined);
    expect(state()).toEqual([true, false]);
  });

  test('states inside each form', () => {
    expect(torch.noGrad(state)).toEqual([false, false]);
    expect(torch.enableGrad(state)).toEqual([true, false]);
    expect(torch.setGradEnabled(false, state)).toEqual([false, false]);
    expect(torch.inferenceMode(state)).toEqual([false, true]);
    expect(torch.inferenceMode(true, state)).toEqual([false, true]);
    expect(torch.inferenceMode(false, state)).toEqual([true, false]);
  });

  test('inferenceMode(false) enables grad inside noGrad and inside inferenceMode (torch 1.13)', () => {
    expect(torch.noGrad(() => torch.inferenceMode(false, state))).toEqual([true, false]);
    expect(torch.inferenceMode(() => torch.inferenceMode(false, state))).toEqual([true, false]);
    expect(torch.inferenceMode(() => torch.enableGrad(state))).toEqual([true, true]);
    expect(torch.inferenceMode(() => { torch.inferenceMode(false, () => {}); return state(); })).toEqual([false, true]);
  });

  test('bare setGradEnabled returns the previous flag and is undone by an enclosing scope', () => {
    expect(torch.setGradEnabled(false)).toBe(true);
    expect(torch.isGradEnabled()).toBe(false);
    expect(torch.setGradEnabled(true)).toBe(false);
    torch.noGrad(() => {
      torch.setGradEnabled(true);
      expect(torch.isGradEnabled()).toBe(true);
    });
    expect(state()).toEqual([true, false]);
    torch.inferenceMode(() => torch.setGradEnabled(true));
    expect(state()).toEqual([true, false]);
  });

  test('restores on throw and rethrows the same error object', () => {
    const err = new Error('boom');
    const forms = [
      (f) => torch.noGrad(f),
      (f) => torch.enableGrad(f),
      (f) => torch.setGradEnabled(false, f),
      (f) => torch.inferenceMode(f),
      (f) => torch.inferenceMode(false, f),
      (f) => torch.noGrad.wrap(f)(),
      (f) => torch.inferenceMode.wrap(f)(),
    ];
    for (const outer of forms)
      for (const inner of forms) {
        let caught;
        try {
          outer(() => inner(() => { throw err; }));
        } catch (e) {
          caught = e;
        }
        expect(caught).toBe(err);
        expect(state()).toEqual([true, false]);
      }
  });

  test('a non-Error thrown value passes through unchanged', () => {
    let caught;
    try {
      torch.inferenceMode(() => { throw 42; });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(42);
    expect(state()).toEqual([true, false]);
  });

  test('a Promise-returning function is refused, state restored', () => {
    const thenable = () => Promise.resolve(1);
    expect(() => torch.noGrad(thenable)).toThrow(/returned a Promise/);
    expect(() => torch.inferenceMode(thenable)).toThrow(/returned a Promise/);
    expect(() => torch.enableGrad(() => ({ then() {} }))).toThrow(/returned a Promise/);
    expect(state()).toEqual([true, false]);
  });

  test('an async function is refused before it runs', () => {
    let ran = false;
    const fn = async () => { ran = true; };
    expect(() => torch.noGrad(fn)).toThrow(/Promise/);
    expect(() => torch.inferenceMode(true, fn)).toThrow(/Promise/);
    expect(() => torch.setGradEnabled(false, fn)).toThrow(/Promise/);
    expect(() => torch.noGrad.wrap(fn)).toThrow(/Promise/);
    expect(() => torch.tidy(fn)).toThrow(/Promise/);
    expect(ran).toBe(false);
    expect(state()).toEqual([true, false]);
  });

  test('missing or wrong function arguments throw', () => {
    expect(() => torch.noGrad()).toThrow('noGrad expects a function, got undefined');
    expect(() => torch.enableGrad(3)).toThrow(/enableGrad expects a function/);
    expect(() => torch.inferenceMode()).toThrow(/inferenceMode/);
    expect(() => torch.inferenceMode(true)).toThrow(/inferenceMode expects a function/);
    expect(() => torch.inferenceMode('yes', () => 1)).toThrow(/boolean/);
    expect(() => torch.setGradEnabled('no')).toThrow(/boolean/);
    expect(() => torch.setGradEnabled(true, 'x')).toThrow(/expects a function/);
    expect(() => torch.noGrad.wrap(null)).toThrow(/expects a function/);
    expect(state()).toEqual([true, false]);
  });

  test('.wrap applies the mode per call and keeps this and arguments', () => {
    const obj = {
      k: 3,
      f: torch.noGrad.wrap(function (a, b) { return [this.k, a, b, torch.isGradEnabled()]; }),
    };
    expect(obj.f(1, 2)).toEqual([3, 1, 2, false]);
    expect(torch.isGradEnabled()).toBe(true);
    const inf = torch.inferenceMode.wrap(() => state());
    expect(inf()).toEqual([false, true]);
    const off = torch.inferenceMode.wrap(false, () => state());
    expect(torch.inferenceMode(off)).toEqual([true, false]);
    const grad = torch.enableGrad.wrap(() => torch.isGradEnabled());
    expect(torch.noGrad(grad)).toBe(true);
  });

  test('.wrap of a generator function applies the mode at every resumption', () => {
    const seen = [];
    const gen = torch.noGrad.wrap(function* () {
      seen.push(torch.isGradEnabled());
      const got = yield 1;
      seen.push([got, torch.isGradEnabled()]);
      yield 2;
    });
    const it = gen();
    expect(it.next().value).toBe(1);
    expect(torch.isGradEnabled()).toBe(true);
    expect(it.next('x').value).toBe(2);
    expect(seen).toEqual([false, ['x', false]]);
    expect(it.next().done).toBe(true);
  });

  test('modeStack shows the scopes entered', () => {
    expect(torch.modeStack()).toEqual([]);
    const inner = torch.noGrad(() => torch.inferenceMode(false, () => torch.modeStack()));
    expect(inner).toEqual(['noGrad', 'inferenceMode(false)']);
    expect(torch.modeStack()).toEqual([]);
  });

  test('what ops record in each mode', () => {
    const x = torch.ones([2], { requiresGrad: true });
    expect(x.mul(2).gradFn.name).toBe('MulBackward0');
    expect(torch.noGrad(() => x.mul(2)).gradFn).toBe(null);
    expect(torch.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(torch.noGrad(() => torch.enableGrad(() => x.mul(2))).gradFn.name).toBe('MulBackward0');
    const inf = torch.inferenceMode(() => x.mul(2));
    expect(inf.gradFn).toBe(null);
    expect(inf.isInference()).toBe(true);
    expect(torch.inferenceMode(() => torch.enableGrad(() => x.mul(2))).gradFn).toBe(null);
    expect(torch.inferenceMode(() => torch.inferenceMode(false, () => x.mul(2))).gradFn.name).toBe('MulBackward0');
    expect(torch.noGrad(() => x.mul(2)).isInference()).toBe(false);
    [x].forEach((t) => t.dispose());
  });
});
