// Replays the golden scenarios of tests/fixtures/*.json against webtorch's public
// JavaScript API (/work/shared/API.md). The DSL is documented in
// tests/fixtures/README.md; the reference semantics is the Executor class of
// tests/fixtures/generate.py, which ran every scenario on PyTorch.
//
//   runScenario(torch, scenario)            -> results, same shape as scenario.expect
//   compareResults(actual, expected, opts)  -> list of mismatch descriptions ([] = pass)

import { customFunctionOf } from './custom_function_kinds.mjs';
import { createAutogradSteps } from './autograd_steps.mjs';

export const DEFAULT_TOLERANCE = Object.freeze({ rtol: 1e-5, atol: 1e-6 });

// `enter` modes -> the scoped mode function that runs `fn` inside that mode.
export const MODE_FUNCTIONS = {
  noGrad: (torch, fn) => torch.noGrad(fn),
  enableGrad: (torch, fn) => torch.enableGrad(fn),
  gradOn: (torch, fn) => torch.setGradEnabled(true, fn),
  gradOff: (torch, fn) => torch.setGradEnabled(false, fn),
  inference: (torch, fn) => torch.inferenceMode(true, fn),
  inferenceOff: (torch, fn) => torch.inferenceMode(false, fn),
};

function messageOf(e) {
  if (e instanceof Error) return e.message;
  return `non-Error thrown: ${String(e)}`;
}

