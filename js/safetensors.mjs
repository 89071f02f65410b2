// Weights in the safetensors format (https://github.com/huggingface/safetensors), so a
// state_dict saved by PyTorch loads here and the other way round.
//
//   torch.loadSafetensors(bytes)            -> { name: Tensor } in file order
//   torch.saveSafetensors(dict, metadata?)  -> Uint8Array (dict: { name: Tensor }, a Map, or a Module)
//   torch.safetensorsHeader(bytes)          -> { tensors: { name: { dtype, shape } }, metadata }
//   torch.loadSafetensorsModel(module, bytes, { strict }) -> { missingKeys, unexpectedKeys }
// Tensors that share memory (tied weights) follow safetensors' save_file / save_model /
// load_model (Note [Shared tensors in safetensors], js/safetensors_shared.mjs).
//
// The file is parsed and validated in C++ (src/io/safetensors.h, Note [safetensors
// validation]): a malformed file gives an Error naming the problem and creates no tensor.
// The writer produces exactly the bytes of the reference implementation: tensors sorted by
// dtype (F32, then I32, then BOOL) and then by name, a compact JSON header with
// `__metadata__` first, padded with spaces to a multiple of 8 bytes.

import { DTYPES, SAFETENSORS_DTYPES } from './constants.mjs';
import { checkNoArguments } from './options.mjs';
import { describe } from './runtime.mjs';
import { compareUtf8, createSharedTensors } from './safetensors_shared.mjs';

const WRITE_DTYPE = Object.fromEntries(DTYPES.map((d) => [d.name, d.safetensors]));
const ITEMSIZE = Object.fromEntries(DTYPES.map((d) => [d.safetensors, d.itemsize]));
// The reference sorts by its Dtype order, largest first (F32 > I32 > BOOL).
const DTYPE_RANK = Object.fromEntries(SAFETENSORS_DTYPES.map((d, i) => [d.name, i]));

function asBytes(bytes, where) {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new Error(`${where}: expected the file's bytes as a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);
}

// A plain object whose keys may be any string, "__proto__" included.
export function setEntry(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function installSafetensors(torch, Tensor, rt, { live, own }) {
  const { M } = rt;
  const shared = createSharedTensors(torch, rt, { live });

  // Runs fn(ptr) with bytes copied into wasm memory.
  function withBytesInWasm(bytes, fn) {
    const ptr = M._wt_bytes_alloc(bytes.length) >>> 0;
    if (ptr === 0) rt.fail();
    try {
      M.HEAPU8.set(bytes, ptr);
      return fn(ptr);
    } finally {
      M._wt_bytes_free(ptr);
    }
  }

  // No options: a further argument ({ device } as safetensors.torch.load_file takes) is refused.
  torch.loadSafetensors = (bytes, ...rest) => {
    checkNoArguments('loadSafetensors', rest);
    const b = asBytes(bytes, 'loadSafetensors');
    const r = withBytesInWasm(b, (ptr) => M.safetensorsLoad(ptr, b.length));
    if (r === undefined) rt.fail();
    const out = {};
    for (let i = 0; i < r.names.length; i++) setEntry(out, r.names[i], new Tensor(r.handles[i] >>> 0));
    return out;
  };

  torch.safetensorsHeader = (bytes, ...rest) => {
    checkNoArguments('safetensorsHeader', rest);
    const b = asBytes(bytes, 'safetensorsHeader');
    const r = withBytesInWasm(b, (ptr) => M.safetensorsHeader(ptr, b.length));
    if (r === undefined) rt.fail();
    const tensors = {};
    for (let i = 0; i < r.names.length; i++) setEntry(tensors, r.names[i], { dtype: r.dtypes[i], shape: r.shapes[i] });
    const metadata = {};
    for (const [k, v] of r.metadata) setEntry(metadata, k, v);
    return { tensors, metadata };
  };

  torch.saveSafetensors = (dict, metadata, ...rest) => {
    checkNoArguments('saveSafetensors', rest);
    // A module saves its state dict, one name per shared tensor (safetensors' save_model).
    if (dict !== null && typeof dict === 'object' && torch.nn && dict instanceof torch.nn.Module) {
      const sd = dict.stateDict();
      try {
        const kept = shared.dropShared(Object.entries(sd), metadata);
        return torch.saveSafetensors(new Map(kept.entries), kept.metadata);
      } finally {
        torch.dispose(sd);
      }
    }
    const entries = dict instanceof Map ? [...dict.entries()] : dictEntries(dict);
    // Check everything before reading any data.
    const items = entries.map(([name, t]) => {
      if (typeof name !== 'string') throw new Error(`saveSafetensors: tensor names must be strings, got ${describe(name)}`);
      if (name === '__metadata__') throw new Error("saveSafetensors: '__metadata__' is reserved for the metadata and cannot name a tensor");
      own(t, `saveSafetensors: '${name}'`);
      live(t);
      const dtype = WRITE_DTYPE[t.dtype];
      return { name, t, dtype, shape: t.shape };
    });
    shared.refuseShared(entries); // as safetensors' save_file
    let meta;
    if (metadata !== undefined && metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata))
        throw new Error(`saveSafetensors: metadata must be an object of strings, got ${describe(metadata)}`);
      meta = {};
      for (const [k, v] of Object.entries(metadata)) {
        if (typeof v !== 'string') throw new Error(`saveSafetensors: metadata values must be strings, but '${k}' is ${describe(v)}`);
        setEntry(meta, k, v);
      }
    }
    items.sort((a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareUtf8(a.name, b.name));

    const parts = [];
    if (meta !== undefined) parts.push(`"__metadata__":${jsonObject(meta)}`);
    let offset = 0;
    for (const it of items) {
      const nbytes = it.t.numel * ITEMSIZE[it.dtype];
      it.offset = offset;
      parts.push(`${JSON.stringify(it.name)}:{"dtype":"${it.dtype}","shape":[${it.shape.join(',')}],"data_offsets":[${offset},${offset + nbytes}]}`);
      offset += nbytes;
    }
    let header = new TextEncoder().encode(`{${parts.join(',')}}`);
    const padded = Math.ceil(header.length / 8) * 8;
    const out = new Uint8Array(8 + padded + offset);
    new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
    out.set(header, 8);
    out.fill(0x20, 8 + header.length, 8 + padded);
    header = null;
    const base = 8 + padded;
    for (const it of items) {
      const data = it.t.data();
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), base + it.offset);
    }
    return out;
  };

  function dictEntries(dict) {
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || dict instanceof Tensor)
      throw new Error(`saveSafetensors: expected an object { name: Tensor } (e.g. model.stateDict()), got ${describe(dict)}`);
    return Object.entries(dict);
  }
}

function jsonObject(obj) {
  return `{${Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}
