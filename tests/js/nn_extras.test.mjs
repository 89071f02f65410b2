// The parts of issues 14/15 composed in JavaScript, against PyTorch 1.13.1
// (tests/fixtures/generate_nn_extras.py): ModuleList / ModuleDict (PyTorch's state-dict keys
// after each edit), optim.AdamW (parameters after every step and the final state, parameter
// groups of different weight decay), nn.utils.clipGradNorm_ / clipGradValue_, tied weights
// saved and loaded as safetensors' save_model / load_model do, and safetensors files of
// torch's float64 / float16 / bfloat16 / int64 tensors.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { BUILDS, FIXTURES_DIR, compareTensor, errorOf, fromFixture, readFixtureBytes, sameValues } from './nn_helpers.mjs';

const fx = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'nn_extras.json'), 'utf8'));
const TOL = { rtol: 1e-5, atol: 1e-6 };

describe.each(BUILDS)('nn extras on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });
  const tensor = (enc) => (enc === null ? null : fromFixture(torch, enc).t);
  // A module's state-dict keys (the aliases freed).
  const keys = (m) => {
    const sd = m.stateDict();
    torch.dispose(sd);
    return Object.keys(sd);
  };

  describe('ModuleList', () => {
    test('state-dict keys follow PyTorch through append, insert, pop and extend', () => {
      const { nn } = torch;
      const list = new nn.ModuleList([new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)]);
      expect(keys(list)).toEqual(fx.containers.list[0]);
      const inserted = new nn.Linear(3, 3);
      list.insert(1, inserted);
      expect(keys(list)).toEqual(fx.containers.list[1]);
      expect(list[1]).toBe(inserted);
      const first = list[0];
      expect(list.pop(0)).toBe(first);
      first.dispose();
      expect(keys(list)).toEqual(fx.containers.list[2]);
      expect(list[3]).toBeUndefined();
      list.extend([new nn.Linear(1, 2)]);
      expect(keys(list)).toEqual(fx.containers.list[3]);
      list.dispose();
    });

    test('indexing, length, iteration, set; bad indices throw', () => {
      const { nn } = torch;
      const a = new nn.ReLU();
      const b = new nn.Tanh();
      const list = new nn.ModuleList();
      expect(list.length).toBe(0);
      list.append(a).append(b);
      expect(list.length).toBe(2);
      expect([list[0], list[1], list.get(0), list.get(-1), list.at(-2)]).toEqual([a, b, a, b, a]);
      expect([...list]).toEqual([a, b]);
      const c = new nn.Sigmoid();
      list.set(-1, c);
      expect([...list]).toEqual([a, c]);
      expect(list.children()).toEqual([a, c]);
      expect(errorOf(() => list.get(2))).toBe('index 2 is out of range');
      expect(errorOf(() => list.insert(3, a))).toBe('insert(): index 3 is out of range');
      expect(errorOf(() => list.append({}))).toBe('dict is not a Module subclass');
      expect(errorOf(() => list.extend(5))).toBe('ModuleList.extend should be called with an iterable, but got int');
      expect(list.length).toBe(2);
      expect(list.toString()).toBe('ModuleList(\n  (0): ReLU()\n  (1): Sigmoid()\n)');
    });
  });

  test('Sequential is indexed like ModuleList: seq[i], seq.get(i), by position for named entries', () => {
    const { nn } = torch;
    const [a, b] = [new nn.ReLU(), new nn.Tanh()];
    const seq = new nn.Sequential(a, b);
    expect([seq[0], seq[1], seq.get(0), seq.get(-1), seq.length]).toEqual([a, b, a, b, 2]);
    const named = new nn.Sequential({ act: a, squash: b });
    expect([named.act, named.get(1), named.get(-2)]).toEqual([a, b, a]);
    expect(errorOf(() => named.get(2))).toBe('index 2 is out of range');
  });

  describe('ModuleDict', () => {
    test('state-dict keys follow PyTorch through update and pop; entries are properties', () => {
      const { nn } = torch;
      const d = new nn.ModuleDict({ b: new nn.Linear(1, 1), a: new nn.Linear(1, 2) });
      expect(keys(d)).toEqual(fx.containers.dict[0]);
      const oldB = d.b;
      const newB = new nn.Linear(1, 1);
      d.update([['c', new nn.Linear(2, 2)], ['b', newB]]);
      oldB.dispose();
      expect(keys(d)).toEqual(fx.containers.dict[1]);
      expect(d.b).toBe(newB);
      expect(d.get('b')).toBe(newB);
      const a = d.pop('a');
      a.dispose();
      expect(keys(d)).toEqual(fx.containers.dict[2]);
      expect('a' in d).toBe(false);
      expect(d.keys()).toEqual(['b', 'c']);
      expect([...d]).toEqual(['b', 'c']);
      expect(d.values()).toEqual([d.b, d.c]);
      expect(d.items()).toEqual([['b', d.b], ['c', d.c]]);
      expect(d.has('c')).toBe(true);
      expect(d.length).toBe(2);
      d.dispose();
      d.clear();
      expect(d.length).toBe(0);
      expect('b' in d).toBe(false);
    });

    test('a Map keeps its order; bad keys and values throw and change nothing', () => {
      const { nn } = torch;
      const d = new nn.ModuleDict(new Map([['2', new nn.ReLU()], ['1', new nn.Tanh()]]));
      expect(d.keys()).toEqual(['2', '1']);
      // README, Differences from PyTorch: an object's integer-like keys come first.
      expect(new nn.ModuleDict({ b: new nn.ReLU(), 1: new nn.Tanh() }).keys()).toEqual(['1', 'b']);
      expect(errorOf(() => d.get('x'))).toBe('KeyError: "x"');
      expect(errorOf(() => d.set('forward', new nn.ReLU()))).toBe("attribute 'forward' already exists");
      expect(errorOf(() => d.set('a.b', new nn.ReLU()))).toBe('module name can\'t contain ".", got: a.b');
      expect(errorOf(() => d.update([['x', new nn.ReLU()], ['y', 3]]))).toBe('int is not a Module subclass');
      expect(errorOf(() => d.update([['x']]))).toBe('ModuleDict update sequence element #0 has length 1; 2 is required');
      expect(errorOf(() => d.update(7))).toBe('ModuleDict.update should be called with an iterable of key/value pairs, but got int');
      expect(d.keys()).toEqual(['2', '1']);
    });
  });

  describe('optim.AdamW', () => {
    test.each(fx.adamw.map((c) => [c.name, c]))('%s', (name, c) => {
      const before = torch.memory().tensors;
      const params = c.init.map((e) => fromFixture(torch, e, { requiresGrad: true }).t);
      const groups = [{ params: params.slice(0, 2) }, { params: params.slice(2) }];
      c.groupWeightDecay.forEach((wd, i) => {
        if (wd !== null) groups[i].weightDecay = wd;
      });
      const o = c.options;
      const options = { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay, amsgrad: o.amsgrad, maximize: o.maximize };
      const opt = new torch.optim.AdamW(groups, options);
      if (o.weight_decay === undefined) expect(opt.defaults.weightDecay).toBe(0.01);
      expect([opt instanceof torch.optim.Optimizer, opt instanceof torch.optim.Adam]).toEqual([true, false]); // as in PyTorch
      const mismatches = [];
      c.steps.forEach((step, i) => {
        torch.tidy(() => {
          params.forEach((p, j) => {
            p.grad = step.grads[j] === null ? null : tensor(step.grads[j]);
          });
          opt.paramGroups[1].lr = step.lr1;
          opt.step();
          params.forEach((p, j) => mismatches.push(...compareTensor(p, step.params[j], { ...TOL, what: `step ${i} param ${j}` })));
        });
      });
      c.state.forEach((s, j) => {
        const st = opt.state.get(params[j]);
        expect(st.step).toBe(s.step);
        mismatches.push(...compareTensor(st.expAvg, s.expAvg, { ...TOL, what: `expAvg ${j}` }));
        mismatches.push(...compareTensor(st.expAvgSq, s.expAvgSq, { ...TOL, what: `expAvgSq ${j}` }));
        if (s.maxExpAvgSq) mismatches.push(...compareTensor(st.maxExpAvgSq, s.maxExpAvgSq, { ...TOL, what: `maxExpAvgSq ${j}` }));
      });
      expect(mismatches).toEqual([]);
      // stateDict / loadStateDict round trip into a fresh AdamW.
      const sd = opt.stateDict();
      expect(sd.paramGroups.map((g) => g.weightDecay)).toEqual(c.groupWeightDecay.map((wd) => wd ?? o.weight_decay ?? 0.01));
      const again = new torch.optim.AdamW(groups.map((g) => ({ ...g })), options);
      again.loadStateDict(sd);
      expect(again.state.get(params[0]).step).toBe(c.state[0].step);
      expect(sameValues(again.state.get(params[0]).expAvg, { ...c.state[0].expAvg, data: Array.from(opt.state.get(params[0]).expAvg.data()) })).toEqual([]);
      torch.dispose(sd);
      again.dispose();
      opt.dispose();
      torch.dispose(params);
      expect(torch.memory().tensors).toBe(before);
    });

    test.each(fx.adamw.map((c) => [c.name, c]))('resumes from PyTorch\'s state_dict after 3 steps: %s', (name, c) => {
      const before = torch.memory().tensors;
      const params = c.steps[2].params.map((e) => fromFixture(torch, e, { requiresGrad: true }).t);
      const opt = new torch.optim.AdamW([{ params: params.slice(0, 2) }, { params: params.slice(2) }], { lr: 123 });
      const saved = c.stateDictAfter3;
      torch.tidy(() => {
        const state = Object.fromEntries(Object.entries(saved.state).map(([id, st]) =>
          [id, Object.fromEntries(Object.entries(st).map(([k, v]) => [k, typeof v === 'number' ? v : tensor(v)]))]));
        opt.loadStateDict({ state, param_groups: saved.param_groups });
      });
      expect(opt.paramGroups.map((g) => [g.lr, g.weightDecay, g.amsgrad])).toEqual(saved.param_groups.map((g) => [g.lr, g.weight_decay, g.amsgrad]));
      const mismatches = [];
      c.steps.slice(3).forEach((step, i) => {
        torch.tidy(() => {
          params.forEach((p, j) => {
            p.grad = step.grads[j] === null ? null : tensor(step.grads[j]);
          });
          opt.paramGroups[1].lr = step.lr1;
          opt.step();
          params.forEach((p, j) => mismatches.push(...compareTensor(p, step.params[j], { ...TOL, what: `step ${i + 3} param ${j}` })));
        });
      });
      expect(mismatches).toEqual([]);
      opt.dispose();
      torch.dispose(params);
      expect(torch.memory().tensors).toBe(before);
    });

    test('options: PyTorch texts, unsupported keywords refused, AdamW named in messages', () => {
      const p = torch.ones([2], { requiresGrad: true });
      expect(errorOf(() => new torch.optim.AdamW([p], { lr: -1 }))).toBe('Invalid learning rate: -1');
      expect(errorOf(() => new torch.optim.AdamW([p], { weightDecay: -0.5 }))).toBe('Invalid weight_decay value: -0.5');
      expect(errorOf(() => new torch.optim.AdamW([p], { betas: [1, 0.9] }))).toBe('Invalid beta parameter at index 0: 1.0');
      expect(errorOf(() => new torch.optim.AdamW([p], { foreach: true }))).toBe("AdamW(): option 'foreach' is not supported by webtorch");
      expect(errorOf(() => new torch.optim.AdamW([p], { fused: true }))).toBe("AdamW(): unexpected option 'fused' (expected one of lr, betas, eps, weightDecay, amsgrad, maximize)");
      expect(errorOf(() => new torch.optim.AdamW([p], { betas: 0.9 }))).toBe('AdamW(): betas must be a pair of numbers, got number 0.9');
      expect(errorOf(() => new torch.optim.AdamW([{ params: [p], weight_decay: 0 }]))).toBe("AdamW(): unexpected option 'weight_decay' (did you mean 'weightDecay'?)");
      p.dispose();
    });
  });

  describe('nn.utils.clipGradNorm_ / clipGradValue_', () => {
    // Parameters with the fixture's grads (null: no grad); the grads' first wrappers freed.
    function withGrads(grads) {
      return grads.map((g, i) => {
        const p = torch.zeros(g ? g.shape : [i + 1], { requiresGrad: true });
        if (g) torch.tidy(() => { p.grad = tensor(g); });
        return p;
      });
    }
    const decode = (v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
    test.each(fx.clipGradNorm.filter((c) => !c.error).map((c) => [`normType ${c.normType}, maxNorm ${c.maxNorm}${c.single ? ', one tensor' : ''}`, c]))('%s', (name, c) => {
      const before = torch.memory().tensors;
      const params = withGrads(c.grads);
      const normType = decode(c.normType);
      const total = torch.nn.utils.clipGradNorm_(c.single ? params[0] : params, c.maxNorm, normType === 2 ? undefined : { normType });
      const mismatches = compareTensor(total, c.total, { ...TOL, what: 'total norm' });
      params.forEach((p, j) => mismatches.push(...compareTensor(p.grad, c.clipped[j], { ...TOL, what: `grad ${j}` })));
      expect(mismatches).toEqual([]);
      total.dispose();
      torch.dispose(params.map((p) => p.grad));
      torch.dispose(params);
      expect(torch.memory().tensors).toBe(before);
    });

    test('errorIfNonfinite: PyTorch\'s text, grads unchanged', () => {
      const c = fx.clipGradNorm.find((x) => x.error);
      const before = torch.memory().tensors;
      const params = withGrads(c.grads);
      expect(errorOf(() => torch.nn.utils.clipGradNorm_(params, c.maxNorm, decode(c.normType), true))).toBe(c.error);
      expect(errorOf(() => torch.nn.utils.clipGradNorm_(params, c.maxNorm, { normType: decode(c.normType), errorIfNonfinite: true }))).toBe(c.error);
      params.forEach((p, j) => expect(sameValues(p.grad, c.grads[j] ?? null)).toEqual([]));
      torch.dispose(params.map((p) => p.grad));
      torch.dispose(params);
      expect(torch.memory().tensors).toBe(before);
    });

    test.each(fx.clipGradValue.map((c) => [c.clipValue, c]))('clipGradValue_ %s', (clip, c) => {
      const params = withGrads(c.grads);
      expect(torch.nn.utils.clipGradValue_(params, clip)).toBeUndefined();
      params.forEach((p, j) => expect(sameValues(p.grad, c.clipped[j])).toEqual([]));
      torch.dispose(params);
    });

    test('bad arguments', () => {
      const p = torch.ones([2], { requiresGrad: true });
      const { clipGradNorm_, clipGradValue_ } = torch.nn.utils;
      expect(errorOf(() => clipGradNorm_([p], '1'))).toBe('clipGradNorm_(): maxNorm must be a number, got string 1');
      expect(errorOf(() => clipGradNorm_([p], 1, { norm_type: 2 }))).toBe("clipGradNorm_(): unexpected option 'norm_type' (did you mean 'normType'?)");
      expect(errorOf(() => clipGradNorm_([p], 1, { foreach: true }))).toBe("clipGradNorm_(): option 'foreach' is not supported by webtorch");
      expect(errorOf(() => clipGradNorm_([p, 3], 1))).toBe('clipGradNorm_(): parameters must be Tensors, got int');
      expect(errorOf(() => clipGradNorm_(5, 1))).toBe('clipGradNorm_(): parameters must be a Tensor or an iterable of Tensors, got int');
      expect(errorOf(() => clipGradValue_([p], null))).toBe('clipGradValue_(): clipValue must be a number, got null');
      expect(errorOf(() => clipGradValue_([p], 1, { foreach: true }))).toBe("clipGradValue_(): unexpected option 'foreach' (it takes no options)");
      p.dispose();
    });
  });

  describe('tied weights (safetensors save_model / load_model)', () => {
    const t = fx.tied;
    function makeTied() {
      const { nn } = torch;
      class Tied extends nn.Module {
        constructor() {
          super();
          this.wte = new nn.Linear(3, 3, { bias: false });
          this.mid = new nn.Linear(3, 3);
          this.lm_head = new nn.Linear(3, 3, { bias: false });
          this.wte.weight.dispose(); // replaced by the tied weight below
          this.wte.weight = this.lm_head.weight;
        }
        forward(x) {
          return this.lm_head.call(this.mid.call(this.wte.call(x)).relu());
        }
      }
      return new Tied();
    }
    const outputOf = (m) => torch.tidy(() => compareTensor(m.call(tensor(t.input)), t.output, { ...TOL, what: 'output' }));

    test('parameters() lists the shared tensor once, stateDict() under every key (PyTorch\'s names)', () => {
      const m = makeTied();
      expect(m.namedParameters().map(([n]) => n)).toEqual(t.parameterNames);
      expect(keys(m)).toEqual(t.stateDictKeys);
      expect(m.wte.weight).toBe(m.lm_head.weight);
      torch.tidy(() => m.loadStateDict(Object.fromEntries(Object.entries(t.weights).map(([k, v]) => [k, tensor(v)]))));
      expect(outputOf(m)).toEqual([]);
      m.dispose();
    });

    test('saveSafetensors(module) writes the bytes of save_model; loadSafetensorsModel reads them back', () => {
      const before = torch.memory().tensors;
      const bytes = readFixtureBytes(t.file);
      const m = makeTied();
      expect(torch.loadSafetensorsModel(m, bytes)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(m.wte.weight).toBe(m.lm_head.weight);
      expect(outputOf(m)).toEqual([]);
      const again = torch.saveSafetensors(m);
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
      expect(torch.safetensorsHeader(again).metadata).toEqual({ 'wte.weight': 'lm_head.weight' });
      // strict load of the file alone misses the dropped name, as PyTorch's load_state_dict does.
      const dict = torch.loadSafetensors(bytes);
      expect(errorOf(() => m.loadStateDict(dict))).toBe('Error(s) in loading state_dict for Tied:\n\tMissing key(s) in state_dict: "wte.weight". ');
      torch.dispose(dict);
      m.dispose();
      expect(torch.memory().tensors).toBe(before);
    });

    test('saveSafetensors(dict) refuses shared tensors, as save_file does; a bad load changes nothing', () => {
      const m = makeTied();
      const sd = m.stateDict();
      expect(errorOf(() => torch.saveSafetensors(sd))).toBe("saveSafetensors: some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading them again: ['lm_head.weight', 'wte.weight']. A potential way to correctly save your model is to pass the Module itself (safetensors' save_model), which keeps one name of each shared group.");
      const w = torch.ones([4]);
      expect(errorOf(() => torch.saveSafetensors({ a: w, b: w.narrow(0, 1, 2) }))).toBe("saveSafetensors: tensors 'a', 'b' overlap in memory without being the same tensor; save clones of them");
      const { 'wte.weight': _, ...rest } = sd;
      expect(torch.safetensorsHeader(torch.saveSafetensors(rest)).metadata).toEqual({});
      const before = Array.from(m.mid.weight.data());
      const other = torch.saveSafetensors({ 'mid.weight': torch.zeros([3, 3]) });
      expect(errorOf(() => torch.loadSafetensorsModel(m, other))).toBe('Error(s) in loading state_dict for Tied:\n\tMissing key(s) in state_dict: "wte.weight", "mid.bias", "lm_head.weight". ');
      expect(Array.from(m.mid.weight.data())).toEqual(before);
      expect(torch.loadSafetensorsModel(m, other, { strict: false })).toEqual({ missingKeys: ['wte.weight', 'mid.bias', 'lm_head.weight'], unexpectedKeys: [] });
      expect(errorOf(() => torch.loadSafetensorsModel(m, other, { device: 'cpu' }))).toBe("loadSafetensorsModel(): option 'device' is not supported by webtorch");
      expect(errorOf(() => torch.loadSafetensorsModel({}, other))).toBe('loadSafetensorsModel(): expected a Module, got an object');
      torch.dispose([sd, w]);
      m.dispose();
    });
  });

  describe('safetensors files of torch dtypes', () => {
    const files = Object.fromEntries(fx.safetensors.map((f) => [f.file, f]));

    test('float64, float16, bfloat16, int64 load as float32 / int32 with torch\'s .float() / .int() values', () => {
      const f = files['torch_dtypes.safetensors'];
      const dict = torch.loadSafetensors(readFixtureBytes(f.file));
      expect(Object.keys(dict).sort()).toEqual(Object.keys(f.expected).sort());
      for (const [name, e] of Object.entries(f.expected)) expect(sameValues(dict[name], e)).toEqual([]);
      torch.dispose(dict);
    });

    test('an int64 outside int32 throws, naming the tensor, and creates nothing', () => {
      const f = files['int64_out_of_range.safetensors'];
      const before = torch.memory().tensors;
      expect(errorOf(() => torch.loadSafetensors(readFixtureBytes(f.file)))).toBe(f.error);
      expect(torch.memory().tensors).toBe(before);
    });

    test('a BatchNorm state dict (num_batches_tracked int64) loads into a module with those buffers', () => {
      const f = files['batchnorm_state_dict.safetensors'];
      const { nn } = torch;
      const bytes = readFixtureBytes(f.file);
      const header = torch.safetensorsHeader(bytes);
      expect(Object.fromEntries(Object.entries(header.tensors).map(([k, v]) => [k, v.dtype]))).toEqual(f.fileDtypes);
      // BatchNorm1d's parameters and buffers, by PyTorch's names.
      class BatchNormState extends nn.Module {
        constructor(n) {
          super();
          this.weight = new nn.Parameter(torch.ones([n]));
          this.bias = new nn.Parameter(torch.zeros([n]));
          this.registerBuffer('running_mean', torch.zeros([n]));
          this.registerBuffer('running_var', torch.ones([n]));
          this.registerBuffer('num_batches_tracked', torch.tensor(0, { dtype: 'int32' }));
        }
      }
      const m = new nn.Sequential(new nn.Linear(4, 3), new BatchNormState(3));
      expect(keys(m)).toEqual(f.keys);
      expect(torch.loadSafetensorsModel(m, bytes)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const sd = m.stateDict();
      for (const [name, e] of Object.entries(f.expected)) expect(sameValues(sd[name], e)).toEqual([]);
      expect(sd['1.num_batches_tracked'].item()).toBe(3);
      torch.dispose(sd);
      m.dispose();
    });
  });
});
