// Timing for the benchmark. Engines share 2 cores with other work here, so a single
// timing is noise: every variant is calibrated to a batch of at least minMs, then the
// variants of one row are timed in interleaved rounds (A B C, A B C, ...) so that a burst
// of outside load hits them all alike, and the best round is kept (the median is kept
// too, to show the spread). Ratios are always taken between numbers of the same run.
//
// Note [CPU time]
// The clock is the process's CPU time (process.cpuUsage: user + system), not wall time:
// when other work holds the cores, wall time counts the time this process waited, CPU time
// does not. run.mjs runs Node with --single-threaded, so V8 does its garbage collection and
// compilation on the main thread and the process's CPU time is the benchmark's own work,
// GC included, for every engine alike (onnxruntime-web and tfjs-wasm run one thread).
// Wall time is recorded too.

export const options = {
  minMs: 30,
  warmupMs: 400, // wasm engines tier up function by function: reach steady state first
  rounds: 7,
  clock: process.execArgv.includes('--single-threaded') ? 'cpu' : 'wall',
};

function now() {
  if (options.clock === 'cpu') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  return performance.now();
}

// fn(n) runs n iterations (sync, or async returning a Promise). Returns ms per iteration.
async function timeBatch(variant, n) {
  const t0 = now();
  const r = variant.fn(n);
  if (variant.isAsync) await r;
  return (now() - t0) / n;
}

async function calibrate(variant) {
  let n = 1;
  for (;;) {
    const t0 = now();
    const r = variant.fn(n);
    if (variant.isAsync) await r;
    const ms = now() - t0;
    if (ms >= options.minMs || n >= 1 << 24) {
      // Aim a little above minMs from the measured rate.
      return Math.max(1, Math.ceil((n * options.minMs * 1.2) / Math.max(ms, 1e-3)));
    }
    n *= ms < options.minMs / 8 ? 8 : 2;
  }
}

// variants: { name: { fn(n), isAsync } }. Returns { name: { best, median, samples } } in ms
// per iteration. Variants that throw are reported with { error }.
export async function compare(variants) {
  const names = Object.keys(variants);
  const iters = {};
  const samples = {};
  const errors = {};
  for (const name of names) {
    try {
      await timeBatch(variants[name], 1); // first call: compile, first allocations
      iters[name] = await calibrate(variants[name]);
      for (const t0 = now(); now() - t0 < options.warmupMs; ) await timeBatch(variants[name], iters[name]);
      samples[name] = [];
    } catch (e) {
      errors[name] = String(e && e.message ? e.message : e);
    }
  }
  for (let r = 0; r < options.rounds; r++) {
    for (const name of names) {
      if (errors[name]) continue;
      samples[name].push(await timeBatch(variants[name], iters[name]));
    }
  }
  const out = {};
  for (const name of names) {
    if (errors[name]) {
      out[name] = { error: errors[name] };
      continue;
    }
    const s = samples[name].slice().sort((a, b) => a - b);
    out[name] = { best: s[0], median: s[Math.floor(s.length / 2)], iterations: iters[name], rounds: s.length };
  }
  return out;
}
