// torch.optim.Optimizer for one engine: parameter groups, per-parameter state, zeroGrad and
// step(closure). Subclasses implement _updateGroup(group), which runs under noGrad.
//
// Note [Optimizer state]
// state is a Map from each parameter (the Tensor object) to its state: { momentumBuffer }
// for SGD, { step, expAvg, expAvgSq, maxExpAvgSq } for Adam, created at the parameter's
// first update as in PyTorch (a parameter without a grad is skipped and gets no state).
// State tensors are kept (torch.keep): training steps inside torch.tidy() do not free them;
// optimizer.dispose() does. Adam's step is a JavaScript number (PyTorch 1.13 keeps a 0-dim
// tensor); loadStateDict accepts either.
//
// Note [Optimizer state dict]
// stateDict() is PyTorch's state_dict(): { state, paramGroups }, each parameter replaced by its
// index in group order (state keyed by those indices, as a plain object). PyTorch returns the
// live buffers; here each state tensor is a detached alias of the live buffer (as
// Module.stateDict() does for weights): it shares storage, so it reads the current values and
// later steps change it, but disposing it (or the tidy scope it was made in ending) never frees
// the optimizer's buffer. Take a snapshot with clone() if one is wanted.
// loadStateDict(sd) checks everything before changing anything (PyTorch's texts for the group
// count and sizes; state tensors must have their parameter's shape, since the fused update
// reads them as flat float32 buffers), then deep-copies: the optimizer owns contiguous
// float32 clones, and the state it had before is freed. PyTorch's snake_case keys
// (momentum_buffer, weight_decay, initial_lr) are accepted and mapped to camelCase; options
// missing from a loaded group take the optimizer's defaults (as PyTorch's __setstate__ does).

import { checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName, torchSize } from '../nn/format.mjs';

export const REQUIRED = Symbol('required');

// PyTorch's snake_case names in camelCase (momentum_buffer -> momentumBuffer).
export const camelCase = (k) => k.replace(/_([a-z0-9])/g, (m, ch) => ch.toUpperCase());

// A copy of a plain value (arrays and plain objects deep, other values as they are).
export function copyPlain(v) {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyPlain(x)]));
  return v;
}

