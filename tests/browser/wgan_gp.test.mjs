// The demo's WGAN-GP panel (demo/wgan-gp-panel.mjs) in headless Chromium, on both builds: it
// trains examples/wgan-gp live, its losses match PyTorch's golden.json (shown beside them),
// the generator's points are drawn, and torch.utils.checkpoint's savedBytes line is shown.
//
//   node --test tests/browser/wgan_gp.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { artifact, openSession } from './harness.mjs';

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

for (const build of ['simd', 'scalar']) {
  describe(`WGAN-GP panel on the ${build} build`, () => {
    test('trains live and matches PyTorch step by step', { timeout: 120_000 }, async () => {
      const tab = await session.newPage({ width: 1280, height: 2200 });
      try {
        const { page, problems } = tab;
        await page.goto(session.url(`/demo/?build=${build}`));
        await page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error));
        assert.equal(await page.evaluate(() => window.webtorchDemo.error), undefined);
        const checkpoint = await page.evaluate(() => window.webtorchDemo.wganGp.checkpoint);
        assert.ok(checkpoint.checkpointed * 4 < checkpoint.plain, JSON.stringify(checkpoint));
        assert.match(await page.textContent('#wgan-checkpoint'), /checkpointed \d+ B/);
        await page.waitForFunction(() => window.webtorchDemo.wganGp.golden !== null);
        await page.click('#wgan-run');
        await page.waitForFunction(() => window.webtorchDemo.wganGp.records.length >= 30, null, { timeout: 90_000 });
        await page.click('#wgan-run'); // stop
        const { maxDiff, steps } = await page.evaluate(() => ({
          maxDiff: window.webtorchDemo.wganGp.maxDiff,
          steps: window.webtorchDemo.wganGp.records.length,
        }));
        assert.ok(steps >= 30);
        assert.ok(maxDiff < 1e-4, `critic loss differs from PyTorch's by ${maxDiff}`);
        await page.locator('#wgan-gp').screenshot({ path: artifact(`wgan-gp-${build}.png`) });
        assert.deepEqual(problems, []);
      } finally {
        await tab.close();
      }
    });
  });
}
