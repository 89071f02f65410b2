// npm run bench: webtorch's mode costs, webtorch against TensorFlow.js (wasm and cpu
// backends) and onnxruntime-web in one process, the wasm SIMD mul+add ceiling, the native
// build of the same kernels, and the package sizes. Prints the tables and writes
// bench/results.json and bench/results.svg (bench/report.mjs; --readme also updates the
// README's table).
//   node --single-threaded bench/run.mjs [--quick] [--readme] [--only=modes,peers,size] [--rows=ID,…]
// (--single-threaded: Note [CPU time] in lib/timing.mjs)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { measureCeiling } from './lib/ceiling.mjs';
import { measureModes, CHAIN_OPS } from './lib/modes.mjs';
import { measureSizes } from './lib/size.mjs';
import { compare, options } from './lib/timing.mjs';
import { ELEMENTWISE_N, MATMUL_SIZES, flops } from './lib/workloads.mjs';
import { REFERENCES, compareLoss, compareToReference, createTrainingReference } from './lib/reference.mjs';
import { createWebtorch } from './peers/webtorch.mjs';
import { createTfjs } from './peers/tfjs.mjs';
import { createOrt } from './peers/ort.mjs';
import { correctnessTable, writeReport } from './report.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
if (args.includes('--quick')) {
  options.rounds = 3;
  options.minMs = 15;
  options.warmupMs = 150;
}
const only = (args.find((a) => a.startsWith('--only=')) || '--only=modes,peers,size').slice(7).split(',');
// --rows=conv2d,conv2dTrain: only those rows of the peers table (while working on a kernel)
const rowFilter = args.find((a) => a.startsWith('--rows='))?.slice(7).split(',');
const log = (...a) => console.log(...a);
// The float64 training run costs ~30 ms a step here: past this many timed steps the loss
// after timing is not checked (the first two steps always are).
const MAX_REFERENCE_STEPS = 3000;

// One check from several: ok if all are, the largest errors.
function worstOf(checks) {
  const bad = checks.find((c) => !c.ok);
  return {
    ok: !bad,
    maxAbsError: Math.max(...checks.map((c) => c.maxAbsError ?? 0)),
    worst: Math.max(...checks.map((c) => c.worst ?? 0)),
    reason: bad ? bad.reason : null,
  };
}

const results = {
  meta: {
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version },
    loadAverageAtStart: os.loadavg(),
    timing: { ...options, method: 'best of interleaved rounds, each a batch of at least minMs' },
  },
};

const wt = await createWebtorch();
results.meta.versions = { webtorch: wt.version, backend: wt.backend };
log(`webtorch ${wt.version} (${wt.backend}) on ${results.meta.machine.cpu}, ${results.meta.machine.cores} cores, node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

results.ceiling = await measureCeiling();
log(`\nwasm SIMD128 mul+add ceiling (12 f32x4 chains, one core): ${results.ceiling.gflops.toFixed(1)} GFLOP/s (median ${results.ceiling.medianGflops.toFixed(1)})`);
const frac = (gflops) => gflops / results.ceiling.gflops;

// ---------------- mode cost ----------------
if (only.includes('modes')) {
  results.modes = await measureModes(wt.torch);
  const m = results.modes;
  log(`\n## Mode cost (webtorch ${wt.backend})`);
  log('| workload | mode | µs/op (best) | µs/op (median) | allocations/op | tensors / graph nodes / saved bytes held in one step |');
  log('|---|---|---|---|---|---|');
  for (const [name, label] of [['chain', `tiny-op chain (${CHAIN_OPS} ops on 4-64 elements)`], ['mlp', 'MLP 784-256-10 b64 forward (7 ops)']]) {
    for (const mode of ['recording', 'noGrad', 'inferenceMode']) {
      const r = m[name][mode];
      const mem = r.memoryInStep;
      log(`| ${label} | ${mode} | ${r.usPerOp.toFixed(3)} | ${(r.medianUsPerOp ?? r.usPerOp).toFixed(3)} | ${r.allocationsPerOp.toFixed(2)} | ${mem.tensors} / ${mem.graphNodes} / ${mem.savedBytes} |`);
    }
  }
  log(`\nratios (same run): chain inference/noGrad ${m.chain.ratios.inferenceOverNoGrad.toFixed(2)} (target ≤ 0.80), noGrad/recording ${m.chain.ratios.noGradOverRecording.toFixed(2)} (target ≤ 0.70); MLP inference/noGrad ${m.mlp.ratios.inferenceOverNoGrad.toFixed(2)}, noGrad/recording ${m.mlp.ratios.noGradOverRecording.toFixed(2)}`);
  log(`saved bytes: ${m.savedBytes.beforeForward} before forward, ${m.savedBytes.afterForward} after, ${m.savedBytes.afterBackward} after backward: ${m.savedBytes.freed ? 'freed' : 'NOT freed'}`);
}