export function createOptimizerClass(torch, Tensor, rt, { zeroGrads }) {
  class Optimizer {
    constructor(params, defaults) {
      this.defaults = defaults;
      this.state = new Map();
      this.paramGroups = [];
      if (params instanceof Tensor)
        throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor`);
      if (params === null || typeof params !== 'object' || typeof params[Symbol.iterator] !== 'function')
        throw new TypeError(
          `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${pyTypeName(params)}` +
            (params && typeof params.parameters === 'function' ? ' (pass module.parameters())' : ''),
        );
      let groups = [...params];
      if (groups.length === 0) throw new Error('optimizer got an empty parameter list');
      if (groups[0] instanceof Tensor || groups[0] === null || typeof groups[0] !== 'object') groups = [{ params: groups }];
      for (const g of groups) this.addParamGroup(g);
    }

    addParamGroup(group) {
      if (group === null || typeof group !== 'object' || Array.isArray(group) || group instanceof Tensor)
        throw new Error('param group must be a dict');
      const g = { ...group };
      const params = g.params instanceof Tensor ? [g.params] : g.params;
      if (params instanceof Set)
        throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
      if (params === null || typeof params !== 'object' || typeof params[Symbol.iterator] !== 'function')
        throw new TypeError(`param group 'params' must be an array of Tensors, got ${describe(params)}`);
      g.params = [...params];
      for (const p of g.params) {
        if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${pyTypeName(p)}`);
        if (!(p.isLeaf || p.retainsGrad)) throw new Error("can't optimize a non-leaf Tensor");
      }
      // A group's keys are the optimizer's options, and initialLr (set by schedulers).
      const { params: _, ...groupOptions } = g;
      checkOptions(this.constructor.name, groupOptions, [...Object.keys(this.defaults), 'initialLr'], this.constructor.unsupportedOptions);
      for (const [name, value] of Object.entries(this.defaults)) {
        if (value === REQUIRED && !(name in g))
          throw new Error(`parameter group didn't specify a value of required optimization parameter ${name}`);
        if (!(name in g)) g[name] = value;
      }
      const seen = new Set();
      for (const other of this.paramGroups) for (const p of other.params) seen.add(p);
      if (g.params.some((p) => seen.has(p))) throw new Error('some parameters appear in more than one parameter group');
      this.validateGroup(g);
      this.paramGroups.push(g);
    }

    // Checks a group's options (subclasses: PyTorch's "Invalid learning rate: ..." texts).
    validateGroup() {}

    // PyTorch 1.13's zero_grad(set_to_none=False): grads are zeroed in place (their version
    // goes up); { setToNone: true } drops them.
    zeroGrad(options) {
      const { setToNone = false } = checkOptions('zeroGrad', options, { setToNone: 'boolean' });
      for (const g of this.paramGroups) zeroGrads(g.params, setToNone);
    }

    // One update of every parameter that has a grad. closure, if given, re-evaluates the
    // model and returns the loss (run with grad enabled, as in PyTorch); step returns it.
    step(closure) {
      let loss;
      if (closure !== undefined) {
        if (typeof closure !== 'function') throw new Error(`step(): closure must be a function, got ${describe(closure)}`);
        loss = torch.enableGrad(closure);
      }
      torch.noGrad(() => {
        for (const g of this.paramGroups) this._updateGroup(g);
      });
      return loss;
    }

    // The state of p, created empty on first use.
    _stateOf(p) {
      let s = this.state.get(p);
      if (s === undefined) {
        s = {};
        this.state.set(p, s);
      }
      return s;
    }

    // PyTorch's state_dict(), Note [Optimizer state dict].
    stateDict() {
      const index = new Map();
      let next = 0;
      const paramGroups = this.paramGroups.map((g) => {
        const packed = {};
        for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = copyPlain(v);
        for (const p of g.params) if (!index.has(p)) index.set(p, next++);
        packed.params = g.params.map((p) => index.get(p));
        return packed;
      });
      const state = {};
      for (const [p, s] of this.state) {
        const entry = {};
        for (const [k, v] of Object.entries(s)) entry[k] = v instanceof Tensor ? v.detach() : copyPlain(v);
        state[index.has(p) ? index.get(p) : p] = entry;
      }
      return { state, paramGroups };
    }

    // PyTorch's load_state_dict(state_dict), Note [Optimizer state dict].
    loadStateDict(stateDict) {
      if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict) || stateDict instanceof Tensor)
        throw new TypeError(`loadStateDict(): expected { state, paramGroups }, got ${describe(stateDict)}`);
      const savedGroups = stateDict.paramGroups ?? stateDict.param_groups;
      const savedState = stateDict.state;
      if (!Array.isArray(savedGroups)) throw new TypeError(`loadStateDict(): paramGroups must be an array, got ${describe(savedGroups)}`);
      if (savedState === null || typeof savedState !== 'object' || Array.isArray(savedState))
        throw new TypeError(`loadStateDict(): state must be an object, got ${describe(savedState)}`);
      const groups = this.paramGroups;
      if (groups.length !== savedGroups.length) throw new Error('loaded state dict has a different number of parameter groups');
      for (const sg of savedGroups)
        if (sg === null || typeof sg !== 'object' || !Array.isArray(sg.params))
          throw new TypeError(`loadStateDict(): each parameter group must be an object with a params array, got ${describe(sg)}`);
      if (groups.some((g, i) => g.params.length !== savedGroups[i].params.length))
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      const idMap = new Map();
      savedGroups.forEach((sg, i) => sg.params.forEach((id, j) => idMap.set(String(id), groups[i].params[j])));
      const entries = savedState instanceof Map ? [...savedState.entries()] : Object.entries(savedState);
      // Check first: a failing load changes nothing.
      for (const [id, value] of entries) {
        const p = idMap.get(String(id));
        if (p === undefined) continue;
        if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tensor)
          throw new TypeError(`loadStateDict(): the state of parameter ${id} must be an object, got ${describe(value)}`);
        for (const [k, v] of Object.entries(value)) {
          if (!(v instanceof Tensor)) continue;
          const key = camelCase(k);
          if (key === 'step') {
            if (v.numel !== 1) throw new Error(`loadStateDict(): state[${id}].step must be a number or a one-element tensor, got shape ${torchSize(v.shape)}`);
          } else if (v.shape.length !== p.shape.length || v.shape.some((n, d) => n !== p.shape[d])) {
            throw new Error(`loadStateDict(): state[${id}].${key} has shape ${torchSize(v.shape)}, but its parameter has shape ${torchSize(p.shape)}`);
          }
        }
      }
      // PyTorch's groups carry its implementation switches (foreach: None, fused: False, ...):
      // kept when off, refused when on (webtorch has one implementation); values type-checked.
      const paramGroups = groups.map((g, i) => {
        const ng = {};
        for (const [k, v] of Object.entries(savedGroups[i])) if (k !== 'params') ng[camelCase(k)] = copyPlain(v);
        for (const [k, v] of Object.entries(this.defaults)) if (!(k in ng) && v !== REQUIRED) ng[k] = v;
        ng.params = g.params;
        return ng;
      });
      paramGroups.forEach((ng, i) => {
        for (const k of this.constructor.unsupportedOptions ?? [])
          if (ng[k] !== null && ng[k] !== undefined && ng[k] !== false)
            throw new Error(`loadStateDict(): paramGroups[${i}] has ${k}: ${JSON.stringify(ng[k])}, an option not supported by webtorch`);
        this.validateGroup(ng);
      });
      const owned = [];
      const own = (v) => {
        const c = torch.keep(torch.tidy(() => torch.noGrad(() => v.detach().to('float32').contiguous().clone())));
        owned.push(c);
        return c;
      };
      const state = new Map();
      try {
        for (const [id, value] of entries) {
          const p = idMap.get(String(id));
          const copy = {};
          for (const [k, v] of Object.entries(value)) {
            const key = p === undefined ? k : camelCase(k);
            if (!(v instanceof Tensor)) copy[key] = copyPlain(v);
            else if (p !== undefined && key === 'step') copy[key] = v.item();
            else copy[key] = own(v);
          }
          state.set(p ?? id, copy);
        }
      } catch (e) {
        torch.dispose(owned); // e.g. a disposed tensor in the dict: nothing changed, nothing leaked
        throw e;
      }
      this.dispose();
      for (const [p, s] of state) this.state.set(p, s);
      this.paramGroups.splice(0, this.paramGroups.length, ...paramGroups);
    }

    // Frees the state tensors (momentum buffers, moments).
    dispose() {
      for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
      this.state.clear();
    }
  }
  return Optimizer;
}
