// Assembles the `torch` object of one engine instance (API.md).

import { installAutograd } from './autograd.mjs';
import { installFactories, installTensorFromText } from './factories.mjs';
import { createLifetime } from './lifetime.mjs';
import { createModes } from './modes.mjs';
import { installNN } from './nn/index.mjs';
import { installOps } from './ops.mjs';
import { installIndexing } from './indexing.mjs';
import { installOptim } from './optim/index.mjs';
import { createRuntime } from './runtime.mjs';
import { installSafetensors } from './safetensors.mjs';
import { createTensorClass } from './tensor.mjs';
import { VERSION } from './version.mjs';

// `built` is what loader.mjs's instantiate() returns: the Module, its backend, the thread count
// and why it is lower than asked for (null when it is not).
export function createEngine({ Module, backend, threads, threadsUnavailableReason }) {
  const rt = createRuntime(Module);
  const lifetime = createLifetime(rt);
  const helpers = createTensorClass(rt, lifetime);
  const { Tensor } = helpers;
  const modes = createModes(rt);
  const { anomaly, ...torchModes } = modes;

  const torch = {
    backend,
    version: VERSION,
    threads,
    threadsUnavailableReason,
    Tensor,
    dtypes: rt.dtypeNames.slice(),
    ...torchModes,
    tidy: lifetime.tidy,
    keep: lifetime.keep,
    dispose(value) {
      // Disposes a Tensor, or every Tensor in an array / plain object.
      const visit = (v) => {
        if (v instanceof Tensor) v.dispose();
        else if (Array.isArray(v)) v.forEach(visit);
        else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
      };
      visit(value);
    },
    memory() {
      const m = Module.memory();
      return { tensors: m.tensors, bytes: m.bytes, graphNodes: m.graphNodes, savedBytes: m.savedBytes };
    },
    isTensor: (v) => v instanceof Tensor,
    // Engine internals for tests, benchmarks and the demo: wasm heap bytes in use and in
    // total, the stack pointer, the packed mode state, and engine allocations made so far.
    diagnostics: () => ({
      heapInUse: Module._wt_heap_in_use(),
      heapSize: Module.HEAPU8.length,
      stackPointer: Module._wt_stack_pointer(),
      modeState: Module._wt_mode_state(),
      allocations: Module.memory().allocations,
    }),
  };
  if (typeof Symbol.dispose === 'symbol') {
    Tensor.prototype[Symbol.dispose] = function () {
      this.dispose();
    };
  }
  installFactories(torch, Tensor, rt, helpers);
  installTensorFromText(torch, rt, helpers);
  installOps(torch, Tensor, rt, helpers);
  installIndexing(torch, Tensor, rt, helpers);
  installAutograd(torch, Tensor, rt, modes, helpers);
  installSafetensors(torch, Tensor, rt, helpers);
  installOptim(torch, Tensor, rt, helpers, installNN(torch, Tensor, rt, helpers));
  return torch;
}
