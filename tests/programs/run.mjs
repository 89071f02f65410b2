#!/usr/bin/env node
// Replays generated autograd programs on webtorch and compares every step with PyTorch 1.13.1.
//
//   node tests/programs/run.mjs                        the committed recording (programs.jsonl.gz)
//   node tests/programs/run.mjs --file F.jsonl.gz      another recording
//   node tests/programs/run.mjs --seed 7 --programs 50000 [--jobs 2]
//        generates and records the programs with torch first (/usr/bin/python3, torch 1.13.1)
//   --builds simd,wasm   which wasm builds (default both)     --show N   snippets to print (default 10)
//   --ids 12,40          only these programs (the native test names them)
//   --without fn,optim   leave out programs that have these step kinds
//
// Prints, per build, how many programs differ, grouped by the kind of the first differing step
// and what differed there, then the first differing step of the first N programs as a runnable
// JavaScript snippet. Exits 1 when any program differs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

import { load } from '../../dist/index.mjs';
import { checkAll, loadPrograms, report, summary } from './program_runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { builds: ['simd', 'wasm'], show: 10, jobs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--seed') o.seed = Number(v());
    else if (a === '--programs') o.programs = Number(v());
    else if (a === '--file') o.file = v();
    else if (a === '--builds') o.builds = v().split(',');
    else if (a === '--show') o.show = Number(v());
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--ids') o.ids = new Set(v().split(',').map(Number));
    else if (a === '--without') o.without = v().split(',');
    else throw new Error(`run.mjs: unknown argument ${a}`);
  }
  return o;
}

async function generate(seed, programs, jobs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'webtorch-programs-'));
  const script = path.join(here, 'generate_programs.py');
  const parts = await Promise.all(Array.from({ length: jobs }, (_, j) => new Promise((resolve, reject) => {
    const out = path.join(dir, `part${j}.jsonl.gz`);
    const n = Math.floor(programs / jobs) + (j < programs % jobs ? 1 : 0);
    const p = spawn('/usr/bin/python3', [script, '--seed', String(seed), '--programs', String(n), '--out', out,
      '--stride', String(jobs), '--offset', String(j)], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`generator exited with ${code}`))));
  })));
  if (parts.length === 1) return parts[0];
  // One file: the first part's header (counts summed), then every program.
  const loaded = parts.map((f) => gunzipSync(readFileSync(f)).toString('utf8').split('\n').filter(Boolean));
  const header = JSON.parse(loaded[0][0]);
  header.programs = loaded.reduce((s, l) => s + l.length - 1, 0);
  header.skipped = {};
  for (const l of loaded) for (const [k, c] of Object.entries(JSON.parse(l[0]).skipped)) header.skipped[k] = (header.skipped[k] || 0) + c;
  const file = path.join(dir, 'programs.jsonl.gz');
  writeFileSync(file, gzipSync([JSON.stringify(header), ...loaded.flatMap((l) => l.slice(1))].join('\n') + '\n'));
  return file;
}

const opts = parseArgs(process.argv.slice(2));
let file = opts.file ?? path.join(here, 'programs.jsonl.gz');
if (opts.seed !== undefined) {
  const t0 = Date.now();
  file = await generate(opts.seed, opts.programs ?? 5000, opts.jobs);
  console.log(`recorded with torch in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${file}`);
}
const loaded = loadPrograms(file);
const header = loaded.header;
let programs = opts.ids ? loaded.programs.filter((p) => opts.ids.has(p.id)) : loaded.programs;
// --without fn,optim: leave out programs with those step kinds (to see what else differs while
// a known difference in them is being fixed).
if (opts.without) programs = programs.filter((p) => !p.steps.some((s) => opts.without.includes(s.do)));
console.log(`${programs.length} programs (seed ${header.seed}); skipped while generating: ${JSON.stringify(header.skipped)}`);
let failed = false;
for (const b of opts.builds) {
  const torch = await load(b === 'simd' ? {} : { simd: false });
  const t0 = Date.now();
  const result = checkAll(torch, programs);
  console.log(`\n${summary(result, `${torch.backend} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)}`);
  for (const { program, diff } of result.differing.slice(0, opts.show)) console.log(`\n${report(program, diff)}`);
  if (result.differing.length) failed = true;
}
process.exit(failed ? 1 : 0);
