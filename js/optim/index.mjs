// torch.optim for one engine: Optimizer, SGD, Adam.

import { createAdam } from './adam.mjs';
import { createOptimizerClass } from './optimizer.mjs';
import { createSGD } from './sgd.mjs';
import { newOptional } from '../runtime.mjs';

export function installOptim(torch, Tensor, rt, helpers, nnInternals) {
  const Optimizer = createOptimizerClass(torch, Tensor, rt, nnInternals);
  torch.optim = {
    Optimizer,
    // API.md writes `torch.optim.SGD(params, { lr })`: with or without `new`.
    SGD: newOptional(createSGD(torch, Tensor, rt, helpers, Optimizer)),
    Adam: newOptional(createAdam(torch, Tensor, rt, helpers, Optimizer)),
  };
}
