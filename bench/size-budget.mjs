// The download-size budget, checked by CI (.ci/run counts each line as a test). A build
// that grows past a budget fails here, so growth is a decision, not an accident.
// Budgets (gzip -9 bytes; see bench/README.md for why these numbers):
//   each engine .wasm          460 KB gzip, 1.9 MB raw (raised from 300 KB / 1.2 MB when issues 13-15
//                              doubled the op set, ~60 to ~130 ops with their backward nodes)
//   JS entry (dist/index.mjs)    4 KB gzip
//   all JS one engine loads    140 KB gzip (every dist module + that engine's glue; was 96 KB
//                              before the transformer, CNN and RNN modules)
//   the threaded engine        520 KB gzip, 2.1 MB raw wasm; 152 KB gzip JS: it is built with
//                              JavaScript exceptions (Emscripten 3.1.6's wasm exceptions break
//                              under -pthread), whose landing pads cost ~35 KB, and its glue
//                              adds the pthread runtime and the worker script (~10 KB)
//   node bench/size-budget.mjs      -> one line per check, then "N passed, N failed"

import { measureSizes } from './lib/size.mjs';

const KB = 1024;
export const BUDGETS = {
  wasm: { gzip: 460 * KB, raw: 1900 * KB },
  'js-entry': { gzip: 4 * KB },
  'js-total': { gzip: 140 * KB },
  'wasm-threads': { gzip: 520 * KB, raw: 2100 * KB },
  'js-total-threads': { gzip: 152 * KB },
};

let passed = 0;
let failed = 0;
for (const s of measureSizes()) {
  const budget = BUDGETS[s.kind];
  for (const key of Object.keys(budget)) {
    const ok = s[key] <= budget[key];
    if (ok) passed++;
    else failed++;
    const pct = ((100 * s[key]) / budget[key]).toFixed(0);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${s.file} ${key} ${s[key]} bytes <= ${budget[key]} (${pct}% of budget)`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
