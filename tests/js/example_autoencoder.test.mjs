// examples/autoencoder (issue 15): the convolutional autoencoder PyTorch trained
// (train_autoencoder.py) loads into webtorch on both builds, reconstructs the held-out digits
// as PyTorch does within 1e-4 relative, and a few Adam steps give PyTorch's losses.
import { builds } from './engines.mjs';
import { checkAgainstPyTorch, createAutoencoder } from '../../examples/autoencoder/autoencoder.mjs';

describe.each(builds)('the autoencoder example on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  test('state-dict keys are PyTorch\'s', () => {
    const model = createAutoencoder(torch);
    expect(Object.keys(model.stateDict()).sort()).toEqual(
      ['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight', '6.bias', '6.weight']);
    model.dispose();
  });

  test('reconstructions and Adam steps match PyTorch within 1e-4 relative', async () => {
    const r = await checkAgainstPyTorch(torch);
    expect(r.reconError).toBeLessThan(1e-4);
    expect(r.afterError).toBeLessThan(1e-4);
    for (const e of r.lossErrors) expect(e).toBeLessThan(1e-4);
    expect(r.losses).toHaveLength(5);
  });
});
