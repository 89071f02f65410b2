// The package as users get it: `npm pack`, install the tarball into a scratch project
// (offline: webtorch has no dependencies), then import it from Node as an ES module and as
// CommonJS, and type-check a TypeScript sample against it under moduleResolution node16 and
// bundler with the repository's own typescript.
//
//   node --test tests/package/pack.test.mjs     (needs dist/: bash scripts/build.sh)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
let scratch;
let consumer;
let packed;

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${e.status}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

before(() => {
  assert.ok(existsSync(path.join(root, 'dist/index.mjs')), 'dist/ is missing: run bash scripts/build.sh first');
  scratch = mkdtempSync(path.join(tmpdir(), 'webtorch-pack-'));
  const out = run('npm', ['pack', '--json', '--pack-destination', scratch], root);
  packed = JSON.parse(out.slice(out.indexOf('[')))[0];
  consumer = path.join(scratch, 'consumer');
  cpSync(path.join(root, 'tests/package/consumer'), consumer, { recursive: true });
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(scratch, packed.filename)], consumer);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds only built files, and is reported with its sizes', (t) => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of files) assert.match(f, /^(package\.json|README\.md|LICENSE|dist\/([\w-]+\/)*[\w.-]+\.(mjs|cjs|wasm|d\.ts|d\.cts))$/, `unexpected file in the package: ${f}`);
  for (const f of ['dist/index.mjs', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/loader.mjs', 'dist/version.mjs',
    'dist/version.cjs', 'dist/webtorch-simd.mjs', 'dist/webtorch-simd.wasm', 'dist/webtorch.mjs', 'dist/webtorch.wasm',
    'dist/threads.mjs', 'dist/webtorch-threads.cjs', 'dist/webtorch-threads.worker.cjs', 'dist/webtorch-threads.wasm'])
    assert.ok(files.includes(f), `${f} is missing from the package`);
  const dist = path.join(root, 'dist');
  const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
  const js = files.filter((f) => /\.(mjs|cjs)$/.test(f)).map((f) => f.slice(5));
  const jsGzip = gzipSync(Buffer.concat(js.map((f) => readFileSync(path.join(dist, f)))), { level: 9 }).length;
  t.diagnostic(`tarball ${packed.filename}: ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${files.length} files`);
  t.diagnostic(`gzip -9: all JS ${jsGzip} B; webtorch-simd.wasm ${gz('webtorch-simd.wasm')} B; webtorch.wasm ${gz('webtorch.wasm')} B; webtorch-threads.wasm ${gz('webtorch-threads.wasm')} B`);
});

test('package.json exports: types first, import -> ES module, require -> CommonJS, all present', () => {
  const entry = pkg.exports['.'];
  assert.deepEqual(Object.keys(entry), ['types', 'import', 'require']);
  assert.deepEqual(entry.types, { import: './dist/index.d.ts', require: './dist/index.d.cts' });
  const installed = path.join(consumer, 'node_modules/webtorch');
  for (const target of [entry.types.import, entry.types.require, entry.import, entry.require, pkg.types, pkg.main, pkg.module])
    assert.ok(existsSync(path.join(installed, target)), `${target} is not in the installed package`);
  assert.equal(pkg.dependencies, undefined, 'webtorch must install with no dependencies');
});

test('import it from a Node ES module and compute (both builds)', () => {
  const out = JSON.parse(run(process.execPath, ['esm.mjs'], consumer));
  assert.equal(out.version, pkg.version);
  assert.equal(out.sameDefault, true);
  assert.equal(out.sameEngine, true);
  for (const backend of ['wasm-simd', 'wasm']) {
    assert.deepEqual(out.results[backend], { loss: 6, grad: [[1], [2], [3]], inference: true, version: pkg.version });
  }
});

test('require it from CommonJS and compute; both entries share one engine', () => {
  const out = JSON.parse(run(process.execPath, ['cjs.cjs'], consumer));
  assert.deepEqual(out, { kind: 'cjs', version: pkg.version, backend: 'wasm-simd', sum: 54, shared: true });
});

function typecheck(name, compilerOptions, files) {
  const config = {
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, types: [], target: 'es2022', ...compilerOptions },
    files,
  };
  writeFileSync(path.join(consumer, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], consumer);
  return run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--listFilesOnly'], consumer);
}

test('TypeScript: the sample compiles under moduleResolution node16 (ESM and CJS files)', () => {
  const out = typecheck('node16', { module: 'node16', moduleResolution: 'node16', lib: ['es2022', 'esnext.disposable'] },
    ['typed.mts', 'typed.cts', 'using.mts']);
  assert.match(out, /node_modules\/webtorch\/dist\/index\.d\.ts/);
  assert.match(out, /node_modules\/webtorch\/dist\/index\.d\.cts/);
});

test('TypeScript: the sample compiles under moduleResolution bundler', () => {
  const out = typecheck('bundler', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'esnext.disposable'] },
    ['typed.mts', 'using.mts']);
  assert.match(out, /node_modules\/webtorch\/dist\/index\.d\.ts/);
});

test('TypeScript: the typings need neither the DOM nor Node types', () => {
  typecheck('bare', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'] }, ['typed.mts']);
});
