// Replays the generated autograd programs (tests/programs/README.md) on a webtorch engine and
// compares every step with what PyTorch 1.13.1 recorded (tests/programs/generate_programs.py).
//
//   loadPrograms(file)              -> { header, programs }
//   checkProgram(torch, program)    -> null, or the first differing step { step, diffs, torch, webtorch }
//   snippet(program, step)          -> the program up to that step as webtorch JavaScript
//   groupKey(program, difference)   -> "<step kind>: <what differed>", for summaries
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { MODE_FUNCTIONS } from '../js/scenario_runner.mjs';

const RTOL = 1e-5;
const ATOL = 1e-6;

export function loadPrograms(file) {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.length > 0);
  return { header: JSON.parse(lines[0]), programs: lines.slice(1).map((l) => JSON.parse(l)) };
}

// -- the fixed vocabularies, as source text (run here through `new Function`, printed in snippets)
const MODE_CALLS = {
  noGrad: 'torch.noGrad',
  enableGrad: 'torch.enableGrad',
  gradOn: 'torch.setGradEnabled(true, ',
  gradOff: 'torch.setGradEnabled(false, ',
  inference: 'torch.inferenceMode(true, ',
  inferenceOff: 'torch.inferenceMode(false, ',
};
const FN_NAMES = { new: 'NewFn', new2: 'NewFn', input: 'InputFn', view: 'ViewFn', detach: 'DetachFn',
  inplaceClone: 'InplaceCloneFn', multi: 'MultiFn', multiAlias: 'MultiAliasFn' };
const FN_FORWARD = {
  new: 'return x.mul(2);',
  new2: 'return x.mul(y);',
  input: 'return x;',
  view: 'return x.view(x.shape);',
  detach: 'return x.detach();',
  inplaceClone: 'return x.clone().mul_(2);',
  multi: 'return [x.mul(2), x.add(1)];',
  multiAlias: 'return [x, x.mul(2)];',
};

function fnSource(kind, formula, k) {
  const save = formula === 'saved' ? 'ctx.saveForBackward(x); ' : '';
  const g = kind.startsWith('multi') ? '!gs[1] ? gs[0] : !gs[0] ? gs[1] : gs[0].add(gs[1])' : 'gs[0]';
  const r = formula === 'none' ? 'null' : `!g ? null : ${formula === 'scale' ? `g.mul(${k})` : 'g.mul(ctx.savedTensors[0])'}`;
  const ret = kind === 'new2' ? '[r, r]' : 'r';
  return {
    name: FN_NAMES[kind],
    forward: `${save}${FN_FORWARD[kind]}`,
    backward: `const g = ${g}; const r = ${r}; return ${ret};`,
  };
}

function fnDefinitionText(kind, formula, k) {
  const s = fnSource(kind, formula, k);
  return `torch.autograd.Function({ name: '${s.name}', forward(ctx, x, y) { ${s.forward} }, ` +
    `backward(ctx, ...gs) { ${s.backward} } })`;
}

const fnCache = new WeakMap(); // torch -> Map(key -> Function)
function customFunction(torch, kind, formula, k) {
  if (!fnCache.has(torch)) fnCache.set(torch, new Map());
  const cache = fnCache.get(torch);
  const key = `${kind}/${formula}/${k}`;
  if (!cache.has(key)) {
    const s = fnSource(kind, formula, k);
    // eslint-disable-next-line no-new-func
    const forward = new Function('ctx', 'x', 'y', s.forward);
    // eslint-disable-next-line no-new-func
    const backward = new Function('ctx', '...gs', s.backward);
    cache.set(key, torch.autograd.Function({ name: s.name, forward, backward }));
  }
  return cache.get(key);
}

// -- values ------------------------------------------------------------------------------------
function enc(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}
const flat = (t) => Array.from(t.data(), enc);

function close(a, e) {
  if (e === 'NaN') return a === 'NaN';
  if (e === 'Infinity' || e === '-Infinity') return a === e;
  if (typeof a !== 'number' || typeof e !== 'number') return false;
  return Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
}

