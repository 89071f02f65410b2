// The demo page in headless Chromium, on both builds: it loads with no console error, the
// playground's training lowers the loss, the grid render runs under inference mode, each
// inference-tensor button shows PyTorch's error, the mode panel measures and replays the
// modes (its first painted times already in the steady-state order),
// clicks add points, and the build selector switches the engine. Screenshots of each
// panel go to tests/browser/artifacts/.
//
//   node --test tests/browser/demo.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { artifact, openSession } from './harness.mjs';

// PyTorch 1.13.1's texts (shared/research/toolchain-verified.md §7).
const PYTORCH_ERRORS = {
  inplace:
    'Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.',
  requiresGrad: 'Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.',
  saved:
    'Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.',
  version: 'Inference tensors do not track version counter.',
};

const MODES = ['recording', 'noGrad', 'inferenceMode'];
// How much slower than noGrad a painted inferenceMode time may be (noise), see the test.
const INFERENCE_MARGIN = 0.25;

const BUILDS = [
  ['simd', 'wasm-simd'],
  ['scalar', 'wasm'],
];

let session;
before(async () => {
  session = await openSession();
});
after(async () => {
  await session?.close();
});

// Every paint of the mode panel's time bars as the page showed it, recorded by a
// MutationObserver installed before the demo's scripts run, so a test can read the FIRST
// numbers a user saw, not only later ones: [{ round, values: { mode: 'text' } }].
function recordModePaints() {
  window.modePaints = [];
  document.addEventListener('DOMContentLoaded', () => {
    const bars = document.getElementById('modes-bars');
    new MutationObserver(() => {
      const values = {};
      for (const el of bars.querySelectorAll('.bar-value[data-key="usPerCall"]')) values[el.dataset.mode] = el.textContent;
      window.modePaints.push({ round: Number(bars.dataset.round), values });
    }).observe(bars, { childList: true, subtree: true, characterData: true, attributes: true });
  });
}

async function openDemo(build) {
  const tab = await session.newPage();
  await tab.page.addInitScript(recordModePaints);
  await tab.page.goto(session.url(`/demo/?build=${build}`));
  await tab.page.waitForFunction(() => window.webtorchDemo && (window.webtorchDemo.ready || window.webtorchDemo.error));
  const error = await tab.page.evaluate(() => window.webtorchDemo.error);
  assert.equal(error, undefined, `the demo failed to start: ${error}`);
  return tab;
}

