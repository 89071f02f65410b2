// Optimizer.stateDict() and Optimizer.loadStateDict(), as PyTorch's state_dict / load_state_dict.
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

import { describe } from '../runtime.mjs';
import { torchSize } from '../nn/format.mjs';

// PyTorch's snake_case names in camelCase (momentum_buffer -> momentumBuffer).
export const camelCase = (k) => k.replace(/_([a-z0-9])/g, (m, ch) => ch.toUpperCase());

// A copy of a plain value (arrays and plain objects deep, other values as they are).
export function copyPlain(v) {
  if (Array.isArray(v)) return v.map(copyPlain);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyPlain(x)]));
  return v;
}

// PyTorch's state_dict() of optimizer, whose engine's Tensor class is Tensor.
export function optimizerStateDict(optimizer, Tensor) {
  const index = new Map();
  let next = 0;
  const paramGroups = optimizer.paramGroups.map((g) => {
    const packed = {};
    for (const [k, v] of Object.entries(g)) if (k !== 'params') packed[k] = copyPlain(v);
    for (const p of g.params) if (!index.has(p)) index.set(p, next++);
    packed.params = g.params.map((p) => index.get(p));
    return packed;
  });
  const state = {};
  for (const [p, s] of optimizer.state) {
    const entry = {};
    for (const [k, v] of Object.entries(s)) entry[k] = v instanceof Tensor ? v.detach() : copyPlain(v);
    state[index.has(p) ? index.get(p) : p] = entry;
  }
  return { state, paramGroups };
}

// PyTorch's load_state_dict(stateDict) into optimizer; defaults: the [name, value] pairs of
// its defaults that a loaded group may omit.
export function loadOptimizerStateDict(optimizer, { torch, Tensor }, stateDict, defaults) {
  const { idMap, entries, savedGroups } = checkStateDict(optimizer, Tensor, stateDict);
  // PyTorch's groups carry its implementation switches (foreach: None, fused: False, ...):
  // kept when off, refused when on (webtorch has one implementation); values type-checked.
  const paramGroups = optimizer.paramGroups.map((g, i) => {
    const ng = {};
    for (const [k, v] of Object.entries(savedGroups[i])) if (k !== 'params') ng[camelCase(k)] = copyPlain(v);
    for (const [k, v] of defaults) if (!(k in ng)) ng[k] = v;
    ng.params = g.params;
    return ng;
  });
  paramGroups.forEach((ng, i) => {
    for (const k of optimizer.constructor.unsupportedOptions ?? [])
      if (ng[k] !== null && ng[k] !== undefined && ng[k] !== false)
        throw new Error(`loadStateDict(): paramGroups[${i}] has ${k}: ${JSON.stringify(ng[k])}, an option not supported by webtorch`);
    optimizer.validateGroup(ng);
  });
  const state = copyState(torch, Tensor, entries, idMap);
  optimizer.dispose();
  for (const [p, s] of state) optimizer.state.set(p, s);
  optimizer.paramGroups.splice(0, optimizer.paramGroups.length, ...paramGroups);
}

// Checks the dict's shape, group count and sizes and its state tensors' shapes (a failing
// load changes nothing); returns the map from saved ids to parameters and the state entries.
function checkStateDict(optimizer, Tensor, stateDict) {
  if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict) || stateDict instanceof Tensor)
    throw new TypeError(`loadStateDict(): expected { state, paramGroups }, got ${describe(stateDict)}`);
  const savedGroups = stateDict.paramGroups ?? stateDict.param_groups;
  const savedState = stateDict.state;
  if (!Array.isArray(savedGroups)) throw new TypeError(`loadStateDict(): paramGroups must be an array, got ${describe(savedGroups)}`);
  if (savedState === null || typeof savedState !== 'object' || Array.isArray(savedState))
    throw new TypeError(`loadStateDict(): state must be an object, got ${describe(savedState)}`);
  const groups = optimizer.paramGroups;
  if (groups.length !== savedGroups.length) throw new Error('loaded state dict has a different number of parameter groups');
  for (const sg of savedGroups)
    if (sg === null || typeof sg !== 'object' || !Array.isArray(sg.params))
      throw new TypeError(`loadStateDict(): each parameter group must be an object with a params array, got ${describe(sg)}`);
  if (groups.some((g, i) => g.params.length !== savedGroups[i].params.length))
    throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  const idMap = new Map();
  savedGroups.forEach((sg, i) => sg.params.forEach((id, j) => idMap.set(String(id), groups[i].params[j])));
  const entries = savedState instanceof Map ? [...savedState.entries()] : Object.entries(savedState);
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
  return { idMap, entries, savedGroups };
}

// The loaded state, deep-copied: kept float32 clones of the tensors (freed again if a copy
// fails), numbers for Adam's step.
function copyState(torch, Tensor, entries, idMap) {
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
  return state;
}
