// bench/results.json -> bench/results.svg (a chart), and with --readme the benchmark table
// in README.md between <!-- bench:begin --> and <!-- bench:end -->.
//   node bench/report.mjs [--readme]     (run.mjs calls it after every run)

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COLORS = { webtorch: '#d9480f', 'tfjs-wasm': '#1971c2', 'tfjs-cpu': '#74c0fc', 'onnxruntime-web': '#2f9e44' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

// Speed of each engine relative to the fastest on the row (1 = fastest), as bars.
export function svg(results) {
  const peers = (results.peers ?? []).filter((p) => Object.values(p.cells).some((c) => c.value !== undefined));
  const engines = Object.keys(COLORS);
  const modes = results.modes;
  const W = 900;
  const left = 300;
  const barH = 9;
  const rowH = engines.length * barH + 10;
  const top = 60;
  const modeH = modes ? 3 * 16 + 70 : 0;
  const H = top + peers.length * rowH + 40 + modeH;
  const x = (v) => left + v * (W - left - 80);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">webtorch ${esc(results.meta.versions.webtorch)} vs TensorFlow.js and onnxruntime-web (one thread, same process)</text>`);
  out.push(`<text x="10" y="38">${esc(results.meta.machine.cpu)}, node ${esc(results.meta.machine.node)}, ${esc(results.meta.date.slice(0, 10))}. Bars: speed relative to the fastest engine on the row (longer is better).</text>`);
  engines.forEach((e, i) => {
    out.push(`<rect x="${left + i * 140}" y="46" width="10" height="10" fill="${COLORS[e]}"/><text x="${left + i * 140 + 14}" y="55">${e}</text>`);
  });
  peers.forEach((p, r) => {
    const y0 = top + r * rowH;
    const speed = (c) => (c.value === undefined ? null : p.lowerIsBetter ? 1 / c.value : c.value);
    const best = Math.max(...Object.values(p.cells).map(speed).filter((v) => v !== null));
    out.push(`<text x="${left - 8}" y="${y0 + rowH / 2}" text-anchor="end">${esc(p.label)}</text>`);
    engines.forEach((e, i) => {
      const c = p.cells[e];
      const y = y0 + i * barH;
      if (!c || c.value === undefined) {
        out.push(`<text x="${left + 4}" y="${y + barH - 1}" font-size="8" fill="#888">${esc(c ? c.status : '—')}</text>`);
        return;
      }
      const s = speed(c) / best;
      out.push(`<rect x="${left}" y="${y}" width="${(x(s) - left).toFixed(1)}" height="${barH - 1}" fill="${COLORS[e]}"/>`);
      const label = `${c.value < 10 ? c.value.toFixed(2) : c.value.toFixed(1)} ${p.unit}`;
      out.push(`<text x="${(x(s) + 3).toFixed(1)}" y="${y + barH - 1}" font-size="8">${esc(label)}</text>`);
    });
  });
  if (modes) {
    const y0 = top + peers.length * rowH + 30;
    out.push(`<text x="10" y="${y0}" font-size="13" font-weight="bold">Mode cost: µs per op of the tiny-op chain (shorter is better)</text>`);
    const rows = ['recording', 'noGrad', 'inferenceMode'].map((m) => [m, modes.chain[m]]);
    const maxUs = Math.max(...rows.map(([, r]) => r.usPerOp));
    rows.forEach(([m, r], i) => {
      const y = y0 + 14 + i * 16;
      out.push(`<text x="${left - 8}" y="${y + 11}" text-anchor="end">${m}</text>`);
      out.push(`<rect x="${left}" y="${y}" width="${((r.usPerOp / maxUs) * (W - left - 200)).toFixed(1)}" height="13" fill="#d9480f" opacity="${0.5 + i * 0.25}"/>`);
      out.push(`<text x="${(left + (r.usPerOp / maxUs) * (W - left - 200) + 4).toFixed(1)}" y="${y + 11}">${r.usPerOp.toFixed(2)} µs/op, ${r.allocationsPerOp.toFixed(2)} allocations/op</text>`);
    });
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// The correctness table: per row and engine, the largest |error| against the float64
// reference and that error as a fraction of the row's tolerance (✗: outside it).
export function correctnessTable(peers, engines) {
  const lines = [`| row | ${engines.join(' | ')} |`, `|---|${engines.map(() => '---').join('|')}|`];
  for (const p of peers) {
    if (!p.correctness) continue;
    const f = (c) => {
      if (!c) return '—';
      const err = c.maxAbsError === null || c.maxAbsError === undefined ? '' : c.maxAbsError === Infinity ? 'inf' : c.maxAbsError.toExponential(1);
      const share = Number.isFinite(c.worst) ? ` (${(100 * c.worst).toFixed(c.worst < 0.01 ? 1 : 0)}%)` : '';
      const steps = c.steps !== undefined ? `, ${c.steps} steps${c.afterTiming && c.afterTiming.maxAbsError === null ? ' (after: not checked)' : ''}` : '';
      return `${c.ok ? '' : '✗ '}${err}${share}${steps}`;
    };
    lines.push(`| ${p.label} | ${engines.map((e) => f(p.correctness[e])).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function markdown(results) {
  const lines = [];
  const m = results.meta;
  lines.push(`Measured ${m.date.slice(0, 10)} on ${m.machine.cpu} (${m.machine.cores} cores, shared with other work: load average ${m.loadAverageAtStart.map((v) => v.toFixed(1)).join(' ')}), ${m.machine.os}, Node ${m.machine.node}; ` +
    Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ') + `. Each number is the best of ${m.timing.rounds} interleaved rounds timed by ${m.timing.clock === 'cpu' ? 'process CPU time (Node --single-threaded)' : 'wall time'}; compare ratios within one run, not absolute numbers across runs.`);
  lines.push('');
  if (results.ceiling) lines.push(`wasm SIMD128 mul+add ceiling of this CPU (bench/ceiling/ceiling.cpp): **${results.ceiling.gflops.toFixed(1)} GFLOP/s**; GFLOP/s cells show their fraction of it.`, '');
  if (results.modes) {
    lines.push('| mode cost | recording | noGrad | inferenceMode | inference / noGrad | noGrad / recording |', '|---|---|---|---|---|---|');
    for (const [k, label] of [['chain', 'tiny-op chain, µs/op (allocations/op)'], ['mlp', 'MLP forward, µs/op (allocations/op)']]) {
      const r = results.modes[k];
      const c = (x) => `${x.usPerOp.toFixed(2)} (${x.allocationsPerOp.toFixed(1)})`;
      lines.push(`| ${label} | ${c(r.recording)} | ${c(r.noGrad)} | ${c(r.inferenceMode)} | ${r.ratios.inferenceOverNoGrad.toFixed(2)} | ${r.ratios.noGradOverRecording.toFixed(2)} |`);
    }
    lines.push('');
  }
  if (results.peers) {
    const engines = Object.keys(COLORS);
    lines.push(`| row | unit | ${engines.join(' | ')} |`, `|---|---|${engines.map(() => '---').join('|')}|`);
    for (const p of results.peers) {
      const f = (c) => {
        if (!c) return '—';
        if (c.value === undefined) return c.status;
        const v = c.value < 10 ? c.value.toFixed(2) : c.value.toFixed(1);
        const pct = c.fractionOfCeiling !== undefined ? ` (${(100 * c.fractionOfCeiling).toFixed(0)}%)` : '';
        return p.bestPeer !== null && c === p.cells.webtorch && p.aheadOfAllPeers ? `**${v}**${pct}` : `${v}${pct}`;
      };
      lines.push(`| ${p.label} | ${p.unit} | ${engines.map((e) => f(p.cells[e])).join(' | ')} |`);
    }
    lines.push('');
    if (results.peers.some((p) => p.correctness)) {
      lines.push('Correctness against a float64 reference computed in JavaScript (bench/lib/reference.mjs), checked before timing: the largest |error| of each engine and, in brackets, that error as a fraction of the row\'s float32 tolerance; the training step compares the loss of the first two steps and after the timed steps.', '');
      lines.push(correctnessTable(results.peers, engines), '');
    }
  }
  if (results.size) {
    lines.push('| file | raw | gzip -9 |', '|---|---|---|');
    for (const s of results.size) lines.push(`| ${s.file} | ${(s.raw / 1024).toFixed(1)} KB | ${(s.gzip / 1024).toFixed(1)} KB |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function writeReport(results, { readme = false } = {}) {
  writeFileSync(new URL('./results.svg', import.meta.url), svg(results));
  if (!readme) return;
  const path = new URL('../README.md', import.meta.url);
  const text = readFileSync(path, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error('README.md has no <!-- bench:begin --> ... <!-- bench:end --> block');
  writeFileSync(path, text.slice(0, i + begin.length) + '\n' + markdown(results) + text.slice(j));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'));
  writeReport(results, { readme: process.argv.includes('--readme') });
}
