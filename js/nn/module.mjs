// torch.nn.Module and torch.nn.Parameter.
//
// Note [One Module class per engine]
// A process may load several engines, each with its own torch object and Tensor class, so
// each engine has its own torch.nn.Module: `x instanceof engineA.nn.Module` is false for a
// module of engine B, and a module of engine B assigned to a module of engine A is a plain
// attribute, not a submodule. The methods are written once, on ModuleBase below;
// createModuleClasses makes the engine's Module, an empty subclass whose prototype carries
// the engine ({ torch, Tensor, Module, ... }) under the ENGINE symbol, so a method reaches
// its engine as this[ENGINE] (user subclasses inherit it; reads go through the registration
// Proxy untouched). Registration: Note [Module registration] in module_registration.mjs.
//
// Calling a module: JavaScript objects cannot be made callable without turning them into
// functions (typeof 'function', read-only `name`/`length` own properties that break
// `this.name = ...` in subclasses), so `module.call(x)` plays the part of Python's
// `module(x)`: it runs the forward pre-hooks, forward(x) and the forward hooks.
// `module.forward(x)` runs forward alone, exactly as in PyTorch.

import { checkOptions } from '../options.mjs';
import { createBackwardHookSetup } from './backward_hook.mjs';
import { describe } from '../runtime.mjs';
import { ENGINE, addModule, registerBuffer, registerParameter, registering } from './module_registration.mjs';
import { createParameter, zeroGrads } from './parameter.mjs';
import { loadModuleStateDict, moduleStateDict } from './module_state_dict.mjs';

export { PARAMETER } from './parameter.mjs';

// The engine's Module, Parameter, emptyParameter and zeroGrads (Note [One Module class per engine]).
export function createModuleClasses(torch, Tensor, rt, { own, live }) {
  const engine = { torch, Tensor, rt, live, callWithBackwardHooks: createBackwardHookSetup(torch, Tensor), nextHookId: 0 };
  class Module extends ModuleBase {}
  Object.defineProperty(Module.prototype, ENGINE, { value: engine });
  engine.Module = Module;
  const { Parameter, emptyParameter } = createParameter(torch, Tensor, own);
  return { Module, Parameter, emptyParameter, zeroGrads: (params, setToNone) => zeroGrads(rt, live, params, setToNone) };
}

function hookHandle(module, map, fn) {
  if (typeof fn !== 'function') throw new Error(`hook must be a function, got ${describe(fn)}`);
  const id = module[ENGINE].nextHookId++;
  map.set(id, fn);
  return { id, remove: () => map.delete(id) };
}

// [name, member] pairs of every module (or of this one alone), each member once.
function namedMembers(module, getMembers, prefix, recurse) {
  const memo = new Set();
  const out = [];
  const mods = recurse ? module.namedModules(prefix) : [[prefix, module]];
  for (const [modPrefix, m] of mods) {
    for (const [k, v] of getMembers(m)) {
      if (v === null || v === undefined || memo.has(v)) continue;
      memo.add(v);
      out.push([modPrefix ? `${modPrefix}.${k}` : k, v]);
    }
  }
  return out;
}

class ModuleBase {
  constructor() {
    return registering(this);
  }

  // ---- forward ----
  forward() {
    throw new Error(`Module [${this._getName()}] is missing the required "forward" function`);
  }
  // Python's module(...args): forward pre-hooks, forward, forward hooks.
  // With full backward hooks, forward and the forward hooks run between the two identity
  // functions (Note [Full backward hooks] in backward_hook.mjs), as in torch 1.13.
  call(...args) {
    for (const hook of [...this._forwardPreHooks.values()]) {
      const r = hook(this, args);
      if (r !== undefined) args = Array.isArray(r) ? r : [r];
    }
    const run = (inputs) => {
      let result = this.forward(...inputs);
      for (const hook of [...this._forwardHooks.values()]) {
        const r = hook(this, inputs, result);
        if (r !== undefined) result = r;
      }
      return result;
    };
    const backwardHooks = [...this._backwardHooks.values()];
    return backwardHooks.length === 0 ? run(args) : this[ENGINE].callWithBackwardHooks(this, backwardHooks, args, run);
  }
  // hook(module, gradInput, gradOutput) -> a replacement gradInput array, or nothing.
  registerFullBackwardHook(hook) {
    return hookHandle(this, this._backwardHooks, hook);
  }
  registerForwardHook(hook) {
    return hookHandle(this, this._forwardHooks, hook);
  }
  registerForwardPreHook(hook) {
    return hookHandle(this, this._forwardPreHooks, hook);
  }

