// The mode panel: one forward pass of the playground's model measured live under recording,
// noGrad and inferenceMode (time per call, graph nodes and saved bytes while its output is
// alive), and the mode stack replayed step by step as nested mode code runs.

const MODES = ['recording', 'noGrad', 'inferenceMode'];
const BATCH = 64;
const ROUND_MS = 60; // one measuring round: the three modes interleaved for this long in all
const SLICE_MS = 1; // one slice: calls of one mode between two clock reads
const SAMPLES = 8; // rounds the shown time is the best of (the first paint too)
// Warm-up (Note [Warm-up before the first number]).
const WARMUP_GAP_MS = 100; // pause between warm-up rounds: the page stays responsive
const WARMUP_WINDOW = SAMPLES; // rounds compared with the window before them
const WARMUP_IMPROVED = 0.05; // a window whose best is 5 % faster than the one before: not settled
const WARMUP_MIN_MS = 2000;
const WARMUP_MAX_MS = 12000;

// Note [Warm-up before the first number]
// The JIT compiles the forward pass's JavaScript while it runs, and the browser recompiles
// hot wasm functions with its optimising tier in background threads; each mode takes partly
// different paths, so a mode measured before its paths are optimised can look slower than
// a mode that does strictly more work (the first paint once showed inferenceMode slower
// than recording). On a loaded machine the background compiles finish seconds late: in the
// scalar build at load average 15, inferenceMode stayed 10–25 % behind noGrad for the first
// ~3 s, then settled level with it. So no number is painted until the timings have stopped
// improving: warm-up rounds (the same measurement as the real ones, WARMUP_GAP_MS apart)
// run until every mode's best of the last WARMUP_WINDOW rounds is within WARMUP_IMPROVED of
// its best of the window before, and at least WARMUP_MIN_MS have passed (at most
// WARMUP_MAX_MS). The first paint then shows the best of the last window's rounds, as every
// later paint shows the best of the last SAMPLES rounds. Until then the bars show
// placeholders of the same size, so nothing on the page moves when the numbers arrive.
//
// Note [Robust to a loaded machine]
// The three modes alternate in slices of about SLICE_MS each (A B C, B C A, C A B, ...:
// each triple starts with the next mode), so a burst of outside load, a GC of the garbage
// recording leaves or a late compile lands on all three alike. A round's time for a mode
// is the mean of its fastest quarter of slices: when the OS takes the core away in the
// middle of a slice (on a loaded machine it often does), the slice only gets longer, so the
// fast slices are the clean ones, where a plain sum over the round would charge every
// preemption to whichever mode was running. Each mode's slice is sized to last about
// SLICE_MS, so the browser's coarse clock (100 µs steps without cross-origin isolation)
// is the same small relative error for every mode, and the ratios keep their sign.

