// A module Web Worker running its own webtorch engine: its own memory and its own modes.
// Messages: { op: 'start', simd, gradEnabled } loads the engine and sets this worker's grad
// mode with the unscoped setGradEnabled(flag); { op: 'probe' } runs a small computation and
// reports what was recorded under the worker's current mode.
import { load } from '../dist/index.mjs';

let torch = null;

function probe() {
  const result = torch.tidy(() => {
    const w = torch.tensor([[1], [2], [3]], { requiresGrad: true });
    const x = torch.tensor([[1, 1, 1]]);
    const y = x.matmul(w).mul(2).sum();
    let grad = null;
    if (y.requiresGrad) {
      y.backward();
      grad = w.grad.toArray();
    }
    const served = torch.inferenceMode(() => x.matmul(w));
    let inplaceError = null;
    try {
      served.add_(1);
    } catch (e) {
      inplaceError = e.message;
    }
    return {
      backend: torch.backend,
      gradEnabled: torch.isGradEnabled(),
      modeStack: torch.modeStack(),
      value: y.item(),
      gradFn: y.gradFn ? y.gradFn.name : null,
      grad,
      servedIsInference: served.isInference(),
      inplaceError,
    };
  });
  // After tidy: what the probe left behind.
  return { ...result, memory: torch.memory() };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.op === 'start') {
      torch = await load({ simd: data.simd });
      torch.setGradEnabled(data.gradEnabled);
      self.postMessage({ op: 'started', backend: torch.backend, version: torch.version });
    } else if (data.op === 'probe') {
      self.postMessage({ op: 'probe', ...probe() });
    }
  } catch (e) {
    self.postMessage({ op: 'error', message: e.message });
  }
};
