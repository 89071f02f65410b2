// torch.nn modules against PyTorch 1.13.1 (tests/fixtures/generate_nn.py) — default
// initialisation after manualSeed (bit for bit), reprs, forward and parameter gradients,
// dropout streams, loadStateDict's errors — and the Module contract of API.md: registration
// in assignment order with PyTorch's dotted names, train()/eval(), stateDict(), dispose().

import { BUILDS, compareTensor, errorOf, fromFixture, nnFixture, sameValues } from './nn_helpers.mjs';

const fx = nnFixture().modules;
const TOL = { rtol: 1e-5, atol: 1e-6 };

describe.each(BUILDS)('torch.nn modules on the %s build', (backend, loadBuild) => {
  let torch;
  let nn;
  let Net;
  beforeAll(async () => {
    torch = await loadBuild();
    nn = torch.nn;
    Net = class Net extends nn.Module {
      constructor() {
        super();
        this.fc1 = new nn.Linear(4, 8);
        this.act = new nn.ReLU();
        this.fc2 = new nn.Linear(8, 3);
      }
      forward(x) {
        return this.fc2.call(this.act.call(this.fc1.call(x)));
      }
    };
  });

  function loadInto(model, state) {
    torch.tidy(() => {
      const dict = {};
      for (const [k, v] of state) dict[k] = fromFixture(torch, v).t;
      model.loadStateDict(dict);
    });
  }

  describe('default initialisation after manualSeed matches PyTorch bit for bit', () => {
    test.each(fx.init.map((c) => [c.name, c]))('%s', (name, c) => {
      torch.manualSeed(c.seed);
      const m = new nn[c.module](...c.args, c.options);
      const sd = m.stateDict({ keepVars: true });
      expect(Object.keys(sd)).toEqual(c.state.map(([k]) => k));
      for (const [k, v] of c.state) expect(sameValues(sd[k], v)).toEqual([]);
      expect(Object.entries(sd).map(([k, v]) => [k, v.version])).toEqual(c.versions);
      expect(String(m)).toBe(c.repr);
      m.dispose();
    });
  });

  describe('torch.nn.init after manualSeed matches PyTorch', () => {
    test.each(fx.initFunctions.map((c) => [c.name, c]))('%s', (name, c) => {
      torch.tidy(() => {
        torch.manualSeed(c.seed);
        const t = torch.empty(c.shape);
        expect(nn.init[c.fn](t, ...c.args)).toBe(t);
        expect(sameValues(t, c.output)).toEqual([]);
        expect(t.version).toBe(1);
      });
    });
    test('calculateGain', () => {
      for (const [nl, p, gain] of fx.gains) expect(nn.init.calculateGain(nl, p ?? undefined)).toBe(gain);
      expect(errorOf(() => nn.init.calculateGain('swish'))).toBe('Unsupported nonlinearity swish');
      expect(errorOf(() => nn.init.kaimingUniform_(torch.empty([3])))).toBe('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
    });
  });

  test('functional relu, softmax, logSoftmax (implicit dim as PyTorch picks it)', () => {
    torch.tidy(() => {
      const F = nn.functional;
      const x = torch.tensor([[1, -2, 3], [0.5, 0, -1]], { requiresGrad: true });
      expect(F.relu(x).toArray()).toEqual([[1, 0, 3], [0.5, 0, 0]]);
      expect(F.relu(x).gradFn.name).toBe('ReluBackward0');
      const s = F.softmax(x, 1);
      expect(s.gradFn.name).toBe('SoftmaxBackward0');
      expect(Array.from(F.softmax(x).data())).toEqual(Array.from(s.data())); // 2-D: dim 1
      expect(Array.from(F.softmax(x, { dim: 0 }).data())).toEqual(Array.from(x.softmax(0).data()));
      const ls = F.logSoftmax(x, -1);
      expect(ls.gradFn.name).toBe('LogSoftmaxBackward0');
      const row = Array.from(ls.data()).slice(0, 3).map(Math.exp);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      const y = torch.tensor([-1, 2]);
      expect(F.relu(y, { inplace: true })).toBe(y);
      expect(y.toArray()).toEqual([0, 2]);
    });
  });

  test('Net: default init, forward, crossEntropy gradients', () => {
    const c = fx.net;
    torch.manualSeed(c.seed);
    const net = new Net();
    expect(String(net)).toBe(c.repr);
    const sd = net.stateDict();
    for (const [k, v] of c.state) expect(sameValues(sd[k], v)).toEqual([]);
    torch.dispose(sd);
    torch.tidy(() => {
      const x = fromFixture(torch, c.input).t;
      const y = net.call(x);
      expect(compareTensor(y, c.output, TOL)).toEqual([]);
      const loss = nn.functional.crossEntropy(y, fromFixture(torch, c.target).t);
      expect(Math.abs(loss.item() - c.loss)).toBeLessThan(1e-6);
      loss.backward();
    });
    const named = net.namedParameters();
    expect(named.map(([k]) => k)).toEqual(c.grads.map(([k]) => k));
    for (const [k, g] of c.grads) expect(compareTensor(named.find(([n]) => n === k)[1].grad, g, TOL)).toEqual([]);
    net.dispose();
  });

  test('CNN (Sequential of Conv2d, ReLU, Flatten, Linear) with loaded weights', () => {
    const c = fx.cnn;
    const cnn = new nn.Sequential(new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.Conv2d(3, 2, 3, { stride: 2 }), new nn.Flatten(), new nn.Linear(8, 4));
    expect(String(cnn)).toBe(c.repr);
    loadInto(cnn, c.state);
    torch.tidy(() => {
      const y = cnn.call(fromFixture(torch, c.input).t);
      expect(compareTensor(y, c.output, { rtol: 1e-5, atol: 1e-5 })).toEqual([]);
      const loss = nn.functional.crossEntropy(y, fromFixture(torch, c.target).t);
      expect(Math.abs(loss.item() - c.loss)).toBeLessThan(1e-5);
      loss.backward();
    });
    for (const [k, g] of c.grads) expect(compareTensor(cnn.namedParameters().find(([n]) => n === k)[1].grad, g, { rtol: 1e-4, atol: 1e-5 })).toEqual([]);
    cnn.dispose();
  });

  describe('dropout draws the same masks as PyTorch after manualSeed', () => {
    test.each(fx.dropout.map((c) => [`p=${c.p} seed=${c.seed}`, c]))('%s', (name, c) => {
      torch.tidy(() => {
        const x = fromFixture(torch, c.input, { requiresGrad: true }).t;
        torch.manualSeed(c.seed);
        const y = nn.functional.dropout(x, c.p, true);
        expect(sameValues(y, c.output)).toEqual([]);
        expect(y.gradFn ? y.gradFn.name : null).toBe(c.gradFn);
        y.mul(fromFixture(torch, c.gradOutput).t).sum().backward();
        expect(sameValues(x.grad, c.grad)).toEqual([]);
        expect(sameValues(nn.functional.dropout(x, c.p, false), c.evalOutput)).toEqual([]);
      });
    });
    test('nn.Dropout obeys train() and eval()', () => {
      const d = new nn.Dropout(0.5);
      torch.tidy(() => {
        const x = torch.ones([1000]);
        const train = d.call(x).data();
        const zeros = train.filter((v) => v === 0).length;
        expect(zeros).toBeGreaterThan(400);
        expect(zeros).toBeLessThan(600);
        expect(train.every((v) => v === 0 || v === 2)).toBe(true);
        d.eval();
        expect(Array.from(d.call(x).data()).every((v) => v === 1)).toBe(true);
        d.train();
        expect(d.training).toBe(true);
      });
    });
  });

  describe('loadStateDict: PyTorch\'s errors, and nothing changes on error', () => {
    test.each(fx.loadStateDict.map((c) => [c.name, c]))('%s', (name, c) => {
      const net = new Net();
      const before = net.stateDict();
      const snapshot = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, Array.from(v.data())]));
      torch.dispose(before);
      torch.tidy(() => {
        const dict = {};
        for (const [k, v] of c.keys) dict[k] = v && typeof v === 'object' && 'shape' in v ? fromFixture(torch, v).t : v;
        if (c.error !== undefined) {
          expect(errorOf(() => net.loadStateDict(dict, { strict: c.strict }))).toBe(c.error);
          const after = net.stateDict();
          for (const [k, v] of Object.entries(after)) expect(Array.from(v.data())).toEqual(snapshot[k]);
        } else {
          expect(net.loadStateDict(dict, { strict: c.strict })).toEqual(c.result);
          const after = net.stateDict();
          for (const [k, v] of Object.entries(after)) if (dict[k]) expect(Array.from(v.data())).toEqual(Array.from(dict[k].data(), Number));
        }
      });
      net.dispose();
    });
  });

  describe('Module contract', () => {
    test('registration follows assignment order, with dotted names, class fields included', () => {
      class Block extends nn.Module {
        head = new nn.Linear(2, 2);
        constructor() {
          super();
          this.body = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 2, { bias: false }));
          this.scale = new nn.Parameter(torch.ones([2]));
          this.plain = torch.zeros([2]); // not a parameter: a plain attribute, as in PyTorch
          this.w = torch.randn([2], { requiresGrad: true }); // a leaf that requires grad: a parameter
          this.registerBuffer('runningMean', torch.zeros([2]));
          this.registerBuffer('scratch', torch.zeros([1]), false);
        }
        forward(x) {
          return this.body.call(this.head.call(x)).mul(this.scale);
        }
      }
      const b = new Block();
      expect(b.namedParameters().map(([n]) => n)).toEqual(['scale', 'w', 'head.weight', 'head.bias', 'body.0.weight', 'body.0.bias', 'body.2.weight']);
      expect(Object.keys(b.stateDict())).toEqual(['scale', 'w', 'runningMean', 'head.weight', 'head.bias', 'body.0.weight', 'body.0.bias', 'body.2.weight']);
      expect(b.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'scratch']);
      expect(b.namedModules().map(([n]) => n)).toEqual(['', 'head', 'body', 'body.0', 'body.1', 'body.2']);
      expect(b.children().length).toBe(2);
      expect(b.scale instanceof nn.Parameter).toBe(true);
      expect(b.plain instanceof nn.Parameter).toBe(false);
      expect(b instanceof nn.Module).toBe(true);
      expect(b.body.at(-1)).toBe(b.body[2]);
      expect(b.body.length).toBe(3);
      torch.tidy(() => expect(b.call(torch.ones([3, 2])).shape).toEqual([3, 2]));
      b.dispose();
      b.plain.dispose();
      expect(b.scale.isDisposed).toBe(true);
    });

    test('reassignment keeps the position; delete unregisters; a shared parameter is listed once', () => {
      const m = new nn.Module();
      m.a = new nn.Linear(1, 1);
      m.b = new nn.Linear(1, 1);
      m.a = new nn.Linear(2, 2);
      expect(Object.keys(m.stateDict())).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
      m.b.weight = m.a.bias; // tied
      expect(m.parameters().length).toBe(3);
      delete m.b;
      expect(m.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias']);
      expect(() => {
        m.a = 3;
      }).toThrow("cannot assign 'int' as child module 'a' (torch.nn.Module or None expected)");
      m.a = null;
      expect(m.parameters()).toEqual([]);
    });

    test('forward is required; call() runs hooks around forward', () => {
      const m = new nn.Module();
      expect(errorOf(() => m.call(1))).toBe('Module [Module] is missing the required "forward" function');
      const lin = new nn.Linear(2, 2);
      const seen = [];
      const h1 = lin.registerForwardPreHook((mod, args) => {
        seen.push('pre');
        return args;
      });
      const h2 = lin.registerForwardHook((mod, args, out) => {
        seen.push('post');
        return out.mul(0);
      });
      torch.tidy(() => {
        expect(Array.from(lin.call(torch.ones([1, 2])).data()).every((v) => v === 0)).toBe(true);
        h1.remove();
        h2.remove();
        expect(Array.from(lin.call(torch.ones([1, 2])).data()).every((v) => v === 0)).toBe(false);
      });
      expect(seen).toEqual(['pre', 'post']);
      lin.dispose();
    });

    test('train(), eval() and the training flag reach every submodule', () => {
      const net = new Net();
      expect(net.training).toBe(true);
      expect(net.eval()).toBe(net);
      expect(net.modules().every((m) => m.training === false)).toBe(true);
      net.train();
      expect(net.fc2.training).toBe(true);
      expect(errorOf(() => net.train('yes'))).toBe('training mode is expected to be boolean');
      net.dispose();
    });

    test('stateDict values are detached aliases; keepVars gives the parameters', () => {
      const lin = new nn.Linear(2, 2);
      const sd = lin.stateDict();
      expect(sd.weight.requiresGrad).toBe(false);
      expect(sd.weight).not.toBe(lin.weight);
      torch.noGrad(() => sd.weight.fill_(3));
      expect(Array.from(lin.weight.data())).toEqual([3, 3, 3, 3]);
      torch.dispose(sd); // frees the aliases, not the weights
      expect(lin.weight.isDisposed).toBe(false);
      expect(lin.stateDict({ keepVars: true }).weight).toBe(lin.weight);
      lin.dispose();
    });

    test('zeroGrad zeroes in place (version bump) or drops grads with setToNone', () => {
      const lin = new nn.Linear(3, 1);
      torch.tidy(() => lin.call(torch.ones([2, 3])).sum().backward());
      const g = lin.weight.grad;
      const v = g.version;
      lin.zeroGrad();
      expect(Array.from(lin.weight.grad.data())).toEqual([0, 0, 0]);
      expect(lin.weight.grad.version).toBe(v + 1);
      lin.zeroGrad({ setToNone: true });
      expect(lin.weight.grad).toBe(null);
      lin.dispose();
    });

    test('a model built and trained inside tidy keeps its weights; dispose frees them', () => {
      const before = torch.memory().tensors;
      const net = torch.tidy(() => {
        const n = new Net();
        const opt = new torch.optim.SGD(n.parameters(), { lr: 0.1, momentum: 0.9 });
        for (let i = 0; i < 2; i++) {
          torch.tidy(() => {
            opt.zeroGrad();
            n.call(torch.ones([2, 4])).sum().backward();
            opt.step();
          });
        }
        opt.dispose();
        return n;
      });
      expect(net.fc1.weight.isDisposed).toBe(false);
      torch.tidy(() => expect(net.call(torch.ones([1, 4])).shape).toEqual([1, 3]));
      net.zeroGrad({ setToNone: true });
      net.dispose();
      expect(torch.memory().tensors).toBe(before);
    });

    test('inference: the model runs under inferenceMode and noGrad without recording', () => {
      const net = new Net();
      torch.tidy(() => {
        const x = torch.ones([2, 4]);
        const y = torch.inferenceMode(() => net.call(x));
        expect(y.isInference()).toBe(true);
        expect(y.gradFn).toBe(null);
        const z = torch.noGrad(() => net.call(x));
        expect(z.requiresGrad).toBe(false);
        expect(Array.from(z.data())).toEqual(Array.from(y.data()));
      });
      net.dispose();
    });

    test('layer argument errors', () => {
      expect(errorOf(() => new nn.Conv2d(3, 4, 3, { groups: 2 }))).toBe('in_channels must be divisible by groups');
      expect(errorOf(() => new nn.Conv2d(4, 3, 3, { groups: 2 }))).toBe('out_channels must be divisible by groups');
      expect(errorOf(() => new nn.Conv2d(4, 4, 3, { padding: 'same', stride: 2 }))).toBe("padding='same' is not supported for strided convolutions");
      expect(errorOf(() => new nn.Dropout(1.5))).toBe('dropout probability has to be between 0 and 1, but got 1.5');
      expect(errorOf(() => new nn.Linear(2, 3, { bais: false }))).toBe("Linear(): unexpected option 'bais' (expected one of bias)");
      expect(errorOf(() => new nn.Sequential(new nn.ReLU(), 3))).toBe('int is not a Module subclass');
    });
  });

  test('the backend is the expected build', () => {
    expect(torch.backend).toBe(backend);
  });
});
