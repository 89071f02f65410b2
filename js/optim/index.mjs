// torch.optim for one engine: Optimizer, SGD, Adam.

import { createAdam } from './adam.mjs';
import { createOptimizerClass } from './optimizer.mjs';
import { createSGD } from './sgd.mjs';

export function installOptim(torch, Tensor, rt, helpers, nnInternals) {
  const Optimizer = createOptimizerClass(torch, Tensor, rt, nnInternals);
  torch.optim = {
    Optimizer,
    SGD: createSGD(torch, Tensor, rt, helpers, Optimizer),
    Adam: createAdam(torch, Tensor, rt, helpers, Optimizer),
  };
}
