// The small ResNet-style digits classifier of train_resnet.py, in webtorch: the same modules
// under the same names, so PyTorch's state_dict (resnet.safetensors) loads as it is. Used by
// check.mjs and tests/js/example_resnet.test.mjs.

import { loadDigits, readExampleFile } from '../digits/digits.mjs';

export function createResNet(torch, channels = 16) {
  const { nn } = torch;
  const F = nn.functional;

  // relu(x + bn2(conv2(relu(bn1(conv1(x)))))): the residual add keeps the shape (padding 1).
  class ResidualBlock extends nn.Module {
    constructor(c) {
      super();
      this.conv1 = new nn.Conv2d(c, c, 3, { padding: 1, bias: false });
      this.bn1 = new nn.BatchNorm2d(c);
      this.conv2 = new nn.Conv2d(c, c, 3, { padding: 1, bias: false });
      this.bn2 = new nn.BatchNorm2d(c);
    }
    forward(x) {
      return F.relu(x.add(this.bn2.call(this.conv2.call(F.relu(this.bn1.call(this.conv1.call(x)))))));
    }
  }

  class Stem extends nn.Module {
    constructor(c) {
      super();
      this.conv = new nn.Conv2d(1, c, 3, { padding: 1, bias: false });
      this.bn = new nn.BatchNorm2d(c);
    }
    forward(x) {
      return F.relu(this.bn.call(this.conv.call(x)));
    }
  }

  class ResNet extends nn.Module {
    constructor(c) {
      super();
      this.stem = new Stem(c);
      this.block1 = new ResidualBlock(c);
      this.pool = new nn.MaxPool2d(2);
      this.block2 = new ResidualBlock(c);
      this.gap = new nn.AdaptiveAvgPool2d(1);
      this.head = new nn.Linear(c, 10);
    }
    forward(x) {
      const features = this.block2.call(this.pool.call(this.block1.call(this.stem.call(x))));
      return this.head.call(this.gap.call(features).flatten(1));
    }
  }
  return new ResNet(channels);
}

// The digits as images: { xTrain [1437, 1, 8, 8], yTrain, xTest [360, 1, 8, 8], yTest }.
export async function loadDigitImages(torch) {
  const d = await loadDigits(torch);
  const images = (x) => {
    const r = x.reshape([x.shape[0], 1, 8, 8]);
    x.dispose();
    return r;
  };
  return { xTrain: images(d.xTrain), yTrain: d.yTrain, xTest: images(d.xTest), yTest: d.yTest };
}

// The trained model (PyTorch's state_dict, num_batches_tracked int64 -> int32) and golden.safetensors.
export async function loadTrained(torch) {
  const model = createResNet(torch);
  torch.loadSafetensorsModel(model, await readExampleFile('../resnet/resnet.safetensors'));
  const golden = torch.loadSafetensors(await readExampleFile('../resnet/golden.safetensors'));
  return { model, golden };
}

// The relative error in the max norm, max |a - b| / max |b|: float32 rounding in a deep net
// leaves absolute errors of the order of 1e-6 on every logit, which an elementwise relative
// error would blow up on the logits that happen to be near 0.
export function maxRelativeError(a, b) {
  const x = a.data();
  const y = b.data();
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / scale;
}

// PyTorch's comparisons of train_resnet.py on a loaded model: eval logits, train-mode logits
// and stem.bn's running statistics after that batch, then SGD steps' losses and the eval
// logits after them. Returns the errors and the losses; the model ends trained by the steps.
export function compareWithTorch(torch, model, golden, data, { batch = 64, steps = 5, lr = 0.05, momentum = 0.9 } = {}) {
  const { F } = { F: torch.nn.functional };
  const r = {};
  model.eval();
  r.eval = torch.noGrad(() => torch.tidy(() => maxRelativeError(model.call(data.xTest), golden.eval_logits)));
  // Train mode on a copy of the buffers: the batch updates the running statistics.
  const saved = model.stateDict();
  const buffers = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, v.clone()]));
  torch.dispose(saved);
  model.train();
  r.train = torch.noGrad(() => torch.tidy(() => maxRelativeError(model.call(data.xTrain.narrow(0, 0, batch)), golden.train_logits)));
  r.runningMean = maxRelativeError(model.stem.bn.running_mean, golden.train_running_mean);
  r.runningVar = maxRelativeError(model.stem.bn.running_var, golden.train_running_var);
  model.loadStateDict(buffers);
  torch.dispose(buffers);
  const optimizer = new torch.optim.SGD(model.parameters(), { lr, momentum });
  r.losses = [];
  for (let k = 0; k < steps; k++) {
    r.losses.push(torch.tidy(() => {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(model.call(data.xTrain.narrow(0, k * batch, batch)), data.yTrain.narrow(0, k * batch, batch));
      loss.backward();
      optimizer.step();
      return loss.item();
    }));
  }
  const torchLosses = Array.from(golden.sgd_losses.data());
  r.lossError = Math.max(...r.losses.map((l, i) => Math.abs(l - torchLosses[i]) / Math.abs(torchLosses[i])));
  r.torchLosses = torchLosses;
  model.eval();
  r.afterSteps = torch.noGrad(() => torch.tidy(() => maxRelativeError(model.call(data.xTest), golden.sgd_eval_logits)));
  optimizer.dispose?.();
  return r;
}
