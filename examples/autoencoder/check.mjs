// node examples/autoencoder/check.mjs [--scalar]: loads the autoencoder PyTorch trained
// (train_autoencoder.py) into webtorch, compares its reconstructions and a few Adam steps
// with PyTorch's, and exits 1 when a value is off by more than 1e-4 relative.
import { load } from '../../dist/index.mjs';
import { checkAgainstPyTorch } from './autoencoder.mjs';

const torch = await load({ simd: !process.argv.includes('--scalar') });
const r = await checkAgainstPyTorch(torch);
console.log(`${torch.backend}: reconstructions ${r.reconError.toExponential(2)} relative error; after ${r.losses.length} Adam steps ${r.afterError.toExponential(2)}`);
for (let k = 0; k < r.losses.length; ++k) console.log(`  step ${k + 1}: loss ${r.losses[k].toFixed(6)} (PyTorch ${r.torchLosses[k].toFixed(6)})`);
const worst = Math.max(r.reconError, r.afterError, ...r.lossErrors);
if (worst > 1e-4) {
  console.error(`differs from PyTorch by ${worst} relative`);
  process.exit(1);
}