function encodeNumber(v) {
  if (typeof v === 'bigint') return Number(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

// Flat list of a tensor's values, encoded like the fixtures: booleans for bool
// tensors, NaN/±Infinity as strings.
function flatValues(t) {
  const dtype = t.dtype;
  const data = t.data();
  const out = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = dtype === 'bool' ? Boolean(data[i]) : encodeNumber(data[i]);
  }
  return out;
}

function isTensorLike(v) {
  return v !== null && typeof v === 'object' && typeof v.dispose === 'function' &&
    typeof v.data === 'function';
}

export function runScenario(torch, scenario) {
  const steps = scenario.steps;
  const results = new Array(steps.length);
  const vars = new Map();
  const seen = new Set(); // every tensor object the runner got hold of, disposed at the end

  const track = (t) => {
    if (isTensorLike(t)) seen.add(t);
    return t;
  };
  const getVar = (name) => {
    if (!vars.has(name)) throw new Error(`runner: no tensor variable '${name}'`);
    return vars.get(name);
  };
  const setVar = (name, t) => {
    vars.set(name, track(t));
  };
  const tensorOrUndefined = (ref) => (ref === null || ref === undefined ? undefined : getVar(ref.t));
  const resolveArg = (a) => {
    if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
      if (typeof a.t === 'string') return getVar(a.t);
      if (Array.isArray(a.slice)) return torch.slice(...a.slice); // t.index(...) entries (issue 14)
      if (a.options && typeof a.options === 'object') return a.options;
      throw new Error(`runner: bad argument ${JSON.stringify(a)}`);
    }
    if (Array.isArray(a) && a.some((x) => x !== null && typeof x === 'object')) {
      return a.map(resolveArg);
    }
    return decodeNumber(a);
  };
  // Tensor data: nested lists whose NaN/±Infinity are encoded as strings.
  const decodeData = (d) => (Array.isArray(d) ? d.map(decodeData) : decodeNumber(d));
  const resolveArgs = (args) => (args || []).map(resolveArg);
  // An nnFunctional step's options: tensors by reference ({ weight: { t: 'w' } }), strings as given.
  const resolveOptions = (o) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : resolveArg(v)])) : undefined);
  const extraSteps = createAutogradSteps(torch, { getVar, setVar, track, flatValues });

  function inspect(t) {
    const r = { ok: true };
    const field = (name, read) => {
      try {
        r[name] = read();
      } catch (e) {
        r[name] = { error: messageOf(e) };
      }
    };
    field('shape', () => Array.from(t.shape, Number));
    field('dtype', () => t.dtype);
    field('values', () => flatValues(t));
    field('requiresGrad', () => t.requiresGrad);
    field('isLeaf', () => t.isLeaf);
    field('gradFn', () => {
      const fn = t.gradFn;
      return fn === null || fn === undefined ? null : fn.name;
    });
    field('isInference', () => t.isInference());
    field('isView', () => t.isView);
    field('version', () => t.version);
    field('grad', () => {
      const g = t.grad;
      if (g === null || g === undefined) return null;
      track(g);
      return flatValues(g);
    });
    return r;
  }

  // A tensor result binds `out`; a tuple result ({ values, indices }, iterable) binds each
  // name of an `out` list in order.
  function bindResult(out, res) {
    if (Array.isArray(out)) {
      const items = [...res];
      items.forEach((t) => track(t));
      out.forEach((name, i) => setVar(name, items[i]));
      return;
    }
    track(res);
    if (out && isTensorLike(res)) setVar(out, res);
  }

  function runStep(st) {
    switch (st.do) {
      case 'tensor':
        setVar(st.out, torch.tensor(decodeData(st.data), { dtype: st.dtype, requiresGrad: st.requiresGrad }));
        return { ok: true };
      case 'factory': {
        const fn = torch[st.fn];
        if (typeof fn !== 'function') throw new Error(`runner: torch.${st.fn} is not a function`);
        setVar(st.out, fn.call(torch, ...resolveArgs(st.args),
          { dtype: st.dtype, requiresGrad: st.requiresGrad }));
        return { ok: true };
      }
      case 'call': {
        const self = getVar(st.self);
        const fn = self[st.fn];
        if (typeof fn !== 'function') throw new Error(`runner: Tensor.${st.fn} is not a function`);
        const res = fn.apply(self, resolveArgs(st.args));
        bindResult(st.out, res);
        return { ok: true };
      }
      case 'torchfn': {
        const fn = torch[st.fn];
        if (typeof fn !== 'function') throw new Error(`runner: torch.${st.fn} is not a function`);
        const res = fn.apply(torch, resolveArgs(st.args));
        bindResult(st.out, res);
        return { ok: true };
      }
      case 'setGradEnabled': {
        const prev = torch.setGradEnabled(st.flag);
        return { ok: true, prev };
      }
      case 'modes':
        return { ok: true, grad: torch.isGradEnabled(), inference: torch.isInferenceModeEnabled() };
      case 'inspect':
        return inspect(getVar(st.t));
      case 'backward': {
        const t = getVar(st.t);
        t.backward(tensorOrUndefined(st.gradient), { retainGraph: st.retainGraph ?? undefined, createGraph: Boolean(st.createGraph) });
        return { ok: true };
      }
      case 'grad': {
        const outs = st.outs.map(getVar);
        const ins = st.ins.map(getVar);
        const gos = st.gradOutputs === null || st.gradOutputs === undefined
          ? undefined
          : st.gradOutputs.map((g) => (g === null ? null : getVar(g.t)));
        const res = torch.autograd.grad(outs, ins, gos, { retainGraph: st.retainGraph ?? undefined, createGraph: Boolean(st.createGraph), allowUnused: Boolean(st.allowUnused) });
        const names = st.out || [];
        for (let i = 0; i < names.length; i++) {
          const g = res[i];
          if (g !== null && g !== undefined) setVar(names[i], g);
        }
        return { ok: true };
      }
      case 'retainGrad':
        getVar(st.t).retainGrad();
        return { ok: true };
      case 'detach':
        setVar(st.out, getVar(st.t).detach());
        return { ok: true };
      case 'clone':
        setVar(st.out, getVar(st.t).clone());
        return { ok: true };
      case 'dispose': {
        const t = getVar(st.t);
        vars.delete(st.t);
        seen.delete(t);
        t.dispose();
        return { ok: true };
      }
      case 'isContiguous':
        return { ok: true, value: getVar(st.t).isContiguous() };
      case 'to':
        setVar(st.out, getVar(st.t).to(st.dtype));
        return { ok: true };
      case 'customFunction': {
        const res = customFunctionOf(torch, st.kind).apply(...resolveArgs(st.args));
        if (!Array.isArray(st.out)) {
          setVar(st.out, res);
          return { ok: true };
        }
        const others = st.out.map((name, i) => {
          if (!isTensorLike(res[i])) return res[i];
          setVar(name, res[i]);
          return null;
        });
        return { ok: true, others };
      }
      case 'nnFunctional': // torch.nn.functional.<fn>(...args, options) (higher_order_js.json)
        setVar(st.out, torch.nn.functional[st.fn](...resolveArgs(st.args), resolveOptions(st.options)));
        return { ok: true };
      default: {
        const res = extraSteps.run(st);
        if (res === undefined) throw new Error(`runner: unknown step kind '${st.do}'`);
        return res;
      }
    }
  }

  // Runs steps from index i until the `exit` closing this level (returned, not
  // executed) or the end of the scenario. JavaScript modes take callbacks, so the
  // steps between an `enter` and its `exit` run inside the mode function's callback.
  function runBlock(i, depth) {
    while (i < steps.length) {
      const st = steps[i];
      if (st.do === 'exit') {
        if (depth > 0) return i;
        results[i] = { error: 'runner: exit without a matching enter' };
        i += 1;
        continue;
      }
      if (st.do !== 'enter') {
        try {
          results[i] = runStep(st);
        } catch (e) {
          results[i] = { error: messageOf(e) };
        }
        i += 1;
        continue;
      }
      const enterIndex = i;
      const modeFn = MODE_FUNCTIONS[st.mode];
      let end;
      if (!modeFn) {
        results[enterIndex] = { error: `runner: unknown mode '${st.mode}'` };
      } else {
        results[enterIndex] = { ok: true };
        let exitError = null;
        try {
          const ret = modeFn(torch, () => {
            end = runBlock(enterIndex + 1, depth + 1);
          });
          if (ret !== undefined && ret !== null && typeof ret.then === 'function') {
            exitError = 'runner: mode function returned a Promise for a synchronous callback';
          }
        } catch (e) {
          if (end === undefined) results[enterIndex] = { error: messageOf(e) };
          else exitError = messageOf(e);
        }
        if (end !== undefined && end < steps.length) {
          results[end] = exitError === null ? { ok: true } : { error: exitError };
        }
      }
      if (end === undefined) {
        // The mode could not be entered (recorded above); still run the block so
        // that every later step gets a result.
        end = runBlock(enterIndex + 1, depth + 1);
        if (end < steps.length) results[end] = { ok: true };
      }
      i = end + 1;
    }
    return i;
  }

  try {
    runBlock(0, 0);
  } finally {
    extraSteps.dispose();
    for (const t of seen) {
      try {
        t.dispose();
      } catch (e) {
        // already disposed (for example an in-place result aliasing another variable)
      }
    }
    vars.clear();
    seen.clear();
  }
  return results;
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

