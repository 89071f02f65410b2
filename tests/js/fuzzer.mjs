// A seeded fuzzer of the public JavaScript API (API.md): random calls mixing valid and
// invalid arguments, checked after every call against webtorch's promises.
//
// Note [Fuzzer invariants]
// After every call, at every nesting depth:
//   - it returned, or threw an Error with a non-empty message that is not an engine trap
//     (WebAssembly.RuntimeError, "Aborted(", "memory access out of bounds") or an
//     accident of the JavaScript layer (a TypeError such as "Cannot read properties of
//     undefined"); a value the fuzzer itself threw inside a callback comes back as itself;
//   - the mode state (isGradEnabled, isInferenceModeEnabled, diagnostics().modeState) is
//     what it was before the call (a bare setGradEnabled only inside a scope that restores);
//   - no live tensor changed, except through an in-place op that succeeded on a tensor that
//     may share its storage (tracked as storage groups), or a .grad a backward accumulated
//     into; a failing in-place op changed nothing at all;
// and after every top-level call a simple op still gives the right answer. At the end, with
// every tensor disposed or collected, torch.memory() is back where it started.
//
// One pattern is left out on purpose: a recorded in-place op on t with an operand computed
// from t by an op that saved t (t.add_(t.mul(y)) with grad on). Its graph is a reference
// cycle that PyTorch 1.13 leaks too; the fuzzer tracks each tensor's lineage (the storage
// groups it was computed from) and uses a scalar operand instead, so that the end-of-run
// leak check stays exact. (a.mul_(a) itself is fine: Note [Saving an in-place op's own input].)
//
// The sequence is a function of the seed alone: a failure prints the seed and the last
// calls; `WEBTORCH_FUZZ_SEED=<seed> node tests/js/fuzz_replay.mjs` replays it verbosely.

import { OPS } from '../../js/op_table.mjs';
import { rng as makeRng } from './reliability_helpers.mjs';

// A value thrown by the fuzzer inside a callback: it must arrive unchanged.
export class FuzzFault extends Error {}

