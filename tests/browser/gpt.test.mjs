// The demo's GPT panel in Chromium, on both builds: the PyTorch-trained GPT of examples/gpt
// generates the golden prompt's continuation token by token (the key/value cache under
// inferenceMode), the text is PyTorch's greedy continuation, tokens/s is shown; a screenshot
// goes to tests/browser/artifacts/.
//
//   node --test tests/browser/gpt.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { artifact, openSession } from './harness.mjs';

const golden = JSON.parse(readFileSync(new URL('../../examples/gpt/golden.json', import.meta.url), 'utf8'));

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

for (const build of ['simd', 'scalar']) {
  describe(`GPT panel on the ${build} build`, () => {
    let tab;
    before(async () => {
      tab = await session.newPage({ width: 1280, height: 2200 });
      await tab.page.goto(session.url(`/demo/?build=${build}`));
      await tab.page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error));
    });
    after(async () => {
      await tab?.close();
    });

    test('streams PyTorch\'s greedy continuation with tokens/s', { timeout: 120_000 }, async () => {
      const { page } = tab;
      await page.fill('#gpt-prompt', golden.prompt);
      await page.click('#gpt-run');
      const n = golden.config.block_size - [...golden.prompt].length;
      await page.waitForFunction((want) => {
        const s = window.webtorchDemo.gpt.state;
        return s.error !== undefined || (s.tokens === want && !s.running);
      }, n, { timeout: 110_000 });
      const state = await page.evaluate(() => window.webtorchDemo.gpt.state);
      assert.equal(state.error, undefined, state.error);
      assert.equal(state.text.slice(0, golden.continuation.length), golden.continuation);
      assert.ok(state.tokensPerSecond > 0);
      assert.match(await page.locator('#gpt-rate').textContent(), /tokens\/s/);
      await page.locator('#gpt').screenshot({ path: artifact(`panel-gpt-${build}.png`) });
    });
  });
}