// ---------------- against the peers ----------------
if (only.includes('peers')) {
  const tfjs = await createTfjs();
  const ort = await createOrt();
  results.meta.versions['@tensorflow/tfjs-core'] = tfjs.wasm.version;
  results.meta.versions['@tensorflow/tfjs-backend-wasm'] = require('@tensorflow/tfjs-backend-wasm/package.json').version;
  results.meta.versions['onnxruntime-web'] = ort.version;
  const engines = [wt, tfjs.wasm, tfjs.cpu, ort];

  // Each row: how to build it, how to turn ms/iteration into the reported unit, and its
  // float64 reference (lib/reference.mjs; Note [Reference tolerances] states each row's
  // tolerance). The training step is checked by its loss (trainingLoss).
  const rows = [
    { id: 'tinyOp', label: 'tiny-op dispatch: two 4-element tensors, add, dispose', unit: 'µs/op', args: [], value: (ms) => ms * 1000, lowerIsBetter: true },
    ...['add', 'mul', 'relu', 'exp'].map((op) => ({
      id: `elementwise.${op}`, label: `${op} on 1M float32`, unit: 'GB/s', make: 'elementwise', args: [op],
      value: (ms) => ((op === 'relu' || op === 'exp' ? 2 : 3) * 4 * ELEMENTWISE_N) / (ms * 1e6), reference: () => REFERENCES.elementwise(op),
    })),
    ...MATMUL_SIZES.map((n) => ({ id: `matmul.${n}`, label: `matmul ${n}x${n}`, unit: 'GFLOP/s', make: 'matmul', args: [n], value: (ms) => flops.matmul(n) / (ms * 1e6), reference: () => REFERENCES.matmul(n), gflops: true })),
    { id: 'mlpForward', label: 'MLP 784-256-10 b64 forward', unit: 'GFLOP/s', args: [], value: (ms) => flops.mlpForward() / (ms * 1e6), reference: REFERENCES.mlpForward, gflops: true },
    { id: 'trainStep', label: 'MLP training step (MSE, SGD)', unit: 'GFLOP/s', args: [], value: (ms) => flops.trainStep() / (ms * 1e6), trainingLoss: true, gflops: true },
    { id: 'softmax', label: 'softmax [64,1000]', unit: 'GB/s', args: [], value: (ms) => (2 * 4 * 64 * 1000) / (ms * 1e6), reference: REFERENCES.softmax },
    { id: 'conv2d', label: 'conv2d 8x16x32x32, 32 3x3 filters, pad 1', unit: 'GFLOP/s', args: [], value: (ms) => flops.conv() / (ms * 1e6), reference: REFERENCES.conv2d, gflops: true },
    { id: 'conv2dTrain', label: 'conv2d forward + input and weight gradients (same shapes)', unit: 'GFLOP/s', args: [], value: (ms) => flops.convTrain() / (ms * 1e6), reference: REFERENCES.conv2dTrain, gflops: true },
    { id: 'convTranspose2d', label: 'convTranspose2d 8x32x32x32 to 16 channels, 3x3, pad 1', unit: 'GFLOP/s', args: [], value: (ms) => flops.conv() / (ms * 1e6), reference: REFERENCES.convTranspose2d, gflops: true },
  ].filter((row) => !rowFilter || rowFilter.includes(row.id));

  results.peers = [];
  const training = createTrainingReference();
  log('\n## Against the peers (one process, one thread each; best of interleaved rounds)');
  log(`| row | unit | ${engines.map((e) => e.name).join(' | ')} | webtorch / best peer |`);
  log(`|---|---|${engines.map(() => '---').join('|')}|---|`);
  for (const row of rows) {
    const variants = {};
    const made = {};
    const cells = {};
    for (const e of engines) {
      const v = await e.rows[row.make ?? row.id](...row.args);
      made[e.name] = v;
      if (v.pending || v.na) cells[e.name] = { status: v.pending ? 'pending' : 'n/a', reason: v.pending ?? v.na };
      else variants[e.name] = v;
    }
    // Every engine's output against the float64 reference before timing (a wrong kernel is
    // not fast): an engine outside the row's tolerance is reported as a mismatch, not timed.
    const correctness = {};
    const reject = (name, check) => {
      correctness[name] = check;
      if (!check.ok) cells[name] = { status: 'mismatch', reason: check.reason };
    };
    if (row.reference) {
      const ref = row.reference();
      for (const [name, v] of Object.entries(variants)) reject(name, compareToReference(await v.output(), ref));
    }
    // The training step: the losses of the first two steps (the second shows the first
    // step's gradients and update), then the loss after all the timed steps, each against
    // the float64 run of the same number of steps.
    const steps = {};
    if (row.trainingLoss) {
      for (const [name, v] of Object.entries(variants)) {
        const first = [...(await v.output()), ...(await v.output())].map((loss, t) => compareLoss(loss, training.lossAfter(t)));
        reject(name, worstOf(first));
        steps[name] = 2;
        variants[name] = { ...v, fn: (n) => ((steps[name] += n), v.fn(n)) };
      }
    }
    const times = await compare(Object.fromEntries(Object.entries(variants).filter(([n]) => !cells[n])));
    for (const [name, t] of Object.entries(times)) {
      if (t.error) cells[name] = { status: 'error', reason: t.error };
      else cells[name] = { value: row.value(t.best), median: row.value(t.median), msPerIteration: t.best };
      if (row.gflops && cells[name].value !== undefined) cells[name].fractionOfCeiling = frac(cells[name].value);
    }
    if (row.trainingLoss) {
      for (const name of Object.keys(times)) {
        if (cells[name].value === undefined) continue;
        const t = steps[name];
        const firstSteps = correctness[name];
        const after = t <= MAX_REFERENCE_STEPS ? compareLoss((await made[name].output())[0], training.lossAfter(t)) : { ok: true, maxAbsError: null, worst: null, reason: `not checked: more than ${MAX_REFERENCE_STEPS} steps` };
        correctness[name] = { ...worstOf([firstSteps, after]), steps: t, afterTiming: after };
        if (!after.ok) cells[name] = { status: 'mismatch', reason: `after ${t} steps: ${after.reason}` };
      }
    }
    for (const v of Object.values(made)) if (v.dispose) await v.dispose();
    const better = (a, b) => (row.lowerIsBetter ? a < b : a > b);
    const peerValues = engines.filter((e) => e !== wt && cells[e.name]?.value !== undefined).map((e) => [e.name, cells[e.name].value]);
    let bestPeer = null;
    for (const [n, v] of peerValues) if (bestPeer === null || better(v, bestPeer[1])) bestPeer = [n, v];
    const mine = cells.webtorch?.value;
    const ratio = mine !== undefined && bestPeer ? (row.lowerIsBetter ? mine / bestPeer[1] : mine / bestPeer[1]) : null;
    const entry = { id: row.id, label: row.label, unit: row.unit, lowerIsBetter: !!row.lowerIsBetter, cells, bestPeer: bestPeer?.[0] ?? null, ratioToBestPeer: ratio };
    if (row.reference || row.trainingLoss) entry.correctness = correctness;
    if (mine !== undefined && bestPeer) entry.aheadOfAllPeers = better(mine, bestPeer[1]);
    results.peers.push(entry);
    const fmt = (c) => {
      if (!c) return '—';
      if (c.value === undefined) return c.status;
      const f = c.fractionOfCeiling !== undefined ? ` (${(100 * c.fractionOfCeiling).toFixed(0)}%)` : '';
      return `${c.value < 10 ? c.value.toFixed(2) : c.value.toFixed(1)}${f}`;
    };
    log(`| ${row.label} | ${row.unit}${row.gflops ? ' (% of ceiling)' : ''} | ${engines.map((e) => fmt(cells[e.name])).join(' | ')} | ${ratio === null ? '—' : ratio.toFixed(2) + (row.lowerIsBetter ? ' (lower is better)' : '')} |`);
  }
  for (const entry of results.peers) for (const c of Object.values(entry.cells)) if (c.reason && c.status !== 'pending' && c.status !== 'n/a') log(`  ${entry.id}: ${c.status}: ${c.reason}`);

  log('\n## Correctness against the float64 reference (max |error|, and the largest error as a fraction of the row\'s tolerance; lib/reference.mjs)');
  log(correctnessTable(results.peers, engines.map((e) => e.name)));
}