function decodeNumber(v) {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

function isSpecialNumberString(v) {
  return v === 'NaN' || v === 'Infinity' || v === '-Infinity';
}

function show(v) {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 300 ? `${s.slice(0, 300)}...` : s;
}

function numbersClose(a, e, rtol, atol) {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (!Number.isFinite(a)) return false;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

function compareValue(actual, expected, path, opts, out) {
  // {"knownDifference": item, "torch": t, "webtorch": w}: a documented difference from
  // PyTorch 1.13.1 (tests/fixtures/README.md, "Known differences"); webtorch must give w.
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) &&
      Object.prototype.hasOwnProperty.call(expected, 'knownDifference')) {
    if (typeof expected.knownDifference !== 'string' || !expected.knownDifference ||
        !Object.prototype.hasOwnProperty.call(expected, 'webtorch') ||
        !Object.prototype.hasOwnProperty.call(expected, 'torch')) {
      out.push(`${path}: malformed knownDifference entry ${show(expected)}`);
      return;
    }
    compareValue(actual, expected.webtorch, path, opts, out);
    return;
  }
  if (typeof expected === 'number' || isSpecialNumberString(expected)) {
    const a = decodeNumber(actual);
    if (typeof a !== 'number' || !numbersClose(a, decodeNumber(expected), opts.rtol, opts.atol)) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    }
    return;
  }
  if (typeof expected === 'string') {
    const ok = typeof actual === 'string' &&
      (actual === expected || (opts.errorPrefix && path.endsWith('.error') && actual.startsWith(expected)));
    if (!ok) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (expected === null || typeof expected === 'boolean') {
    if (actual !== expected) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${path}: expected an array ${show(expected)}, got ${show(actual)}`);
      return;
    }
    if (actual.length !== expected.length) {
      out.push(`${path}: expected ${expected.length} items ${show(expected)}, got ${actual.length} ${show(actual)}`);
      return;
    }
    for (let i = 0; i < expected.length; i++) compareValue(actual[i], expected[i], `${path}[${i}]`, opts, out);
    return;
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    // An error where a success was expected (or the reverse) is one mismatch, not many.
    if (('error' in expected) !== ('error' in actual) && ('ok' in expected || 'ok' in actual)) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) out.push(`${path}.${k}: missing, expected ${show(expected[k])}`);
      else compareValue(actual[k], expected[k], `${path}.${k}`, opts, out);
    }
    for (const k of Object.keys(actual)) {
      if (!(k in expected)) out.push(`${path}.${k}: unexpected field ${show(actual[k])}`);
    }
    return;
  }
  out.push(`${path}: unsupported expected value ${show(expected)}`);
}

function describeStep(st) {
  if (!st) return '';
  switch (st.do) {
    case 'call':
      return `${st.out ? `${st.out} = ` : ''}${st.self}.${st.fn}(${(st.args || []).map(show).join(', ')})`;
    case 'torchfn':
      return `${st.out ? `${st.out} = ` : ''}torch.${st.fn}(${(st.args || []).map(show).join(', ')})`;
    case 'inspect':
      return `inspect ${st.t}`;
    case 'enter':
      return `enter ${st.mode}`;
    default: {
      const rest = { ...st };
      delete rest.do;
      return `${st.do} ${show(rest)}`;
    }
  }
}

// opts: { rtol, atol, steps?, errorPrefix? }. `steps` (the scenario's steps) only
// makes the descriptions readable; `errorPrefix: true` accepts an error message
// that starts with PyTorch's text and appends context (default: exact match).
export function compareResults(actual, expected, opts = {}) {
  const o = { ...DEFAULT_TOLERANCE, errorPrefix: false, ...opts };
  const out = [];
  if (!Array.isArray(actual)) return [`expected a list of ${expected.length} results, got ${show(actual)}`];
  if (actual.length !== expected.length) {
    out.push(`expected ${expected.length} results, got ${actual.length}`);
  }
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const label = o.steps ? `step ${i} (${describeStep(o.steps[i])})` : `step ${i}`;
    if (actual[i] === undefined) {
      out.push(`${label}: no result`);
      continue;
    }
    compareValue(actual[i], expected[i], label, o, out);
  }
  return out;
}
