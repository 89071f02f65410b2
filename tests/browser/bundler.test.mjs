// A page that imports the packed package through a bundler: `npm pack`, install the tarball
// in a scratch project, bundle an app importing 'webtorch' with esbuild for the browser, copy
// the .wasm files next to the bundle (esbuild leaves `new URL('./x.wasm', import.meta.url)`
// alone), serve it on 127.0.0.1 and run it in Chromium: by default, with load({ wasmUrl }) and
// with load({ wasmBinary }).
//
//   node --test tests/browser/bundler.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as esbuild from 'esbuild';

import { ROOT, artifact, openSession } from './harness.mjs';

const APP = `
import { load, version } from 'webtorch';

async function run(options) {
  const torch = await load(options);
  const w = torch.ones([3, 1], { requiresGrad: true });
  const x = torch.tensor([[1, 2, 3]], { dtype: 'float32' });
  const loss = x.matmul(w).sum();
  loss.backward();
  const served = torch.inferenceMode(() => x.matmul(w));
  return { backend: torch.backend, version: torch.version, loss: loss.item(), grad: w.grad.toArray(), inference: served.isInference() };
}

try {
  const byDefault = await run();
  const fromFolder = await run({ wasmUrl: 'assets/', simd: false });
  const bytes = await fetch('assets/webtorch.wasm').then((r) => r.arrayBuffer());
  const fromBytes = await run({ wasmBinary: bytes });
  window.bundleResult = { version, byDefault, fromFolder, fromBytes };
  document.body.textContent = JSON.stringify(window.bundleResult, null, 2);
} catch (e) {
  window.bundleResult = { error: e.message };
  document.body.textContent = e.message;
}
`;

let scratch;
let out;
let bundleText;

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'webtorch-bundle-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/^[^[]*/, ''))[0];
  const app = path.join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '0.0.0', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(scratch, packed.filename)], { cwd: app, stdio: 'pipe' });
  writeFileSync(path.join(app, 'main.mjs'), APP);
  out = path.join(app, 'public');
  mkdirSync(path.join(out, 'assets'), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: app,
    entryPoints: ['main.mjs'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    outfile: path.join(out, 'app.js'),
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  bundleText = readFileSync(path.join(out, 'app.js'), 'utf8');
  const dist = path.join(app, 'node_modules/webtorch/dist');
  for (const f of ['webtorch-simd.wasm', 'webtorch.wasm']) {
    copyFileSync(path.join(dist, f), path.join(out, f));
    copyFileSync(path.join(dist, f), path.join(out, 'assets', f));
  }
  writeFileSync(path.join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bundled</title><script type="module" src="app.js"></script><body></body>');
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('esbuild bundles the package for the browser with no Node built-in in the bundle', () => {
  assert.doesNotMatch(bundleText, /from\s*["']node:|require\(["'](node:)?fs/);
  assert.match(bundleText, /webtorch-simd\.wasm/);
});

test('the bundled page runs in Chromium: by default, with load({ wasmUrl }) and with load({ wasmBinary })', { timeout: 60_000 }, async () => {
  const session = await openSession({ root: out });
  try {
    const tab = await session.newPage({ width: 900, height: 700 });
    await tab.page.goto(session.url('/index.html'));
    await tab.page.waitForFunction(() => window.bundleResult);
    const r = await tab.page.evaluate(() => window.bundleResult);
    assert.equal(r.error, undefined, r.error);
    const expected = { loss: 6, grad: [[1], [2], [3]], inference: true, version: r.version };
    assert.deepEqual(r.byDefault, { backend: 'wasm-simd', ...expected });
    assert.deepEqual(r.fromFolder, { backend: 'wasm', ...expected });
    assert.deepEqual(r.fromBytes, { backend: 'wasm', ...expected });
    await tab.page.screenshot({ path: artifact('bundler.png') });
    assert.deepEqual(tab.problems, []);
  } finally {
    await session.close();
  }
});
