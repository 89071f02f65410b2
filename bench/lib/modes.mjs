// Mode cost: the same code under recording (grad mode on, parameters require grad),
// noGrad and inferenceMode, each mode entered once around the batch as real code wraps a
// forward pass. Per op: time, engine allocations (torch.diagnostics().allocations counts
// every heap allocation the C++ engine makes), and torch.memory() at the end of one step.

import { compare } from './timing.mjs';
import { MLP, data, mlpData } from './workloads.mjs';

// One step of the tiny-op chain on 4- to 64-element tensors: functional, scalar, view,
// reduction, broadcast and in-place ops mixed as inference code mixes them.
export const CHAIN_OPS = 17;
function chainStep(torch, p, x, y) {
  const a = x.add(p.w); //  1 binary [16]
  const b = a.mul(0.5); //  2 tensor-scalar
  const v = b.view(4, 4); //  3 view
  const t = v.transpose(0, 1); //  4 view
  const r = t.relu(); //  5 unary, strided input
  const s = r.sum(1); //  6 reduction -> [4]
  const u = s.unsqueeze(0); //  7 view [1, 4]
  const e = u.exp(); //  8
  const c = e.clone(); //  9
  c.add_(1); // 10 in-place
  const d = c.mul(y); // 11 broadcast [1, 4] * [4]
  const k = d.sigmoid(); // 12
  const n = k.sub(d); // 13
  const z = n.view(-1); // 14 view
  const q = p.m.mul(p.m); // 15 [8, 8]
  q.relu_(); // 16 in-place
  const o = q.mean(0); // 17 reduction -> [8]
  return [z, o];
}

const MODES = ['recording', 'noGrad', 'inferenceMode'];

function inMode(torch, mode, fn) {
  if (mode === 'noGrad') return torch.noGrad(fn);
  if (mode === 'inferenceMode') return torch.inferenceMode(fn);
  return fn();
}

export async function measureModes(torch) {
  const result = { chain: {}, mlp: {} };

  // ---- tiny-op chain ----
  // Parameters are normal tensors that require grad, as a model's are in every mode; the
  // inputs are made inside the mode, as a forward pass makes them.
  const p = { w: torch.tensor(data(16, 21), { requiresGrad: true }), m: torch.tensor(data(64, 22), { shape: [8, 8], requiresGrad: true }) };
  const chainVariants = {};
  const inputs = {};
  for (const mode of MODES) {
    inputs[mode] = inMode(torch, mode, () => [torch.tensor(data(16, 23)), torch.tensor(data(4, 24))]);
    const [x, y] = inputs[mode];
    chainVariants[mode] = {
      fn: (n) =>
        inMode(torch, mode, () => {
          for (let i = 0; i < n; i++) torch.tidy(() => chainStep(torch, p, x, y)).forEach((t) => t.dispose());
        }),
    };
  }
  const chainTimes = await compare(chainVariants);
  for (const mode of MODES) {
    const [x, y] = inputs[mode];
    const steps = 200;
    const a0 = torch.diagnostics().allocations;
    inMode(torch, mode, () => {
      for (let i = 0; i < steps; i++) torch.tidy(() => chainStep(torch, p, x, y)).forEach((t) => t.dispose());
    });
    const allocs = (torch.diagnostics().allocations - a0) / (steps * CHAIN_OPS);
    const base = torch.memory();
    const during = inMode(torch, mode, () =>
      torch.tidy(() => {
        chainStep(torch, p, x, y);
        return torch.memory();
      }),
    );
    result.chain[mode] = {
      usPerOp: (chainTimes[mode].best * 1000) / CHAIN_OPS,
      medianUsPerOp: (chainTimes[mode].median * 1000) / CHAIN_OPS,
      allocationsPerOp: allocs,
      memoryInStep: delta(during, base),
    };
  }
  torch.dispose([p, inputs]);

  // ---- MLP forward (784-256-10, batch 64): 7 ops, matmul-dominated ----
  const d = mlpData();
  const { batch, in: nin, hidden, out } = MLP;
  const q = {
    w1: torch.tensor(d.w1, { shape: [hidden, nin], requiresGrad: true }),
    b1: torch.tensor(d.b1, { requiresGrad: true }),
    w2: torch.tensor(d.w2, { shape: [out, hidden], requiresGrad: true }),
    b2: torch.tensor(d.b2, { requiresGrad: true }),
  };
  const MLP_OPS = 7;
  const forward = (x) => x.matmul(q.w1.transpose(0, 1)).add(q.b1).relu().matmul(q.w2.transpose(0, 1)).add(q.b2);
  const mlpVariants = {};
  const xs = {};
  for (const mode of MODES) {
    xs[mode] = inMode(torch, mode, () => torch.tensor(d.x, { shape: [batch, nin] }));
    mlpVariants[mode] = {
      fn: (n) =>
        inMode(torch, mode, () => {
          for (let i = 0; i < n; i++) torch.tidy(() => forward(xs[mode])).dispose();
        }),
    };
  }
  const mlpTimes = await compare(mlpVariants);
  for (const mode of MODES) {
    const a0 = torch.diagnostics().allocations;
    inMode(torch, mode, () => torch.tidy(() => forward(xs[mode])).dispose());
    const allocs = (torch.diagnostics().allocations - a0) / MLP_OPS;
    const base = torch.memory();
    const during = inMode(torch, mode, () => torch.tidy(() => (forward(xs[mode]), torch.memory())));
    result.mlp[mode] = {
      usPerOp: (mlpTimes[mode].best * 1000) / MLP_OPS,
      medianUsPerOp: (mlpTimes[mode].median * 1000) / MLP_OPS,
      msPerForward: mlpTimes[mode].best,
      allocationsPerOp: allocs,
      memoryInStep: delta(during, base),
    };
  }

  // ---- recording's saved tensors are freed by backward ----
  const before = torch.memory();
  const loss = torch.tidy(() => forward(xs.recording).mul(forward(xs.recording)).mean());
  const recorded = torch.memory();
  loss.backward();
  const afterBackward = torch.memory();
  loss.dispose();
  for (const w of Object.values(q)) w.grad = null;
  result.savedBytes = {
    beforeForward: before.savedBytes,
    afterForward: recorded.savedBytes,
    afterBackward: afterBackward.savedBytes,
    freed: afterBackward.savedBytes === before.savedBytes && recorded.savedBytes > before.savedBytes,
  };
  torch.dispose([q, xs]);

  for (const k of ['chain', 'mlp']) {
    const r = result[k];
    r.ratios = {
      inferenceOverNoGrad: r.inferenceMode.usPerOp / r.noGrad.usPerOp,
      noGradOverRecording: r.noGrad.usPerOp / r.recording.usPerOp,
    };
  }
  return result;
}

function delta(m, base) {
  return { tensors: m.tensors - base.tensors, bytes: m.bytes - base.bytes, graphNodes: m.graphNodes - base.graphNodes, savedBytes: m.savedBytes - base.savedBytes };
}
