// Raw and gzip (level 9) sizes of what a user downloads: each engine's .wasm, the JS entry,
// and all the JavaScript one engine loads (entry, modules, Emscripten glue).

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export const DIST = new URL('../../dist/', import.meta.url);

function sizes(files) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(new URL(f, DIST));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

export function measureSizes() {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: run npm run build');
  const all = readdirSync(DIST, { recursive: true }).map((f) => f.split('\\').join('/'));
  // Every ES module of the package (subfolders such as nn/ and optim/ included), without the
  // Emscripten glue files: one engine loads all of them plus its own glue (the threaded
  // engine's glue is webtorch-threads.cjs plus its worker script).
  const modules = all.filter((f) => f.endsWith('.mjs') && !/^webtorch(-simd)?\.mjs$/.test(f));
  const out = [];
  for (const w of all.filter((f) => f.endsWith('.wasm')).sort())
    out.push({ file: w, kind: w.includes('-threads') ? 'wasm-threads' : 'wasm', ...sizes([w]) });
  out.push({ file: 'index.mjs', kind: 'js-entry', ...sizes(['index.mjs']) });
  for (const glue of ['webtorch-simd.mjs', 'webtorch.mjs'].filter((g) => all.includes(g)))
    out.push({ file: `${modules.length} modules + ${glue}`, kind: 'js-total', ...sizes([...modules, glue]) });
  const threaded = ['webtorch-threads.cjs', 'webtorch-threads.worker.cjs'];
  if (threaded.every((g) => all.includes(g)))
    out.push({ file: `${modules.length} modules + ${threaded.join(' + ')}`, kind: 'js-total-threads', ...sizes([...modules, ...threaded]) });
  return out;
}
