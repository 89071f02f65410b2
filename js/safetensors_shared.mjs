// Tensors that share memory in safetensors files, as huggingface/safetensors' torch API
// treats them (tied weights: `lm_head.weight` is `wte.weight`).
//
// Note [Shared tensors in safetensors]
// A state dict of a model with tied weights holds one tensor under several keys. The format
// has no aliasing, so the reference's torch API:
//   - save_file(dict) refuses a dict whose tensors share memory ("Some tensors share
//     memory, ...");
//   - save_model(model) keeps one name per shared group, the first in sorted order, drops the
//     others, and records each dropped name in the metadata as { dropped: kept } (a key the
//     caller's metadata already has is left alone);
//   - load_model(model, file) loads the kept tensor into every name that shares it.
// webtorch does the same: torch.saveSafetensors(dict) refuses, torch.saveSafetensors(module)
// is save_model, torch.loadSafetensorsModel(module, bytes) is load_model. Sharing is found as
// the reference finds it, by storage; webtorch sees the data pointer, so two entries share
// when they are the same view (same data pointer, shape and dtype, as tied parameters and
// their stateDict() aliases are). Entries whose bytes overlap otherwise (different views of one
// buffer) are refused with an Error rather than written twice. Empty tensors never share.
// A group's kept name is chosen as load_model does too (the first in sorted order that the
// file holds), so files saved by either side load into the other's model.

import { checkOptions } from './options.mjs';
import { describe } from './runtime.mjs';

// Byte-wise comparison of UTF-8 encodings (Rust's String order; Python's str order too).
export function compareUtf8(a, b) {
  if (a === b) return 0;
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const ITEM_SIZE = { float32: 4, int32: 4, bool: 1 };

export function createSharedTensors(torch, rt, { live }) {
  const { M } = rt;

  // [name, tensor] entries -> the groups (arrays of names, sorted) of two or more that share.
  function sharedGroups(fn, entries) {
    const spans = [];
    for (const [name, t] of entries) {
      if (t.numel === 0) continue;
      const begin = M._wt_data_ptr(live(t)) >>> 0;
      // A non-contiguous view (rare in a state dict) counts by its first byte only: JavaScript
      // does not see its strides.
      const bytes = t.isContiguous() ? t.numel * ITEM_SIZE[t.dtype] : 1;
      spans.push({ name, t, begin, end: begin + bytes });
    }
    spans.sort((a, b) => a.begin - b.begin);
    const groups = [];
    let current = null;
    for (const s of spans) {
      if (current !== null && s.begin < current.end) {
        current.members.push(s);
        current.end = Math.max(current.end, s.end);
      } else {
        current = { end: s.end, members: [s] };
        groups.push(current);
      }
    }
    const out = [];
    for (const { members } of groups) {
      if (members.length < 2) continue;
      const [first] = members;
      const names = members.map((m) => m.name).sort(compareUtf8);
      const same = members.every((m) => m.begin === first.begin && m.end === first.end && m.t.dtype === first.t.dtype &&
        m.t.shape.length === first.t.shape.length && m.t.shape.every((n, d) => n === first.t.shape[d]));
      if (!same)
        throw new Error(`${fn}: tensors ${names.map((n) => `'${n}'`).join(', ')} overlap in memory without being the same tensor; save clones of them`);
      out.push(names);
    }
    return out;
  }

  // save_file's refusal of a dict whose tensors share memory.
  function refuseShared(entries) {
    const groups = sharedGroups('saveSafetensors', entries);
    if (groups.length)
      throw new Error(`saveSafetensors: some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading them again: ${
        groups.map((g) => `[${g.map((n) => `'${n}'`).join(', ')}]`).join(', ')}. A potential way to correctly save your model is to pass the Module itself (safetensors' save_model), which keeps one name of each shared group.`);
  }

  // save_model's deduplication: the entries to write and the metadata.
  function dropShared(entries, metadata) {
    const dropped = new Map();
    for (const names of sharedGroups('saveSafetensors', entries)) for (const name of names.slice(1)) dropped.set(name, names[0]);
    // (Metadata that is not an object is left for saveSafetensors to refuse.)
    if (dropped.size === 0 || (metadata !== null && metadata !== undefined && (typeof metadata !== 'object' || Array.isArray(metadata))))
      return { entries, metadata };
    const meta = { ...(metadata ?? {}) };
    for (const [name, kept] of dropped) if (!Object.prototype.hasOwnProperty.call(meta, name)) meta[name] = kept;
    return { entries: entries.filter(([name]) => !dropped.has(name)), metadata: meta };
  }

  // torch.loadSafetensorsModel(module, bytes, { strict }): load_model. Each name of the model
  // that shares its tensor with another and is missing from the file is given the tensor of a
  // name that is in the file; then module.loadStateDict (its checks and texts, all-or-nothing).
  torch.loadSafetensorsModel = (module, bytes, options) => {
    if (!(module instanceof torch.nn.Module)) throw new TypeError(`loadSafetensorsModel(): expected a Module, got ${describe(module)}`);
    const { strict = true } = checkOptions('loadSafetensorsModel', options, { strict: 'boolean' }, ['device']);
    const dict = torch.loadSafetensors(bytes);
    try {
      const own = (k) => Object.prototype.hasOwnProperty.call(dict, k);
      const sd = module.stateDict();
      let groups;
      try {
        groups = sharedGroups('loadSafetensorsModel', Object.entries(sd));
      } finally {
        torch.dispose(sd);
      }
      for (const names of groups) {
        const kept = names.find(own);
        if (kept === undefined) continue;
        for (const name of names)
          if (!own(name)) Object.defineProperty(dict, name, { value: dict[kept], enumerable: true, writable: true, configurable: true });
      }
      return module.loadStateDict(dict, { strict });
    } finally {
      torch.dispose(dict);
    }
  };

  return { refuseShared, dropShared };
}
