// The cost of crossing the JS/wasm boundary, in ns per call (CPU time; run with
// node --single-threaded bench/boundary.mjs): plain C exports (the per-op hot path) against
// embind calls (strings and objects), the JS Tensor wrapper, and the per-tensor
// FinalizationRegistry cost that Note [Deferred registration] in js/lifetime.mjs removed.
//
// Note [Like against like]
// The rows are read in pairs (README: the wrapper adds ~14 ns to the raw export), so each
// pair must differ only in the layer it measures. Every raw export and every wrapper call
// here runs on ONE engine instance (the `torch` built on the same Module, not a second
// instantiate()), on the SAME tensor `t` (a 0-dim float32 inference tensor, its handle
// `t._h` for the raw calls), and the add pair in the same mode (inferenceMode, entered once
// around the batch): a raw add on another instance's normal tensor outside its inference
// mode would have measured different work, not the wrapper. The difference
// "wrapped − raw" is printed by the script, from the same run.
import { instantiate } from '../dist/loader.mjs';
import { createEngine } from '../dist/engine.mjs';
const { Module: M, backend } = await instantiate({});
const torch = createEngine(M, backend);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000; };
function time(label, f, n = 2e6) {
  f(n / 10);
  let best = Infinity;
  for (let r = 0; r < 7; r++) { const t0 = cpu(); f(n); best = Math.min(best, (cpu() - t0) / n); }
  console.log(label.padEnd(70), best.toFixed(1), 'ns');
  return best;
}
let sink = 0;
console.log(`webtorch ${torch.version} (${backend}), every row on one instance and one 0-dim tensor`);
time('plain C export, int -> int (_wt_scratch_size)', (n) => { for (let i = 0; i < n; i++) sink += M._wt_scratch_size(); });
time('embind function, () -> int (dtypeCount)', (n) => { for (let i = 0; i < n; i++) sink += M.dtypeCount(); });
time('embind function, int -> std::string (dtypeName)', (n) => { for (let i = 0; i < n; i++) sink += M.dtypeName(0).length; }, 5e5);
const t = torch.inferenceMode(() => torch.ones([]));
const h = t._h;
const rawDim = time('plain C export on the handle of t (_wt_dim)', (n) => { for (let i = 0; i < n; i++) sink += M._wt_dim(h); });
time('plain C: retain + release the handle of t (2 calls)', (n) => { for (let i = 0; i < n; i++) M._wt_release(M._wt_retain(h)); });
const wrappedDim = time('JS wrapper: t.ndim (live check + the same export)', (n) => { for (let i = 0; i < n; i++) sink += t.ndim; });
time('JS wrapper: t.shape (export + scratch read, new array)', (n) => { for (let i = 0; i < n; i++) sink += t.shape.length; }, 5e5);
// alpha 1 as the wrapper passes it for add(t): value 1, scalarKind(1) = 1 (integer)
const rawAdd = time('raw, inferenceMode: _wt_add(t, t) + _wt_release (no wrapper)', (n) => torch.inferenceMode(() => { for (let i = 0; i < n; i++) M._wt_release(M._wt_add(h, h, 1, 1)); }), 5e5);
const wrappedAdd = time('wrapped, inferenceMode: t.add(t).dispose() (wrapper, nursery)', (n) => torch.inferenceMode(() => { for (let i = 0; i < n; i++) t.add(t).dispose(); }), 5e5);
const reg = new FinalizationRegistry(() => {});
time('FinalizationRegistry register + unregister (the old per-tensor cost)', (n) => { for (let i = 0; i < n; i++) { const o = { h: i }; reg.register(o, i, o); reg.unregister(o); } }, 5e5);
console.log(`\nwhat the JS wrapper adds (same tensor, same instance, same mode): t.ndim − _wt_dim ${(wrappedDim - rawDim).toFixed(1)} ns, t.add(t).dispose() − raw add ${(wrappedAdd - rawAdd).toFixed(1)} ns`);
if (sink === 42) console.log('');
