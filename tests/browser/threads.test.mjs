// The threaded engine in headless Chromium: the demo on a cross-origin-isolated page (as
// scripts/serve.mjs serves it) runs threaded, shows the thread count and computes what the
// single-thread engine computes, bit for bit; the same page served without COOP/COEP falls
// back to one thread and says why. Screenshots go to tests/browser/artifacts/.
//
//   node --test tests/browser/threads.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../../scripts/serve.mjs';
import { ROOT, artifact, openSession } from './harness.mjs';

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

// Loads the demo at `base` and waits until it is ready.
async function openDemo(base) {
  const tab = await session.newPage();
  await tab.page.goto(`${base}/demo/`);
  await tab.page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error), null, { timeout: 60_000 });
  assert.equal(await tab.page.evaluate(() => window.webtorchDemo.error), undefined);
  return tab;
}

test('cross-origin isolated: the demo runs threaded, bit-identical to one thread', { timeout: 120_000 }, async () => {
  const tab = await openDemo(session.server.url);
  try {
    const { page, problems } = tab;
    const info = await page.evaluate(async () => {
      const torch = window.webtorchDemo.torch;
      const { load } = await import('/dist/index.mjs');
      const single = await load();
      const product = (t) => {
        t.manualSeed(7);
        const a = t.randn([300, 200]);
        const b = t.randn([200, 260]);
        return Array.from(new Uint32Array(t.matmul(a, b).data().buffer));
      };
      const x = product(torch);
      const y = product(single);
      return { isolated: crossOriginIsolated, threads: torch.threads, reason: torch.threadsUnavailableReason, same: x.length === y.length && x.every((v, i) => v === y[i]) };
    });
    assert.equal(info.isolated, true);
    assert.ok(info.threads >= 2, `threads ${info.threads}: ${info.reason}`);
    assert.equal(info.reason, null);
    assert.equal(info.same, true);
    assert.match(await page.textContent('#threads'), /^\d+ threads$/);
    await page.waitForFunction(() => window.webtorchDemo.playground.state.grid.renders >= 10);
    await page.screenshot({ path: artifact('demo-threaded.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await tab.close();
  }
});

test('not isolated: one thread, and the badge says why', { timeout: 120_000 }, async () => {
  const plain = await startServer({ root: ROOT, port: 0, isolated: false });
  try {
    const tab = await openDemo(plain.url);
    try {
      const { page, problems } = tab;
      const info = await page.evaluate(() => ({
        isolated: crossOriginIsolated,
        threads: window.webtorchDemo.torch.threads,
        reason: window.webtorchDemo.torch.threadsUnavailableReason,
      }));
      assert.equal(info.isolated, false);
      assert.equal(info.threads, 1);
      assert.match(info.reason, /not cross-origin isolated/);
      assert.equal(await page.textContent('#threads'), '1 thread');
      assert.match(await page.getAttribute('#threads', 'title'), /not cross-origin isolated/);
      await page.screenshot({ path: artifact('demo-not-isolated.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await tab.close();
    }
  } finally {
    await plain.close();
  }
});