  // ---- registration (Note [Module registration] in module_registration.mjs) ----
  registerParameter(name, param) {
    registerParameter(this, name, param);
  }
  // registerBuffer(name, tensor, persistent = true) or (name, tensor, { persistent }).
  registerBuffer(name, tensor, persistent = true) {
    registerBuffer(this, name, tensor, persistent);
  }
  registerModule(name, module) {
    return this.addModule(name, module);
  }
  addModule(name, module) {
    addModule(this, name, module);
  }

  // ---- traversal: arrays, in registration order ----
  namedChildren() {
    const out = [];
    const memo = new Set();
    for (const [name, m] of this._modules) {
      if (m && !memo.has(m)) {
        memo.add(m);
        out.push([name, m]);
      }
    }
    return out;
  }
  children() {
    return this.namedChildren().map(([, m]) => m);
  }
  namedModules(prefix = '', options) {
    const { removeDuplicate = true } = checkOptions('namedModules', options, { removeDuplicate: 'boolean' }, ['memo']);
    const out = [];
    const memo = new Set();
    const visit = (m, pre) => {
      if (removeDuplicate) {
        if (memo.has(m)) return;
        memo.add(m);
      }
      out.push([pre, m]);
      for (const [name, child] of m._modules) if (child) visit(child, pre ? `${pre}.${name}` : name);
    };
    visit(this, prefix);
    return out;
  }
  modules() {
    return this.namedModules().map(([, m]) => m);
  }
  namedParameters(prefix = '', recurse = true) {
    return namedMembers(this, (m) => m._parameters, prefix, recurse);
  }
  parameters(recurse = true) {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }
  namedBuffers(prefix = '', recurse = true) {
    return namedMembers(this, (m) => m._buffers, prefix, recurse);
  }
  buffers(recurse = true) {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }
  apply(fn) {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }
  getSubmodule(target) {
    if (target === '') return this;
    let mod = this;
    for (const item of target.split('.')) {
      if (!mod._modules.has(item)) throw new Error(`${mod._getName()} has no attribute \`${item}\``);
      mod = mod._modules.get(item);
      if (!(mod instanceof this[ENGINE].Module)) throw new Error(`\`${item}\` is not an nn.Module`);
    }
    return mod;
  }

  // ---- modes ----
  train(mode = true) {
    if (typeof mode !== 'boolean') throw new Error('training mode is expected to be boolean');
    this.training = mode;
    for (const m of this.children()) m.train(mode);
    return this;
  }
  eval() {
    return this.train(false);
  }
  requiresGrad_(flag = true) {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }
  // PyTorch 1.13's zero_grad(set_to_none=False): grads are zeroed in place (their version
  // goes up); { setToNone: true } drops them.
  zeroGrad(options) {
    const { setToNone = false } = checkOptions('zeroGrad', options, { setToNone: 'boolean' });
    const { rt, live } = this[ENGINE];
    zeroGrads(rt, live, this.parameters(), setToNone);
  }

  // ---- state (module_state_dict.mjs) ----
  stateDict(options) {
    return moduleStateDict(this, options);
  }
  loadStateDict(stateDict, options = {}) {
    return loadModuleStateDict(this, stateDict, options);
  }

  // Frees every parameter and buffer of this module and its submodules.
  dispose() {
    for (const m of this.modules()) {
      for (const p of m._parameters.values()) if (p) p.dispose();
      for (const b of m._buffers.values()) if (b) b.dispose();
    }
  }

  // ---- printing, as PyTorch's repr ----
  _getName() {
    return this.constructor.name;
  }
  extraRepr() {
    return '';
  }
  toString() {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [];
    for (const [key, m] of this._modules) {
      const s = m ? m.toString() : 'None';
      childLines.push(`(${key}): ${s.split('\n').join('\n  ')}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this._getName()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return this.toString();
  }
}
