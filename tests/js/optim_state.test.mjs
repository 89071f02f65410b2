// Optimizer stateDict()/loadStateDict() and torch.optim.lrScheduler against PyTorch 1.13.1
// (tests/fixtures/generate_optim_state.py): every scheduler's rates for 25 rounds, exactly
// (the same doubles), its state_dict, resuming from state dicts; the optimizers' state_dict
// layout and values; and training that continues bit for bit after a save and load.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { BUILDS, FIXTURES_DIR, compareTensor, errorOf } from './nn_helpers.mjs';

const fx = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'optim_state.json'), 'utf8'));

// The functions the generator names (the same arithmetic as its Python lambdas).
const LAMBDAS = {
  inverse: (e) => 1 / (e + 1),
  warmup5: (e) => Math.min(1.0, (e + 1) / 5),
  halfAfter7: (e) => (e < 7 ? 1.0 : 0.5),
};

const camel = (k) => k.replace(/_([a-z0-9])/g, (m, ch) => ch.toUpperCase());
// A PyTorch scheduler attribute name as this package spells it.
const schedKey = (k) => (k === 'T_max' ? 'tMax' : k.startsWith('_') ? `_${camel(k.slice(1))}` : camel(k));
// Attributes PyTorch has and this package does not (verbose printing; a flag set during step()).
const SCHED_ONLY_TORCH = ['verbose', '_get_lr_called_within_step'];
// Group options of PyTorch's other implementations (foreach, fused, ...), not offered here.
const GROUP_ONLY_TORCH = ['foreach', 'capturable', 'differentiable', 'fused'];

function expectedSchedulerState(sd) {
  const out = {};
  for (const [k, v] of Object.entries(sd)) if (!SCHED_ONLY_TORCH.includes(k)) out[schedKey(k)] = v;
  return out;
}

