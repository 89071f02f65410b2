// Should torch.tensor(nestedArray) go through the C++ parser (src/io/nested_array.h)?
// Measures, on 100k-element nested arrays, the JavaScript path (readNested +
// a typed copy) against the routed path (JavaScript writes JSON text, C++ parses it into
// the tensor). The rule (issue 8): route only if it costs less than 2x the JavaScript path.
//   node bench/nested_array.mjs [--simd=false]
// JSON.stringify is the cheapest possible serializer and still a lower bound: it writes NaN
// and Infinity as null, so a real routed path would need a slower NaN-aware writer.

import { load } from '../dist/index.mjs';

const simd = !process.argv.includes('--simd=false');
const torch = await load({ simd });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn, reps = 30) {
  for (let i = 0; i < 5; i++) fn(); // warm up the JIT
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const inputs = {
  'float32 [1000, 100]': Array.from({ length: 1000 }, () => Array.from({ length: 100 }, () => rand() * 2 - 1)),
  'int32 [1000, 100]': Array.from({ length: 1000 }, () => Array.from({ length: 100 }, () => Math.floor(rand() * 1000))),
  'float32 [100, 10, 100]': Array.from({ length: 100 }, () =>
    Array.from({ length: 10 }, () => Array.from({ length: 100 }, () => rand()))),
};

console.log(`backend ${torch.backend}`);
for (const [name, data] of Object.entries(inputs)) {
  // Same result both ways (the cross-check test does this on random inputs).
  const a = torch.tensor(data);
  const b = torch._tensorFromText(JSON.stringify(data));
  if (a.dtype !== b.dtype || String(a.shape) !== String(b.shape) || !a.data().every((v, i) => Object.is(v, b.data()[i])))
    throw new Error(`${name}: the two paths disagree`);
  a.dispose();
  b.dispose();
  const js = time(() => torch.tensor(data).dispose());
  const stringify = time(() => JSON.stringify(data));
  const text = JSON.stringify(data);
  const parse = time(() => torch._tensorFromText(text).dispose());
  const routed = time(() => torch._tensorFromText(JSON.stringify(data)).dispose());
  console.log(
    `${name}: JS path ${js.toFixed(2)} ms; routed ${routed.toFixed(2)} ms ` +
      `(JSON.stringify ${stringify.toFixed(2)} ms + C++ parse ${parse.toFixed(2)} ms, ${(text.length / 1e6).toFixed(2)} MB of text); ` +
      `routed / JS = ${(routed / js).toFixed(2)}x`,
  );
}
