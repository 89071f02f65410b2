// The transformer ops and modules of issue 14 against PyTorch 1.13.1
// (tests/fixtures/generate_transformer.py), on both builds:
//   - transformer.json: torch.embedding and torch.layerNorm scenarios (contiguous and
//     non-contiguous inputs, values, gradients, second derivatives, torch's error texts),
//     also replayed natively by tests/cpp/scenarios_test.cpp;
//   - transformer_modules.json: F.scaledDotProductAttention (PyTorch 2's math composed in
//     torch 1.13: masks bool / float / causal, first and second derivatives),
//     nn.MultiheadAttention (outputs, averaged weights, gradients of every parameter; batchFirst,
//     bias, masks, unbatched), the modules' initialisation and reprs, nn.CrossEntropyLoss.

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { BUILDS, FIXTURES_DIR, compareTensor, errorOf, fromFixture } from './nn_helpers.mjs';
import { compareResults, runScenario } from './scenario_runner.mjs';

const scenarios = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'transformer.json'), 'utf8')).scenarios;
const fx = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'transformer_modules.json'), 'utf8'));
const TOL = { rtol: 1e-5, atol: 1e-5 };

describe.each(BUILDS)('transformer ops and modules on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });
  const t = (enc) => (enc === null || enc === undefined ? undefined : fromFixture(torch, enc).t);
  const leaf = (enc) => fromFixture(torch, enc, { requiresGrad: true }).t;
  const expectClose = (actual, expected, what, tol = TOL) => expect(compareTensor(actual, expected, { ...tol, what })).toEqual([]);

  describe('transformer.json', () => {
    test.each(scenarios.map((s) => [s.name, s]))('%s', (_, scenario) => {
      const actual = runScenario(torch, scenario);
      expect(compareResults(actual, scenario.expect, { rtol: 1e-5, atol: 1e-5, steps: scenario.steps })).toEqual([]);
    });
  });

  // README.md, "Differences from PyTorch": PyTorch records NativeLayerNormBackwardBackward0.
  test("a layerNorm gradient taken with createGraph is a composed op's (values as torch's)", () => {
    torch.tidy(() => {
      const x = torch.tensor([[1, 2, 4], [0, -1, 3]], { requiresGrad: true });
      const y = torch.layerNorm(x, [3]);
      expect(y.gradFn.name).toBe('NativeLayerNormBackward0');
      const [g] = torch.autograd.grad(y, [x], torch.ones([2, 3], { requiresGrad: true }), { createGraph: true });
      expect(g.gradFn.name).toBe('MulBackward0');
    });
  });

  describe('F.scaledDotProductAttention', () => {
    test.each(fx.sdpa.map((c) => [c.mask, c]))('mask %s: output, gradients, second derivatives', (mask, c) => {
      const F = torch.nn.functional;
      torch.tidy(() => {
        const q = leaf(c.q);
        const k = leaf(c.k);
        const v = leaf(c.v);
        const qv = mask === 'bool' ? q.transpose(-1, -2).contiguous().transpose(-1, -2) : q;
        const options = mask === 'causal' ? { isCausal: true } : mask === 'none' ? {} : { attnMask: t(c.attnMask) };
        const out = F.scaledDotProductAttention(qv, k, v, options);
        expectClose(out, c.out, 'out');
        const grads = torch.autograd.grad(out, [q, k, v], t(c.gradOutput), { createGraph: true });
        grads.forEach((g, i) => expectClose(g, c.grads[i], `grad ${i}`));
        const second = torch.autograd.grad(grads[0].sum().add(grads[1].sum()).add(grads[2].sum()), [q, k, v]);
        second.forEach((g, i) => expectClose(g, c.secondGrads[i], `second ${i}`, { rtol: 1e-4, atol: 1e-4 }));
      });
    });

    test('bad options and masks: named errors', () => {
      const F = torch.nn.functional;
      torch.tidy(() => {
        const x = torch.ones([1, 2, 4]);
        expect(errorOf(() => F.scaledDotProductAttention(x, x, x, { scale: 2 }))).toBe("scaledDotProductAttention(): option 'scale' is not supported by webtorch");
        expect(errorOf(() => F.scaledDotProductAttention(x, x, x, { isCausal: true, attnMask: torch.ones([2, 2]) })))
          .toBe('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
        expect(errorOf(() => F.scaledDotProductAttention(x, x, x, { attnMask: torch.ones([2, 2], { dtype: 'int32' }) })))
          .toBe('Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: int32 and  query.dtype: float32 instead.');
      });
    });
  });

  describe('nn.MultiheadAttention', () => {
    test.each(fx.multiheadAttention.map((c) => [`${c.mask} batchFirst=${c.batchFirst} bias=${c.bias}`, c]))('%s', (_, c) => {
      const { nn } = torch;
      const embed = c.state['out_proj.weight'].shape[0];
      const heads = c.mask === 'unbatched' ? 2 : 2;
      const m = new nn.MultiheadAttention(embed, heads, { batchFirst: c.batchFirst, bias: c.bias });
      const dict = Object.fromEntries(Object.entries(c.state).map(([k, enc]) => [k, t(enc)]));
      m.loadStateDict(dict);
      torch.dispose(Object.values(dict));
      expect(Object.keys(c.state)).toEqual(m.namedParameters().map(([k]) => k));
      torch.tidy(() => {
        const query = leaf(c.query);
        const kv = c.mask === 'unbatched' ? query : t(c.keyValue);
        const options = {};
        if (c.attnMask) options.attnMask = t(c.attnMask);
        if (c.keyPaddingMask) options.keyPaddingMask = t(c.keyPaddingMask);
        if (c.averageAttnWeights === false) options.averageAttnWeights = false;
        const [out, weights] = m.forward(query, kv, kv, options);
        expectClose(out, c.out, 'output');
        expectClose(weights, c.weights, 'weights');
        if (!c.grads) return;
        out.pow(2).sum().backward();
        expectClose(query.grad, c.queryGrad, 'query grad', { rtol: 1e-4, atol: 1e-5 });
        for (const [k, p] of m.namedParameters()) expectClose(p.grad, c.grads[k], `${k} grad`, { rtol: 1e-4, atol: 1e-5 });
      });
      m.dispose();
    });

    test('needWeights false gives null weights; refused options are named', () => {
      const { nn } = torch;
      const m = new nn.MultiheadAttention(4, 2);
      torch.tidy(() => {
        const x = torch.ones([3, 1, 4]);
        const [out, w] = m.forward(x, x, x, { needWeights: false });
        expect(out.shape).toEqual([3, 1, 4]);
        expect(w).toBeNull();
      });
      expect(errorOf(() => new nn.MultiheadAttention(4, 2, { addBiasKv: true }))).toBe("MultiheadAttention(): option 'addBiasKv' is not supported by webtorch");
      expect(errorOf(() => new nn.MultiheadAttention(6, 4))).toBe('embed_dim must be divisible by num_heads');
      m.dispose();
    });
  });

  describe('initialisation, state-dict keys and reprs', () => {
    test('nn.Embedding: N(0, 1) from the default generator, the padding row zero', () => {
      const { nn } = torch;
      const init = fx.inits.embedding;
      torch.manualSeed(init.seed);
      const e = new nn.Embedding(6, 3, { paddingIdx: 2 });
      expectClose(e.weight, init.weight, 'weight');
      expect(e.toString()).toBe(init.repr);
      expect(errorOf(() => new nn.Embedding(6, 3, { paddingIdx: 6 }))).toBe('Padding_idx must be within num_embeddings');
      expect(errorOf(() => new nn.Embedding(6, 3, { sparse: true }))).toBe("Embedding(): option 'sparse' is not supported by webtorch");
      torch.tidy(() => {
        expect(errorOf(() => e.forward(torch.tensor(Int32Array.from([0, 6]))))).toBe('index out of range in self');
        const y = e.forward(torch.tensor(Int32Array.from([2, 1, 2])));
        y.sum().backward();
        expect(Array.from(e.weight.grad.data())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      });
      e.dispose();
    });

    test('nn.MultiheadAttention: out_proj drawn first, then xavier_uniform_ of in_proj_weight; biases 0', () => {
      const { nn } = torch;
      const init = fx.inits.multiheadAttention;
      torch.manualSeed(init.seed);
      const m = new nn.MultiheadAttention(4, 2);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(init.keys);
      for (const k of init.keys) expectClose(sd[k], init.state[k], k);
      torch.dispose(Object.values(sd));
      m.dispose();
    });

    test('nn.LayerNorm: weight 1, bias 0, PyTorch repr', () => {
      const { nn } = torch;
      const ln = new nn.LayerNorm([2, 3], { eps: 1e-3 });
      const sd = ln.stateDict();
      for (const [k, enc] of Object.entries(fx.inits.layerNorm.state)) expectClose(sd[k], enc, k);
      torch.dispose(Object.values(sd));
      expect(ln.toString()).toBe(fx.inits.layerNorm.repr);
      const plain = new nn.LayerNorm(4, { elementwiseAffine: false });
      expect(plain.toString()).toBe(fx.inits.layerNorm.reprNoAffine);
      expect(plain.parameters()).toEqual([]);
      torch.dispose([ln, plain]);
    });

    test('nn.Identity passes its input through', () => {
      const id = new torch.nn.Identity();
      const x = torch.ones([2]);
      expect(id.forward(x)).toBe(x);
      torch.dispose([x, id]);
    });
  });

  describe('nn.CrossEntropyLoss', () => {
    test.each(fx.crossEntropyLoss.cases.map((c) => [JSON.stringify(Object.keys(c.options)), c]))('options %s', (_, c) => {
      const { nn } = torch;
      torch.tidy(() => {
        const x = leaf(fx.crossEntropyLoss.input);
        const target = t(fx.crossEntropyLoss.target);
        const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, v !== null && typeof v === 'object' ? t(v) : v]));
        const loss = new nn.CrossEntropyLoss(options).forward(x, target);
        expectClose(loss, c.loss, 'loss');
        loss.backward();
        expectClose(x.grad, c.grad, 'grad');
      });
    });
  });

  test('the build is the expected backend', () => {
    expect(torch.backend).toBe(backend);
  });
});