// ---------------- native build of the same kernels ----------------
const nativeBin = new URL('../build/native/bench/native/webtorch_kernels_bench', import.meta.url);
if (only.includes('peers') && existsSync(nativeBin)) {
  try {
    results.native = JSON.parse(execFileSync(nativeBin.pathname, { encoding: 'utf8' }));
    log(`\n## Native build of the same kernels (${results.native.simd})`);
    log(`matmul GFLOP/s: ${results.native.matmul.map((r) => `${r.n}: ${r.gflops}`).join(', ')}; add 1M ${results.native.add_1M_gbps} GB/s, mul 1M ${results.native.mul_1M_gbps} GB/s`);
  } catch (e) {
    log(`native bench failed: ${e.message}`);
  }
}

// ---------------- sizes ----------------
if (only.includes('size')) {
  results.size = measureSizes();
  log('\n## Size');
  log('| file | raw bytes | gzip -9 bytes |');
  log('|---|---|---|');
  for (const s of results.size) log(`| ${s.file} | ${s.raw} | ${s.gzip} |`);
}

results.meta.loadAverageAtEnd = os.loadavg();
results.targets = targets(results);
log('\n## Targets (ratios from this run)');
for (const t of results.targets) log(`- [${t.met === null ? ' ' : t.met ? 'x' : ' '}] ${t.name}: ${t.measured}${t.met === null ? ' (not measured)' : t.met ? '' : ' — MISSED'}`);

