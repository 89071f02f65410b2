// Node, ES module: import the installed package and run a tiny computation.
import { load, version } from 'webtorch';
import def from 'webtorch';

const results = {};
for (const simd of [true, false]) {
  const torch = await load({ simd });
  const w = torch.ones([3, 1], { requiresGrad: true });
  const x = torch.tensor([[1, 2, 3]], { dtype: 'float32' });
  const loss = x.matmul(w).sum();
  loss.backward();
  const served = torch.inferenceMode(() => x.matmul(w));
  results[torch.backend] = { loss: loss.item(), grad: w.grad.toArray(), inference: served.isInference(), version: torch.version };
}
console.log(JSON.stringify({ kind: 'esm', version, sameDefault: def === load, sameEngine: (await load()) === (await load()), results }));
