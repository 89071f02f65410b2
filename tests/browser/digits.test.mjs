// The demo's digits panel in Chromium, on both builds: synthesised mouse strokes draw a
// digit, the PyTorch-trained classifier (the ResNet of examples/resnet/resnet.safetensors, loaded with
// torch.loadSafetensors) predicts it under inferenceMode, the saliency map comes from
// inferenceMode(false, …) inside that scope, and enableGrad alone gives PyTorch's error.
//
//   node --test tests/browser/digits.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { artifact, openSession } from './harness.mjs';

// Strokes on the 280x280 pad, as polylines.
const STROKES = {
  1: [[[150, 40], [140, 240]]],
  4: [[[160, 40], [70, 170], [210, 170]], [[170, 100], [170, 245]]],
  7: [[[70, 50], [210, 50], [120, 240]]],
  0: [Array.from({ length: 41 }, (_, i) => [140 + 55 * Math.sin((i / 40) * 2 * Math.PI), 140 - 95 * Math.cos((i / 40) * 2 * Math.PI)])],
};
const NO_GRAD_FN = 'element 0 of tensors does not require grad and does not have a grad_fn';

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

async function draw(page, lines) {
  await page.click('#dg-clear');
  const box = await page.locator('#dg-pad').boundingBox();
  for (const line of lines) {
    await page.mouse.move(box.x + line[0][0], box.y + line[0][1]);
    await page.mouse.down();
    for (let i = 1; i < line.length; i++) await page.mouse.move(box.x + line[i][0], box.y + line[i][1], { steps: line.length > 4 ? 1 : 12 });
    await page.mouse.up();
  }
}

for (const build of ['simd', 'scalar']) {
  describe(`digits panel on the ${build} build`, () => {
    let tab;
    before(async () => {
      tab = await session.newPage({ width: 1280, height: 1900 });
      await tab.page.goto(session.url(`/demo/?build=${build}`));
      await tab.page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error));
    });
    after(async () => {
      await tab?.close();
    });

    test('loads the PyTorch-trained weights from safetensors', async () => {
      const digits = await tab.page.evaluate(() => window.webtorchDemo.digits && { ready: window.webtorchDemo.digits.ready, error: window.webtorchDemo.digits.error, size: window.webtorchDemo.digits.size });
      assert.ok(digits, 'the digits panel did not start (no torch.loadSafetensors?)');
      assert.equal(digits.error, undefined, digits.error);
      assert.equal(digits.ready, true);
    });

    for (const [digit, lines] of Object.entries(STROKES)) {
      test(`a drawn "${digit}" is classified as ${digit}, with a saliency map`, { timeout: 60_000 }, async () => {
        const { page } = tab;
        const before = await page.evaluate(() => window.webtorchDemo.digits.strokes);
        await draw(page, lines);
        // Predictions also run while drawing; wait for the one made when the last stroke ended.
        await page.waitForFunction((n) => window.webtorchDemo.digits.strokes >= n, before + lines.length);
        const r = await page.evaluate(() => {
          const d = window.webtorchDemo.digits;
          return { prediction: d.prediction, probabilities: d.probabilities, saliency: d.saliency, enableGradError: d.enableGradError, inferenceOutput: d.inferenceOutput };
        });
        assert.equal(r.prediction, Number(digit), `probabilities ${r.probabilities.map((p) => p.toFixed(2))}`);
        const [best, second] = [...r.probabilities].sort((x, y) => y - x);
        assert.equal(best, r.probabilities[Number(digit)]);
        assert.ok(best > 0.4 && best > 2 * second, `not a clear answer: ${r.probabilities.map((p) => p.toFixed(2))}`);
        assert.equal(await page.textContent('#dg-prediction'), digit);
        assert.equal(r.inferenceOutput, true, 'the prediction ran under inferenceMode');
        assert.ok(r.saliency.some((g) => g > 0) && r.saliency.every(Number.isFinite), 'a saliency map from inferenceMode(false, …)');
        assert.equal(r.enableGradError, NO_GRAD_FN, 'enableGrad alone inside inferenceMode records nothing');
        assert.match(await page.textContent('#dg-nested-bad'), new RegExp(NO_GRAD_FN));
        assert.match(await page.textContent('#dg-nested-ok'), /saliency computed/);
        // The autoencoder panel (demo/autoencoder-panel.mjs) reconstructs the same 8x8 input.
        await page.waitForFunction(() => window.webtorchDemo.autoencoder?.reconstructions > 0);
        const recon = await page.evaluate(() => window.webtorchDemo.autoencoder.reconstruction);
        assert.ok(recon.length === 64 && recon.every((v) => v >= 0 && v <= 1), `a reconstruction in [0, 1]: ${recon}`);
        if (digit === '0') await page.locator('#digits').screenshot({ path: artifact(`panel-digits-${build}.png`) });
        assert.deepEqual(tab.problems, []);
      });
    }
  });
}

test('a digit drawn with a finger (touch events) is classified', { timeout: 60_000 }, async () => {
  const tab = await session.newPage({ width: 900, height: 1900 }, { hasTouch: true, isMobile: false });
  try {
    const { page } = tab;
    await page.goto(session.url('/demo/'));
    await page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error));
    await page.locator('#dg-pad').scrollIntoViewIfNeeded();
    const box = await page.locator('#dg-pad').boundingBox();
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, [x, y]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: box.x + x, y: box.y + y }] });
    const line = STROKES[1][0];
    const before = await page.evaluate(() => window.webtorchDemo.digits.strokes);
    await touch('touchStart', line[0]);
    for (let i = 1; i <= 12; i++) {
      const t = i / 12;
      await touch('touchMove', [line[0][0] + (line[1][0] - line[0][0]) * t, line[0][1] + (line[1][1] - line[0][1]) * t]);
    }
    await touch('touchEnd', line[1]);
    await page.waitForFunction((n) => window.webtorchDemo.digits.strokes > n, before);
    assert.equal(await page.evaluate(() => window.webtorchDemo.digits.prediction), 1);
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.close();
  }
});