// Messages that are never a clear answer to bad input.
const TRAP = /RuntimeError|Aborted\(|memory access out of bounds|unreachable|table index is out of bounds|call stack size exceeded|integer overflow|divide by zero/i;
const ACCIDENT = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|undefined is not|null is not|Invalid array length|Invalid typed array length|Start offset|out of bounds|Cannot mix BigInt|Cannot destructure/;

// Numbers, values and call-site names normalised away, so that "add: expected a Tensor, got
// number 3" and "sub: expected a Tensor, got null" are one kind of error.
const VALUE = String.raw`(number \S+|string .*?|boolean \S+|bigint \S+|symbol \S+|undefined|null|an? [\w ]+)`;
export function errorKind(message) {
  return message
    .replace(/^(torch\.)?[A-Za-z_][\w.]*(\(\))?(?=(: | expects ))/, '<fn>')
    .replace(new RegExp(`(got|found|from) ${VALUE}( and ${VALUE})?(?=\\)|$)`, 'g'), '$1 <value>')
    .replace(/unknown dtype [^;]*;/, 'unknown dtype <value>;')
    .replace(/[\w.]+\(\) ended when/, '<fn>() ended when')
    .replace(/"[^"]*"|'[^']*'/g, "'…'")
    .replace(/\b\d+x\d+\b/g, 'NxN')
    .replace(/\b\d+D\b/g, 'ND')
    .replace(/-?\b(inf|nan|NaN|Infinity)\b/g, 'N')
    .replace(/-?\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, 'N')
    .replace(/\[(N(, )?)+\]/g, '[N...]')
    .slice(0, 160);
}

function describeValue(v, labels, depth = 0) {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') {
    const kind = v.constructor && v.constructor.name;
    return kind === 'AsyncFunction' ? 'async fn' : kind === 'GeneratorFunction' ? 'function*' : 'fn';
  }
  if (v === null || v === undefined || typeof v === 'boolean') return String(v);
  if (labels.has(v)) return labels.get(v);
  if (depth > 2) return '…';
  if (Array.isArray(v)) {
    const items = v.slice(0, 6).map((x) => describeValue(x, labels, depth + 1));
    return `[${items.join(', ')}${v.length > 6 ? `, …(${v.length})` : ''}]`;
  }
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length})`;
  return `{${Object.keys(v).slice(0, 4).map((k) => `${k}: ${describeValue(v[k], labels, depth + 1)}`).join(', ')}}`;
}

// Bit-exact checksum of a tensor's contents (NaN payloads included).
function checksum(t) {
  const bytes = new Uint8Array(t.data().buffer);
  let h = 2166136261 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
  return `${t.shape.join('x')}:${t.dtype}:${h >>> 0}`;
}

export function createFuzzer({ torch, other, seed, log = () => {}, maxDepth = 3 }) {
  const r = makeRng(seed);
  const { Tensor } = torch;
  const P = Tensor.prototype;
  const has = (name) => typeof P[name] === 'function';

  // ---- the pool of tensors the fuzzer holds ----
  const labels = new Map(); // Tensor -> 't12' (also other-engine and disposed labels)
  const entries = new Map(); // Tensor -> { label, group }
  const gradGroups = new Set(); // groups a backward may accumulate into
  let nextLabel = 0;
  let nextGroup = 0;
  const disposed = [];
  const others = [];
  const stats = { calls: 0, topLevel: 0, ok: 0, errors: 0, injected: 0, kinds: new Map(), skipped: [] };
  const history = [];
  let mutated = new Set(); // groups an in-place op changed during the current top-level call
  let scopeDepth = 0; // mode scopes around the current call: a bare setGradEnabled is undone by them

  const newGroup = () => `g${nextGroup++}`;
  // lineage: the groups a tensor was computed from ('*': unknown, made inside a callback).
  function lineageOf(inputs, unknown) {
    const out = new Set();
    if (unknown) out.add('*');
    for (const x of inputs) {
      const e = entries.get(x);
      if (!e) continue;
      out.add(e.group);
      for (const g of e.lineage) out.add(g);
    }
    return out.size > 64 ? new Set(['*']) : out;
  }
  function adopt(t, group, lineage = new Set(['*'])) {
    if (!(t instanceof Tensor) || t.isDisposed) return;
    if (entries.has(t)) return;
    const label = `t${nextLabel++}`;
    labels.set(t, label);
    entries.set(t, { label, group: group ?? newGroup(), lineage });
    // Every tensor an op hands out must be readable; keep the pool small and cheap to checksum.
    if (t.numel <= 4096) readable(t, 'right after it was made');
    if (t.numel > 4096) release(t);
    else if (entries.size > 24) release(r.pick([...entries.keys()]));
  }
  function release(t) {
    entries.delete(t);
    if (!t.isDisposed) t.dispose();
    rememberDisposed(t);
  }
  function rememberDisposed(t) {
    if (!labels.has(t)) labels.set(t, `t${nextLabel++}`);
    labels.set(t, `disposed(${labels.get(t).replace(/^disposed\(|\)$/g, '')})`);
    disposed.push(t);
    if (disposed.length > 8) disposed.shift();
  }
  function prune() {
    for (const t of [...entries.keys()]) {
      if (t.isDisposed) {
        entries.delete(t);
        rememberDisposed(t);
      }
    }
  }
  const groupOf = (t) => (entries.has(t) ? entries.get(t).group : null);
  const live = () => [...entries.keys()].filter((t) => !t.isDisposed);

  for (let i = 0; i < 3; i++) {
    const t = i === 0 ? other.ones([2, 3]) : i === 1 ? other.tensor([1, 2, 3]) : other.zeros([3], { requiresGrad: true });
    labels.set(t, `other${i}`);
    others.push(t);
  }

  // ---- random arguments ----
  const JUNK = () => r.pick([undefined, null, 0, 1.5, NaN, 'x', '', true, {}, [], [[]], () => 1, Symbol('s'), 10n, { _h: 12, dispose() {} }, new Float64Array(2)]);
  const smallSize = () => r.pick([0, 1, 1, 2, 2, 3, 3, 4]);
  function validShape(maxDims = 4) {
    return Array.from({ length: r.int(0, maxDims) }, smallSize);
  }
  function badShape() {
    return r.pick([
      [-1], [2, -3], [1.5], [NaN], [Infinity], ['2'], [null], [[2]], 'shape', 3, null, {},
      [2 ** 31 - 1, 2 ** 31 - 1], [70000, 70000], [2 ** 31, 2], [1e10], [2 ** 30, 4], [65536, 65536, 65536],
      Array(17).fill(1), Array(40).fill(2), [0, -1], [-0],
    ]);
  }
  const shape = () => (r.chance(0.8) ? validShape() : badShape());
  const dtype = () => (r.chance(0.85) ? r.pick(['float32', 'float32', 'int32', 'bool']) : r.pick(['float64', 'int64', 'Float', 'float', 0, null, {}, 'uint8']));
  function scalar() {
    if (r.chance(0.75)) return r.pick([0, 1, -1, 2, 0.5, -2.5, 3, 7, 1e-3, true, false]);
    return r.pick([NaN, Infinity, -Infinity, -0, 1e38, 1e39, -1e39, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 5e-324, 'two', null, undefined, [], {}, 1n]);
  }
  function options() {
    if (r.chance(0.5)) return undefined;
    const o = {};
    if (r.chance(0.6)) o.dtype = dtype();
    if (r.chance(0.4)) o.requiresGrad = r.chance(0.8) ? r.chance(0.5) : r.pick([1, 'yes', null]);
    if (r.chance(0.05)) o.device = 'cuda';
    return r.chance(0.05) ? r.pick([null, 'float32', 5]) : o;
  }
  function liveTensor() {
    const pool = live();
    if (pool.length === 0 || r.chance(0.05)) {
      const t = torch.tensor(Array.from({ length: r.int(1, 6) }, () => r.int(-3, 3) * 0.5));
      adopt(t, undefined, new Set());
      return t;
    }
    return r.pick(pool);
  }
  function tensorArg() {
    const p = r.next();
    if (p < 0.84) return liveTensor();
    if (p < 0.89 && disposed.length) return r.pick(disposed);
    if (p < 0.94) return r.pick(others);
    return JUNK();
  }
  // The receiver of a method call: a Tensor of this engine (maybe disposed) or of the other.
  function receiverArg() {
    const p = r.next();
    if (p < 0.9) return liveTensor();
    if (p < 0.95 && disposed.length) return r.pick(disposed);
    return r.pick(others);
  }
  function dimArg(t) {
    const nd = t instanceof Tensor && !t.isDisposed ? t.ndim : 2;
    if (r.chance(0.8)) return nd === 0 ? r.pick([0, -1]) : r.int(-nd, nd - 1);
    return r.pick([nd, -nd - 1, 64, -64, 0.5, NaN, '0', null, [0, 0], [0, 1], 2 ** 31, -(2 ** 31) - 1]);
  }
  const otherOperand = () => (r.chance(0.5) ? tensorArg() : scalar());

  // Nested-array data for torch.tensor: rectangular or ragged, with odd elements.
  function nested(depthLeft) {
    const dims = Array.from({ length: depthLeft }, () => r.int(0, 3));
    const leaf = () => {
      const p = r.next();
      if (p < 0.6) return r.int(-5, 5) * (r.chance(0.5) ? 1 : 0.25);
      if (p < 0.75) return r.chance(0.5);
      if (p < 0.85) return r.pick([NaN, Infinity, -Infinity, -0, 3e9, 2 ** 31, 1e39, 1e-45]);
      return r.pick([null, undefined, 'a', {}, [1], 1n]);
    };
    const build = (d) => {
      if (d === dims.length) return r.chance(0.97) ? leaf() : [leaf()];
      let n = dims[d];
      if (r.chance(0.05)) n = r.int(0, 4); // ragged here
      return Array.from({ length: n }, () => build(d + 1));
    };
    return build(0);
  }
  function tensorData() {
    const p = r.next();
    if (p < 0.55) return [nested(r.int(0, 4))];
    if (p < 0.7) {
      const n = r.int(0, 8);
      const T = r.pick([Float32Array, Int32Array, Uint8Array, Float64Array, Int8Array]);
      const data = T.from(Array.from({ length: n }, () => r.int(-4, 4)));
      const s = r.chance(0.7) ? [n] : r.chance(0.5) ? [2, n / 2] : badShape();
      return [data, r.chance(0.8) ? { shape: s, dtype: r.chance(0.3) ? dtype() : undefined } : undefined];
    }
    if (p < 0.8) return [scalar()];
    if (p < 0.9) {
      const deep = r.int(15, 40);
      let v = 1;
      for (let i = 0; i < deep; i++) v = [v];
      return [v];
    }
    return [JUNK(), options()];
  }

  // ---- the actions: each returns { desc, run, inplace?, group? } ----
  const actions = [];
  function action(name, weight, make, { requires } = {}) {
    if (requires && !requires.every((n) => (n.startsWith('torch.') ? typeof torch[n.slice(6)] === 'function' : has(n)))) {
      stats.skipped.push(name);
      return;
    }
    actions.push({ name, weight, make });
  }
  // The tensors an action passes: every argument goes through d() for the description.
  let argTensors = [];
  const collect = (v, level = 0) => {
    if (v instanceof Tensor) argTensors.push(v);
    else if (Array.isArray(v) && level < 2) v.forEach((x) => collect(x, level + 1));
  };
  const call = (desc, run, extra = {}) => {
    const inputs = argTensors;
    argTensors = [];
    return { desc, run, inputs, ...extra };
  };
  const d = (...vs) => {
    vs.forEach((v) => collect(v));
    return vs.map((v) => describeValue(v, labels)).join(', ');
  };
  // Would `t.op_(o)` record a graph in which o's history saved t? (the cycle above)
  const recordsCycle = (t, o, inMode) => {
    if (!(t instanceof Tensor) || !(o instanceof Tensor) || t.isDisposed || o.isDisposed || !entries.has(t) || !entries.has(o)) return false;
    if (inMode || !torch.isGradEnabled() || torch.isInferenceModeEnabled() || !(t.requiresGrad || o.requiresGrad)) return false;
    const { lineage } = entries.get(o);
    return lineage.has('*') || lineage.has(entries.get(t).group);
  };
  const trimUndefined = (args) => {
    const out = [...args];
    while (out.length && out[out.length - 1] === undefined && r.chance(0.8)) out.pop();
    return out;
  };

  // Factories.
  action('tensor', 6, () => {
    const args = trimUndefined(tensorData().concat(r.chance(0.3) ? [options()] : []));
    return call(`torch.tensor(${d(...args)})`, () => torch.tensor(...args));
  });
  for (const name of ['zeros', 'ones', 'empty']) {
    action(name, 2, () => {
      const args = trimUndefined([shape(), options()]);
      return call(`torch.${name}(${d(...args)})`, () => torch[name](...args));
    }, { requires: [`torch.${name}`] });
  }
  action('full', 2, () => {
    const args = trimUndefined([shape(), scalar(), options()]);
    return call(`torch.full(${d(...args)})`, () => torch.full(...args));
  }, { requires: ['torch.full'] });
  action('arange', 2, () => {
    const args = trimUndefined(r.chance(0.8)
      ? [r.int(-3, 3), r.int(-3, 10), r.pick([1, 2, 0.5, -1, 0, NaN, Infinity, 1e-9]), options()]
      : [r.pick([NaN, Infinity, 1e12, -1e12, 'a', null]), r.pick([0, 1e12, NaN, undefined])]);
    return call(`torch.arange(${d(...args)})`, () => torch.arange(...args));
  }, { requires: ['torch.arange'] });
  action('eye', 1, () => {
    const args = trimUndefined([r.pick([0, 1, 2, 3, -1, 1.5, 1e6, NaN, '2']), r.chance(0.3) ? r.pick([2, 0, -2, 1e6]) : undefined, options()]);
    return call(`torch.eye(${d(...args)})`, () => torch.eye(...args));
  }, { requires: ['torch.eye'] });
  for (const name of ['rand', 'randn']) {
    action(name, 1, () => {
      const args = trimUndefined([shape(), options()]);
      return call(`torch.${name}(${d(...args)})`, () => torch[name](...args));
    }, { requires: [`torch.${name}`] });
  }
  for (const name of ['zerosLike', 'onesLike', 'randLike', 'randnLike']) {
    action(name, 1, () => {
      const args = trimUndefined([tensorArg(), options()]);
      return call(`torch.${name}(${d(...args)})`, () => torch[name](...args));
    }, { requires: [`torch.${name}`] });
  }
  action('fullLike', 0.5, () => {
    const args = trimUndefined([tensorArg(), scalar(), options()]);
    return call(`torch.fullLike(${d(...args)})`, () => torch.fullLike(...args));
  }, { requires: ['torch.fullLike'] });
  action('manualSeed', 0.3, () => {
    const s = r.pick([0, 1, 42, -1, 2 ** 40, NaN, 'seed', 1.5]);
    return call(`torch.manualSeed(${d(s)})`, () => torch.manualSeed(s));
  }, { requires: ['torch.manualSeed'] });

  // Unary ops (method and torch.NAME forms).
  // Then the table's other unary ops (js/op_table.mjs), those that compute new values and then
  // its views (t), so a new one is fuzzed without an edit here (the first ones keep their
  // place: the seeds' sequences). A result stays in its input's storage group when the table
  // says it may share the input's storage (`view`: detach, contiguous, t).
  const first = ['neg', 'abs', 'exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'gelu', 'clone', 'contiguous', 'detach', 'float', 'int', 'bool'];
  const unary = OPS.filter((op) => op.form === 'unary' && !first.includes(op.name));
  const mayShare = new Set(OPS.filter((op) => op.view).map((op) => op.name));
  for (const name of [...first, ...unary.filter((op) => !op.view).map((op) => op.name), ...unary.filter((op) => op.view).map((op) => op.name)]) {
    const aliasing = mayShare.has(name);
    action(name, 2, () => {
      const viaTorch = r.chance(0.3) && typeof torch[name] === 'function';
      const t = viaTorch ? tensorArg() : receiverArg();
      return call(viaTorch ? `torch.${name}(${d(t)})` : `${d(t)}.${name}()`,
        () => (viaTorch ? torch[name](t) : t[name]()), { group: aliasing ? groupOf(t) : undefined });
    }, { requires: [name] });
  }
  // Binary ops.
  for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'eq', 'lt', 'gt', 'le', 'ge']) {
    action(name, 3, () => {
      const viaTorch = r.chance(0.3) && typeof torch[name] === 'function';
      const t = viaTorch ? tensorArg() : receiverArg();
      const o = otherOperand();
      const extra = (name === 'add' || name === 'sub') && r.chance(0.2) ? [r.chance(0.7) ? { alpha: scalar() } : scalar()] : [];
      return call(viaTorch ? `torch.${name}(${d(t, o, ...extra)})` : `${d(t)}.${name}(${d(o, ...extra)})`,
        () => (viaTorch ? torch[name](t, o, ...extra) : t[name](o, ...extra)));
    }, { requires: [name] });
  }
  for (const name of ['matmul', 'mm', 'bmm', 'mv', 'dot', 'maximum', 'minimum']) {
    action(name, name === 'matmul' ? 2 : 0.5, () => {
      const a = receiverArg();
      const b = tensorArg();
      return call(`${d(a)}.${name}(${d(b)})`, () => a[name](b));
    }, { requires: [name] });
  }
  action('where', 1, () => {
    const args = [tensorArg(), otherOperand(), otherOperand()];
    return call(`torch.where(${d(...args)})`, () => torch.where(...args));
  }, { requires: ['torch.where'] });
  for (const name of ['clamp', 'clip']) {
    action(name, name === 'clamp' ? 1 : 0.3, () => {
      const t = receiverArg();
      const args = trimUndefined([r.chance(0.7) ? scalar() : undefined, r.chance(0.5) ? scalar() : undefined]);
      return call(`${d(t)}.${name}(${d(...args)})`, () => t[name](...args));
    }, { requires: [name] });
  }
  // Reductions and softmax.
  for (const name of ['sum', 'mean', 'max', 'min', 'argmax']) {
    action(name, 2, () => {
      const t = receiverArg();
      const args = r.chance(0.3) ? [] : trimUndefined([dimArg(t), r.chance(0.5) ? r.chance(0.5) : r.pick([undefined, 1, 'yes'])]);
      return call(`${d(t)}.${name}(${d(...args)})`, () => t[name](...args));
    }, { requires: [name] });
  }
  for (const name of ['softmax', 'logSoftmax']) {
    action(name, 1, () => {
      const t = receiverArg();
      const args = r.chance(0.9) ? [dimArg(t)] : [];
      return call(`${d(t)}.${name}(${d(...args)})`, () => t[name](...args));
    }, { requires: [name] });
  }
  // Views: share storage (and the group) with their input.
  const viewShape = (t) => {
    if (!(t instanceof Tensor) || t.isDisposed || r.chance(0.25)) return shape();
    const n = t.numel;
    const options = [[n], [-1], [1, n], [n, 1], [-1, 1], [1, -1, 1]];
    if (n % 2 === 0) options.push([2, n / 2], [n / 2, -1]);
    return r.pick(options);
  };
  for (const name of ['view', 'reshape', 'expand']) {
    action(name, 3, () => {
      const t = receiverArg();
      const s = name === 'expand' && t instanceof Tensor && !t.isDisposed && r.chance(0.6) ? [r.int(1, 3), ...t.shape.map((x) => (x === 1 ? r.int(1, 3) : x))] : viewShape(t);
      const varargs = Array.isArray(s) && r.chance(0.3);
      return call(`${d(t)}.${name}(${varargs ? d(...s) : d(s)})`, () => (varargs ? t[name](...s) : t[name](s)), { group: groupOf(t) });
    }, { requires: [name] });
  }
  action('transpose', 2, () => {
    const t = receiverArg();
    const args = [dimArg(t), dimArg(t)];
    return call(`${d(t)}.transpose(${d(...args)})`, () => t.transpose(...args), { group: groupOf(t) });
  }, { requires: ['transpose'] });
  // .T and .mT (js/ops.mjs): PyTorch's transposes as properties, views too.
  for (const name of ['T', 'mT']) {
    action(name, 0.5, () => {
      const t = receiverArg();
      return call(`${d(t)}.${name}`, () => t[name], { group: groupOf(t) });
    });
  }
  action('permute', 1, () => {
    const t = receiverArg();
    const nd = t instanceof Tensor && !t.isDisposed ? t.ndim : 2;
    const dims = r.chance(0.7) ? [...Array(nd).keys()].sort(() => r.next() - 0.5) : [dimArg(t), dimArg(t)];
    return call(`${d(t)}.permute(${d(dims)})`, () => t.permute(dims), { group: groupOf(t) });
  }, { requires: ['permute'] });
  for (const name of ['squeeze', 'unsqueeze', 'flatten']) {
    action(name, 1, () => {
      const t = receiverArg();
      const args = r.chance(0.2) && name !== 'unsqueeze' ? [] : [name === 'unsqueeze' && r.chance(0.5) && t instanceof Tensor && !t.isDisposed ? t.ndim : dimArg(t)];
      return call(`${d(t)}.${name}(${d(...args)})`, () => t[name](...args), { group: groupOf(t) });
    }, { requires: [name] });
  }
  action('narrow', 1, () => {
    const t = receiverArg();
    const args = [dimArg(t), r.pick([0, 1, -1, 5, 0.5]), r.pick([0, 1, 2, -1, 10])];
    return call(`${d(t)}.narrow(${d(...args)})`, () => t.narrow(...args), { group: groupOf(t) });
  }, { requires: ['narrow'] });
  action('select', 1, () => {
    const t = receiverArg();
    const args = [dimArg(t), r.pick([0, 1, -1, 3, -5, 0.5])];
    return call(`${d(t)}.select(${d(...args)})`, () => t.select(...args), { group: groupOf(t) });
  }, { requires: ['select'] });
  action('to', 1, () => {
    const t = receiverArg();
    const args = r.chance(0.9) ? [dtype()] : r.pick([[], [{ dtype: 'int32' }], [t]]);
    return call(`${d(t)}.to(${d(...args)})`, () => t.to(...args));
  }, { requires: ['to'] });
  // Joining.
  for (const name of ['cat', 'concat', 'stack']) {
    action(name, 1, () => {
      const list = r.chance(0.9) ? Array.from({ length: r.int(0, 3) }, tensorArg) : JUNK();
      const args = trimUndefined([list, r.chance(0.8) ? r.int(-2, 2) : r.pick([5, 0.5, 'x', undefined])]);
      return call(`torch.${name}(${d(...args)})`, () => torch[name](...args));
    }, { requires: [`torch.${name}`] });
  }
  // In-place ops: the only calls that may change a tensor the fuzzer holds.
  for (const name of ['add_', 'sub_', 'mul_', 'div_', 'clamp_', 'relu_', 'zero_', 'fill_', 'copy_']) {
    action(name, 3, () => {
      const t = receiverArg();
      let args;
      if (name === 'relu_' || name === 'zero_') args = [];
      else if (name === 'fill_') args = [scalar()];
      else if (name === 'copy_') args = [tensorArg()];
      else if (name === 'clamp_') args = trimUndefined([scalar(), r.chance(0.5) ? scalar() : undefined]);
      else args = [otherOperand()];
      const inMode = r.chance(0.15);
      if (recordsCycle(t, args[0], inMode)) args = name === 'copy_' ? [torch.zeros([])] : [scalar()];
      const run = () => (inMode ? torch.noGrad(() => t[name](...args)) : t[name](...args));
      return call(`${inMode ? 'noGrad: ' : ''}${d(t)}.${name}(${d(...args)})`, run, { inplace: t, group: groupOf(t) });
    }, { requires: [name] });
  }
  // Reading.
  action('read', 4, () => {
    const t = receiverArg();
    const what = r.pick(['shape', 'dtype', 'ndim', 'numel', 'requiresGrad', 'isLeaf', 'gradFn', 'version', 'isView', 'isInference()', 'toArray()', 'data()', 'item()', 'toString()', 'size(dim)', 'grad']);
    const run = () => {
      switch (what) {
        case 'isInference()':
          return t.isInference();
        case 'toArray()':
          return t.toArray();
        case 'data()':
          return t.data();
        case 'item()':
          return t.item();
        case 'toString()':
          return t.toString();
        case 'size(dim)':
          return t.size(dimArg(t));
        case 'grad': {
          const g = t.grad;
          if (g instanceof Tensor) {
            adopt(g, `grad:${groupOf(t) ?? 'x'}`, new Set(['*']));
            gradGroups.add(groupOf(g));
          }
          return g;
        }
        default: {
          const v = t[what];
          if (what === 'shape' && !(Array.isArray(v) && v.every(Number.isInteger))) throw new Error(`bad shape ${v}`);
          return v;
        }
      }
    };
    return call(`${d(t)}.${what}`, run);
  });
  // Autograd.
  action('requiresGrad_', 2, () => {
    const t = receiverArg();
    const args = r.chance(0.3) ? [] : [r.chance(0.85) ? r.chance(0.7) : r.pick([1, 'yes', null])];
    return call(`${d(t)}.requiresGrad_(${d(...args)})`, () => t.requiresGrad_(...args));
  });
  action('backward', 2, () => {
    const t = receiverArg();
    const p = r.next();
    const args = p < 0.5 ? [] : p < 0.7 ? [{ retainGraph: r.chance(0.5) }] : p < 0.9 ? [tensorArg()] : [tensorArg(), { retainGraph: true }];
    return call(`${d(t)}.backward(${d(...args)})`, () => t.backward(...args), { backward: true });
  }, { requires: ['backward'] });
  action('autograd.grad', 1, () => {
    const outs = r.chance(0.7) ? [tensorArg()] : tensorArg();
    const ins = r.chance(0.7) ? [tensorArg()] : [tensorArg(), tensorArg()];
    const args = trimUndefined([outs, ins, r.chance(0.2) ? [tensorArg()] : undefined, r.chance(0.3) ? { retainGraph: r.chance(0.5), allowUnused: r.chance(0.5) } : undefined]);
    return call(`torch.autograd.grad(${d(...args)})`, () => torch.autograd.grad(...args), { backward: true });
  });
  action('retainGrad', 1, () => {
    const t = receiverArg();
    return call(`${d(t)}.retainGrad()`, () => t.retainGrad());
  }, { requires: ['retainGrad'] });
  action('registerHook', 1, () => {
    const t = receiverArg();
    const kind = r.pick(['undefined', 'scale', 'throw', 'junk', 'shape', 'non-function']);
    const hook = {
      undefined: () => undefined,
      scale: (g) => g.mul(2),
      throw: () => {
        throw new FuzzFault('hook fault');
      },
      junk: () => 'not a tensor',
      shape: () => torch.ones([7]),
      'non-function': 42,
    }[kind];
    return call(`${d(t)}.registerHook(<${kind}>)`, () => t.registerHook(hook));
  }, { requires: ['registerHook'] });
  action('set grad', 1, () => {
    const t = receiverArg();
    let g = r.chance(0.3) ? null : tensorArg();
    if (g instanceof Tensor && entries.has(g) && entries.has(t) && (entries.get(g).lineage.has('*') || entries.get(g).lineage.has(entries.get(t).group))) g = null; // t would hold its own graph
    return call(`${d(t)}.grad = ${d(g)}`, () => {
      t.grad = g;
      if (g instanceof Tensor && entries.has(g)) gradGroups.add(groupOf(g));
    });
  });
  action('autograd.Function', 1, () => {
    const kind = r.pick(['double', 'identity', 'throwForward', 'throwBackward', 'junkForward', 'junkBackward', 'saves']);
    const inputs = [receiverArg()];
    const F = () =>
      torch.autograd.Function({
        forward(ctx, x) {
          if (kind === 'throwForward') throw new FuzzFault('forward fault');
          if (kind === 'junkForward') return 'junk';
          if (kind === 'saves') ctx.saveForBackward(x);
          return kind === 'identity' ? x : x.mul(2);
        },
        backward(ctx, g) {
          if (kind === 'throwBackward') throw new FuzzFault('backward fault');
          if (kind === 'junkBackward') return [1, 2, 3];
          if (kind === 'saves') ctx.savedTensors.forEach((s) => s.mul(1).dispose());
          return kind === 'identity' ? g : g.mul(2);
        },
      });
    return call(`Function<${kind}>.apply(${d(...inputs)})`, () => {
      const out = F().apply(...inputs);
      if (out instanceof Tensor && r.chance(0.5)) {
        const loss = out.sum();
        try {
          loss.backward();
        } finally {
          loss.dispose();
        }
      }
      return out;
    }, { group: kind === 'identity' ? groupOf(inputs[0]) : undefined, backward: true });
  }, { requires: ['backward'] });
  // Lifetime.
  action('dispose', 1, () => {
    const viaTorch = r.chance(0.3);
    const t = r.chance(0.9) ? liveTensor() : r.chance(0.5) && disposed.length ? r.pick(disposed) : viaTorch ? JUNK() : r.pick(others);
    return call(viaTorch ? `torch.dispose(${d(t)})` : `${d(t)}.dispose()`, () => (viaTorch ? torch.dispose(t) : t.dispose()));
  });
  action('keep', 0.3, () => {
    const t = tensorArg();
    return call(`torch.keep(${d(t)})`, () => torch.keep(t));
  });

  // ---- modes and tidy: nested random calls, with faults injected at random depths ----
  const scopedForms = [
    ['noGrad', (fn) => torch.noGrad(fn)],
    ['enableGrad', (fn) => torch.enableGrad(fn)],
    ['setGradEnabled(true)', (fn) => torch.setGradEnabled(true, fn)],
    ['setGradEnabled(false)', (fn) => torch.setGradEnabled(false, fn)],
    ['inferenceMode', (fn) => torch.inferenceMode(fn)],
    ['inferenceMode(false)', (fn) => torch.inferenceMode(false, fn)],
    ['noGrad.wrap', (fn) => torch.noGrad.wrap(fn)()],
    ['inferenceMode.wrap', (fn) => torch.inferenceMode.wrap(fn)()],
    ['enableGrad.wrap', (fn) => torch.enableGrad.wrap(fn)()],
    ['setGradEnabled.wrap(false)', (fn) => torch.setGradEnabled.wrap(false, fn)()],
  ];
  let depth = 0;
  function body(label) {
    const steps = r.int(0, 3);
    const results = [];
    for (let i = 0; i < steps; i++) {
      if (r.chance(0.08)) {
        stats.injected++;
        throw r.chance(0.85) ? new FuzzFault(`fault inside ${label}`) : { fuzzFault: label };
      }
      if (r.chance(0.1) && scopeDepth > 0) {
        const flag = r.chance(0.5);
        results.push(perform(call(`setGradEnabled(${flag}) [bare, inside ${label}]`, () => torch.setGradEnabled(flag), { bare: true })));
        continue;
      }
      const out = perform(pickAction(depth < maxDepth));
      if (out !== undefined) results.push(out);
    }
    if (r.chance(0.05)) {
      stats.injected++;
      throw new FuzzFault(`fault at the end of ${label}`);
    }
    return r.pick([undefined, results[0], results, { first: results[0] }, 7]);
  }
  function nestedCall(name, run) {
    depth++;
    try {
      return run();
    } finally {
      depth--;
    }
  }
  action('mode', 4, () => {
    const [name, form] = r.pick(scopedForms);
    return call(`${name}(() => {…})`, () =>
      nestedCall(name, () => {
        scopeDepth++;
        try {
          return form(() => body(name));
        } finally {
          scopeDepth--;
        }
      }), { compound: true });
  });
  action('generator mode', 1, () => {
    const [name, wrap] = r.pick([['noGrad.wrap*', (g) => torch.noGrad.wrap(g)], ['inferenceMode.wrap*', (g) => torch.inferenceMode.wrap(g)]]);
    const n = r.int(0, 3);
    return call(`${name}(function* {…${n} yields})`, () =>
      nestedCall(name, () => {
        const gen = wrap(function* () {
          for (let k = 0; k < n; k++) {
            scopeDepth++;
            try {
              body(`${name} resumption ${k}`);
            } finally {
              scopeDepth--;
            }
            yield k;
          }
        });
        let count = 0;
        for (const v of gen()) if (v !== count++) throw new Error(`generator yielded ${v}`);
        return count;
      }), { compound: true });
  });
  action('tidy', 3, () =>
    call('tidy(() => {…})', () => nestedCall('tidy', () => {
      // tidy is not a mode: a bare setGradEnabled directly in it would outlive it.
      const outer = scopeDepth;
      scopeDepth = 0;
      try {
        return torch.tidy(() => body('tidy'));
      } finally {
        scopeDepth = outer;
      }
    }), { compound: true }));
  action('mode misuse', 1, () => {
    const p = r.next();
    const [name, form] = r.pick([...scopedForms, ['tidy', (fn) => torch.tidy(fn)]]);
    if (p < 0.35) {
      let v = JUNK();
      if (v === undefined && name.startsWith('setGradEnabled(')) v = null; // undefined: the bare form
      return call(`${name}(${d(v)})`, () => form(v));
    }
    if (p < 0.6) {
      // Refused before it runs: the body must never execute.
      let ran = false;
      const fn = async () => {
        ran = true;
        torch.setGradEnabled(false);
      };
      return call(`${name}(async () => {…})`, () => {
        try {
          return form(fn);
        } finally {
          if (ran) throw new Error('an async callback ran');
        }
      });
    }
    if (p < 0.75) return call(`${name}(() => Promise)`, () => form(() => Promise.resolve(torch.ones([1]))));
    if (p < 0.85) return call(`${name}(function* {})`, () => form(function* () {
      yield 1;
    }));
    const flag = r.pick([0, 1, 'true', null, undefined, {}]);
    return call(`setGradEnabled(${d(flag)}) / inferenceMode(${d(flag)}, fn)`, () =>
      r.chance(0.5) ? torch.setGradEnabled(flag) : torch.inferenceMode(flag, () => 1));
  });

  const totalWeight = () => actions.reduce((s, a) => s + a.weight, 0);
  const weight = totalWeight();
  function pickAction(allowNested) {
    for (;;) {
      let x = r.next() * weight;
      for (const a of actions) {
        x -= a.weight;
        if (x <= 0) {
          if (!allowNested && (a.name === 'mode' || a.name === 'tidy' || a.name === 'generator mode')) break;
          return a.make();
        }
      }
    }
  }

  // ---- checking ----
  function modeState() {
    return `grad=${torch.isGradEnabled()} inference=${torch.isInferenceModeEnabled()} packed=${torch.diagnostics().modeState}`;
  }
  function fail(message) {
    const e = new Error(`${message}\n  seed ${seed}, call #${stats.calls} (top-level #${stats.topLevel})\n  last calls:\n    ${history.slice(-25).join('\n    ')}\n  replay: WEBTORCH_FUZZ_SEED=${seed} node tests/js/fuzz_replay.mjs${torch.backend === 'wasm' ? ' --simd=false' : ''}`);
    e.fuzzFailure = true;
    throw e;
  }
  const injectedValue = (e) => e instanceof FuzzFault || (e !== null && typeof e === 'object' && 'fuzzFault' in e);

  // Runs one call (at any depth) and checks what Note [Fuzzer invariants] asks of it.
  function perform(c) {
    stats.calls++;
    const line = `${'  '.repeat(depth)}#${stats.calls} ${c.desc}`;
    history.push(line);
    if (history.length > 200) history.shift();
    log(line);
    const before = modeState();
    const inplaceBefore = c.inplace instanceof Tensor && !c.inplace.isDisposed && entries.has(c.inplace) ? readable(c.inplace, 'before an in-place call') : null;
    let result;
    let thrown = null;
    try {
      result = c.run();
    } catch (e) {
      thrown = { e };
    }
    const after = modeState();
    if (after !== before && !(c.bare && !thrown)) fail(`mode state changed by ${c.desc}: ${before} -> ${after}`);
    if (thrown) {
      const { e } = thrown;
      if (e && e.fuzzFailure) throw e;
      if (injectedValue(e)) {
        log(`${'  '.repeat(depth)}  -> rethrown fault`);
        if (r.chance(0.5)) throw e; // unwind further; otherwise swallowed here
        return undefined;
      }
      if (!(e instanceof Error)) fail(`${c.desc} threw a non-Error: ${describeValue(e, labels)} (${typeof e})`);
      if (typeof e.message !== 'string' || e.message.length === 0) fail(`${c.desc} threw an Error with an empty message`);
      if (TRAP.test(e.message) || (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError)) fail(`${c.desc} trapped: ${e.message}`);
      if (ACCIDENT.test(e.message)) fail(`${c.desc} failed by accident, not with a clear message: ${e.constructor.name}: ${e.message}`);
      if (inplaceBefore !== null && !c.inplace.isDisposed && readable(c.inplace, 'after a failed in-place call') !== inplaceBefore)
        fail(`${c.desc} failed but changed its target`);
      stats.errors++;
      const kind = errorKind(e.message);
      stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
      log(`${'  '.repeat(depth)}  -> Error: ${e.message.slice(0, 200)}`);
      if (depth > 0 && r.chance(0.3)) throw e; // an engine error unwinding through modes
      return undefined;
    }
    stats.ok++;
    if (c.inplace instanceof Tensor) {
      if (result !== c.inplace) fail(`${c.desc} did not return its target`);
      mutated.add(groupOf(c.inplace));
    }
    if (c.backward) mutated.add('grads');
    // Tensors returned: adopted (views keep their input's group), or disposed.
    const seen = new Set();
    const visit = (v, level) => {
      if (v instanceof Tensor) {
        if (seen.has(v)) return;
        seen.add(v);
        if (!v.isDisposed && !entries.has(v)) {
          if (r.chance(0.7)) adopt(v, c.group ?? undefined, lineageOf(c.inputs, c.compound));
          else v.dispose();
        }
      } else if (v instanceof other.Tensor) {
        if (!others.includes(v)) v.dispose(); // made by the other engine: not ours to pool
      } else if (v !== null && typeof v === 'object' && level < 3 && !ArrayBuffer.isView(v)) {
        for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, level + 1);
      }
    };
    visit(result, 0);
    return result;
  }

  // Reading a live tensor must always work: a failure is a finding, with the context.
  function readable(t, when) {
    try {
      return checksum(t);
    } catch (e) {
      return fail(`reading ${labels.get(t)} (shape ${t.isDisposed ? '?' : JSON.stringify(t.shape)}) ${when} failed: ${e.message}`);
    }
  }

  function topLevel() {
    stats.topLevel++;
    const before = modeState();
    const sums = new Map(live().map((t) => [t, readable(t, 'before the call')]));
    mutated = new Set();
    try {
      perform(pickAction(true));
    } catch (e) {
      if (e && e.fuzzFailure) throw e;
      if (!injectedValue(e) && !(e instanceof Error && e.message.length > 0)) fail(`a non-Error reached the top: ${describeValue(e, labels)}`);
      // An engine Error or an injected fault unwound to the top: fine.
    }
    if (modeState() !== before) fail(`mode state changed by the top-level call: ${before} -> ${modeState()}`);
    if (torch.modeStack().length !== 0) fail(`mode stack not empty: ${torch.modeStack()}`);
    for (const [t, sum] of sums) {
      if (t.isDisposed) continue;
      const now = readable(t, 'after the call');
      if (now === sum) continue;
      const group = groupOf(t);
      const allowed = mutated.has(group) || (mutated.has('grads') && (gradGroups.has(group) || String(group).startsWith('grad:')));
      if (!allowed) fail(`${labels.get(t)} (group ${group}) changed though no successful in-place op touched it: ${sum} -> ${now}`);
    }
    prune();
    // A simple op still works.
    const probe = torch.ones([3]);
    const two = probe.add(1);
    const got = Array.from(two.data());
    probe.dispose();
    two.dispose();
    if (got.join() !== '2,2,2') fail(`ones([3]).add(1) gave ${got}`);
  }

  return {
    stats,
    topLevel,
    // Disposes everything the fuzzer holds.
    finish() {
      for (const t of [...entries.keys()]) release(t);
      for (const t of others) t.dispose();
    },
  };
}
