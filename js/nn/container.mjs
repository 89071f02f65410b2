// Containers (torch/nn/modules/container.py): Sequential, ModuleList and ModuleDict.

import { pyTypeName } from './format.mjs';

// The engine's containers, subclasses of its Module.
export function createContainers({ Module }) {
  // What the three containers share: their length is their number of entries.
  class Container extends Module {
    get length() {
      return this._modules.size;
    }
  }
  return {
    Sequential: createSequential(Container, Module),
    ModuleList: createModuleList(Container, Module),
    ModuleDict: createModuleDict(Container, Module),
  };
}

function checkModule(Module, m) {
  if (!(m instanceof Module)) throw new TypeError(`${pyTypeName(m)} is not a Module subclass`);
  return m;
}
function index(container, idx) {
  const n = container._modules.size;
  if (!Number.isInteger(idx) || idx < -n || idx >= n) throw new Error(`index ${idx} is out of range`);
  return idx < 0 ? idx + n : idx;
}

// new Sequential(m1, m2, ...) names its modules '0', '1', ...; new Sequential({ fc: m1,
// act: m2 }) (or a Map) keeps the given names, like an OrderedDict.
function createSequential(Container, Module) {
  return class Sequential extends Container {
    constructor(...modules) {
      super();
      if (modules.length === 1 && !(modules[0] instanceof Module) && modules[0] !== null && typeof modules[0] === 'object') {
        const entries = modules[0] instanceof Map ? [...modules[0].entries()] : Object.entries(modules[0]);
        for (const [name, m] of entries) this.addModule(name, checkModule(Module, m));
      } else {
        modules.forEach((m, i) => this.addModule(String(i), checkModule(Module, m)));
      }
    }
    forward(input) {
      for (const m of this._modules.values()) input = m.call(input);
      return input;
    }
    // The module at position idx (negative counts from the end), whatever its name.
    get(idx) {
      return [...this._modules.values()][index(this, idx)];
    }
    at(idx) {
      return this.get(idx);
    }
    append(module) {
      this.addModule(String(this._modules.size), checkModule(Module, module));
      return this;
    }
    [Symbol.iterator]() {
      return this._modules.values();
    }
  };
}

// ModuleList: modules named '0', '1', ... (state-dict keys '0.weight', ...). Each entry is
// also a property (list[0], as Module registration makes it); list.get(-1) counts from the end.
// insert and pop renumber the entries, as PyTorch's do.
function createModuleList(Container, Module) {
  return class ModuleList extends Container {
    constructor(modules) {
      super();
      if (modules !== undefined && modules !== null) this.extend(modules);
    }
    get(idx) {
      return this._modules.get(String(index(this, idx)));
    }
    at(idx) {
      return this.get(idx);
    }
    set(idx, module) {
      this.addModule(String(index(this, idx)), checkModule(Module, module));
    }
    append(module) {
      this.addModule(String(this._modules.size), checkModule(Module, module));
      return this;
    }
    extend(modules) {
      if (modules === null || typeof modules !== 'object' || typeof modules[Symbol.iterator] !== 'function')
        throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${pyTypeName(modules)}`);
      for (const m of [...modules]) this.append(m);
      return this;
    }
    // insert(index, module) for 0 <= index <= length (PyTorch 1.13 leaves a gap or a key '-1'
    // outside that range; webtorch refuses it).
    insert(idx, module) {
      const n = this._modules.size;
      if (!Number.isInteger(idx) || idx < 0 || idx > n) throw new Error(`insert(): index ${idx} is out of range`);
      checkModule(Module, module);
      const list = [...this._modules.values()];
      list.splice(idx, 0, module);
      renumber(this, list);
    }
    // Removes the entry at idx and returns it (PyTorch's pop / del list[idx]).
    pop(idx) {
      const i = index(this, idx);
      const list = [...this._modules.values()];
      const [removed] = list.splice(i, 1);
      renumber(this, list);
      return removed;
    }
    [Symbol.iterator]() {
      return this._modules.values();
    }
  };
}

function renumber(list, modules) {
  for (const key of [...list._modules.keys()]) delete list[key];
  modules.forEach((m, i) => list.addModule(String(i), m));
}

// ModuleDict: modules under the given keys, in insertion order (a Map's order, or an object's
// own-key order; note that JavaScript puts integer-like keys of an object first: use a Map or
// an array of pairs to keep another order). Each entry is also a property (dict.fc), and
// dict.get(key). A key that names a Module member ('forward', 'get', 'training') is refused,
// as PyTorch refuses an existing attribute.
function createModuleDict(Container, Module) {
  return class ModuleDict extends Container {
    constructor(modules) {
      super();
      if (modules !== undefined && modules !== null) this.update(modules);
    }
    get(key) {
      if (!this._modules.has(key)) throw new Error(`KeyError: ${JSON.stringify(key)}`);
      return this._modules.get(key);
    }
    set(key, module) {
      checkModule(Module, module);
      if (typeof key === 'string' && !this._modules.has(key) && key in this) throw new Error(`attribute '${key}' already exists`);
      this.addModule(key, module);
    }
    has(key) {
      return this._modules.has(key);
    }
    pop(key) {
      const m = this.get(key);
      delete this[key];
      return m;
    }
    clear() {
      for (const key of [...this._modules.keys()]) delete this[key];
    }
    keys() {
      return [...this._modules.keys()];
    }
    values() {
      return [...this._modules.values()];
    }
    items() {
      return [...this._modules.entries()];
    }
    // update(mapping): a Map, a ModuleDict, a plain object, or an iterable of [key, module] pairs.
    update(modules) {
      let entries;
      if (modules instanceof ModuleDict) entries = modules.items();
      else if (modules instanceof Map) entries = [...modules.entries()];
      else if (modules !== null && typeof modules === 'object' && typeof modules[Symbol.iterator] === 'function') {
        entries = [...modules].map((m, j) => {
          if (m === null || typeof m !== 'object' || typeof m[Symbol.iterator] !== 'function')
            throw new TypeError(`ModuleDict update sequence element #${j} should be Iterable; is${pyTypeName(m)}`);
          const pair = [...m];
          if (pair.length !== 2) throw new Error(`ModuleDict update sequence element #${j} has length ${pair.length}; 2 is required`);
          return pair;
        });
      } else if (modules !== null && typeof modules === 'object' && !(modules instanceof Module)) entries = Object.entries(modules);
      else throw new TypeError(`ModuleDict.update should be called with an iterable of key/value pairs, but got ${pyTypeName(modules)}`);
      for (const [, m] of entries) checkModule(Module, m);
      for (const [key, m] of entries) this.set(key, m);
    }
    [Symbol.iterator]() {
      return this._modules.keys();
    }
  };
}
