// Faults: errors cost nothing that accumulates, and the gradient modes come back exactly
// right whatever is thrown, wherever, in any nesting of every mode form (compared with a
// model of PyTorch's semantics). Both builds.
//   WEBTORCH_FAULTS_SEED=123 node --experimental-vm-modules node_modules/jest/bin/jest.js tests/js/faults.test.mjs
import { BUILDS, memoryOf, rng, snapshot } from './reliability_helpers.mjs';

const FAILING_CALLS = 100_000;
const MODE_TRIALS = 3_000;
const SEED = Number(process.env.WEBTORCH_FAULTS_SEED ?? 20240611);

describe.each(BUILDS)('faults on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
    expect(torch.backend).toBe(backend);
  });

  test(`${FAILING_CALLS} failing calls leave memory, heap, stack pointer and held tensors exactly as they were`, () => {
    const a = torch.ones([2, 3]);
    const b = torch.ones([4]);
    const leaf = torch.ones([3], { requiresGrad: true });
    const frozen = torch.inferenceMode(() => torch.tensor([1.5, 2.5, 3.5]));
    const ints = torch.tensor([1, 2, 3], { dtype: 'int32' });
    const disposed = torch.zeros([2]);
    disposed.dispose();
    const held = [a, b, leaf, frozen, ints];
    const contents = held.map((t) => Array.from(t.data()));
    const kinds = [
      [() => a.add(b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/],
      [() => frozen.add_(1), /Inplace update to inference tensor outside InferenceMode is not allowed/],
      [() => disposed.add(1), /Tensor is disposed/],
      [() => torch.zeros([2], { dtype: 'float64' }), /unknown dtype "float64"/],
      [() => a.matmul(b), /shapes cannot be multiplied|size mismatch|mat1 and mat2/],
      [() => a.view([4, 2]), /shape '\[4, 2\]' is invalid for input of size 6/],
      [() => leaf.add_(1), /a leaf Variable that requires grad is being used in an in-place operation/],
      [() => ints.requiresGrad_(), /only Tensors of floating point dtype can require gradients/],
      [() => torch.tidy(() => a.sum().backward()), /element 0 of tensors does not require grad and does not have a grad_fn/],
      [() => a.transpose(0, 5), /Dimension out of range/],
      [() => torch.tidy(() => leaf.mul(2).add(b)), /must match/], // fails after making a tensor
      [() => torch.noGrad(() => frozen.mul_(2)), /Inplace update to inference tensor/],
    ];
    const run = () => {
      for (const [call] of kinds) {
        try {
          call();
        } catch (e) {
          continue;
        }
        throw new Error(`expected ${call} to fail`);
      }
    };
    // Each kind once first, with its message checked: the engine keeps the last error's
    // text, whose buffer may grow once to the longest message.
    for (const [call, message] of kinds) expect(call).toThrow(message);
    run();
    const before = snapshot(torch);
    const t0 = performance.now();
    let calls = 0;
    while (calls < FAILING_CALLS) {
      run();
      calls += kinds.length;
    }
    const ms = performance.now() - t0;
    const after = snapshot(torch);
    console.log(`${backend}: ${calls} failing calls in ${ms.toFixed(0)} ms (${((ms * 1000) / calls).toFixed(1)} µs each); ` +
      `before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
    expect(after).toEqual(before);
    expect(held.map((t) => Array.from(t.data()))).toEqual(contents);
    expect(frozen.isInference()).toBe(true);
    expect(leaf.version).toBe(0);
    expect(torch.tidy(() => a.add(1).sum().item())).toBe(12);
    held.forEach((t) => t.dispose());
  }, 120_000);

  test('a throwing hook, custom forward or custom backward leaves modes, memory and tensors intact', () => {
    const base = snapshot(torch);
    const boom = new Error('hook failed');
    const leaf = torch.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
    const hooked = torch.tidy(() => leaf.mul(2));
    hooked.registerHook(() => {
      throw boom;
    });
    const loss = torch.tidy(() => hooked.sum());
    let caught;
    try {
      torch.noGrad(() => torch.enableGrad(() => loss.backward()));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    expect(torch.isGradEnabled()).toBe(true);

    const forwardFails = torch.autograd.Function({
      forward(ctx, x) {
        expect(torch.isGradEnabled()).toBe(false); // as in PyTorch's Function.apply
        x.mul(3); // dropped, never disposed: the backstop's business
        throw boom;
      },
      backward(ctx, g) {
        return g;
      },
    });
    expect(() => forwardFails.apply(leaf)).toThrow(boom);
    const backwardFails = torch.autograd.Function({
      forward(ctx, x) {
        return x.mul(2);
      },
      backward() {
        throw boom;
      },
    });
    const out = backwardFails.apply(leaf);
    const outSum = torch.tidy(() => out.sum());
    expect(() => outSum.backward()).toThrow(boom);
    expect(snapshot(torch).grad).toBe(true);
    expect(Array.from(leaf.data())).toEqual([1, 2, 3]);
    for (const t of [leaf, hooked, loss, out, outSum]) t.dispose();
    const after = snapshot(torch);
    expect({ ...after, tensors: 0, bytes: 0, heapInUse: 0 }).toEqual({ ...base, tensors: 0, bytes: 0, heapInUse: 0 });
  });

  test('a Promise-returning callback is refused, before it runs when it is an async function, and changes nothing', () => {
    const forms = {
      noGrad: (fn) => torch.noGrad(fn),
      enableGrad: (fn) => torch.enableGrad(fn),
      setGradEnabled: (fn) => torch.setGradEnabled(false, fn),
      inferenceMode: (fn) => torch.inferenceMode(fn),
      inferenceModeFalse: (fn) => torch.inferenceMode(false, fn),
      tidy: (fn) => torch.tidy(fn),
      noGradWrap: (fn) => torch.noGrad.wrap(fn)(),
      inferenceModeWrap: (fn) => torch.inferenceMode.wrap(fn)(),
    };
    for (const [name, form] of Object.entries(forms)) {
      for (const grad of [true, false]) {
        torch.setGradEnabled(grad);
        const before = snapshot(torch);
        let ran = false;
        const asyncFn = async () => {
          ran = true;
          torch.setGradEnabled(!grad);
          return torch.ones([3]);
        };
        expect(() => form(asyncFn)).toThrow(/returned a Promise|cannot span an await/);
        expect(ran).toBe(false);
        expect(snapshot(torch)).toEqual(before);
        // A plain function that returns a Promise runs, then is refused; the scope is over.
        let inside;
        const promising = () => {
          inside = { grad: torch.isGradEnabled(), tensor: torch.ones([2]) };
          return new Promise(() => {});
        };
        expect(() => form(promising)).toThrow(/returned a Promise/);
        expect(snapshot(torch).grad).toBe(grad);
        expect(snapshot(torch).inference).toBe(false);
        if (name === 'tidy') expect(inside.tensor.isDisposed).toBe(true); // nothing escapes
        else inside.tensor.dispose();
        expect(snapshot(torch)).toEqual(before);
        // A thenable is a Promise too.
        expect(() => form(() => ({ then() {} }))).toThrow(/returned a Promise/);
        expect(snapshot(torch)).toEqual(before);
      }
    }
    torch.setGradEnabled(true);
  });

  test(`${MODE_TRIALS} random nestings of every mode form with random throws restore the modes exactly (seed ${SEED})`, () => {
    const r = rng(SEED + (backend === 'wasm' ? 1 : 0));
    const initial = snapshot(torch);
    let model = { grad: true, inference: false }; // PyTorch's state, as the model sees it
    const packed = new Map(); // (grad, inference) -> diagnostics().modeState
    let trace = [];
    let checks = 0;

    const check = (where) => {
      checks++;
      const actual = { grad: torch.isGradEnabled(), inference: torch.isInferenceModeEnabled() };
      if (actual.grad !== model.grad || actual.inference !== model.inference)
        throw new Error(`mode state ${JSON.stringify(actual)} but the model says ${JSON.stringify(model)} at ${where}\ntrace: ${trace.join(' ')}`);
      const key = `${model.grad},${model.inference}`;
      const state = torch.diagnostics().modeState;
      if (!packed.has(key)) packed.set(key, state);
      else if (packed.get(key) !== state) throw new Error(`modeState ${state} for ${key}, earlier ${packed.get(key)}\ntrace: ${trace.join(' ')}`);
    };

    // The mode forms: how each changes the model on entry (PyTorch: InferenceMode(enabled)
    // sets grad = !enabled; grad modes set only grad) and how it is called.
    const scoped = [
      ['noGrad', () => ({ grad: false }), (fn) => torch.noGrad(fn)],
      ['enableGrad', () => ({ grad: true }), (fn) => torch.enableGrad(fn)],
      ['setGradEnabled(true)', () => ({ grad: true }), (fn) => torch.setGradEnabled(true, fn)],
      ['setGradEnabled(false)', () => ({ grad: false }), (fn) => torch.setGradEnabled(false, fn)],
      ['inferenceMode', () => ({ grad: false, inference: true }), (fn) => torch.inferenceMode(fn)],
      ['inferenceMode(true)', () => ({ grad: false, inference: true }), (fn) => torch.inferenceMode(true, fn)],
      ['inferenceMode(false)', () => ({ grad: true, inference: false }), (fn) => torch.inferenceMode(false, fn)],
      ['noGrad.wrap', () => ({ grad: false }), (fn) => torch.noGrad.wrap(fn)()],
      ['enableGrad.wrap', () => ({ grad: true }), (fn) => torch.enableGrad.wrap(fn)()],
      ['setGradEnabled.wrap(false)', () => ({ grad: false }), (fn) => torch.setGradEnabled.wrap(false, fn)()],
      ['inferenceMode.wrap', () => ({ grad: false, inference: true }), (fn) => torch.inferenceMode.wrap(fn)()],
      ['inferenceMode.wrap(false)', () => ({ grad: true, inference: false }), (fn) => torch.inferenceMode.wrap(false, fn)()],
    ];
    const generatorForms = [
      ['noGrad.wrap*', () => ({ grad: false }), (g) => torch.noGrad.wrap(g)],
      ['inferenceMode.wrap*', () => ({ grad: false, inference: true }), (g) => torch.inferenceMode.wrap(g)],
      ['enableGrad.wrap*', () => ({ grad: true }), (g) => torch.enableGrad.wrap(g)],
    ];

    let thrownCount = 0;
    const maybeThrow = (depth) => {
      if (r.chance(0.06)) {
        thrownCount++;
        trace.push(`throw@${depth}`);
        throw r.chance(0.9) ? new Error(`fault at depth ${depth}`) : { notAnError: depth }; // any value
      }
    };

    // Some work inside a scope, checked against the model: tensors made in inference mode
    // are inference tensors; ops on a leaf record only where grad is on.
    const work = (leaf) => {
      const t = leaf.mul(2);
      const expectRecorded = model.grad && !model.inference;
      if (t.requiresGrad !== expectRecorded) throw new Error(`requiresGrad ${t.requiresGrad} with model ${JSON.stringify(model)}\ntrace: ${trace.join(' ')}`);
      if (t.isInference() !== model.inference) throw new Error(`isInference ${t.isInference()} with model ${JSON.stringify(model)}`);
      return t;
    };

    const body = (depth, leaf) => {
      check(`enter depth ${depth}`);
      const steps = r.int(0, 3);
      for (let i = 0; i < steps; i++) {
        maybeThrow(depth);
        const choice = r.next();
        if (choice < 0.15) {
          const flag = r.chance(0.5);
          trace.push(`setGradEnabled(${flag})`);
          const prev = torch.setGradEnabled(flag); // bare: lasts until the enclosing scope exits
          if (prev !== model.grad) throw new Error(`setGradEnabled returned ${prev}, model ${model.grad}`);
          model.grad = flag;
        } else if (choice < 0.3) {
          work(leaf);
        } else if (depth < 12) {
          nest(depth + 1, leaf);
        }
        check(`after step ${i} at depth ${depth}`);
      }
      maybeThrow(depth);
      return depth;
    };

    // One nested call of a random form; returns normally or rethrows the same value.
    const nest = (depth, leaf) => {
      const saved = { ...model };
      const choice = r.next();
      let result;
      let caught;
      let threw = false;
      if (choice < 0.12) {
        // tidy is not a mode: a bare setGradEnabled inside it outlives it.
        trace.push(`tidy{`);
        try {
          result = torch.tidy(() => body(depth, leaf));
        } catch (e) {
          threw = true;
          caught = e;
        }
        trace.push('}');
        if (!threw && result !== depth) throw new Error(`tidy returned ${result}`);
      } else if (choice < 0.24) {
        const [name, enter, wrap] = r.pick(generatorForms);
        trace.push(`${name}{`);
        const inner = { ...model, ...enter() };
        const n = r.int(0, 3);
        const gen = wrap(function* () {
          for (let k = 0; k < n; k++) {
            const outer = model;
            model = inner;
            try {
              check(`generator resumption ${k}`);
              work(leaf);
              maybeThrow(depth);
            } finally {
              model = outer;
            }
            yield k;
          }
          return 'end';
        });
        try {
          let k = 0;
          for (const v of gen()) {
            check(`between resumptions of ${name}`); // the mode is off between resumptions
            if (v !== k++) throw new Error(`generator yielded ${v}`);
          }
        } catch (e) {
          threw = true;
          caught = e;
        }
        trace.push('}');
      } else {
        const [name, enter, call] = r.pick(scoped);
        trace.push(`${name}{`);
        try {
          result = call(() => {
            Object.assign(model, enter());
            return body(depth, leaf);
          });
        } catch (e) {
          threw = true;
          caught = e;
        }
        trace.push('}');
        model = saved; // every exit restores the snapshot taken on entry
        if (!threw && result !== depth) throw new Error(`${name} returned ${result}`);
      }
      check(`after exit at depth ${depth}`);
      if (threw) {
        if (caught instanceof Error && /mode state|modeState|requiresGrad|isInference|returned/.test(caught.message)) throw caught; // a test failure
        if (r.chance(0.5)) throw caught; // unwind further: the same value must arrive at the top
      }
    };

    const leaf = torch.ones([2], { requiresGrad: true });
    for (let trial = 0; trial < MODE_TRIALS; trial++) {
      trace = [`trial ${trial}:`];
      model = { grad: true, inference: false };
      torch.setGradEnabled(true);
      const sentinelErrors = new Set();
      try {
        torch.tidy(() => nest(0, leaf));
      } catch (e) {
        // Whatever arrives here is one of the values thrown inside, not a wrapper.
        if (e instanceof Error && !/^fault at depth \d+$/.test(e.message)) throw e;
        if (!(e instanceof Error) && (typeof e !== 'object' || !('notAnError' in e))) throw new Error(`unexpected value thrown: ${String(e)}`);
        sentinelErrors.add(e);
      }
      check(`end of trial ${trial}`);
      if (model.inference) throw new Error(`inference mode outlived its scope\ntrace: ${trace.join(' ')}`);
    }
    torch.setGradEnabled(true);
    expect(snapshot(torch).grad).toBe(initial.grad);
    expect(torch.diagnostics().modeState).toBe(initial.modeState);
    leaf.dispose();
    console.log(`${backend}: ${MODE_TRIALS} random nestings, ${checks} state checks, ${thrownCount} throws (seed ${SEED})`);
    expect(thrownCount).toBeGreaterThan(100);
  }, 120_000);

  test('the exact value thrown inside any mode form is rethrown, at any depth', () => {
    const forms = [
      (fn) => torch.noGrad(fn),
      (fn) => torch.enableGrad(fn),
      (fn) => torch.setGradEnabled(false, fn),
      (fn) => torch.inferenceMode(fn),
      (fn) => torch.inferenceMode(false, fn),
      (fn) => torch.noGrad.wrap(fn)(),
      (fn) => torch.inferenceMode.wrap(true, fn)(),
      (fn) => torch.tidy(fn),
    ];
    for (const value of [new Error('e'), new TypeError('t'), new RangeError('r'), 42, 'text', undefined, null, { code: 1 }]) {
      const before = snapshot(torch);
      let call = () => {
        throw value;
      };
      for (const form of forms) {
        const inner = call;
        call = () => form(inner);
      }
      let caught = 'nothing';
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBe(value);
      expect(snapshot(torch)).toEqual(before);
    }
  });

  test('mode functions refuse non-functions and bad flags with an Error, changing nothing', () => {
    const tensor = torch.ones([1]);
    const before = snapshot(torch);
    const bad = [undefined, null, 1, 'fn', {}, [], Symbol('s'), tensor, Promise.resolve(1)];
    for (const v of bad) {
      const calls = {
        noGrad: () => torch.noGrad(v),
        enableGrad: () => torch.enableGrad(v),
        inferenceMode: () => torch.inferenceMode(v),
        'inferenceMode(true, v)': () => torch.inferenceMode(true, v),
        'noGrad.wrap': () => torch.noGrad.wrap(v),
        'inferenceMode.wrap': () => torch.inferenceMode.wrap(v),
        'setGradEnabled.wrap': () => torch.setGradEnabled.wrap(true, v),
        tidy: () => torch.tidy(v),
      };
      // setGradEnabled(flag, undefined) is the bare form, which sets the mode.
      if (v !== undefined) calls['setGradEnabled(true, v)'] = () => torch.setGradEnabled(true, v);
      for (const [name, call] of Object.entries(calls)) {
        let caught;
        try {
          call();
        } catch (e) {
          caught = e;
        }
        expect([name, caught instanceof Error]).toEqual([name, true]);
        expect(caught.message).toMatch(/expects a function|must be a boolean/);
      }
      for (const flag of [v, 0, 1, 'true']) {
        expect(() => torch.setGradEnabled(flag)).toThrow(/must be a boolean/);
        expect(() => torch.inferenceMode(flag, () => 1)).toThrow(/must be a boolean/);
        expect(() => torch.setGradEnabled(flag, () => 1)).toThrow(/must be a boolean/);
      }
    }
    expect(snapshot(torch)).toEqual(before);
    tensor.dispose();
  });
});