export function initModesPanel(torch, playground, root = document) {
  const bars = root.getElementById('modes-bars');
  const caption = root.getElementById('modes-caption');
  const run = {
    recording: (fn) => fn(),
    noGrad: (fn) => torch.noGrad(fn),
    inferenceMode: (fn) => torch.inferenceMode(fn),
  };
  const points = new Float32Array(BATCH * 2);
  for (let i = 0; i < points.length; i++) points[i] = Math.sin(i * 12.9898) * 0.9; // fixed, spread over [-1, 1]
  const batch = torch.keep(torch.tensor(points, { shape: [BATCH, 2] }));
  const stats = Object.fromEntries(MODES.map((m) => [m, { usPerCall: null, samples: [], graphNodes: null, savedBytes: null, bytes: null, calls: 0 }]));

  // Memory while the output of one call is alive, as deltas of torch.memory().
  function measureMemory(mode) {
    torch.tidy(() => {
      const before = torch.memory();
      const out = run[mode](() => playground.forward(batch));
      const after = torch.memory();
      const s = stats[mode];
      s.graphNodes = after.graphNodes - before.graphNodes;
      s.savedBytes = after.savedBytes - before.savedBytes;
      s.bytes = after.bytes - before.bytes;
      s.requiresGrad = out.requiresGrad;
      s.isInference = out.isInference();
    });
  }

  // One forward call of the playground's model under `mode`, everything it makes freed.
  const forwardCall = {};
  for (const m of MODES) {
    // The braces matter: tidy keeps what its function returns.
    forwardCall[m] = () => {
      torch.tidy(() => {
        run[m](() => playground.forward(batch));
      });
    };
  }

  // µs per call of each mode over one round (Note [Robust to a loaded machine]).
  const sliceCalls = Object.fromEntries(MODES.map((m) => [m, 8])); // set after each round to last about SLICE_MS
  function timeRound() {
    const perCall = Object.fromEntries(MODES.map((m) => [m, []]));
    const t0 = performance.now();
    for (let k = round; performance.now() - t0 < ROUND_MS; k++) {
      for (let j = 0; j < MODES.length; j++) {
        const m = MODES[(k + j) % MODES.length];
        const f = forwardCall[m];
        const n = sliceCalls[m];
        const s = performance.now();
        for (let i = 0; i < n; i++) f();
        perCall[m].push(((performance.now() - s) * 1000) / n);
      }
    }
    round += 1;
    const times = {};
    for (const m of MODES) {
      const us = fastestQuarterMean(perCall[m]);
      times[m] = { us, calls: perCall[m].length * sliceCalls[m] };
      // Aim at SLICE_MS, at most halving per round (one round slowed down by load must not
      // make the slices so short that the clock reads 0 ms for them: then grow 4×).
      const target = us > 0 ? Math.round((SLICE_MS * 1000) / us) : sliceCalls[m] * 4;
      sliceCalls[m] = Math.max(1, Math.ceil(sliceCalls[m] / 2), Math.min(1024, sliceCalls[m] * 4, target));
    }
    return times;
  }

  function measureRound() {
    for (const m of MODES) measureMemory(m);
    const times = timeRound();
    for (const m of MODES) {
      const s = stats[m];
      // The best of the recent rounds: a GC pause, the JIT or another tab only ever add time,
      // so the minimum is the steadiest estimate of what the mode itself costs.
      s.samples.push(times[m].us);
      if (s.samples.length > SAMPLES) s.samples.shift();
      s.usPerCall = Math.min(...s.samples);
      s.calls += times[m].calls;
    }
  }
  let round = 0;

  // Warm-up rounds, WARMUP_GAP_MS apart, until the timings stop improving; then the last
  // window's rounds become the samples and `done()` paints. Note [Warm-up before the first number].
  function warmUp(done) {
    const history = Object.fromEntries(MODES.map((m) => [m, []]));
    const start = performance.now();
    const best = (m, from, to) => Math.min(...history[m].slice(from, to));
    const step = () => {
      const times = timeRound();
      for (const m of MODES) history[m].push(times[m].us);
      warmup.rounds += 1;
      const n = warmup.rounds;
      const settled = n >= 2 * WARMUP_WINDOW && MODES.every((m) => best(m, n - WARMUP_WINDOW, n) >= (1 - WARMUP_IMPROVED) * best(m, n - 2 * WARMUP_WINDOW, n - WARMUP_WINDOW));
      const elapsed = performance.now() - start;
      if ((settled && elapsed >= WARMUP_MIN_MS) || elapsed >= WARMUP_MAX_MS) {
        warmup.done = true;
        warmup.ms = Math.round(elapsed);
        for (const m of MODES) {
          const s = stats[m];
          s.samples = history[m].slice(-SAMPLES);
          s.usPerCall = Math.min(...s.samples);
          s.calls += times[m].calls;
          measureMemory(m);
        }
        return done();
      }
      caption.textContent = `Warming up: running the three modes until their timings stop improving (round ${n}), so the first numbers shown are steady ones.`;
      setTimeout(step, WARMUP_GAP_MS);
    };
    setTimeout(step, 0);
  }
  const warmup = { rounds: 0, done: false };
  let paints = 0;

  // A value not measured yet (null) is drawn as a placeholder bar of the same height.
  function barGroup(title, key, format) {
    const max = Math.max(...MODES.map((m) => stats[m][key] ?? 0), 1e-9);
    let html = `<div class="title">${title}</div>`;
    for (const m of MODES) {
      const v = stats[m][key];
      html +=
        `<div class="label">${m}</div><div class="bar-wrap"><div class="bar ${m}" style="width:${Math.max(0.5, ((v ?? 0) / max) * 78)}%"></div>` +
        `<span class="bar-value" data-mode="${m}" data-key="${key}">${v === null ? '…' : format(v)}</span></div>`;
    }
    return html;
  }

  // Paints the bars; data-round counts the paints that show measured numbers (0: placeholders).
  function draw() {
    bars.className = 'bars';
    bars.dataset.round = String(paints);
    bars.innerHTML =
      barGroup(`time per forward call (batch ${BATCH}, ${playground.model.sizes.join('→')})`, 'usPerCall', (v) => `${v.toFixed(1)} µs`) +
      barGroup('graph nodes kept while the output lives', 'graphNodes', (v) => `${v}`) +
      barGroup('bytes saved for backward', 'savedBytes', (v) => (v >= 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${v} B`));
    const r = stats.recording.usPerCall;
    const i = stats.inferenceMode.usPerCall;
    const n = stats.noGrad.usPerCall;
    if (r && i && n)
      caption.textContent =
        `Measured now on ${torch.backend}: inferenceMode is ${(r / i).toFixed(2)}× and noGrad ${(r / n).toFixed(2)}× the speed of recording on this pass. ` +
        'Recording keeps a graph and the tensors backward needs; noGrad keeps none; inferenceMode also skips version counters and view tracking.';
  }

  // ---- the mode stack, captured while real nested code runs, then replayed ----
  const CODE = [
    'const w = torch.ones([2]).requiresGrad_();',
    'torch.noGrad(() => {',
    '  const a = w.mul(2);',
    '  torch.inferenceMode(() => {',
    '    const b = w.mul(2);',
    '    torch.inferenceMode(false, () => {',
    '      const c = w.mul(2);',
    '      torch.setGradEnabled(false, () => {',
    '        const d = w.mul(2);',
    '      });',
    '    });',
    '  });',
    '});',
    'const e = w.mul(2);',
  ];
  const codeEl = root.getElementById('nest-code');
  const stackEl = root.getElementById('nest-stack');
  codeEl.innerHTML = CODE.map((l, k) => `<span class="line" data-line="${k}">${escapeHtml(l)}</span>`).join('');
  let snapshots = [];
  let shown = 0;

  function runNested() {
    const snaps = [];
    torch.tidy(() => {
      const w = torch.ones([2]).requiresGrad_();
      const snap = (line, name) => {
        const t = w.mul(2);
        snaps.push({
          line,
          tensor: name,
          stack: torch.modeStack(),
          gradEnabled: torch.isGradEnabled(),
          inferenceEnabled: torch.isInferenceModeEnabled(),
          gradFn: t.gradFn ? t.gradFn.name : null,
          isInference: t.isInference(),
        });
      };
      torch.noGrad(() => {
        snap(2, 'a');
        torch.inferenceMode(() => {
          snap(4, 'b');
          torch.inferenceMode(false, () => {
            snap(6, 'c');
            torch.setGradEnabled(false, () => {
              snap(8, 'd');
            });
          });
        });
      });
      snap(13, 'e');
    });
    snapshots = snaps;
    shown = 0;
    showSnapshot();
  }

  function frameClass(name) {
    if (name === 'noGrad') return 'noGrad';
    if (name === 'enableGrad') return 'enableGrad';
    if (name.startsWith('inferenceMode(')) return `inference-${name.slice(14, -1)}`;
    if (name.startsWith('setGradEnabled(')) return `setGrad-${name.slice(15, -1)}`;
    return 'base';
  }

  function showSnapshot() {
    const s = snapshots[shown];
    if (!s) return;
    for (const el of codeEl.querySelectorAll('.line')) el.classList.toggle('current', Number(el.dataset.line) === s.line);
    const flag = (label, on) => `<span class="flag ${on ? 'on' : 'off'}">${label} ${on}</span>`;
    let inner =
      `<div class="flags">${flag('isGradEnabled()', s.gradEnabled)}${flag('isInferenceModeEnabled()', s.inferenceEnabled)}</div>` +
      `<div class="flags"><span class="flag">${s.tensor}.gradFn ${s.gradFn ?? 'null'}</span>` +
      `<span class="flag ${s.isInference ? 'on' : ''}">${s.tensor}.isInference() ${s.isInference}</span></div>`;
    for (let k = s.stack.length - 1; k >= 0; k--) {
      inner = `<div class="frame ${frameClass(s.stack[k])}"><span class="name">${escapeHtml(s.stack[k])}</span>${inner}</div>`;
    }
    stackEl.innerHTML = `<div class="frame base"><span class="name">torch.modeStack() = [${s.stack.map((x) => `'${x}'`).join(', ')}]</span>${inner}</div>`;
  }

  root.getElementById('nest-run').addEventListener('click', runNested);
  runNested();
  setInterval(() => {
    if (snapshots.length === 0) return;
    shown = (shown + 1) % snapshots.length;
    showSnapshot();
  }, 1300);

  draw(); // placeholders while the modes warm up
  caption.textContent = 'Warming up: running the three modes until their timings settle, so the first numbers shown are steady ones.';
  const measureAndDraw = () => {
    measureRound();
    paints += 1;
    draw();
  };
  warmUp(() => {
    paints += 1;
    draw();
    setInterval(() => {
      if (document.hidden) return;
      measureAndDraw();
    }, 1000);
  });

  return {
    stats,
    get snapshots() {
      return snapshots;
    },
    warmup,
    measureRound,
  };
}

function mean(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

// The mean of the smallest quarter of xs (at least one value).
function fastestQuarterMean(xs) {
  const sorted = xs.slice().sort((a, b) => a - b);
  return mean(sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 4))));
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}
