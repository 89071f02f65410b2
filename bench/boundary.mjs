// The cost of crossing the JS/wasm boundary, in ns per call (CPU time; run with
// node --single-threaded bench/boundary.mjs): plain C exports (the per-op hot path) against
// embind calls (strings and objects), the JS Tensor wrapper, and the per-tensor
// FinalizationRegistry cost that Note [Deferred registration] in js/lifetime.mjs removed.
import { instantiate } from '../dist/loader.mjs';
import { load } from '../dist/index.mjs';
const { Module: M } = await instantiate({});
const torch = await load();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000; };
function time(label, f, n = 2e6) {
  f(n / 10);
  let best = Infinity;
  for (let r = 0; r < 7; r++) { const t0 = cpu(); f(n); best = Math.min(best, (cpu() - t0) / n); }
  console.log(label.padEnd(62), best.toFixed(1), 'ns');
}
let sink = 0;
time('plain C export, int -> int (_wt_scratch_size)', (n) => { for (let i = 0; i < n; i++) sink += M._wt_scratch_size(); });
time('embind function, () -> int (dtypeCount)', (n) => { for (let i = 0; i < n; i++) sink += M.dtypeCount(); });
time('embind function, int -> std::string (dtypeName)', (n) => { for (let i = 0; i < n; i++) sink += M.dtypeName(0).length; }, 5e5);
const h = M._wt_full(0, 0, 1, 2);
time('plain C export on a handle (_wt_dim)', (n) => { for (let i = 0; i < n; i++) sink += M._wt_dim(h); });
time('plain C: retain + release a handle (2 calls)', (n) => { for (let i = 0; i < n; i++) M._wt_release(M._wt_retain(h)); });
const a = torch.inferenceMode(() => torch.ones([4]));
time('JS wrapper: t.ndim (live check + export)', (n) => { for (let i = 0; i < n; i++) sink += a.ndim; });
time('JS wrapper: t.shape (export + scratch read, new array)', (n) => { for (let i = 0; i < n; i++) sink += a.shape.length; }, 5e5);
time('raw: _wt_add + _wt_release (no wrapper)', (n) => torch.inferenceMode(() => { for (let i = 0; i < n; i++) M._wt_release(M._wt_add(h, h, 1, 1)); }), 5e5);
const b = torch.inferenceMode(() => torch.ones([]));
time('wrapped: a.add(b).dispose() (wrapper, nursery, dispose)', (n) => torch.inferenceMode(() => { for (let i = 0; i < n; i++) b.add(b).dispose(); }), 5e5);
const reg = new FinalizationRegistry(() => {});
time('FinalizationRegistry register + unregister (the old per-tensor cost)', (n) => { for (let i = 0; i < n; i++) { const o = { h: i }; reg.register(o, i, o); reg.unregister(o); } }, 5e5);
if (sink === 42) console.log('');
