// torch.optim against PyTorch 1.13.1 (tests/fixtures/generate_nn.py): three or four steps
// of SGD (momentum, dampening, Nesterov, weight decay, maximize, parameter groups) and Adam
// (betas, eps, weight decay, AMSGrad, maximize, parameter groups) on a fixed least-squares
// problem. After every step the parameters match PyTorch's within 1e-5 relative, and so do
// the parameters' and grads' version counters (one bump per step / per zeroGrad) and the
// optimizer state at the end.

import { BUILDS, compareTensor, errorOf, fromFixture, nnFixture } from './nn_helpers.mjs';

const fx = nnFixture().optim;
const TOL = { rtol: 1e-5, atol: 1e-6 };

describe.each(BUILDS)('torch.optim on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test.each(fx.cases.map((c) => [c.name, c]))('%s', (name, c) => {
    const before = torch.memory().tensors;
    const { nn, optim } = torch;
    const w = fromFixture(torch, fx.problem.weight, { requiresGrad: true }).t;
    const b = fromFixture(torch, fx.problem.bias, { requiresGrad: true }).t;
    const extra = torch.zeros([2], { requiresGrad: true });
    const x = fromFixture(torch, fx.problem.x).t;
    const y = fromFixture(torch, fx.problem.y).t;
    const Cls = optim[c.optimizer];
    const params = c.groups
      ? [{ params: [w], ...c.groups[0] }, { params: c.frozen ? [b, extra] : [b], ...c.groups[1] }]
      : c.frozen ? [w, b, extra] : [w, b];
    const opt = new Cls(params, c.options);
    const mismatches = [];
    c.steps.forEach((step, i) => {
      torch.tidy(() => {
        opt.zeroGrad();
        const loss = nn.functional.mseLoss(nn.functional.linear(x, w, b), y);
        loss.backward();
        opt.step();
        if (Math.abs(loss.item() - step.loss) > 1e-5 * Math.abs(step.loss) + 1e-7) mismatches.push(`step ${i}: loss ${loss.item()}, expected ${step.loss}`);
      });
      mismatches.push(...compareTensor(w, step.weight, { ...TOL, what: `step ${i} weight` }));
      mismatches.push(...compareTensor(b, step.bias, { ...TOL, what: `step ${i} bias` }));
      const versions = [w.version, b.version];
      if (JSON.stringify(versions) !== JSON.stringify(step.versions)) mismatches.push(`step ${i}: versions ${versions}, expected ${step.versions}`);
      const gradVersions = torch.tidy(() => [w.grad.version, b.grad.version]);
      if (JSON.stringify(gradVersions) !== JSON.stringify(step.gradVersions)) mismatches.push(`step ${i}: grad versions ${gradVersions}, expected ${step.gradVersions}`);
    });
    // The optimizer state, named as in PyTorch (momentum_buffer -> momentumBuffer, ...).
    const camel = (k) => k.replace(/_([a-z])/g, (m, ch) => ch.toUpperCase());
    for (const [pname, p] of [['weight', w], ['bias', b], ['extra', extra]]) {
      const expected = c.state[pname];
      const actual = opt.state.get(p);
      if (expected === undefined) {
        if (actual !== undefined) mismatches.push(`state of ${pname}: expected none (it never had a grad)`);
        continue;
      }
      for (const [k, v] of Object.entries(expected)) {
        const a = actual[camel(k)];
        if (v !== null && typeof v === 'object') mismatches.push(...compareTensor(a, v, { ...TOL, what: `state ${pname}.${k}` }));
        else if (a !== v) mismatches.push(`state ${pname}.${k}: ${a}, expected ${v}`);
      }
      expect(Object.keys(actual)).toEqual(Object.keys(expected).map(camel));
    }
    expect(mismatches).toEqual([]);
    expect(extra.grad).toBe(null);
    w.grad = null;
    b.grad = null;
    expect(Array.from(extra.data())).toEqual([0, 0]);
    opt.dispose();
    torch.dispose([w, b, extra, x, y]);
    expect(torch.memory().tensors).toBe(before);
  });

  test.each(fx.errors.map((c) => [c.name, c]))('error: %s', (name, c) => {
    const p = [torch.zeros([2], { requiresGrad: true })];
    let params = p;
    if (c.params === 'empty') params = [];
    if (c.params === 'nonleaf') params = [p[0].mul(2)];
    if (c.params === 'duplicate') params = [{ params: p }, { params: p }];
    expect(errorOf(() => new torch.optim[c.optimizer](params, c.options))).toBe(c.error);
  });

  test('zeroGrad({ setToNone }) and a closure', () => {
    const w = torch.tensor([1, -2], { dtype: 'float32', requiresGrad: true });
    const opt = new torch.optim.SGD([w], { lr: 0.5 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = w.mul(w).sum();
      l.backward();
      return l;
    });
    expect(loss.item()).toBe(5);
    expect(Array.from(w.data())).toEqual([0, 0]); // w - 0.5 * 2w
    opt.zeroGrad({ setToNone: true });
    expect(w.grad).toBe(null);
    opt.step(); // no grad: nothing changes
    expect(w.version).toBe(1);
    expect(errorOf(() => new torch.optim.SGD(w, { lr: 1 }))).toBe('params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor');
    expect(errorOf(() => new torch.optim.Adam([w], { lr: 1, momentum: 0.9 }))).toBe("Adam(): unexpected option 'momentum' (expected one of lr, betas, eps, weightDecay, amsgrad, maximize)");
  });

  test('step under inferenceMode-made parameters is refused before writing', () => {
    const p = torch.inferenceMode(() => torch.ones([2]));
    const opt = new torch.optim.SGD([p], { lr: 0.1 });
    // An inference tensor cannot get a .grad outside inference mode; set one inside.
    torch.inferenceMode(() => {
      p.grad = torch.ones([2]);
    });
    expect(errorOf(() => opt.step())).toContain('Inplace update to inference tensor outside InferenceMode is not allowed');
    expect(Array.from(p.data())).toEqual([1, 1]);
  });

  test('the backend is the expected build', () => {
    expect(torch.backend).toBe(backend);
  });
});