// Equal with the fixtures' tolerance; an expected {"unpinned": reason} matches anything.
function same(a, e) {
  if (e !== null && typeof e === 'object' && !Array.isArray(e) && 'unpinned' in e) return true;
  if (typeof e === 'number' || e === 'NaN' || e === 'Infinity' || e === '-Infinity') return close(a, e);
  if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => same(a[i], x));
  if (e !== null && typeof e === 'object') {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
    const ka = Object.keys(a);
    const ke = Object.keys(e);
    return ka.length === ke.length && ke.every((k) => k in a && same(a[k], e[k]));
  }
  return a === e;
}

const FIELDS = ['shape', 'dtype', 'values', 'requiresGrad', 'isLeaf', 'gradFn', 'isInference', 'isView', 'version', 'grad'];

function inspect(t) {
  const r = {};
  const field = (name, read) => {
    try {
      r[name] = read();
    } catch (e) {
      r[name] = { error: e instanceof Error ? e.message : String(e) };
    }
  };
  field('shape', () => Array.from(t.shape, Number));
  field('dtype', () => t.dtype);
  field('values', () => flat(t));
  field('requiresGrad', () => t.requiresGrad);
  field('isLeaf', () => t.isLeaf);
  field('gradFn', () => (t.gradFn ? t.gradFn.name : null));
  field('isInference', () => t.isInference());
  field('isView', () => t.isView);
  field('version', () => t.version);
  field('grad', () => {
    const g = t.grad;
    if (g === null || g === undefined) return null;
    const v = flat(g);
    g.dispose();
    return v;
  });
  return r;
}

