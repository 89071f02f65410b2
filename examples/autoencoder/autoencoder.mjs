// The convolutional autoencoder of train_autoencoder.py in webtorch (issue 15): the model, its
// PyTorch-trained weights, and the check that webtorch reproduces PyTorch's reconstructions
// and the losses of a few Adam steps (autoencoder-golden.safetensors). Used by check.mjs, the
// demo's reconstruction panel and tests/js/example_autoencoder.test.mjs.

import { loadDigits, readExampleFile } from '../digits/digits.mjs';

// The same nn.Sequential as train_autoencoder.py, so the state-dict keys (0.weight, ...,
// 6.bias) match: [N, 1, 8, 8] in [0, 1] -> [N, 8, 4, 4] -> [N, 16, 2, 2] -> [N, 8, 4, 4] -> [N, 1, 8, 8].
export function createAutoencoder(torch) {
  const { nn } = torch;
  const up = { stride: 2, padding: 1, outputPadding: 1 };
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.1),
    new nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.1),
    new nn.ConvTranspose2d(16, 8, 3, up), new nn.ELU(),
    new nn.ConvTranspose2d(8, 1, 3, up), new nn.Sigmoid());
}

// The model with PyTorch's trained weights (autoencoder.safetensors).
export async function loadAutoencoder(torch) {
  const model = createAutoencoder(torch);
  const weights = torch.loadSafetensors(await readExampleFile('../autoencoder/autoencoder.safetensors'));
  model.loadStateDict(weights);
  for (const t of Object.values(weights)) t.dispose();
  model.eval();
  return model;
}

// The largest |a - b| / max(|b|, 1e-6) over two tensors' values.
function maxRelativeError(a, b) {
  const x = a.toArray().flat(Infinity);
  const y = b.toArray().flat(Infinity);
  if (x.length !== y.length) throw new Error(`size mismatch: ${x.length} vs ${y.length}`);
  let worst = 0;
  for (let i = 0; i < x.length; ++i) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-6));
  return worst;
}

// Loads the weights and the golden values, compares the reconstructions of the first held-out
// images, then runs the same Adam steps as PyTorch and compares each loss and the
// reconstructions after them. Returns the errors (relative) and the losses of both.
export async function checkAgainstPyTorch(torch) {
  const golden = torch.loadSafetensors(await readExampleFile('../autoencoder/autoencoder-golden.safetensors'));
  const meta = torch.safetensorsHeader(await readExampleFile('../autoencoder/autoencoder-golden.safetensors')).metadata;
  const [steps, batch, lr, shown] = [Number(meta.steps), Number(meta.batch), Number(meta.lr), Number(meta.shown)];
  const model = await loadAutoencoder(torch);
  const digits = await loadDigits(torch);
  const xTrain = digits.xTrain.reshape([-1, 1, 8, 8]);
  const images = digits.xTest.narrow(0, 0, shown).reshape([shown, 1, 8, 8]);
  const reconstruct = () => torch.noGrad(() => model.call(images));
  const recon = reconstruct();
  const reconError = maxRelativeError(recon, golden.recon);

  model.train();
  const optimizer = new torch.optim.Adam(model.parameters(), { lr });
  const losses = [];
  for (let k = 0; k < steps; ++k) {
    losses.push(torch.tidy(() => {
      const x = xTrain.narrow(0, k * batch, batch);
      optimizer.zeroGrad();
      const loss = torch.nn.functional.binaryCrossEntropy(model.call(x), x);
      loss.backward();
      optimizer.step();
      return loss.item();
    }));
  }
  model.eval();
  const after = reconstruct();
  const torchLosses = golden.losses.toArray();
  const result = {
    reconError,
    afterError: maxRelativeError(after, golden.recon_after),
    lossErrors: losses.map((l, k) => Math.abs(l - torchLosses[k]) / Math.abs(torchLosses[k])),
    losses,
    torchLosses,
  };
  for (const t of [recon, after, images, xTrain, ...Object.values(digits), ...Object.values(golden)]) t.dispose();
  return result;
}