const out = new URL('./results.json', import.meta.url);
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
writeReport(results, { readme: args.includes('--readme') });
log(`\nwrote bench/results.json and bench/results.svg${args.includes('--readme') ? ' and the README table' : ''}`);
process.exit(0); // onnxruntime-web keeps handles open

function targets(r) {
  const t = [];
  const m = r.modes;
  t.push({ name: 'inference ≤ 0.8 × noGrad on the tiny-op chain', measured: m ? m.chain.ratios.inferenceOverNoGrad.toFixed(2) : '—', met: m ? m.chain.ratios.inferenceOverNoGrad <= 0.8 : null });
  t.push({ name: 'noGrad ≤ 0.7 × recording on the tiny-op chain', measured: m ? m.chain.ratios.noGradOverRecording.toFixed(2) : '—', met: m ? m.chain.ratios.noGradOverRecording <= 0.7 : null });
  t.push({ name: "recording's saved bytes freed after backward", measured: m ? `${m.savedBytes.afterForward} → ${m.savedBytes.afterBackward}` : '—', met: m ? m.savedBytes.freed : null });
  const peers = r.peers ?? [];
  const cell = (id, e) => peers.find((p) => p.id === id)?.cells[e]?.value;
  for (const p of peers) {
    if (p.aheadOfAllPeers === undefined) {
      t.push({ name: `ahead of both peers: ${p.label}`, measured: p.cells.webtorch?.status ?? 'no peer', met: null });
      continue;
    }
    t.push({ name: `ahead of both peers: ${p.label}`, measured: `webtorch / best peer (${p.bestPeer}) = ${p.ratioToBestPeer.toFixed(2)}`, met: p.aheadOfAllPeers });
  }
  const tiny = peers.find((p) => p.id === 'tinyOp');
  if (tiny?.ratioToBestPeer != null) t.push({ name: 'tiny-op dispatch ≤ 0.5 × the fastest peer', measured: tiny.ratioToBestPeer.toFixed(2), met: tiny.ratioToBestPeer <= 0.5 });
  const wtTrain = cell('trainStep', 'webtorch');
  const tfTrain = cell('trainStep', 'tfjs-wasm');
  if (wtTrain && tfTrain) t.push({ name: 'training step ≥ 3 × tfjs-wasm', measured: `${(wtTrain / tfTrain).toFixed(2)}×`, met: wtTrain / tfTrain >= 3 });
  for (const id of [...MATMUL_SIZES.map((n) => `matmul.${n}`), 'mlpForward']) {
    const a = cell(id, 'webtorch');
    const b = cell(id, 'tfjs-wasm');
    if (a && b) t.push({ name: `${id} at least level with tfjs-wasm`, measured: `${(a / b).toFixed(2)}×`, met: a >= b });
  }
  const wasmSizes = (r.size ?? []).filter((s) => s.kind === 'wasm');
  if (wasmSizes.length) t.push({ name: 'each .wasm below 300 KB gzip', measured: wasmSizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(0)} KB`).join(', '), met: wasmSizes.every((s) => s.gzip < 300 * 1024) });
  return t;
}
