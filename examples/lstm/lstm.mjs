// The LSTM example's shared pieces: the model (the twin of train_lstm.py's DigitsLSTM), the
// files PyTorch wrote, and the replay of PyTorch's training steps. Used by run.mjs and by
// tests/js/example_lstm.test.mjs.

import { accuracy, loadDigits, trainEpoch } from '../digits/digits.mjs';

export { accuracy, loadDigits, trainEpoch };

// An 8x8 digit read as a sequence of its 8 rows: a 2-layer batchFirst LSTM (8 -> 32) and a
// Linear(32, 10) on the last step's output. State-dict keys as PyTorch's: lstm.weight_ih_l0,
// ..., lstm.bias_hh_l1, fc.weight, fc.bias.
export function createModel(torch) {
  const { nn } = torch;
  class DigitsLSTM extends nn.Module {
    constructor() {
      super();
      this.lstm = new nn.LSTM(8, 32, { numLayers: 2, batchFirst: true });
      this.fc = new nn.Linear(32, 10);
    }
    forward(x) {
      const [out] = this.lstm.call(x.reshape([x.shape[0], 8, 8]));
      return this.fc.call(out.select(1, 7));
    }
  }
  return new DigitsLSTM();
}

// The bytes of a file next to this module (Node or browser).
export async function readExampleFile(name) {
  const url = new URL(`./${name}`, import.meta.url);
  if (typeof process === 'object' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The model with PyTorch's trained weights (lstm-digits.safetensors) and PyTorch's golden
// values (torch-golden.safetensors: logits, losses, final_logits, and its metadata).
export async function loadTorchTrained(torch) {
  const model = createModel(torch);
  const weights = await readExampleFile('lstm-digits.safetensors');
  torch.tidy(() => model.loadStateDict(torch.loadSafetensors(weights)));
  const goldenBytes = await readExampleFile('torch-golden.safetensors');
  const golden = torch.loadSafetensors(goldenBytes);
  const meta = torch.safetensorsHeader(goldenBytes).metadata;
  return { model, golden, meta, weightsMeta: torch.safetensorsHeader(weights).metadata };
}

// train_lstm.py's continuation: `steps` SGD steps (its lr and momentum) on training batches
// 0, 1, ... of `batch` rows; returns each step's loss.
export function replaySteps(torch, model, xTrain, yTrain, meta) {
  const steps = Number(meta.steps);
  const batch = Number(meta.batch);
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: Number(meta.lr), momentum: Number(meta.momentum) });
  model.train();
  const losses = [];
  for (let k = 0; k < steps; k++) {
    losses.push(torch.tidy(() => {
      optimizer.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(model.call(xTrain.narrow(0, k * batch, batch)), yTrain.narrow(0, k * batch, batch));
      loss.backward();
      optimizer.step();
      return loss.item();
    }));
  }
  optimizer.dispose();
  return losses;
}

// The largest |a - e| / max(|e|, 1) over two tensors' elements (relative where |e| >= 1,
// absolute below, so a logit near 0 does not turn rounding into a large ratio).
export function relativeError(torch, actual, expected) {
  return torch.tidy(() => actual.sub(expected).abs().div(expected.abs().clamp({ min: 1 })).max().item());
}
