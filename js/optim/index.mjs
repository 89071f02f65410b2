// torch.optim for one engine: Optimizer, SGD, Adam, AdamW, and the learning-rate schedulers
// (torch.optim.lrScheduler, also reachable as PyTorch's torch.optim.lr_scheduler).

import { createAdam } from './adam.mjs';
import { createAdamW } from './adamw.mjs';
import { createOptimizerClass } from './optimizer.mjs';
import { createSGD } from './sgd.mjs';
import { createSchedulers } from './lr_scheduler.mjs';
import { newOptional } from '../runtime.mjs';

export function installOptim(torch, Tensor, rt, helpers, nnInternals) {
  const Optimizer = createOptimizerClass(torch, Tensor, rt, nnInternals);
  const { Adam, AdamBase } = createAdam(torch, Tensor, rt, helpers, Optimizer);
  torch.optim = {
    Optimizer,
    // API.md writes `torch.optim.SGD(params, { lr })`: with or without `new`.
    SGD: newOptional(createSGD(torch, Tensor, rt, helpers, Optimizer)),
    Adam: newOptional(Adam),
    AdamW: newOptional(createAdamW(AdamBase)),
  };
  const { LRScheduler, ...schedulers } = createSchedulers(Optimizer);
  const lrScheduler = { LRScheduler };
  for (const [name, cls] of Object.entries(schedulers)) lrScheduler[name] = newOptional(cls);
  torch.optim.lrScheduler = lrScheduler;
  torch.optim.lr_scheduler = lrScheduler;
}