for (const [build, backend] of BUILDS) {
  describe(`demo on the ${build} build`, () => {
    let tab;
    before(async () => {
      tab = await openDemo(build);
    });
    after(async () => {
      await tab?.close();
    });

    test('loads with no console error and shows torch.backend', { timeout: 60_000 }, async () => {
      const { page, problems } = tab;
      assert.equal(await page.textContent('#backend'), backend);
      assert.equal(await page.evaluate(() => window.webtorchDemo.torch.backend), backend);
      assert.equal(await page.inputValue('#build-select'), build);
      await page.waitForFunction(() => window.webtorchDemo.playground.state.grid.renders >= 10);
      await page.screenshot({ path: artifact(`demo-${build}.png`), fullPage: true });
      assert.deepEqual(problems, []);
    });

    test('training lowers the loss', { timeout: 60_000 }, async () => {
      const { page } = tab;
      await page.click('button[data-dataset="xor"]');
      await page.click('#pg-reset');
      await page.waitForFunction(() => window.webtorchDemo.playground.state.losses.length >= 300, null, { timeout: 45_000 });
      const { first, last, accuracy } = await page.evaluate(() => {
        const losses = window.webtorchDemo.playground.state.losses.map((p) => p[1]);
        const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
        return { first: mean(losses.slice(0, 10)), last: mean(losses.slice(-10)), accuracy: window.webtorchDemo.playground.state.accuracy };
      });
      assert.ok(Number.isFinite(first) && Number.isFinite(last), `losses ${first} ${last}`);
      assert.ok(last < first * 0.5, `the loss went from ${first} to ${last}`);
      assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
      await page.locator('#playground').screenshot({ path: artifact(`panel-training-${build}.png`) });
    });

    test('the decision boundary is rendered every frame under inference mode', { timeout: 60_000 }, async () => {
      const { page } = tab;
      const before = await page.evaluate(() => window.webtorchDemo.playground.state.grid.renders);
      await page.waitForFunction((n) => window.webtorchDemo.playground.state.grid.renders >= n + 5, before);
      const grid = await page.evaluate(() => window.webtorchDemo.playground.state.grid);
      assert.equal(grid.inference, true, 'isInferenceModeEnabled() inside the render');
      assert.equal(grid.gradEnabled, false, 'isGradEnabled() inside the render');
      assert.equal(grid.outputIsInference, true, 'the grid output is an inference tensor');
      assert.equal(grid.outputRequiresGrad, false);
      assert.equal(grid.points, 10000);
      const indicator = await page.textContent('#pg-grid-mode');
      assert.match(indicator, /isInferenceModeEnabled\(\) true, isGradEnabled\(\) false, output\.isInference\(\) true/);
      assert.equal(await page.getAttribute('#pg-grid-mode', 'class'), 'indicator');
      // The picture has both classes' colours: orange and blue regions were painted.
      const colours = await page.evaluate(() => {
        const c = document.getElementById('pg-canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let orange = 0;
        let blue = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (px[i] > px[i + 2] + 40) orange++;
          else if (px[i + 2] > px[i] + 40) blue++;
        }
        return { orange, blue, total: px.length / 4 };
      });
      assert.ok(colours.orange > colours.total * 0.1 && colours.blue > colours.total * 0.1, JSON.stringify(colours));
    });

    test('each inference-tensor button shows its error, and the clone() fix works', { timeout: 60_000 }, async () => {
      const { page } = tab;
      for (const [kind, message] of Object.entries(PYTORCH_ERRORS)) {
        await page.click(`button[data-try="${kind}"]`);
        const shown = await page.textContent(`#inf-${kind}`);
        assert.ok(shown.includes(message), `${kind}: the page shows "${shown}"`);
        assert.equal(await page.getAttribute(`#inf-${kind}`, 'class'), 'result error');
        const result = await page.evaluate((k) => window.webtorchDemo.inference.results[k], kind);
        assert.equal(result.ok, false);
        assert.equal(result.isError, true, 'an Error object, not a number');
        assert.equal(result.message, message, 'exactly PyTorch 1.13.1\'s text');
        assert.equal(result.untouched, true, 'the refused op changed nothing');
      }
      await page.click('#inf-clone');
      const fix = await page.evaluate(() => window.webtorchDemo.inference.results.clone);
      assert.equal(fix.ok, true, fix.message);
      assert.deepEqual(fix.lines, [
        'k.isInference() → false',
        'k.add_(1) → [[2,2],[2,2]]',
        'k.version → 1',
        'a.mul(k).gradFn.name → MulBackward0',
        'k.requiresGrad_() → requiresGrad true',
      ]);
      await page.locator('#inference').screenshot({ path: artifact(`panel-inference-${build}.png`) });
    });

    test('the mode panel measures recording, noGrad and inferenceMode, and replays the mode stack', { timeout: 60_000 }, async (t) => {
      const { page } = tab;
      await page.waitForFunction(() => Object.values(window.webtorchDemo.modes.stats).every((s) => s.calls > 0));
      const stats = await page.evaluate(() => window.webtorchDemo.modes.stats);
      t.diagnostic(`${build}: µs per forward call: ${MODES.map((m) => `${m} ${stats[m].usPerCall.toFixed(1)}`).join(', ')}; saved bytes while recording ${stats.recording.savedBytes}`);
      for (const mode of MODES) assert.ok(stats[mode].usPerCall > 0, `${mode} time`);
      assert.ok(stats.recording.graphNodes > 0, 'recording keeps graph nodes');
      assert.ok(stats.recording.savedBytes > 0, 'recording saves tensors for backward');
      assert.equal(stats.recording.requiresGrad, true);
      for (const mode of ['noGrad', 'inferenceMode']) {
        assert.equal(stats[mode].graphNodes, 0, `${mode} keeps no graph`);
        assert.equal(stats[mode].savedBytes, 0, `${mode} saves nothing`);
        assert.equal(stats[mode].requiresGrad, false);
      }
      assert.equal(stats.inferenceMode.isInference, true);
      assert.equal(stats.noGrad.isInference, false);
      const snapshots = await page.evaluate(() => window.webtorchDemo.modes.snapshots);
      assert.deepEqual(
        snapshots.map((s) => [s.tensor, s.stack, s.gradEnabled, s.inferenceEnabled, s.gradFn, s.isInference]),
        [
          ['a', ['noGrad'], false, false, null, false],
          ['b', ['noGrad', 'inferenceMode(true)'], false, true, null, true],
          // inferenceMode(false) re-enables grad, as c10::InferenceMode(false) does
          ['c', ['noGrad', 'inferenceMode(true)', 'inferenceMode(false)'], true, false, 'MulBackward0', false],
          ['d', ['noGrad', 'inferenceMode(true)', 'inferenceMode(false)', 'setGradEnabled(false)'], false, false, null, false],
          ['e', [], true, false, 'MulBackward0', false],
        ],
      );
      // The replay shows the stack as nested frames.
      await page.waitForFunction(() => document.querySelectorAll('#nest-stack .frame').length >= 3, null, { timeout: 15_000 });
      await page.locator('#modes').screenshot({ path: artifact(`panel-modes-${build}.png`) });
    });

    // Note [Warm-up before the first number] in demo/modes-panel.mjs. The steady state is
    // recording slowest (1.3–1.6 × noGrad on this forward pass), then noGrad and
    // inferenceMode close together (inferenceMode 0.9–1.05 × noGrad here; 0.93 on the bench's
    // tiny-op chain): it skips only a little of noGrad's work, so the two can swap by noise.
    // Asserted on every paint seen, the first included: noGrad below recording, inferenceMode
    // below recording (the reported bug: the first paint showed inferenceMode slower than
    // recording), and inferenceMode at most INFERENCE_MARGIN above noGrad (single rounds at
    // load average 15–19 on 2 cores swing ±20 %; the painted best of 8 rounds stayed within
    // 1.1 after a full warm-up, and reached 1.39 when the scalar build was painted too early).
    test('the first painted times already show the steady-state order of the modes', { timeout: 60_000 }, async (t) => {
      const { page } = tab;
      await page.waitForFunction(() => window.modePaints.filter((p) => p.round > 0).length >= 3, null, { timeout: 30_000 });
      const paints = await page.evaluate(() => window.modePaints);
      const warmup = await page.evaluate(() => window.webtorchDemo.modes.warmup);
      const parse = (text) => (/^[0-9.]+ µs$/.test(text) ? Number.parseFloat(text) : null);
      const numeric = paints.filter((p) => p.round > 0);
      t.diagnostic(`${build}: ${warmup.rounds} warm-up rounds in ${warmup.ms} ms; painted µs: ${numeric.map((p) => MODES.map((m) => p.values[m]).join(' / ')).join('; ')}`);
      for (const p of paints) {
        // Before the first measured round only placeholders; after it, every mode a number.
        if (p.round === 0) assert.deepEqual(MODES.map((m) => p.values[m] ?? '…'), ['…', '…', '…'], 'a number was painted before the warm-up ended');
        else assert.ok(MODES.every((m) => parse(p.values[m]) > 0), JSON.stringify(p));
      }
      assert.equal(numeric[0].round, 1, 'the first numbers painted were seen');
      assert.ok(warmup.done && warmup.rounds >= 10, JSON.stringify(warmup));
      for (const p of numeric) {
        const [recording, noGrad, inference] = MODES.map((m) => parse(p.values[m]));
        const shown = `paint ${p.round}: ${MODES.map((m) => `${m} ${p.values[m]}`).join(', ')}`;
        assert.ok(noGrad < recording, `noGrad is not faster than recording on ${shown}`);
        assert.ok(inference < recording, `inferenceMode is not faster than recording on ${shown}`);
        assert.ok(inference <= noGrad * (1 + INFERENCE_MARGIN), `inferenceMode is more than ${INFERENCE_MARGIN * 100} % slower than noGrad on ${shown}`);
      }
    });
  });
}

