// The mode panel: one forward pass of the playground's model measured live under recording,
// noGrad and inferenceMode (time per call, graph nodes and saved bytes while its output is
// alive), and the mode stack replayed step by step as nested mode code runs.

const MODES = ['recording', 'noGrad', 'inferenceMode'];
const BATCH = 64;
const BUDGET_MS = 12; // per mode per measuring round
const SAMPLES = 8; // rounds the shown time is the best of

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

  function measureTime(mode) {
    // The braces matter: tidy keeps what its function returns.
    const f = () => {
      torch.tidy(() => {
        run[mode](() => playground.forward(batch));
      });
    };
    f(); // warm
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < BUDGET_MS) {
      for (let i = 0; i < 4; i++) f();
      calls += 4;
      t = performance.now();
    }
    const us = ((t - t0) * 1000) / calls;
    const s = stats[mode];
    // The best of the recent rounds: a GC pause, the JIT or another tab only ever add time,
    // so the minimum is the steadiest estimate of what the mode itself costs.
    s.samples.push(us);
    if (s.samples.length > SAMPLES) s.samples.shift();
    s.usPerCall = Math.min(...s.samples);
    s.calls += calls;
  }

  function measureRound() {
    for (const m of MODES) measureMemory(m);
    // Rotate the order so no mode always runs first.
    const order = MODES.slice(round % 3).concat(MODES.slice(0, round % 3));
    for (const m of order) measureTime(m);
    round += 1;
  }
  let round = 0;

  function barGroup(title, key, format) {
    const max = Math.max(...MODES.map((m) => stats[m][key] ?? 0), 1e-9);
    let html = `<div class="title">${title}</div>`;
    for (const m of MODES) {
      const v = stats[m][key] ?? 0;
      html +=
        `<div class="label">${m}</div><div class="bar-wrap"><div class="bar ${m}" style="width:${Math.max(0.5, (v / max) * 78)}%"></div>` +
        `<span class="bar-value" data-mode="${m}" data-key="${key}">${format(v)}</span></div>`;
    }
    return html;
  }

  function draw() {
    bars.className = 'bars';
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

  measureRound();
  draw();
  setInterval(() => {
    if (document.hidden) return;
    measureRound();
    draw();
  }, 1000);

  return {
    stats,
    get snapshots() {
      return snapshots;
    },
    measureRound,
  };
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}
