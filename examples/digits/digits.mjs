// The digits example's shared pieces: the dataset file, the model, training and evaluation.
// Used by train.mjs and by tests/js/nn_digits.test.mjs.

// nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)): 64 features (8x8 grey
// levels / 16) in, 10 logits out. The same architecture as train_torch.py, so state dicts
// (0.weight, 0.bias, 2.weight, 2.bias) move both ways.
export function createModel(torch) {
  const { nn } = torch;
  return new nn.Sequential(new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10));
}

// The bytes of a file next to this module: fs in Node, fetch elsewhere; .gz files are
// decompressed (zlib in Node, DecompressionStream in browsers).
export async function readExampleFile(name) {
  const url = new URL(`./${name}`, import.meta.url);
  const gz = name.endsWith('.gz');
  if (typeof process === 'object' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(url);
    if (!gz) return new Uint8Array(bytes);
    const { gunzipSync } = await import('node:zlib');
    return new Uint8Array(gunzipSync(bytes));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  if (!gz) return new Uint8Array(await response.arrayBuffer());
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// { xTrain [1437, 64], yTrain [1437], xTest [360, 64], yTest [360] }: float32 features in
// [0, 1] and int32 labels, from digits.safetensors.gz (see export_data.py).
export async function loadDigits(torch) {
  const bytes = await readExampleFile('digits.safetensors.gz');
  const nTrain = Number(torch.safetensorsHeader(bytes).metadata.train);
  return torch.tidy(() => {
    const { pixels, labels } = torch.loadSafetensors(bytes); // U8 -> int32
    const x = pixels.div(16); // float32 in [0, 1]
    const n = labels.shape[0];
    return {
      xTrain: x.narrow(0, 0, nTrain).contiguous(),
      yTrain: labels.narrow(0, 0, nTrain).contiguous(),
      xTest: x.narrow(0, nTrain, n - nTrain).contiguous(),
      yTest: labels.narrow(0, nTrain, n - nTrain).contiguous(),
    };
  });
}

// One epoch of minibatch training in the data's order (recording a graph per step).
// Returns the mean training loss.
export function trainEpoch(torch, model, optimizer, x, y, batchSize = 64) {
  const n = x.shape[0];
  let total = 0;
  model.train();
  for (let i = 0; i < n; i += batchSize) {
    const len = Math.min(batchSize, n - i);
    total += torch.tidy(() => {
      optimizer.zeroGrad();
      const loss = torch.nn.functional.crossEntropy(model.call(x.narrow(0, i, len)), y.narrow(0, i, len));
      loss.backward();
      optimizer.step();
      return loss.item() * len;
    });
  }
  return total / n;
}

// Accuracy of argmax(logits) against the labels, evaluated under noGrad.
export function accuracy(torch, model, x, y) {
  model.eval();
  return torch.noGrad(() => torch.tidy(() => model.call(x).argmax(1).eq(y).sum().item() / y.shape[0]));
}
