// The playground's classifier: an nn.Sequential MLP with two logits, trained with
// cross-entropy and optim.SGD (momentum), recording on; optimizer.step() updates the
// parameters under noGrad, as in PyTorch.

export function createMLP(torch, sizes, seed = 1) {
  const { nn, optim } = torch;
  torch.manualSeed(seed); // nn.Linear's default initialisation draws from the engine's generator
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new nn.ReLU());
  }
  const model = new nn.Sequential(...layers);
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 1e-4 });

  // Logits [n, 2].
  const forward = (x) => model.call(x);

  // The decision score [n]: logit of class 1 minus logit of class 0 (positive means class 1).
  function score(x) {
    const logits = model.call(x);
    return logits.select(1, 1).sub(logits.select(1, 0));
  }

  // One step on the whole set; returns the loss before the update.
  function step(x, labels, { lr = 0.05 } = {}) {
    for (const group of optimizer.paramGroups) group.lr = lr;
    return torch.tidy(() => {
      optimizer.zeroGrad();
      const loss = nn.functional.crossEntropy(model.call(x), labels); // recorded
      loss.backward();
      optimizer.step();
      return loss.item();
    });
  }

  function dispose() {
    optimizer.dispose();
    model.dispose();
  }

  return { model, optimizer, forward, score, step, dispose, sizes };
}
