// torch.nn for one engine: Module, Parameter, the layers, torch.nn.functional, torch.nn.init,
// torch.nn.utils.

import { createActivations } from './activation.mjs';
import { createBatchNorm } from './batchnorm.mjs';
import { createClipGrad } from './clip_grad.mjs';
import { createContainers } from './container.mjs';
import { createConv } from './conv.mjs';
import { createConvTranspose } from './conv_transpose.mjs';
import { createBCELosses } from './bce_loss.mjs';
import { createLeakyActivations } from './leaky_activation.mjs';
import { createDropout } from './dropout.mjs';
import { createFlatten } from './flatten.mjs';
import { createFunctional } from './functional.mjs';
import { addAutoencoderFunctional } from './functional_autoencoder.mjs';
import { createCnnFunctional } from './functional_cnn.mjs';
import { createInit } from './init.mjs';
import { createLinear } from './linear.mjs';
import { createLosses } from './loss.mjs';
import { createModuleClasses } from './module.mjs';
import { createRNN } from './rnn.mjs';
import { createSmoothActivations } from './smooth_activation.mjs';
import { createPooling } from './pooling.mjs';
import { createTransformerLayers } from './transformer.mjs';
import { installTransformerFunctional } from './transformer_functional.mjs';
import { newOptional } from '../runtime.mjs';

export function installNN(torch, Tensor, rt, helpers) {
  const F = createFunctional(torch, Tensor, rt, helpers);
  addAutoencoderFunctional(F, Tensor, rt, helpers);
  Object.assign(F, createCnnFunctional(torch, Tensor, rt, helpers));
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
    ...createRNN(ctx),
    ...createSmoothActivations(ctx),
    ...createConvTranspose(ctx),
    ...createBCELosses(ctx),
    ...createLeakyActivations(ctx),
    ...createBatchNorm(ctx),
    ...createPooling(ctx),
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
