// nn.RNN, nn.LSTM, nn.GRU, nn.RNNCell, nn.LSTMCell, nn.GRUCell (js/nn/rnn.mjs) against
// PyTorch 1.13.1 (tests/fixtures/generate_rnn.py -> rnn.json), on both builds: outputs, final
// states (also in training mode, where dropout between layers draws torch's masks after
// manualSeed), the gradients of every parameter, the input and the initial state, double backward
// (the gradients of |d loss / d input|^2), the parameters drawn after manualSeed, the
// modules' repr, and bad input with torch's texts.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { BUILDS, FIXTURES_DIR, compareTensor, errorOf, fromFixture } from './nn_helpers.mjs';

const fx = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'rnn.json'), 'utf8'));
const TOL = { rtol: 1e-4, atol: 1e-5 };
const LSTM_KINDS = ['LSTM', 'LSTMCell'];

describe.each(BUILDS)('recurrent layers on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });
  const make = (c) => new torch.nn[c.kind](c.inputSize, c.hiddenSize, c.options);
  // The module of a case with its parameters set to the fixture's values.
  function withParams(c) {
    const m = make(c);
    m.train(c.trainSeed !== null); // training: dropout between layers, masks from manualSeed(trainSeed)
    torch.noGrad(() => {
      for (const [name, p] of m.namedParameters()) torch.tidy(() => p.copy_(fromFixture(torch, c.params[name]).t));
    });
    return m;
  }
  const stateOf = (c, h0, c0) => (h0 === null ? null : LSTM_KINDS.includes(c.kind) ? [h0, c0] : h0);

  describe.each(fx.modules.map((c) => [c.name, c]))('%s', (name, c) => {
    test('output, final state and gradients match PyTorch', () => {
      const m = withParams(c);
      const problems = torch.tidy(() => {
        const x = fromFixture(torch, c.input, { requiresGrad: true });
        const h0 = fromFixture(torch, c.h0, { requiresGrad: true }).t;
        const c0 = fromFixture(torch, c.c0, { requiresGrad: true }).t;
        if (c.trainSeed !== null) torch.manualSeed(c.trainSeed);
        const res = m.call(x.t, stateOf(c, h0, c0));
        const cell = c.kind.endsWith('Cell');
        let out = null;
        let hn;
        let cn = null;
        if (cell) [hn, cn] = LSTM_KINDS.includes(c.kind) ? res : [res, null];
        else [out, [hn, cn]] = c.kind === 'LSTM' ? res : [res[0], [res[1], null]];
        const w = (e) => fromFixture(torch, e).t;
        let loss = hn.mul(w(c.wH)).sum();
        if (out !== null) loss = loss.add(out.mul(w(c.wOut)).sum());
        if (cn !== null) loss = loss.add(cn.mul(w(c.wC)).sum());
        const params = [...m.namedParameters()];
        const ins = [...params.map(([, p]) => p), x.leaf, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];
        const grads = torch.autograd.grad(loss, ins, null, { createGraph: Boolean(c.doubleGrads), allowUnused: true });
        const found = [
          ...compareTensor(out, c.output, { ...TOL, what: 'output' }),
          ...compareTensor(hn, c.hn, { ...TOL, what: 'h_n' }),
          ...compareTensor(cn, c.cn, { ...TOL, what: 'c_n' }),
          ...params.flatMap(([n], i) => compareTensor(grads[i], c.grads[n], { ...TOL, what: `grad ${n}` })),
          ...compareTensor(grads[params.length], c.gradInput, { ...TOL, what: 'grad input' }),
          ...compareTensor(h0 ? grads[params.length + 1] : null, c.gradH0, { ...TOL, what: 'grad h0' }),
          ...compareTensor(c0 ? grads[params.length + 2] : null, c.gradC0, { ...TOL, what: 'grad c0' }),
        ];
        if (c.doubleGrads) {
          const gx = grads[params.length];
          const g2 = torch.autograd.grad(gx.mul(gx).sum(), params.map(([, p]) => p), null, { allowUnused: true });
          params.forEach(([n, p], i) => found.push(...compareTensor(g2[i] ?? torch.zerosLike(p), c.doubleGrads[n], { ...TOL, what: `double grad ${n}` })));
        }
        return found;
      });
      m.dispose();
      expect(problems).toEqual([]);
    });
  });

  test.each(fx.init.map((c) => [c.repr, c]))('%s: manualSeed gives PyTorch\'s parameters, names and repr', (repr, c) => {
    torch.manualSeed(c.seed);
    const m = make(c);
    const names = [...m.namedParameters()].map(([n]) => n);
    expect(names).toEqual(Object.keys(c.params));
    const problems = [...m.namedParameters()].flatMap(([n, p]) => compareTensor(p, c.params[n], { rtol: 0, atol: 0, what: n }));
    expect(problems).toEqual([]);
    expect(m.toString()).toBe(repr);
    expect(Object.keys(torch.tidy(() => m.stateDict()))).toEqual(Object.keys(c.params));
    m.dispose();
  });

  test.each(fx.errors.map((c) => [`${c.kind}(${c.inputSize}, ${c.hiddenSize}) on [${c.input}]${c.hx ? ` with ${JSON.stringify(c.hx)}` : ''}`, c]))(
    '%s throws torch\'s error, nothing changed', (name, c) => {
      const m = make(c);
      const before = torch.tidy(() => [...m.parameters()].map((p) => Array.from(p.data())));
      torch.tidy(() => {
        const x = torch.zeros(c.input);
        const hx = c.hx === null ? null : LSTM_KINDS.includes(c.kind) ? c.hx.map((s) => torch.zeros(s)) : torch.zeros(c.hx);
        expect(errorOf(() => m.call(x, hx))).toBe(c.error);
      });
      expect([...m.parameters()].map((p) => Array.from(p.data()))).toEqual(before);
      m.dispose();
    });

  test.each(fx.constructorErrors.map((c) => [c.kind, c]))('%s constructor refuses bad options with torch\'s text', (kind, c) => {
    expect(errorOf(() => make(c))).toBe(c.error);
  });

  test('API forms: positional numLayers, options, state-dict round trip, webtorch-only refusals', () => {
    const { nn } = torch;
    const a = new nn.LSTM(3, 4, 2, { batchFirst: true });
    expect(a.numLayers).toBe(2);
    expect(a.toString()).toBe('LSTM(3, 4, num_layers=2, batch_first=True)');
    const b = nn.LSTM(3, 4, { numLayers: 2, batchFirst: true });
    b.loadStateDict(a.stateDict());
    torch.tidy(() => {
      const x = torch.randn([2, 5, 3]);
      const [ya, [ha, ca]] = a.call(x);
      const [yb, [hb, cb]] = b.call(x);
      expect(ya.shape).toEqual([2, 5, 4]);
      expect(ha.shape).toEqual([2, 2, 4]);
      expect(ca.shape).toEqual([2, 2, 4]);
      expect(Array.from(yb.data())).toEqual(Array.from(ya.data()));
      expect(Array.from(hb.data())).toEqual(Array.from(ha.data()));
      expect(Array.from(cb.data())).toEqual(Array.from(ca.data()));
    });
    expect(errorOf(() => new nn.LSTM(3, 4, { projSize: 2 }))).toBe("LSTM(): option 'projSize' is not supported by webtorch");
    expect(errorOf(() => new nn.GRU(3, 4, { projSize: 2 }))).toMatch(/^GRU\(\): unexpected option 'projSize'/);
    expect(errorOf(() => new nn.LSTM(3, 4, 2, { numLayers: 2 }))).toBe('LSTM(): numLayers given twice');
    expect(errorOf(() => new nn.RNN(3, 4, { numLayers: 0 }))).toBe('RNN(): numLayers must be a positive integer, got number 0');
    expect(errorOf(() => a.call(torch.zeros([2, 5, 3]), torch.zeros([2, 2, 4])))).toMatch(/^LSTM.forward\(\): hx must be an array \[h, c\]/);
    a.dispose();
    b.dispose();
  });

  test('dropout between layers: only in training, not after the last layer', () => {
    const { nn } = torch;
    torch.manualSeed(3);
    const m = new nn.GRU(4, 8, { numLayers: 2, dropout: 0.5 });
    const single = new nn.GRU(4, 8, { dropout: 0.5 }); // one layer: dropout never applies
    torch.tidy(() => {
      const x = torch.randn([3, 2, 4]);
      const [y1] = m.call(x);
      const [y2] = m.call(x);
      expect(Array.from(y1.data())).not.toEqual(Array.from(y2.data())); // different masks
      m.eval();
      const [e1] = m.call(x);
      const [e2] = m.call(x);
      expect(Array.from(e1.data())).toEqual(Array.from(e2.data()));
      const [s1] = single.call(x);
      single.eval();
      const [s2] = single.call(x);
      expect(Array.from(s1.data())).toEqual(Array.from(s2.data()));
    });
    m.dispose();
    single.dispose();
  });

  test('a forward leaves no tensors behind but its results (and its graph, until they go)', () => {
    const m = new torch.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const x = torch.randn([5, 2, 3]);
    const before = torch.memory();
    const [y, [h, c]] = m.call(x);
    torch.dispose([y, h, c]);
    expect(torch.memory()).toEqual(before);
    const outs = torch.noGrad(() => m.call(x));
    torch.dispose(outs);
    expect(torch.memory()).toEqual(before);
    x.dispose();
    m.dispose();
  });
});
