// torch.optim.Optimizer, the base class of the optimizers: parameter groups, per-parameter state, zeroGrad and
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
// Note [One Optimizer class per engine]
// As for nn.Module (Note [One Module class per engine] in js/nn/module.mjs), each engine has
// its own torch.optim.Optimizer: an empty subclass of OptimizerBase whose prototype carries
// the engine ({ torch, Tensor, zeroGrads }) under the ENGINE symbol, read as this[ENGINE].

import { checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName } from '../nn/format.mjs';
import { loadOptimizerStateDict, optimizerStateDict } from './optimizer_state_dict.mjs';

export { camelCase, copyPlain } from './optimizer_state_dict.mjs';

export const REQUIRED = Symbol('required');

const ENGINE = Symbol('webtorch.optim.engine');

// The engine's torch.optim.Optimizer (Note [One Optimizer class per engine]).
export function createOptimizerClass(torch, Tensor, rt, { zeroGrads }) {
  class Optimizer extends OptimizerBase {}
  Object.defineProperty(Optimizer.prototype, ENGINE, { value: { torch, Tensor, zeroGrads } });
  return Optimizer;
}

class OptimizerBase {
  constructor(params, defaults) {
    const { Tensor } = this[ENGINE];
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
    const { Tensor } = this[ENGINE];
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
    for (const g of this.paramGroups) this[ENGINE].zeroGrads(g.params, setToNone);
  }

  // One update of every parameter that has a grad. closure, if given, re-evaluates the
  // model and returns the loss (run with grad enabled, as in PyTorch); step returns it.
  step(closure) {
    let loss;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw new Error(`step(): closure must be a function, got ${describe(closure)}`);
      loss = this[ENGINE].torch.enableGrad(closure);
    }
    this[ENGINE].torch.noGrad(() => {
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

  // PyTorch's state_dict() and load_state_dict(), Note [Optimizer state dict] in
  // optimizer_state_dict.mjs.
  stateDict() {
    return optimizerStateDict(this, this[ENGINE].Tensor);
  }
  loadStateDict(stateDict) {
    const defaults = Object.entries(this.defaults).filter(([, v]) => v !== REQUIRED);
    loadOptimizerStateDict(this, this[ENGINE], stateDict, defaults);
  }

  // Frees the state tensors (momentum buffers, moments).
  dispose() {
    const { Tensor } = this[ENGINE];
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}
