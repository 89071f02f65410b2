// How a Module registers its parameters, buffers and submodules.
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

import { checkOptions, isOptionsObject } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName } from './format.mjs';
import { PARAMETER, isParameterLike } from './parameter.mjs';

// The engine a module belongs to ({ torch, Tensor, Module, ... }), a property of its engine's
// Module.prototype (Note [One Module class per engine] in module.mjs).
export const ENGINE = Symbol('webtorch.nn.engine');

const targets = new WeakMap(); // proxy -> the instance it wraps

// The proxy's target, to define a property without re-entering the traps.
function unproxied(m) {
  return targets.get(m) ?? m;
}

function hidden(obj, name, value) {
  Object.defineProperty(obj, name, { value, writable: true, enumerable: false, configurable: true });
}

// Gives a new module its maps and returns the Proxy its constructor returns.
export function registering(module) {
  hidden(module, '_parameters', new Map());
  hidden(module, '_buffers', new Map());
  hidden(module, '_nonPersistentBuffers', new Set());
  hidden(module, '_modules', new Map());
  hidden(module, '_forwardHooks', new Map());
  hidden(module, '_forwardPreHooks', new Map());
  hidden(module, '_backwardHooks', new Map());
  hidden(module, 'training', true);
  const proxy = new Proxy(module, registrationTraps);
  targets.set(proxy, module);
  return proxy;
}

function checkName(kind, name, module) {
  if (typeof name !== 'string') throw new TypeError(`${kind} name should be a string. Got ${pyTypeName(name)}`);
  if (name.includes('.')) throw new Error(`${kind} name can't contain "."`);
  if (name === '') throw new Error(`${kind} name can't be empty string ""`);
  const existing = unproxied(module);
  if (Object.prototype.hasOwnProperty.call(existing, name) && !module._parameters.has(name) && !module._buffers.has(name) && !module._modules.has(name))
    throw new Error(`attribute '${name}' already exists`);
}

// module.registerParameter(name, param).
export function registerParameter(module, name, param) {
  const { torch, Tensor } = module[ENGINE];
  checkName('parameter', name, module);
  if (param !== null && param !== undefined && !(param instanceof Tensor))
    throw new TypeError(`cannot assign '${pyTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
  if (param instanceof Tensor) param[PARAMETER] = true;
  module._modules.delete(name);
  module._buffers.delete(name);
  module._parameters.set(name, param ?? null);
  if (param) torch.keep(param);
  Reflect.defineProperty(unproxied(module), name, { value: param ?? null, writable: true, enumerable: true, configurable: true });
}

// module.registerBuffer(name, tensor, persistent = true) or (name, tensor, { persistent }).
export function registerBuffer(module, name, tensor, persistent) {
  const { torch, Tensor } = module[ENGINE];
  if (isOptionsObject(persistent)) ({ persistent } = checkOptions('registerBuffer', persistent, { persistent: 'boolean' }));
  persistent ??= true; // null: not given
  if (typeof persistent !== 'boolean') throw new Error(`registerBuffer(): persistent must be a boolean, got ${describe(persistent)}`);
  checkName('buffer', name, module);
  if (tensor !== null && tensor !== undefined && !(tensor instanceof Tensor))
    throw new TypeError(`cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
  module._modules.delete(name);
  module._parameters.delete(name);
  module._buffers.set(name, tensor ?? null);
  if (persistent) module._nonPersistentBuffers.delete(name);
  else module._nonPersistentBuffers.add(name);
  if (tensor) torch.keep(tensor);
  Reflect.defineProperty(unproxied(module), name, { value: tensor ?? null, writable: true, enumerable: true, configurable: true });
}

// module.addModule(name, child).
export function addModule(module, name, child) {
  if (child !== null && child !== undefined && !(child instanceof module[ENGINE].Module))
    throw new TypeError(`${pyTypeName(child)} is not a Module subclass`);
  if (typeof name !== 'string') throw new TypeError(`module name should be a string. Got ${pyTypeName(name)}`);
  if (name.includes('.')) throw new Error(`module name can't contain ".", got: ${name}`);
  if (name === '') throw new Error('module name can\'t be empty string ""');
  module[name] = child ?? null;
  if (child === null || child === undefined) {
    module._parameters.delete(name);
    module._buffers.delete(name);
    module._modules.set(name, null);
  }
}

// Registration of an assigned value (Note [Module registration]); throws PyTorch's
// TypeError text for a value that cannot replace a registered member.
function register(target, name, value) {
  const params = target._parameters;
  const buffers = target._buffers;
  const modules = target._modules;
  if (params === undefined) return; // before the maps exist (the constructor's own setup)
  const { torch, Tensor, Module } = target[ENGINE];
  if (value instanceof Module) {
    params.delete(name);
    buffers.delete(name);
    modules.set(name, value);
  } else if (value instanceof Tensor) {
    if (params.has(name) || isParameterLike(Tensor, value)) {
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
