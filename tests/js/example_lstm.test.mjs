// The LSTM example (examples/lstm/) on both builds: the 2-layer batchFirst LSTM that PyTorch
// trained (examples/lstm/train_lstm.py) loads from its safetensors, reproduces PyTorch's
// held-out logits within 1e-4 relative, and PyTorch's next training steps (SGD with momentum)
// give PyTorch's losses and final logits within 1e-4 relative; trained from scratch in webtorch
// (manualSeed(0) draws PyTorch's initial weights, Adam, the same batches) it follows PyTorch's
// held-out accuracy epoch by epoch.

import { accuracy, createModel, loadDigits, loadTorchTrained, relativeError, replaySteps, trainEpoch } from '../../examples/lstm/lstm.mjs';
import { BUILDS } from './nn_helpers.mjs';

const REL = 1e-4;

describe.each(BUILDS)('LSTM example on the %s build', (backend, loadBuild) => {
  let torch;
  let data;
  let trained;
  beforeAll(async () => {
    torch = await loadBuild();
    data = await loadDigits(torch);
    trained = await loadTorchTrained(torch);
  });
  afterAll(() => {
    torch.dispose([data, trained.golden]);
    trained.model.dispose();
  });

  test('the checkpoint has PyTorch\'s state-dict keys and shapes', () => {
    const fresh = createModel(torch);
    const ours = [...fresh.namedParameters()].map(([n, p]) => [n, p.shape]);
    const theirs = [...trained.model.namedParameters()].map(([n, p]) => [n, p.shape]);
    expect(ours).toEqual(theirs);
    expect(ours.map(([n]) => n)).toEqual([
      'lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0',
      'lstm.weight_ih_l1', 'lstm.weight_hh_l1', 'lstm.bias_ih_l1', 'lstm.bias_hh_l1', 'fc.weight', 'fc.bias']);
    fresh.dispose();
  });

  test('PyTorch\'s weights give PyTorch\'s held-out logits, predictions and accuracy', () => {
    const { model, golden, meta } = trained;
    model.eval();
    torch.tidy(() => {
      const logits = torch.inferenceMode(() => model.call(data.xTest));
      expect(logits.shape).toEqual([360, 10]);
      expect(relativeError(torch, logits, golden.logits)).toBeLessThanOrEqual(REL);
      expect(Array.from(logits.argmax(1).data())).toEqual(Array.from(golden.logits.argmax(1).data()));
      const acc = logits.argmax(1).eq(data.yTest).sum().item() / 360;
      expect(acc.toFixed(4)).toBe(meta.test_accuracy);
    });
  });

  test('training steps from those weights follow PyTorch\'s losses', async () => {
    const { model, golden, meta } = await loadTorchTrained(torch); // a fresh copy: this test trains it
    const losses = replaySteps(torch, model, data.xTrain, data.yTrain, meta);
    const expected = Array.from(golden.losses.data());
    expect(losses.length).toBe(expected.length);
    losses.forEach((l, i) => expect(Math.abs(l - expected[i])).toBeLessThanOrEqual(REL * Math.max(1, Math.abs(expected[i]))));
    model.eval();
    torch.tidy(() => {
      const logits = torch.noGrad(() => model.call(data.xTrain.narrow(0, 0, 64)));
      expect(relativeError(torch, logits, golden.final_logits)).toBeLessThanOrEqual(REL);
    });
    torch.dispose(golden);
    model.dispose();
  }, 60000);

  test('trained from scratch in webtorch, the held-out accuracy follows PyTorch\'s first epochs', () => {
    const expected = trained.weightsMeta.epoch_accuracies.split(' ').map(Number).slice(0, 2);
    torch.manualSeed(0);
    const model = createModel(torch);
    const optimizer = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    for (const want of expected) {
      trainEpoch(torch, model, optimizer, data.xTrain, data.yTrain, 64);
      const acc = accuracy(torch, model, data.xTest, data.yTest);
      expect(Math.abs(acc - want)).toBeLessThanOrEqual(1 / 360 + 1e-4); // at most one prediction apart
    }
    model.dispose();
    optimizer.dispose();
  }, 120000);
});