// -- replay ------------------------------------------------------------------------------------
// Runs a program step by step; after each step calls observe(i, result) where result is
// { e?, m, h, s } with s the full state of every variable. observe returns true to stop.
function replay(torch, program, observe) {
  const steps = program.steps;
  const vars = new Map();
  const optims = new Map();
  let hookLog = [];
  let nhooks = 0;
  let stopped = false;
  const get = (n) => {
    if (!vars.has(n)) throw new Error(`runner: no variable ${n}`);
    return vars.get(n);
  };
  const arg = (a) => {
    if (a !== null && typeof a === 'object' && !Array.isArray(a)) return get(a.t);
    if (Array.isArray(a) && a.some((x) => x !== null && typeof x === 'object')) return a.map(arg);
    return a;
  };

  function exec(st) {
    switch (st.do) {
      case 'tensor':
        vars.set(st.out, torch.tensor(st.data, { dtype: 'float32', requiresGrad: st.requiresGrad }));
        return;
      case 'factory':
        vars.set(st.out, torch[st.fn](...st.args.map(arg), { dtype: 'float32', requiresGrad: st.requiresGrad }));
        return;
      case 'call': {
        const self = get(st.self);
        const res = self[st.fn](...st.args.map(arg));
        if (st.out) vars.set(st.out, res);
        return;
      }
      case 'torchfn':
        vars.set(st.out, torch[st.fn](...st.args.map(arg)));
        return;
      case 'setGradEnabled':
        torch.setGradEnabled(st.flag);
        return;
      case 'backward':
        get(st.t).backward(st.gradient ? get(st.gradient.t) : undefined, { retainGraph: st.retainGraph });
        return;
      case 'grad': {
        const res = torch.autograd.grad(st.outs.map(get), st.ins.map(get), undefined, { retainGraph: st.retainGraph });
        st.out.forEach((n, i) => {
          if (res[i] !== null && res[i] !== undefined) vars.set(n, res[i]);
        });
        return;
      }
      case 'retainGrad':
        get(st.t).retainGrad();
        return;
      case 'detach':
        vars.set(st.out, get(st.t).detach());
        return;
      case 'clone':
        vars.set(st.out, get(st.t).clone());
        return;
      case 'dispose': {
        const t = get(st.t);
        vars.delete(st.t);
        t.dispose();
        return;
      }
      case 'hook': {
        const id = nhooks++;
        const k = st.k;
        get(st.t).registerHook((g) => {
          hookLog.push([id, g ? flat(g) : null]);
          return st.hook === 'scale' && g ? g.mul(k) : undefined;
        });
        return;
      }
      case 'fn': {
        const F = customFunction(torch, st.kind, st.backward, st.k);
        let res = F.apply(...st.args.map(get));
        if (!Array.isArray(res)) res = [res];
        st.out.forEach((n, i) => vars.set(n, res[i]));
        return;
      }
      case 'optim': {
        const params = st.params.map(get);
        const o = st.kind === 'sgd'
          ? new torch.optim.SGD(params, { lr: st.lr, momentum: st.momentum })
          : new torch.optim.Adam(params, { lr: st.lr });
        optims.set(st.out, o);
        return;
      }
      case 'step':
        optims.get(st.o).step();
        return;
      case 'zeroGrad':
        optims.get(st.o).zeroGrad();
        return;
      default:
        throw new Error(`runner: unknown step ${st.do}`);
    }
  }

  function snapshot(error) {
    const r = {};
    if (error !== undefined) r.e = error;
    r.m = [torch.isGradEnabled(), torch.isInferenceModeEnabled()];
    r.h = hookLog;
    const s = {};
    for (const [n, t] of vars) s[n] = inspect(t);
    r.s = s;
    return r;
  }

  function runOne(i) {
    hookLog = [];
    let error;
    try {
      exec(steps[i]);
    } catch (e) {
      error = e instanceof Error ? e.message : `non-Error thrown: ${String(e)}`;
    }
    if (observe(i, snapshot(error))) stopped = true;
  }

  // JavaScript modes take callbacks: the steps between enter and exit run inside one.
  function block(i, depth) {
    while (i < steps.length && !stopped) {
      const st = steps[i];
      if (st.do === 'exit') {
        if (depth > 0) return i;
        throw new Error('runner: exit without enter');
      }
      if (st.do !== 'enter') {
        runOne(i);
        i += 1;
        continue;
      }
      const enter = i;
      let end;
      let error;
      try {
        MODE_FUNCTIONS[st.mode](torch, () => {
          hookLog = [];
          if (observe(enter, snapshot())) {
            stopped = true;
            return;
          }
          end = block(enter + 1, depth + 1);
        });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      if (stopped) return steps.length;
      if (end === undefined) throw new Error(`runner: enter failed: ${error}`);
      hookLog = [];
      if (end < steps.length && observe(end, snapshot(error))) stopped = true;
      i = end + 1;
    }
    return i;
  }

  try {
    torch.tidy(() => {
      block(0, 0);
    });
  } finally {
    for (const o of optims.values()) if (typeof o.dispose === 'function') o.dispose();
    for (const t of vars.values()) {
      try {
        t.dispose();
      } catch (e) {
        // already disposed by tidy, or an alias of a disposed tensor
      }
    }
    if (!torch.isGradEnabled()) torch.setGradEnabled(true);
  }
}

// Expands the recorded deltas of step i onto `state` (the full expected state of every variable).
function expectedAt(state, rec) {
  for (const [n, d] of Object.entries(rec.s || {})) {
    if (d === null) state.delete(n);
    else state.set(n, { ...(state.get(n) || {}), ...d });
  }
  return { e: rec.e, m: rec.m, h: rec.h || [], s: state };
}

const show = (v) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}...` : s;
};

function differences(exp, act) {
  const out = [];
  if (exp.e !== undefined || act.e !== undefined) {
    if (exp.e === undefined) out.push({ what: 'webtorch threw', text: `torch: ok; webtorch threw ${show(act.e)}` });
    else if (act.e === undefined) out.push({ what: 'torch threw', text: `torch threw ${show(exp.e)}; webtorch: ok` });
    else if (!same(act.e, exp.e)) out.push({ what: 'error text', text: `torch threw ${show(exp.e)}; webtorch threw ${show(act.e)}` });
  }
  if (!same(act.m, exp.m)) out.push({ what: 'modes', text: `modes [grad, inference]: torch ${show(exp.m)}, webtorch ${show(act.m)}` });
  if (!same(act.h, exp.h)) out.push({ what: 'hook calls', text: `hook calls [id, grad]: torch ${show(exp.h)}, webtorch ${show(act.h)}` });
  for (const [n, e] of exp.s) {
    const a = act.s[n];
    if (!a) {
      out.push({ what: 'variable', text: `${n}: torch has it, webtorch does not` });
      continue;
    }
    for (const f of FIELDS) {
      if (!same(a[f], e[f])) out.push({ what: f, text: `${n}.${f}: torch ${show(e[f])}, webtorch ${show(a[f])}` });
    }
  }
  for (const n of Object.keys(act.s)) {
    if (!exp.s.has(n)) out.push({ what: 'variable', text: `${n}: webtorch has it, torch does not` });
  }
  return out;
}

export function checkProgram(torch, program) {
  const state = new Map();
  let found = null;
  replay(torch, program, (i, actual) => {
    const exp = expectedAt(state, program.record[i]);
    const diffs = differences(exp, actual);
    if (diffs.length === 0) return false;
    found = { step: i, diffs };
    return true;
  });
  return found;
}

// -- reports -----------------------------------------------------------------------------------
function stepKind(st) {
  switch (st.do) {
    case 'call':
    case 'torchfn':
      return `${st.do} ${st.fn}`;
    case 'fn':
      return `fn ${st.kind}/${st.backward}`;
    case 'enter':
      return `enter ${st.mode}`;
    case 'hook':
      return `hook ${st.hook}`;
    default:
      return st.do;
  }
}

export function groupKey(program, diff) {
  return `${stepKind(program.steps[diff.step])}: ${diff.diffs[0].what}`;
}

function jsArg(a) {
  if (a !== null && typeof a === 'object' && !Array.isArray(a)) return a.t;
  if (Array.isArray(a) && a.some((x) => x !== null && typeof x === 'object')) return `[${a.map(jsArg).join(', ')}]`;
  return JSON.stringify(a);
}

function stepCode(st, fnNames) {
  const A = (args) => args.map(jsArg).join(', ');
  switch (st.do) {
    case 'tensor':
      return `${st.out} = torch.tensor(${JSON.stringify(st.data)}, { dtype: 'float32', requiresGrad: ${st.requiresGrad} });`;
    case 'factory':
      return `${st.out} = torch.${st.fn}(${A(st.args)}, { dtype: 'float32', requiresGrad: ${st.requiresGrad} });`;
    case 'call':
      return `${st.out ? `${st.out} = ` : ''}${st.self}.${st.fn}(${A(st.args)});`;
    case 'torchfn':
      return `${st.out} = torch.${st.fn}(${A(st.args)});`;
    case 'setGradEnabled':
      return `torch.setGradEnabled(${st.flag});`;
    case 'backward':
      return `${st.t}.backward(${st.gradient ? st.gradient.t : 'undefined'}, { retainGraph: ${st.retainGraph} });`;
    case 'grad':
      return `[${st.out.join(', ')}] = torch.autograd.grad([${st.outs.join(', ')}], [${st.ins.join(', ')}], undefined, { retainGraph: ${st.retainGraph} });`;
    case 'retainGrad':
      return `${st.t}.retainGrad();`;
    case 'detach':
    case 'clone':
      return `${st.out} = ${st.t}.${st.do}();`;
    case 'dispose':
      return `${st.t}.dispose();`;
    case 'hook':
      return `${st.t}.registerHook(hook(${st.hookId}${st.hook === 'scale' ? `, ${st.k}` : ''}));`;
    case 'fn': {
      const call = `${fnNames.get(`${st.kind}/${st.backward}/${st.k}`)}.apply(${st.args.join(', ')})`;
      return st.out.length === 1 ? `${st.out[0]} = ${call};` : `[${st.out.join(', ')}] = ${call};`;
    }
    case 'optim':
      return st.kind === 'sgd'
        ? `${st.out} = new torch.optim.SGD([${st.params.join(', ')}], { lr: ${st.lr}, momentum: ${st.momentum} });`
        : `${st.out} = new torch.optim.Adam([${st.params.join(', ')}], { lr: ${st.lr} });`;
    case 'step':
      return `${st.o}.step();`;
    case 'zeroGrad':
      return `${st.o}.zeroGrad();`;
    default:
      return `// ${JSON.stringify(st)}`;
  }
}

