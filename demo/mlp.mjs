// The playground's classifier: a small MLP written on the tensor API (parameters are
// tensors with requiresGrad), trained with recording on and updated under noGrad, as
// torch.optim.SGD does in PyTorch.

import { rng } from './datasets.mjs';

export function createMLP(torch, sizes, seed = 1) {
  const r = rng(seed);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i];
    const fanOut = sizes[i + 1];
    const w = new Float32Array(fanIn * fanOut);
    const scale = Math.sqrt(2 / fanIn); // He initialisation for ReLU layers
    for (let j = 0; j < w.length; j++) w[j] = r.normal() * scale;
    const weight = torch.keep(torch.tensor(w, { shape: [fanIn, fanOut], requiresGrad: true }));
    const bias = torch.keep(torch.zeros([fanOut], { requiresGrad: true }));
    layers.push({ weight, bias });
  }
  const params = layers.flatMap((l) => [l.weight, l.bias]);
  const velocity = params.map((p) => torch.keep(torch.zerosLike(p)));

  // Logits of shape [n, 1]: positive means class 1.
  function forward(x) {
    let h = x;
    layers.forEach(({ weight, bias }, i) => {
      h = h.matmul(weight).add(bias);
      if (i + 1 < layers.length) h = h.relu();
    });
    return h;
  }

  // Squared hinge loss on labels in {-1, +1}: mean(relu(1 - y z)^2).
  function loss(x, ySigned) {
    const margin = ySigned.mul(forward(x)).neg().add(1).relu();
    return margin.mul(margin).mean();
  }

  // One SGD-with-momentum step; returns the loss before the update.
  function step(x, ySigned, { lr = 0.05, momentum = 0.9, weightDecay = 1e-4 } = {}) {
    return torch.tidy(() => {
      const l = loss(x, ySigned); // recorded: l.gradFn is MeanBackward0
      l.backward();
      torch.noGrad(() => {
        params.forEach((p, i) => {
          const g = p.grad;
          if (weightDecay) g.add_(p, { alpha: weightDecay });
          velocity[i].mul_(momentum).add_(g);
          p.sub_(velocity[i], { alpha: lr });
          g.zero_();
        });
      });
      return l.item();
    });
  }

  function dispose() {
    for (const t of [...params, ...velocity]) t.dispose();
  }

  return { layers, params, forward, loss, step, dispose, sizes };
}
