// The end-to-end digits example (examples/digits/) on both builds:
//  - trained in webtorch (manualSeed(0), Adam lr 0.01, batches of 64, recording a graph),
//    the MLP reaches >= 95% accuracy on the 360 held-out images within 10 epochs
//    (measured: 97.2% after 10 epochs; PyTorch reaches the same with the same recipe);
//  - its weights saved with saveSafetensors reload in the other build's engine and give the
//    same predictions under inferenceMode;
//  - the weights PyTorch trained (digits-mlp.safetensors) give PyTorch's predictions and its
//    logits (torch-test-logits.safetensors) within 1e-5.

import { accuracy, createModel, loadDigits, readExampleFile, trainEpoch } from '../../examples/digits/digits.mjs';
import { BUILDS } from './nn_helpers.mjs';

const EPOCHS = 10;
const REQUIRED_ACCURACY = 0.95;

describe.each(BUILDS)('digits example on the %s build', (backend, loadBuild) => {
  let torch;
  let data;
  beforeAll(async () => {
    torch = await loadBuild();
    data = await loadDigits(torch);
  });
  afterAll(() => torch.dispose(data));

  test(`trains to >= ${REQUIRED_ACCURACY * 100}% held-out accuracy within ${EPOCHS} epochs, and its saved weights serve in a fresh engine`, async () => {
    expect(data.xTrain.shape).toEqual([1437, 64]);
    expect(data.xTest.shape).toEqual([360, 64]);
    torch.manualSeed(0);
    const model = createModel(torch);
    const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
    const before = accuracy(torch, model, data.xTest, data.yTest);
    let acc = 0;
    let epochs = 0;
    while (epochs < EPOCHS && acc < REQUIRED_ACCURACY) {
      trainEpoch(torch, model, opt, data.xTrain, data.yTrain, 64);
      acc = accuracy(torch, model, data.xTest, data.yTest);
      epochs++;
    }
    expect(before).toBeLessThan(0.3);
    expect(acc).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);

    // Save, reload into the other build (a separate wasm instance), predict under inferenceMode.
    const bytes = torch.saveSafetensors(model.stateDict());
    const other = await (backend === 'wasm-simd' ? BUILDS[1][1]() : BUILDS[0][1]());
    const served = createModel(other);
    other.tidy(() => served.loadStateDict(other.loadSafetensors(bytes)));
    served.eval();
    const preds = other.tidy(() => {
      const x = other.tensor(data.xTest.data(), { shape: [360, 64] });
      const p = other.inferenceMode(() => served.call(x).argmax(1));
      expect(p.isInference()).toBe(true);
      return Array.from(p.data());
    });
    const ours = torch.noGrad(() => torch.tidy(() => Array.from(model.call(data.xTest).argmax(1).data())));
    expect(preds).toEqual(ours);
    served.dispose();
    model.dispose();
    opt.dispose();
  }, 120000);

  test('the PyTorch-trained weights give PyTorch\'s predictions and logits', async () => {
    const weights = await readExampleFile('digits-mlp.safetensors');
    const header = torch.safetensorsHeader(weights);
    expect(Object.keys(header.tensors).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    const model = createModel(torch);
    torch.tidy(() => model.loadStateDict(torch.loadSafetensors(weights)));
    const { logits } = torch.loadSafetensors(await readExampleFile('torch-test-logits.safetensors'));
    torch.tidy(() => {
      const ours = torch.inferenceMode(() => model.call(data.xTest));
      expect(ours.shape).toEqual([360, 10]);
      expect(Array.from(ours.argmax(1).data())).toEqual(Array.from(logits.argmax(1).data()));
      const a = ours.data();
      const e = logits.data();
      for (let i = 0; i < e.length; i++) expect(Math.abs(a[i] - e[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(e[i])));
    });
    expect(accuracy(torch, model, data.xTest, data.yTest).toFixed(4)).toBe(header.metadata.test_accuracy);
    logits.dispose();
    model.dispose();
  });
});