// The program up to `upTo` (inclusive) as JavaScript a user can paste: steps torch refused
// are wrapped in try/catch; the last step is followed by a print of what it observes.
export function snippet(program, upTo, diff) {
  const steps = program.steps;
  const lines = [
    "import { load } from 'webtorch';",
    'const torch = await load();',
    'const seen = []; // hook calls: [hook id, gradient]',
    'const hook = (id, k) => (g) => { seen.push([id, g ? Array.from(g.data()) : null]); return k === undefined || !g ? undefined : g.mul(k); };',
  ];
  const fnNames = new Map();
  const names = new Set();
  let hookId = 0;
  const prepared = steps.slice(0, upTo + 1).map((st) => {
    if (st.do === 'hook') return { ...st, hookId: hookId++ };
    if (st.do === 'fn') {
      const key = `${st.kind}/${st.backward}/${st.k}`;
      if (!fnNames.has(key)) {
        const name = `F${fnNames.size}`;
        fnNames.set(key, name);
        lines.push(`const ${name} = ${fnDefinitionText(st.kind, st.backward, st.k)};`);
      }
    }
    for (const n of [].concat(st.out || [])) names.add(n);
    return st;
  });
  if (names.size) lines.push(`let ${[...names].join(', ')};`);
  let indent = '';
  const show = (code, i) => {
    const rec = program.record[i];
    if (rec.e !== undefined && i !== upTo) {
      lines.push(`${indent}try { ${code} } catch (e) { console.log('step ${i} throws (as in torch):', e.message); }`);
    } else {
      lines.push(`${indent}${code}`);
    }
  };
  prepared.forEach((st, i) => {
    if (st.do === 'enter') {
      const call = MODE_CALLS[st.mode];
      lines.push(`${indent}${call.endsWith(' ') ? call : `${call}(`}() => {`);
      indent += '  ';
    } else if (st.do === 'exit') {
      indent = indent.slice(2);
      lines.push(`${indent}});`);
    } else {
      show(stepCode(st, fnNames), i);
    }
  });
  const vars = [...new Set((diff?.diffs || []).map((d) => d.text.split(/[.:]/)[0]).filter((n) => names.has(n)))];
  lines.push(`${indent}// step ${upTo} differs; what to look at:`);
  for (const n of vars) {
    lines.push(`${indent}console.log('${n}', ${n}.toArray(), ${n}.requiresGrad, ${n}.isLeaf, ${n}.gradFn?.name, ` +
      `${n}.isView, ${n}.grad?.toArray());`);
  }
  if ((diff?.diffs || []).some((d) => d.what === 'hook calls')) lines.push(`${indent}console.log(seen);`);
  while (indent.length > 0) {
    indent = indent.slice(2);
    lines.push(`${indent}});`);
  }
  return lines.join('\n');
}

export function report(program, diff) {
  return [
    `program ${program.id}: step ${diff.step} (${stepKind(program.steps[diff.step])}) differs:`,
    ...diff.diffs.slice(0, 6).map((d) => `  ${d.text}`),
    ...(diff.diffs.length > 6 ? [`  ... ${diff.diffs.length - 6} more`] : []),
    '  as JavaScript:',
    ...snippet(program, diff.step, diff).split('\n').map((l) => `    ${l}`),
  ].join('\n');
}

// Runs every program; returns { ran, differing: [{ program, diff }], groups: Map(key -> ids) }.
export function checkAll(torch, programs) {
  const differing = [];
  const groups = new Map();
  for (const p of programs) {
    let diff;
    try {
      diff = checkProgram(torch, p);
    } catch (e) {
      diff = { step: 0, diffs: [{ what: 'runner failure', text: String(e && e.stack ? e.stack : e) }] };
    }
    if (!diff) continue;
    differing.push({ program: p, diff });
    const k = groupKey(p, diff);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(p.id);
  }
  return { ran: programs.length, differing, groups };
}

export function summary(result, label) {
  const lines = [`${label}: ${result.ran} programs, ${result.differing.length} differ from torch 1.13.1`];
  const sorted = [...result.groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [k, ids] of sorted) {
    lines.push(`  ${String(ids.length).padStart(5)}  ${k}   (programs ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''})`);
  }
  return lines.join('\n');
}
