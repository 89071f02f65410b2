// torch.nn.Module and torch.nn.Parameter for one engine.
//
// Note [Module registration]
// As in PyTorch, a Module keeps its parameters, buffers and submodules in three ordered
// maps, filled as the constructor assigns properties (`this.fc1 = new nn.Linear(4, 8)`):
// that order gives state_dict names and order (`fc1.weight`, `fc1.bias`, `0.weight`). The
// constructor returns a Proxy of the instance whose only traps are defineProperty and
// deleteProperty, so registration sees every assignment (plain `=`, class fields,
// Object.defineProperty) while reads, method calls, `instanceof`, private fields and
// Object.keys behave as on the plain object. The maps are non-enumerable own properties.
//
// What is a parameter: a Tensor made by nn.Parameter, or any leaf Tensor that requires
// grad (JavaScript code writes `this.w = torch.randn([3], { requiresGrad: true })` more
// often than it wraps it), or any Tensor assigned to a name already registered as a
// parameter. Other tensors are plain attributes, as in PyTorch; registerBuffer() adds
// buffers. Registered tensors are kept (torch.keep): a model built or trained inside
// torch.tidy() keeps its weights; module.dispose() frees them.
//
// Calling a module: JavaScript objects cannot be made callable without turning them into
// functions (typeof 'function', read-only `name`/`length` own properties that break
// `this.name = ...` in subclasses), so `module.call(x)` plays the part of Python's
// `module(x)`: it runs the forward pre-hooks, forward(x) and the forward hooks.
// `module.forward(x)` runs forward alone, exactly as in PyTorch.

import { checkOptions, isOptionsObject } from '../options.mjs';
import { createBackwardHookSetup } from './backward_hook.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName, torchSize } from './format.mjs';

export const PARAMETER = Symbol('webtorch.nn.Parameter');

