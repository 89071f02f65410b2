// torch.nn for one engine: Module, Parameter, the layers, torch.nn.functional, torch.nn.init,
// torch.nn.utils.

import { createActivations } from './activation.mjs';
import { createClipGrad } from './clip_grad.mjs';
import { createContainers } from './container.mjs';
import { createConv } from './conv.mjs';
import { createDropout } from './dropout.mjs';
import { createFlatten } from './flatten.mjs';
import { createFunctional } from './functional.mjs';
import { createInit } from './init.mjs';
import { createLinear } from './linear.mjs';
import { createLosses } from './loss.mjs';
import { createModuleClasses } from './module.mjs';
import { createTransformerLayers } from './transformer.mjs';
import { installTransformerFunctional } from './transformer_functional.mjs';
import { newOptional } from '../runtime.mjs';

export function installNN(torch, Tensor, rt, helpers) {
  const F = createFunctional(torch, Tensor, rt, helpers);
  installTransformerFunctional(F, torch, Tensor, rt, helpers);
  const init = createInit(torch, Tensor, rt, helpers);
  const { Module, Parameter, emptyParameter, zeroGrads } = createModuleClasses(torch, Tensor, rt, helpers);
  const ctx = { torch, Tensor, Module, F, init, emptyParameter };
  // The layers may be called without `new` too (nn.Linear(4, 8), as Python reads); Module is
  // the base class users extend.
  const layers = {
    ...createLinear(ctx),
    ...createConv(ctx),
    ...createActivations(ctx),
    ...createDropout(ctx),
    ...createContainers(ctx),
    ...createFlatten(ctx),
    ...createLosses(ctx),
    ...createTransformerLayers(ctx),
  };
  for (const k of Object.keys(layers)) layers[k] = newOptional(layers[k]);
  torch.nn = {
    Module,
    Parameter,
    ...layers,
    functional: F,
    init,
    utils: { ...createClipGrad(ctx, rt, helpers) },
  };
  return { zeroGrads };
}
