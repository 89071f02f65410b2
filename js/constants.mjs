// Note [Constants shared with C++]: every number or name both languages must agree on is
// defined here, once. JavaScript imports this module; C++ includes webtorch_constants.h,
// which codegen/generate.mjs writes from it into the build tree (CMake regenerates it when
// this file changes). Never copy one of these values into a .cpp or .mjs file.

// The element types, in engine order (a dtype's index is ScalarType's value). `cpp` is the
// enumerator, `torch` PyTorch's short name in messages, `safetensors` the file dtype it saves as.
export const DTYPES = [
  { name: 'float32', cpp: 'Float32', torch: 'Float', itemsize: 4, safetensors: 'F32' },
  { name: 'int32', cpp: 'Int32', torch: 'Int', itemsize: 4, safetensors: 'I32' },
  { name: 'bool', cpp: 'Bool', torch: 'Bool', itemsize: 1, safetensors: 'BOOL' },
];

// The safetensors reference's dtypes in its order (BOOL < U8 < ... ): the writer sorts tensors
// by it, largest first. loadsAs: the webtorch dtype a file dtype is read into.
export const SAFETENSORS_DTYPES = [
  { name: 'BOOL', size: 1, loadsAs: 'bool' },
  { name: 'U8', size: 1, loadsAs: 'int32' },
  { name: 'I8', size: 1, loadsAs: 'int32' },
  { name: 'F8_E5M2', size: 1, loadsAs: 'float32' },
  { name: 'F8_E4M3', size: 1, loadsAs: 'float32' },
  { name: 'I16', size: 2, loadsAs: 'int32' },
  { name: 'U16', size: 2, loadsAs: 'int32' },
  { name: 'F16', size: 2, loadsAs: 'float32' },
  { name: 'BF16', size: 2, loadsAs: 'float32' },
  { name: 'I32', size: 4, loadsAs: 'int32' },
  { name: 'U32', size: 4, loadsAs: 'int32' },
  { name: 'F32', size: 4, loadsAs: 'float32' },
  { name: 'F64', size: 8, loadsAs: 'float32' },
  { name: 'I64', size: 8, loadsAs: 'int32' },
  { name: 'U64', size: 8, loadsAs: 'int32' },
];

// The kind of a JavaScript number passed with it to the engine, as a Python scalar would have it.
export const SCALAR_KIND = { bool: 0, int: 1, float: 2 };

// The losses' reduction argument.
export const REDUCTION = { none: 0, mean: 1, sum: 2 };

// conv2d's string padding.
export const CONV_PADDING = { valid: 0, same: 1 };

// What a backward task's step returns (wt_task_run): done, or paused for a JavaScript tensor
// hook or a custom Function's backward (Note [Resumable engine]).
export const TASK_STATUS = { done: 0, needsHook: 1, needsFunction: 2 };

// The most dimensions a tensor may have.
export const MAX_DIMS = 16;

// What a failed engine call returns (Note [No exception crosses into JavaScript]): a handle
// result of 0, a status result of -1; the message is then in lastError().
export const FAILED_HANDLE = 0;
export const FAILED_STATUS = -1;

// The scratch buffer's size in int32 slots (small integer arrays passed to and from calls).
export const SCRATCH_INTS = 256;