test('clicking the board adds a point of the selected class', { timeout: 60_000 }, async () => {
  const tab = await openDemo('simd');
  try {
    const { page } = tab;
    await page.click('button[data-dataset="empty"]');
    await page.check('input[name="pg-class"][value="1"]');
    const box = await page.locator('#pg-canvas').boundingBox();
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
    await page.check('input[name="pg-class"][value="0"]');
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.75);
    const points = await page.evaluate(() => window.webtorchDemo.playground.state.points);
    assert.equal(points.length, 2);
    assert.deepEqual(points.map((p) => p[2]), [1, 0]);
    assert.ok(Math.abs(points[0][0] - 0.5) < 0.02 && Math.abs(points[0][1] - 0.5) < 0.02, JSON.stringify(points));
    assert.ok(Math.abs(points[1][0] + 0.5) < 0.02 && Math.abs(points[1][1] + 0.5) < 0.02, JSON.stringify(points));
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.close();
  }
});

test('the page does not shift while panels update (nothing moves under a drawing hand)', { timeout: 60_000 }, async () => {
  const tab = await openDemo('simd');
  try {
    const { page } = tab;
    for (const kind of ['inplace', 'requiresGrad', 'saved', 'version']) await page.click(`button[data-try="${kind}"]`);
    await page.click('#inf-clone');
    // The mode stack replays one step every 1.3 s; sample across a whole cycle.
    const ys = new Set();
    for (let i = 0; i < 16; i++) {
      ys.add(Math.round((await page.locator('#digits').boundingBox()).y));
      await page.waitForTimeout(450);
    }
    assert.equal(ys.size, 1, `the digits panel moved between ${[...ys].join(', ')}`);
  } finally {
    await tab.close();
  }
});

test('the build selector switches the engine', { timeout: 60_000 }, async () => {
  const tab = await openDemo('simd');
  try {
    const { page } = tab;
    assert.equal(await page.textContent('#backend'), 'wasm-simd');
    await Promise.all([page.waitForURL(/build=scalar/), page.selectOption('#build-select', 'scalar')]);
    await page.waitForFunction(() => window.webtorchDemo && window.webtorchDemo.ready);
    assert.equal(await page.textContent('#backend'), 'wasm');
    assert.equal(await page.evaluate(() => window.webtorchDemo.torch.backend), 'wasm');
    assert.deepEqual(tab.problems, []);
  } finally {
    await tab.close();
  }
});
