// A WGAN-GP critic and generator (Gulrajani et al. 2017) learning points on a ring, in
// webtorch: the critic's loss carries the gradient penalty (|| d critic(x) / dx || - 1)^2,
// whose gradient needs the second derivatives of the critic (autograd.grad with createGraph,
// then backward through that gradient). wgan_gp_torch.py is its PyTorch twin: same
// initial weights, data and noise (deterministic formulas, not a random generator), same
// Adam; golden.json holds PyTorch 1.13.1's losses step by step, which this reproduces.
//
//   bash scripts/build.sh && node examples/wgan-gp/wgan_gp.mjs [--scalar]

export const CONFIG = { steps: 24, batch: 16, nCritic: 3, lambda: 10, lr: 2e-3, betas: [0.5, 0.9], noise: 2, hidden: 16 };

// Deterministic numbers in [-1, 1] from (a, b): the twin computes the same doubles.
const wave = (a, b) => Math.sin(12.9898 * a + 78.233 * b + 0.5);
// x mod 1 for x >= 0.
const frac = (x) => x - Math.floor(x);

// The initial weight of parameter p at flat index i, scaled by 3 / sqrt(fan_in) (a critic far
// from 1-Lipschitz, so that the penalty has work to do).
function initialValues(p, shape, offset) {
  const n = shape.reduce((a, b) => a * b, 1);
  const fanIn = shape.length > 1 ? shape[1] : shape[0];
  return Array.from({ length: n }, (_, i) => (3 * wave(offset + p, i)) / Math.sqrt(fanIn));
}

// A batch of real points on the unit ring, the generator's noise and the interpolation
// weights for step s.
export function batchOf(s, { batch, noise } = CONFIG) {
  const real = [], z = [], eps = [];
  for (let j = 0; j < batch; j++) {
    const angle = 2 * Math.PI * frac(0.618034 * j + 0.1357 * s);
    real.push([Math.cos(angle), Math.sin(angle)]);
    z.push(Array.from({ length: noise }, (_, k) => wave(s + 100, j * noise + k)));
    eps.push([frac(0.37 * j + 0.211 * s + 0.05)]);
  }
  return { real, z, eps };
}

export function createModels(torch, { noise, hidden } = CONFIG) {
  const { nn } = torch;
  const generator = new nn.Sequential(new nn.Linear(noise, hidden), new nn.Tanh(), new nn.Linear(hidden, 2));
  const critic = new nn.Sequential(new nn.Linear(2, hidden), new nn.Tanh(), new nn.Linear(hidden, hidden), new nn.Tanh(),
    new nn.Linear(hidden, 1));
  torch.noGrad(() => {
    [generator, critic].forEach((model, m) => model.parameters().forEach((p, i) => {
      torch.tidy(() => p.copy_(torch.tensor(initialValues(i, p.shape, 10 * m)).reshape(p.shape)));
    }));
  });
  return { generator, critic };
}

// The gradient penalty at xHat: lambda * mean((|| d critic(xHat) / d xHat ||_2 - 1)^2). The
// gradient is taken with createGraph, so the penalty can be differentiated with respect to
// the critic's weights (a second derivative of the critic).
export function gradientPenalty(torch, critic, xHat, lambda = CONFIG.lambda) {
  const out = critic.call(xHat);
  const [g] = torch.autograd.grad([out.sum()], [xHat], null, { createGraph: true });
  return g.pow(2).sum(1).sqrt().sub(1).pow(2).mean().mul(lambda);
}

// One critic step per call of step() (and a generator step after every nCritic of them),
// each returning { step, critic, penalty, wasserstein, generator? }; sample(z) draws the
// generator's points. The models and optimizers live until dispose().
export function createTrainer(torch, config = CONFIG) {
  const { generator, critic } = createModels(torch, config);
  const optC = new torch.optim.Adam(critic.parameters(), { lr: config.lr, betas: config.betas });
  const optG = new torch.optim.Adam(generator.parameters(), { lr: config.lr, betas: config.betas });
  let s = 0;
  function step() {
    const { real, z, eps } = batchOf(s, config);
    const record = torch.tidy(() => {
      const x = torch.tensor(real), noise = torch.tensor(z), e = torch.tensor(eps);
      const fake = torch.noGrad(() => generator.call(noise));
      const xHat = e.mul(x).add(e.neg().add(1).mul(fake)).requiresGrad_(true);
      const penalty = gradientPenalty(torch, critic, xHat, config.lambda);
      const wasserstein = critic.call(x).mean().sub(critic.call(fake).mean());
      const loss = penalty.sub(wasserstein);
      optC.zeroGrad();
      loss.backward();
      optC.step();
      return { step: s, critic: loss.item(), penalty: penalty.item(), wasserstein: wasserstein.item() };
    });
    if ((s + 1) % config.nCritic === 0) {
      record.generator = torch.tidy(() => {
        const lossG = critic.call(generator.call(torch.tensor(z))).mean().neg();
        optG.zeroGrad();
        lossG.backward();
        optG.step();
        return lossG.item();
      });
    }
    s += 1;
    return record;
  }
  const sample = (z) => torch.noGrad(() => torch.tidy(() => generator.call(torch.tensor(z)).tolist()));
  const dispose = () => {
    optC.dispose();
    optG.dispose();
    torch.dispose([...generator.parameters(), ...critic.parameters()]);
  };
  return { step, sample, dispose, generator, critic };
}

// config.steps critic steps from the start: the records PyTorch's twin prints.
export function train(torch, config = CONFIG) {
  const trainer = createTrainer(torch, config);
  try {
    return Array.from({ length: config.steps }, () => trainer.step());
  } finally {
    trainer.dispose();
  }
}

const isMain = typeof process === 'object' && process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const { load } = await import('../../dist/index.mjs');
  const torch = await load({ simd: !process.argv.includes('--scalar') });
  console.log(`webtorch ${torch.version} on ${torch.backend}: WGAN-GP on a ring, ${CONFIG.steps} critic steps`);
  for (const r of train(torch)) {
    console.log(`step ${String(r.step).padStart(2)}: critic loss ${r.critic.toFixed(6)}  penalty ${r.penalty.toFixed(6)}  ` +
      `wasserstein ${r.wasserstein.toFixed(6)}${r.generator === undefined ? '' : `  generator loss ${r.generator.toFixed(6)}`}`);
  }
}