describe.each(BUILDS)('optimizer state and lr schedulers on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  const makeOptimizer = (lrs) => {
    const params = lrs.map(() => torch.zeros([2], { requiresGrad: true }));
    const opt = new torch.optim.SGD(
      params.map((p, i) => ({ params: [p], lr: lrs[i] })),
      { lr: lrs[0], momentum: 0.9 },
    );
    return { params, opt };
  };
  const makeScheduler = (opt, c, options = c.options) => {
    const args = c.kind === 'LambdaLR' ? [Array.isArray(c.args[0]) ? c.args[0].map((n) => LAMBDAS[n]) : LAMBDAS[c.args[0]]] : c.args;
    const Cls = torch.optim.lrScheduler[c.kind];
    return Object.keys(options).length ? new Cls(opt, ...args, options) : new Cls(opt, ...args);
  };

  test.each(fx.schedulers.map((c) => [c.name, c]))('scheduler: %s', (name, c) => {
    const { params, opt } = makeOptimizer(c.lrs);
    if (c.initialLr) opt.paramGroups.forEach((g, i) => (g.initialLr = c.initialLr[i]));
    const sched = makeScheduler(opt, c);
    const rates = [sched.getLastLr()];
    let saved = null;
    for (let i = 0; i < fx.rounds; i++) {
      opt.step();
      sched.step();
      rates.push(sched.getLastLr());
      if (i + 1 === fx.resumeAt) saved = [opt.stateDict(), sched.stateDict()];
    }
    expect(rates).toEqual(c.rates); // exact: the same doubles as PyTorch
    expect(opt.paramGroups.map((g) => g.lr)).toEqual(c.rates[fx.rounds]);
    expect(sched.lastEpoch).toBe(c.stateDict.last_epoch);
    expect(sched.stateDict()).toEqual(expectedSchedulerState(c.stateDict));
    expect(opt.stateDict().paramGroups.map((g) => g.initialLr)).toEqual(c.initialLr ?? c.lrs);

    // Resume: a fresh optimizer and scheduler (built with the default lastEpoch) load the
    // state dicts saved after resumeAt rounds, through the lr_scheduler alias, without new.
    const fresh = makeOptimizer(c.lrs);
    fresh.opt.loadStateDict(saved[0]);
    const { lastEpoch, ...options } = c.options;
    const Cls = torch.optim.lr_scheduler[c.kind];
    expect(Cls).toBe(torch.optim.lrScheduler[c.kind]);
    const args = c.kind === 'LambdaLR' ? [Array.isArray(c.args[0]) ? c.args[0].map((n) => LAMBDAS[n]) : LAMBDAS[c.args[0]]] : c.args;
    const sched2 = Cls(fresh.opt, ...args, options);
    sched2.loadStateDict(saved[1]);
    const resumed = [];
    for (let i = fx.resumeAt; i < fx.rounds; i++) {
      fresh.opt.step();
      sched2.step();
      resumed.push(sched2.getLastLr());
    }
    expect(resumed).toEqual(c.rates.slice(fx.resumeAt + 1));
    torch.dispose([...params, ...fresh.params]);
  });

  test('scheduler state dicts are copies, and PyTorch snake_case keys load', () => {
    const { params, opt } = makeOptimizer([0.1]);
    const sched = new torch.optim.lrScheduler.MultiStepLR(opt, [2, 4], { gamma: 0.5 });
    const sd = sched.stateDict();
    sd.baseLrs[0] = 99;
    sd.milestones[2] = 7;
    expect(sched.baseLrs).toEqual([0.1]);
    expect(sched.milestones).toEqual({ 2: 1, 4: 1 });
    sched.loadStateDict({ base_lrs: [0.2], last_epoch: 3, _step_count: 4, _last_lr: [0.05], milestones: { 4: 2 }, gamma: 0.5 });
    expect(sched.lastEpoch).toBe(3);
    expect(sched.getLastLr()).toEqual([0.05]);
    opt.paramGroups[0].lr = 0.05;
    sched.step(); // epoch 4, a milestone counted twice: 0.05 * 0.5 ** 2
    expect(sched.getLastLr()).toEqual([0.0125]);
    expect(sched.getLastLr()).not.toBe(sched.getLastLr());
    torch.dispose(params);
  });

  test('scheduler errors use PyTorch texts', () => {
    const { params, opt } = makeOptimizer([0.1, 0.2]);
    const { lrScheduler } = torch.optim;
    expect(errorOf(() => new lrScheduler.StepLR(5, 3))).toBe('int is not an Optimizer');
    expect(errorOf(() => new lrScheduler.StepLR({ paramGroups: [] }, 3))).toBe('dict is not an Optimizer');
    expect(errorOf(() => new lrScheduler.LambdaLR(opt, [LAMBDAS.inverse]))).toBe('Expected 2 lr_lambdas, but got 1');
    expect(errorOf(() => new lrScheduler.ExponentialLR(opt, 0.9, { lastEpoch: 3 }))).toBe(
      "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
    );
    expect(errorOf(() => new lrScheduler.StepLR(opt, 3, { verbose: true }))).toBe("StepLR(): option 'verbose' is not supported by webtorch");
    const sched = new lrScheduler.StepLR(opt, 3);
    expect(errorOf(() => sched.step(4))).toBe('StepLR.step(epoch) is not supported (deprecated in PyTorch): call step() once per epoch');
    expect(sched.lastEpoch).toBe(0);
    torch.dispose(params);
  });

  // ---- optimizers ----

  const problem = () => ({
    w: torch.tensor([[0.5, -0.25, 0.125], [0.75, 0.3, -0.6]], { requiresGrad: true }),
    b: torch.tensor([0.1, -0.2], { requiresGrad: true }),
    x: torch.tensor([[1.0, 2.0, -1.0], [0.5, -0.5, 0.25], [3.0, 0.0, 1.0], [-1.0, 1.5, 2.0]]),
    y: torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [-1.0, 2.0]]),
  });
  const camelOptions = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
  const trainSteps = (opt, { w, b, x, y }, n) => {
    for (let i = 0; i < n; i++)
      torch.tidy(() => {
        opt.zeroGrad();
        torch.nn.functional.mseLoss(torch.nn.functional.linear(x, w, b), y).backward();
        opt.step();
      });
  };

  test.each(fx.optimizers.map((c) => [c.name, c]))('stateDict: %s', (name, c) => {
    const before = torch.memory().tensors;
    const pr = problem();
    const opt = new torch.optim[c.optimizer](
      [{ params: [pr.w], ...camelOptions(c.groups[0]) }, { params: [pr.b], ...camelOptions(c.groups[1]) }],
      camelOptions(c.options),
    );
    trainSteps(opt, pr, 3);
    const sd = opt.stateDict();
    const expectedGroups = c.paramGroups.map((g) =>
      Object.fromEntries(Object.entries(g).filter(([k]) => !GROUP_ONLY_TORCH.includes(k)).map(([k, v]) => [camel(k), v])),
    );
    expect(sd.paramGroups).toEqual(expectedGroups);
    expect(Object.keys(sd.state)).toEqual(c.stateKeys);
    const mismatches = [];
    for (const [id, s] of Object.entries(c.state)) {
      expect(Object.keys(sd.state[id])).toEqual(Object.keys(s).map(camel));
      for (const [k, v] of Object.entries(s)) {
        const a = sd.state[id][camel(k)];
        if (typeof v === 'number') expect(a).toBe(v);
        else mismatches.push(...compareTensor(a, { ...v, dtype: 'float32' }, { rtol: 1e-5, atol: 1e-6, what: `state[${id}].${k}` }));
      }
    }
    expect(mismatches).toEqual([]);
    // The state tensors are detached aliases: disposing them leaves the optimizer's buffers.
    const buffers = Object.values(sd.state).flatMap((s) => Object.values(s).filter((v) => v instanceof torch.Tensor));
    const values = buffers.map((t) => Array.from(t.data()));
    const live = [...opt.state.values()].flatMap((s) => Object.values(s).filter((v) => v instanceof torch.Tensor));
    expect(buffers.every((t) => !live.includes(t))).toBe(true);
    torch.dispose(buffers);
    expect(live.map((t) => Array.from(t.data()))).toEqual(values);
    trainSteps(opt, pr, 1); // still trains
    opt.dispose();
    torch.dispose(Object.values(pr));
    expect(torch.memory().tensors).toBe(before);
  });

  test.each([
    ['SGD momentum', 'SGD', { lr: 0.1, momentum: 0.9 }],
    ['SGD nesterov weight decay', 'SGD', { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }],
    ['SGD dampening maximize', 'SGD', { lr: 0.02, momentum: 0.5, dampening: 0.3, maximize: true }],
    ['Adam', 'Adam', { lr: 0.01 }],
    ['Adam amsgrad weight decay', 'Adam', { lr: 0.02, amsgrad: true, weightDecay: 0.1, betas: [0.8, 0.99] }],
  ])('save and load continues training bit for bit: %s', (name, kind, options) => {
    const before = torch.memory().tensors;
    const N = 3;
    const M = 4;
    const straight = problem();
    const optStraight = new torch.optim[kind]([{ params: [straight.w] }, { params: [straight.b], lr: options.lr / 2 }], options);
    trainSteps(optStraight, straight, N + M);

    const first = problem();
    const opt1 = new torch.optim[kind]([{ params: [first.w] }, { params: [first.b], lr: options.lr / 2 }], options);
    trainSteps(opt1, first, N);
    const saved = opt1.stateDict();
    // A fresh model and optimizer: the weights copied, the optimizer state loaded; then the
    // first optimizer, its state dict's tensors and the first model are freed.
    const second = problem();
    torch.noGrad(() => {
      second.w.copy_(first.w);
      second.b.copy_(first.b);
    });
    const opt2 = new torch.optim[kind]([{ params: [second.w] }, { params: [second.b] }], options); // the lrs come from the state dict
    opt2.loadStateDict(saved);
    expect(opt2.paramGroups[1].lr).toBe(options.lr / 2);
    expect(opt2.paramGroups[1].params).toEqual([second.b]);
    opt1.dispose();
    torch.dispose(Object.values(saved.state).flatMap((s) => Object.values(s).filter((v) => v instanceof torch.Tensor)));
    torch.dispose(Object.values(first));
    trainSteps(opt2, second, M);
    expect(Array.from(second.w.data())).toEqual(Array.from(straight.w.data()));
    expect(Array.from(second.b.data())).toEqual(Array.from(straight.b.data()));
    torch.tidy(() => expect(opt2.stateDict().paramGroups).toEqual(optStraight.stateDict().paramGroups));
    if (kind === 'Adam') expect(opt2.state.get(second.w).step).toBe(N + M);
    optStraight.dispose();
    opt2.dispose();
    torch.dispose([...Object.values(straight), ...Object.values(second)]);
    expect(torch.memory().tensors).toBe(before);
  });

  test('loadStateDict checks before changing anything, with PyTorch texts', () => {
    const pr = problem();
    const opt = new torch.optim.SGD([{ params: [pr.w] }, { params: [pr.b] }], { lr: 0.1, momentum: 0.9 });
    trainSteps(opt, pr, 2);
    const sd = opt.stateDict();
    const bufBefore = Array.from(opt.state.get(pr.w).momentumBuffer.data());
    const other = new torch.optim.SGD([pr.w, pr.b], { lr: 0.1, momentum: 0.9 });
    expect(errorOf(() => other.loadStateDict(sd))).toBe('loaded state dict has a different number of parameter groups');
    const swapped = { state: {}, paramGroups: [{ ...sd.paramGroups[0], params: [0, 1] }, { ...sd.paramGroups[1], params: [] }] };
    expect(errorOf(() => opt.loadStateDict(swapped))).toBe("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    const badShape = { state: { 0: { momentumBuffer: torch.zeros([3]) } }, paramGroups: sd.paramGroups };
    expect(errorOf(() => opt.loadStateDict(badShape))).toBe('loadStateDict(): state[0].momentumBuffer has shape torch.Size([3]), but its parameter has shape torch.Size([2, 3])');
    expect(Array.from(opt.state.get(pr.w).momentumBuffer.data())).toEqual(bufBefore);
    expect(opt.paramGroups[0].params).toEqual([pr.w]);
    // PyTorch's snake_case names load too; a group's missing options take the defaults.
    const pyStyle = {
      state: { 1: { momentum_buffer: torch.ones([2]) } },
      param_groups: [{ lr: 0.5, params: [0] }, { lr: 0.25, weight_decay: 0.1, params: [1] }],
    };
    opt.loadStateDict(pyStyle);
    expect(opt.state.has(pr.w)).toBe(false);
    expect(Array.from(opt.state.get(pr.b).momentumBuffer.data())).toEqual([1, 1]);
    expect(opt.state.get(pr.b).momentumBuffer).not.toBe(pyStyle.state[1].momentum_buffer);
    expect(opt.paramGroups[1]).toEqual({ lr: 0.25, weightDecay: 0.1, momentum: 0.9, dampening: 0, nesterov: false, maximize: false, params: [pr.b] });
    torch.dispose([...Object.values(pr), ...Object.values(sd.state).flatMap((s) => Object.values(s)), pyStyle.state[1].momentum_buffer, badShape.state[0].momentumBuffer]);
    opt.dispose();
    other.dispose();
  });

  test("Adam's step loads from PyTorch's 0-dim tensor; a disposed tensor fails the load cleanly", () => {
    const before = torch.memory().tensors;
    const pr = problem();
    const opt = new torch.optim.Adam([pr.w, pr.b], { lr: 0.01 });
    trainSteps(opt, pr, 2);
    const sd = opt.stateDict();
    const step = torch.tensor(2);
    sd.state[0].step = step;
    const fresh = new torch.optim.Adam([pr.w, pr.b], { lr: 0.01 });
    fresh.loadStateDict(sd);
    expect(fresh.state.get(pr.w).step).toBe(2);
    const gone = sd.state[1].expAvgSq;
    gone.dispose();
    const other = new torch.optim.Adam([pr.w, pr.b], { lr: 0.01 });
    const tensorsBefore = torch.memory().tensors;
    expect(errorOf(() => other.loadStateDict(sd))).toContain('Tensor is disposed');
    expect(torch.memory().tensors).toBe(tensorsBefore);
    expect(other.state.size).toBe(0);
    torch.dispose([step, ...Object.values(sd.state).flatMap((s) => Object.values(s).filter((v) => v instanceof torch.Tensor && v !== gone))]);
    for (const o of [opt, fresh, other]) o.dispose();
    torch.dispose(Object.values(pr));
    expect(torch.memory().tensors).toBe(before);
  });

  test('the backend is the expected build', () => {
    expect(torch.backend).toBe(backend);
  });
});
