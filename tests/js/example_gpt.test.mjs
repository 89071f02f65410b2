// examples/gpt end to end against PyTorch 1.13.1 (examples/gpt/train_gpt.py wrote
// model.safetensors and golden.json), on both builds: the logits of a fixed batch within 1e-4
// relative, the same greedy continuation (key/value cache under inferenceMode), the losses of
// 20 AdamW + clipGradNorm_ steps from the same weights, and the cache refused outside
// inferenceMode with PyTorch's inference-tensor text.

import { createGPT, finetuneSteps, generateGreedy, loadGPT } from '../../examples/gpt/model.mjs';
import { BUILDS, errorOf } from './nn_helpers.mjs';

// The scalar build under a loaded machine: minutes, not seconds.
const SLOW = 600000;

describe.each(BUILDS)('examples/gpt on the %s build', (backend, loadBuild) => {
  let torch;
  let gpt;
  beforeAll(async () => {
    torch = await loadBuild();
    gpt = await loadGPT(torch);
  }, SLOW);
  afterAll(() => gpt.model.dispose());

  test('logits of the golden batch within 1e-4 relative of PyTorch', () => {
    const { model, golden } = gpt;
    const logits = torch.tidy(() => Array.from(model.forward(torch.tensor(golden.logitsBatch, { dtype: 'int32' })).data()));
    expect(logits.length).toBe(golden.logits.length);
    let worst = 0;
    const scale = Math.max(...golden.logits.map(Math.abs));
    for (let i = 0; i < logits.length; i++) worst = Math.max(worst, Math.abs(logits[i] - golden.logits[i]) / Math.max(1, Math.abs(golden.logits[i])));
    expect(worst).toBeLessThan(1e-4);
    expect(scale).toBeGreaterThan(1); // the logits are not trivially small
  }, SLOW);

  test('the greedy continuation of the prompt is PyTorch\'s', () => {
    const { model, golden, encode, decode } = gpt;
    const before = torch.memory().tensors;
    const ids = generateGreedy(torch, model, encode(golden.prompt), golden.newTokens);
    expect(decode(ids)).toBe(golden.continuation);
    expect(torch.memory().tensors).toBe(before); // the cache and every step's tensors are freed
  }, SLOW);

  test('the key/value cache is refused outside inferenceMode with PyTorch\'s text', () => {
    const { model, encode, golden } = gpt;
    const cache = torch.inferenceMode(() => model.createCache(1));
    const idx = torch.tensor(Int32Array.from(encode(golden.prompt))).view(1, -1);
    expect(errorOf(() => model.forward(idx, { cache, pos: 0 }))).toBe(
      'Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.');
    torch.dispose([idx, ...cache.k, ...cache.v]);
  }, SLOW);

  test('20 AdamW + clipGradNorm_ steps: losses follow PyTorch\'s', () => {
    const { golden } = gpt;
    // A fresh copy of the saved weights, so the other tests keep the trained model.
    const model = createGPT(torch, golden.config);
    const sd = gpt.model.stateDict();
    model.loadStateDict(sd);
    torch.dispose(Object.values(sd));
    const norms = [];
    const losses = finetuneSteps(torch, model, golden.finetune, (i, loss, norm) => norms.push(norm));
    losses.forEach((l, i) => expect([i, Math.abs(l - golden.finetune.losses[i]) <= 2e-3 * Math.abs(golden.finetune.losses[i])]).toEqual([i, true]));
    expect(Math.abs(norms[0] - golden.finetune.gradNorms[0]) / golden.finetune.gradNorms[0]).toBeLessThan(1e-3);
    model.dispose();
  }, SLOW);

  test('the build is the expected backend', () => {
    expect(torch.backend).toBe(backend);
  }, SLOW);
});
