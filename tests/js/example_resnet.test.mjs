// examples/resnet (issue 15, model 1): the small ResNet PyTorch trained
// (examples/resnet/train_resnet.py) loaded into webtorch from its safetensors (num_batches_tracked
// int64), on both builds: eval and train-mode logits within 1e-4 relative of PyTorch's, stem.bn's
// running statistics after the train-mode batch, five SGD steps whose losses follow PyTorch's,
// and the eval logits after them.

import { builds } from './engines.mjs';
import { compareWithTorch, loadDigitImages, loadTrained } from '../../examples/resnet/resnet.mjs';

describe.each(builds)('examples/resnet on the %s build', (backend, loadBuild) => {
  let torch;
  let r;
  let model;
  beforeAll(async () => {
    torch = await loadBuild();
    const data = await loadDigitImages(torch);
    const trained = await loadTrained(torch);
    model = trained.model;
    r = compareWithTorch(torch, model, trained.golden, data);
  }, 120000);

  test('loads PyTorch state dict with the int64 num_batches_tracked as int32', () => {
    expect(model.stem.bn.num_batches_tracked.dtype).toBe('int32');
    expect(Object.keys(Object.fromEntries(model.namedBuffers()))).toContain('block2.bn2.num_batches_tracked');
  });

  test('eval logits match PyTorch within 1e-4 relative', () => {
    expect(r.eval).toBeLessThan(1e-4);
  });

  test('train-mode logits and running statistics match PyTorch within 1e-4 relative', () => {
    expect(r.train).toBeLessThan(1e-4);
    expect(r.runningMean).toBeLessThan(1e-4);
    expect(r.runningVar).toBeLessThan(1e-4);
  });

  test("five SGD steps' losses follow PyTorch's, and so do the eval logits after them", () => {
    expect(r.lossError).toBeLessThan(1e-4);
    expect(r.afterSteps).toBeLessThan(1e-4);
  });
});