export function createModuleClasses(torch, Tensor, rt, { own, live }) {
  const { M } = rt;
  function isRegisteredParameter(v) {
    return v instanceof Tensor && v[PARAMETER] === true;
  }
  function isParameterLike(v) {
    if (!(v instanceof Tensor)) return false;
    if (v[PARAMETER] === true) return true;
    if (v.isDisposed) throw new Error('cannot assign a disposed Tensor to a Module attribute');
    return v.requiresGrad && v.isLeaf;
  }

  // nn.Parameter(data, requiresGrad = true): a leaf sharing data's storage, marked as a
  // parameter; works with or without `new`. `x instanceof nn.Parameter` tells parameters.
  function Parameter(data, requiresGrad = true) {
    if (isOptionsObject(requiresGrad)) ({ requiresGrad } = checkOptions('Parameter', requiresGrad, { requiresGrad: 'boolean' }));
    requiresGrad ??= true; // null: not given
    const src = data === undefined ? torch.empty([0]) : own(data, 'Parameter');
    if (typeof requiresGrad !== 'boolean') throw new Error(`Parameter(): requiresGrad must be a boolean, got ${describe(requiresGrad)}`);
    const p = src.detach();
    if (data === undefined) src.dispose();
    try {
      if (requiresGrad) p.requiresGrad_(true);
    } catch (e) {
      p.dispose();
      throw e;
    }
    p[PARAMETER] = true;
    return p;
  }
  Object.defineProperty(Parameter, Symbol.hasInstance, { value: (v) => isRegisteredParameter(v) });

  // A fresh parameter of the given shape (uninitialised), without an intermediate wrapper.
  function emptyParameter(shape) {
    const p = torch.empty(shape, { requiresGrad: true });
    p[PARAMETER] = true;
    return p;
  }

  function hidden(obj, name, value) {
    Object.defineProperty(obj, name, { value, writable: true, enumerable: false, configurable: true });
  }

  const callWithBackwardHooks = createBackwardHookSetup(torch, Tensor);
  const targets = new WeakMap(); // proxy -> the instance it wraps
  let nextHookId = 0;
  function hookHandle(map, fn) {
    if (typeof fn !== 'function') throw new Error(`hook must be a function, got ${describe(fn)}`);
    const id = nextHookId++;
    map.set(id, fn);
    return { id, remove: () => map.delete(id) };
  }

  class Module {
    constructor() {
      hidden(this, '_parameters', new Map());
      hidden(this, '_buffers', new Map());
      hidden(this, '_nonPersistentBuffers', new Set());
      hidden(this, '_modules', new Map());
      hidden(this, '_forwardHooks', new Map());
      hidden(this, '_forwardPreHooks', new Map());
      hidden(this, '_backwardHooks', new Map());
      hidden(this, 'training', true);
      const proxy = new Proxy(this, registrationTraps);
      targets.set(proxy, this);
      return proxy;
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
      return backwardHooks.length === 0 ? run(args) : callWithBackwardHooks(this, backwardHooks, args, run);
    }
    // hook(module, gradInput, gradOutput) -> a replacement gradInput array, or nothing.
    registerFullBackwardHook(hook) {
      return hookHandle(this._backwardHooks, hook);
    }
    registerForwardHook(hook) {
      return hookHandle(this._forwardHooks, hook);
    }
    registerForwardPreHook(hook) {
      return hookHandle(this._forwardPreHooks, hook);
    }

    // ---- registration (Note [Module registration]) ----
    registerParameter(name, param) {
      checkName('parameter', name, this);
      if (param !== null && param !== undefined && !(param instanceof Tensor))
        throw new TypeError(`cannot assign '${pyTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
      if (param instanceof Tensor) param[PARAMETER] = true;
      this._modules.delete(name);
      this._buffers.delete(name);
      this._parameters.set(name, param ?? null);
      if (param) torch.keep(param);
      Reflect.defineProperty(unproxied(this), name, { value: param ?? null, writable: true, enumerable: true, configurable: true });
    }
    // registerBuffer(name, tensor, persistent = true) or (name, tensor, { persistent }).
    registerBuffer(name, tensor, persistent = true) {
      if (isOptionsObject(persistent)) ({ persistent } = checkOptions('registerBuffer', persistent, { persistent: 'boolean' }));
      persistent ??= true; // null: not given
      if (typeof persistent !== 'boolean') throw new Error(`registerBuffer(): persistent must be a boolean, got ${describe(persistent)}`);
      checkName('buffer', name, this);
      if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor))
        throw new TypeError(`cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
      this._modules.delete(name);
      this._parameters.delete(name);
      this._buffers.set(name, tensor ?? null);
      if (persistent) this._nonPersistentBuffers.delete(name);
      else this._nonPersistentBuffers.add(name);
      if (tensor) torch.keep(tensor);
      Reflect.defineProperty(unproxied(this), name, { value: tensor ?? null, writable: true, enumerable: true, configurable: true });
    }
    registerModule(name, module) {
      return this.addModule(name, module);
    }
    addModule(name, module) {
      if (module !== null && module !== undefined && !(module instanceof Module))
        throw new TypeError(`${pyTypeName(module)} is not a Module subclass`);
      if (typeof name !== 'string') throw new TypeError(`module name should be a string. Got ${pyTypeName(name)}`);
      if (name.includes('.')) throw new Error(`module name can't contain ".", got: ${name}`);
      if (name === '') throw new Error('module name can\'t be empty string ""');
      this[name] = module ?? null;
      if (module === null || module === undefined) {
        this._parameters.delete(name);
        this._buffers.delete(name);
        this._modules.set(name, null);
      }
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
        if (!(mod instanceof Module)) throw new Error(`\`${item}\` is not an nn.Module`);
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
      zeroGrads(this.parameters(), setToNone);
    }

    // ---- state ----
    // { name: Tensor } in PyTorch's order: each module's parameters, then its persistent
    // buffers, then its children's entries. Values are detached aliases of the parameters
    // (sharing storage: disposing them never frees the model's weights), or the parameters
    // themselves with { keepVars: true }.
    stateDict(options) {
      const { prefix = '', keepVars = false } = checkOptions('stateDict', options, { prefix: 'string', keepVars: 'boolean' }, ['destination']);
      const out = {};
      const visit = (m, pre) => {
        for (const [name, p] of m._parameters) if (p) setEntry(out, pre + name, keepVars ? p : p.detach());
        for (const [name, b] of m._buffers)
          if (b && !m._nonPersistentBuffers.has(name)) setEntry(out, pre + name, keepVars ? b : b.detach());
        for (const [name, child] of m._modules) if (child) visit(child, `${pre}${name}.`);
      };
      visit(this, prefix);
      return out;
    }

    // Copies a state dict into the parameters and buffers, checking everything first: an
    // error (PyTorch's "Error(s) in loading state_dict for Net: ..." text) leaves the model
    // unchanged. Returns { missingKeys, unexpectedKeys }.
    loadStateDict(stateDict, options = {}) {
      const { strict = true } = typeof options === 'boolean' ? { strict: options } : checkOptions('loadStateDict', options, ['strict'], ['assign']);
      if (typeof strict !== 'boolean') throw new Error(`loadStateDict(): strict must be a boolean, got ${describe(strict)}`);
      let entries;
      if (stateDict instanceof Map) entries = [...stateDict.entries()];
      else if (stateDict !== null && typeof stateDict === 'object' && !Array.isArray(stateDict) && !(stateDict instanceof Tensor))
        entries = Object.entries(stateDict);
      else throw new TypeError(`Expected state_dict to be dict-like, got ${pyTypeName(stateDict)}.`);
      const missingKeys = [];
      const unexpectedKeys = [];
      const errorMsgs = [];
      const copies = [];
      const load = (module, local, prefix) => {
        const localState = new Map();
        for (const [name, p] of module._parameters) if (p) localState.set(name, p);
        for (const [name, b] of module._buffers) if (b && !module._nonPersistentBuffers.has(name)) localState.set(name, b);
        const localMap = new Map(local);
        for (const [name, param] of localState) {
          const key = prefix + name;
          if (!localMap.has(key)) {
            missingKeys.push(key);
            continue;
          }
          const input = localMap.get(key);
          if (!(input instanceof Tensor)) {
            errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(input)}`);
            continue;
          }
          const inShape = input.shape;
          const shape = param.shape;
          if (inShape.length !== shape.length || inShape.some((s, i) => s !== shape[i])) {
            errorMsgs.push(`size mismatch for ${key}: copying a param with shape ${torchSize(inShape)} from checkpoint, the shape in current model is ${torchSize(shape)}.`);
            continue;
          }
          if (param.isInference() && !torch.isInferenceModeEnabled()) {
            errorMsgs.push(`While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(shape)} and whose dimensions in the checkpoint are ${torchSize(inShape)}, an exception occurred : ('Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.',).`);
            continue;
          }
          copies.push([param, input]);
        }
        for (const [key] of local) {
          if (!key.startsWith(prefix)) continue;
          const inputName = key.slice(prefix.length).split('.', 1)[0];
          if (!module._modules.has(inputName) && !localState.has(inputName)) unexpectedKeys.push(key);
        }
        for (const [name, child] of module._modules) {
          if (!child) continue;
          const childPrefix = `${prefix}${name}.`;
          load(child, local.filter(([k]) => k.startsWith(childPrefix)), childPrefix);
        }
      };
      load(this, entries, '');
      if (strict) {
        if (unexpectedKeys.length) errorMsgs.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
        if (missingKeys.length) errorMsgs.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
      }
      if (errorMsgs.length) throw new Error(`Error(s) in loading state_dict for ${this._getName()}:\n\t${errorMsgs.join('\n\t')}`);
      torch.noGrad(() => {
        for (const [param, input] of copies) param.copy_(input);
      });
      return { missingKeys, unexpectedKeys };
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

  // The proxy's target, to define a property without re-entering the traps.
  function unproxied(m) {
    return targets.get(m) ?? m;
  }

  function checkName(kind, name, module) {
    if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${pyTypeName(name)}`);
    if (name.includes('.')) throw new Error(`${kind} name can't contain "."`);
    if (name === '') throw new Error(`${kind} name can't be empty string ""`);
    const existing = unproxied(module);
    if (Object.prototype.hasOwnProperty.call(existing, name) && !module._parameters.has(name) && !module._buffers.has(name) && !module._modules.has(name))
      throw new Error(`attribute '${name}' already exists`);
  }

  // Registration of an assigned value (Note [Module registration]); throws PyTorch's
  // TypeError text for a value that cannot replace a registered member.
  function register(target, name, value) {
    const params = target._parameters;
    const buffers = target._buffers;
    const modules = target._modules;
    if (params === undefined) return; // before the maps exist (the constructor's own setup)
    if (value instanceof Module) {
      params.delete(name);
      buffers.delete(name);
      modules.set(name, value);
    } else if (value instanceof Tensor) {
      if (params.has(name) || isParameterLike(value)) {
        modules.delete(name);
        buffers.delete(name);
        value[PARAMETER] = true;
        params.set(name, value);
        torch.keep(value);
      } else if (buffers.has(name)) {
        buffers.set(name, value);
        torch.keep(value);
      } else if (modules.has(name)) {
        throw new TypeError(`cannot assign 'torch.FloatTensor' as child module '${name}' (torch.nn.Module or None expected)`);
      }
    } else if (value === null || value === undefined) {
      if (params.has(name)) params.set(name, null);
      else if (buffers.has(name)) buffers.set(name, null);
      else if (modules.has(name)) modules.set(name, null);
    } else if (params.has(name)) {
      throw new TypeError(`cannot assign '${pyTypeName(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
    } else if (modules.has(name)) {
      throw new TypeError(`cannot assign '${pyTypeName(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    } else if (buffers.has(name)) {
      throw new TypeError(`cannot assign '${pyTypeName(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
    }
  }

  const registrationTraps = {
    defineProperty(target, prop, desc) {
      if (typeof prop === 'string' && 'value' in desc) register(target, prop, desc.value);
      return Reflect.defineProperty(target, prop, desc);
    },
    deleteProperty(target, prop) {
      if (typeof prop === 'string' && target._parameters !== undefined) {
        target._parameters.delete(prop);
        target._buffers.delete(prop);
        target._nonPersistentBuffers.delete(prop);
        target._modules.delete(prop);
      }
      return Reflect.deleteProperty(target, prop);
    },
  };

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

  // PyTorch 1.13's zero_grad(set_to_none): through handles, so no wrapper is made for a grad
  // that is about to be dropped (a wrapper would keep it alive until garbage collection).
  function zeroGrads(params, setToNone) {
    for (const p of params) {
      const h = live(p);
      if (rt.status(M._wt_grad(h)) === 0) continue;
      const gh = rt.readInts(1)[0] >>> 0;
      try {
        if (setToNone) {
          rt.status(M._wt_set_grad(h, 0));
          p._grad = null; // the cached wrapper (if the user holds it, it stays valid)
          continue;
        }
        if (M.gradFnName(gh) !== null) {
          // p.grad.detach_(): the grad itself leaves the graph (a wrapper the user holds too).
          rt.status(M._wt_detach_(gh));
        } else if (M._wt_requires_grad(gh)) {
          rt.status(M._wt_requires_grad_(gh, 0));
        }
        rt.status(M._wt_zero_(gh));
      } finally {
        M._wt_release(gh);
      }
    }
  }

  return { Module, Parameter, emptyParameter, zeroGrads };
}

function pyClass(v) {
  return `<class '${pyTypeName(v)}'>`;
}

// A plain object whose keys may be any string, "__proto__" included.
export function setEntry(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
