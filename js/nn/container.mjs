// Containers (torch/nn/modules/container.py): Sequential and ModuleList.

import { pyTypeName } from './format.mjs';

export function createContainers({ Module }) {
  function checkModule(m) {
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
  class Sequential extends Module {
    constructor(...modules) {
      super();
      if (modules.length === 1 && !(modules[0] instanceof Module) && modules[0] !== null && typeof modules[0] === 'object') {
        const entries = modules[0] instanceof Map ? [...modules[0].entries()] : Object.entries(modules[0]);
        for (const [name, m] of entries) this.addModule(name, checkModule(m));
      } else {
        modules.forEach((m, i) => this.addModule(String(i), checkModule(m)));
      }
    }
    forward(input) {
      for (const m of this._modules.values()) input = m.call(input);
      return input;
    }
    get length() {
      return this._modules.size;
    }
    at(idx) {
      return [...this._modules.values()][index(this, idx)];
    }
    append(module) {
      this.addModule(String(this._modules.size), checkModule(module));
      return this;
    }
    [Symbol.iterator]() {
      return this._modules.values();
    }
  }

  class ModuleList extends Module {
    constructor(modules = []) {
      super();
      for (const m of modules) this.append(m);
    }
    get length() {
      return this._modules.size;
    }
    at(idx) {
      return [...this._modules.values()][index(this, idx)];
    }
    append(module) {
      this.addModule(String(this._modules.size), checkModule(module));
      return this;
    }
    [Symbol.iterator]() {
      return this._modules.values();
    }
  }
  return { Sequential, ModuleList };
}
