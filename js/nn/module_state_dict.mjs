// Module.stateDict() and Module.loadStateDict(), as PyTorch's state_dict / load_state_dict.

import { checkOptions } from '../options.mjs';
import { describe } from '../runtime.mjs';
import { pyTypeName, torchSize } from './format.mjs';
import { ENGINE } from './module_registration.mjs';

// { name: Tensor } in PyTorch's order: each module's parameters, then its persistent
// buffers, then its children's entries. Values are detached aliases of the parameters
// (sharing storage: disposing them never frees the model's weights), or the parameters
// themselves with { keepVars: true }.
export function moduleStateDict(module, options) {
  const { prefix = '', keepVars = false } = checkOptions('stateDict', options, { prefix: 'string', keepVars: 'boolean' }, ['destination']);
  const out = {};
  const visit = (m, pre) => {
    for (const [name, p] of m._parameters) if (p) setEntry(out, pre + name, keepVars ? p : p.detach());
    for (const [name, b] of m._buffers)
      if (b && !m._nonPersistentBuffers.has(name)) setEntry(out, pre + name, keepVars ? b : b.detach());
    for (const [name, child] of m._modules) if (child) visit(child, `${pre}${name}.`);
  };
  visit(module, prefix);
  return out;
}

// Copies a state dict into the parameters and buffers, checking everything first: an
// error (PyTorch's "Error(s) in loading state_dict for Net: ..." text) leaves the model
// unchanged. Returns { missingKeys, unexpectedKeys }.
export function loadModuleStateDict(module, stateDict, options = {}) {
  const { torch, Tensor } = module[ENGINE];
  const { strict = true } = typeof options === 'boolean' ? { strict: options } : checkOptions('loadStateDict', options, ['strict'], ['assign']);
  if (typeof strict !== 'boolean') throw new Error(`loadStateDict(): strict must be a boolean, got ${describe(strict)}`);
  let entries;
  if (stateDict instanceof Map) entries = [...stateDict.entries()];
  else if (stateDict !== null && typeof stateDict === 'object' && !Array.isArray(stateDict) && !(stateDict instanceof Tensor))
    entries = Object.entries(stateDict);
  else throw new TypeError(`Expected state_dict to be dict-like, got ${pyTypeName(stateDict)}.`);
  const found = { missingKeys: [], unexpectedKeys: [], errorMsgs: [], copies: [] };
  checkLoad(torch, Tensor, module, entries, '', found);
  const { missingKeys, unexpectedKeys, errorMsgs, copies } = found;
  if (strict) {
    if (unexpectedKeys.length) errorMsgs.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
    if (missingKeys.length) errorMsgs.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
  }
  if (errorMsgs.length) throw new Error(`Error(s) in loading state_dict for ${module._getName()}:\n\t${errorMsgs.join('\n\t')}`);
  torch.noGrad(() => {
    for (const [param, input] of copies) param.copy_(input);
  });
  return { missingKeys, unexpectedKeys };
}

// PyTorch's _load_from_state_dict for module and its children, without copying: collects
// the keys, the error messages and the [param, input] pairs to copy into `found`.
function checkLoad(torch, Tensor, module, local, prefix, found) {
  const localState = new Map();
  for (const [name, p] of module._parameters) if (p) localState.set(name, p);
  for (const [name, b] of module._buffers) if (b && !module._nonPersistentBuffers.has(name)) localState.set(name, b);
  const localMap = new Map(local);
  for (const [name, param] of localState) {
    const key = prefix + name;
    if (!localMap.has(key)) {
      found.missingKeys.push(key);
      continue;
    }
    const input = localMap.get(key);
    if (!(input instanceof Tensor)) {
      found.errorMsgs.push(`While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyClass(input)}`);
      continue;
    }
    const inShape = input.shape;
    const shape = param.shape;
    if (inShape.length !== shape.length || inShape.some((s, i) => s !== shape[i])) {
      found.errorMsgs.push(`size mismatch for ${key}: copying a param with shape ${torchSize(inShape)} from checkpoint, the shape in current model is ${torchSize(shape)}.`);
      continue;
    }
    if (param.isInference() && !torch.isInferenceModeEnabled()) {
      found.errorMsgs.push(`While copying the parameter named "${key}", whose dimensions in the model are ${torchSize(shape)} and whose dimensions in the checkpoint are ${torchSize(inShape)}, an exception occurred : ('Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.',).`);
      continue;
    }
    found.copies.push([param, input]);
  }
  for (const [key] of local) {
    if (!key.startsWith(prefix)) continue;
    const inputName = key.slice(prefix.length).split('.', 1)[0];
    if (!module._modules.has(inputName) && !localState.has(inputName)) found.unexpectedKeys.push(key);
  }
  for (const [name, child] of module._modules) {
    if (!child) continue;
    const childPrefix = `${prefix}${name}.`;
    checkLoad(torch, Tensor, child, local.filter(([k]) => k.startsWith(childPrefix)), childPrefix, found);
  }
}

function pyClass(v) {
  return `<class '${pyTypeName(v)}'>`;
}

// A plain object whose keys may be any string, "__proto__" included.
export function setEntry(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
