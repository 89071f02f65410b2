// Type declarations for webtorch: the public surface of API.md. Hand-written, except the
// blocks marked <generated: ...> (the operators, from js/op_table.mjs by codegen/generate.mjs);
// shipped as dist/index.d.ts (ES module) and dist/index.d.cts (CommonJS) by scripts/build.sh.
//
//   import { load } from 'webtorch';
//   const torch = await load();
//   const y = torch.noGrad(() => x.matmul(w));   // y: Tensor
//
// Everything except load() and version lives on the engine object `torch` that load()
// resolves to: each engine has its own Tensor class, modes and memory.

// ---------------------------------------------------------------------------------------
// Loading

/** The two builds: SIMD with wasm exceptions, and the scalar build for engines without either. */
export type Backend = 'wasm-simd' | 'wasm';

/** A `URL` (typed structurally, so these typings need neither the DOM nor Node's types). */
export interface URLLike {
  readonly href: string;
}

export interface LoadOptions {
  /** `false` forces the scalar build. Default: the SIMD build where the engine validates it. */
  simd?: boolean;
  /**
   * Where the .wasm is served when it is not next to the JavaScript: the URL of one .wasm
   * file (either build), or of a folder ending in '/' that holds `webtorch-simd.wasm` and
   * `webtorch.wasm`. Relative strings resolve against the page (browsers) or the current
   * directory (Node).
   */
  wasmUrl?: string | URLLike;
  /** The bytes of either .wasm file, for hosts that cannot serve them as files. */
  wasmBinary?: ArrayBuffer | ArrayBufferView;
  /**
   * The number of engine threads to ask for (API.md): a positive integer (at most 64) or
   * `'auto'` (the machine's cores, at most 4). More than one loads the threaded SIMD build,
   * which needs SharedArrayBuffer (in browsers: a cross-origin-isolated page) and Workers;
   * without them the engine runs on one thread and `torch.threadsUnavailableReason` says why.
   */
  threads?: number | 'auto';
}

/**
 * Loads an engine. Memoised per build and wasmUrl: calling it again returns the same
 * engine. Rejects with an Error naming the cause (missing file, HTML served instead of
 * wasm, a JS/wasm version mismatch naming both versions); a failed load may be retried.
 */
export function load(options?: LoadOptions): Promise<Torch>;
/** The package version (package.json), equal to `torch.version`. */
export const version: string;
export default load;

// `[Symbol.dispose]` on tensors, for consumers whose lib lacks esnext.disposable (as
// @types/node declares it).
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

// ---------------------------------------------------------------------------------------
// Data

export type DType = 'float32' | 'int32' | 'bool';
export type Scalar = number | boolean;
/** Nested arrays of numbers or booleans, as `tensor()` takes and `toArray()` returns. */
export type NestedArray = Scalar | NestedArray[];
export type TypedArray = Float32Array | Int32Array | Uint8Array;
/** A shape: an array of sizes. `-1` infers one size where a view allows it. */
export type Shape = readonly number[];

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface GradFn {
  /** PyTorch's node name, e.g. `'MulBackward0'`. */
  readonly name: string;
}

/** `t.max(dim)` / `t.min(dim)`: PyTorch's named tuple, also iterable as `[values, indices]`. */
export interface ValuesIndices extends Iterable<Tensor> {
  readonly values: Tensor;
  readonly indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/** `torch.slice(start, end, step)`: Python's `start:end:step` in `t.index(...)`. */
export interface Slice {
  readonly start: number | null;
  readonly end: number | null;
  readonly step: number;
}
/** One entry of `t.index(...)`: a number, `null` for `:`, a slice, an int32 or bool tensor. */
export type TensorIndex = number | null | Slice | Tensor;

export interface RemovableHandle {
  remove(): void;
}

export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again. */
  createGraph?: boolean;
  /** backward() only: accumulate gradients into these tensors alone (a non-leaf one is made to retain its grad), as torch's `inputs`. */
  inputs?: Tensor | readonly Tensor[];
}

/** Tensors, or Tensors inside arrays and plain objects (what `tidy` keeps and `dispose` frees). */
export type TensorContainer = Tensor | null | undefined | readonly TensorContainer[] | { readonly [key: string]: TensorContainer };

// ---------------------------------------------------------------------------------------
// Tensor

/**
 * A tensor of one engine (`torch.Tensor`). Owns a reference to engine memory: free it with
 * `dispose()`, `torch.tidy()`, or `using t = …` (`[Symbol.dispose]`). Using a disposed
 * tensor throws an Error that says so.
 */
export interface Tensor {
  // ---- properties ----
  readonly shape: number[];
  readonly dtype: DType;
  readonly ndim: number;
  readonly numel: number;
  requiresGrad: boolean;
  /** The accumulated gradient, or null. Assignable (null clears it). */
  grad: Tensor | null;
  readonly gradFn: GradFn | null;
  readonly isLeaf: boolean;
  /** The version counter (in-place updates bump it). Throws for inference tensors, like `_version`. */
  readonly version: number;
  /** Whether this tensor is a view sharing storage (and the version counter) with a base. */
  readonly isView: boolean;
  readonly isDisposed: boolean;
  readonly retainsGrad: boolean;
  isInference(): boolean;
  isContiguous(): boolean;
  size(): number[];
  size(dim: number): number;
  dim(): number;

  // ---- reading data (synchronous copies) ----
  /** Nested arrays, e.g. `t.toArray<number[][]>()` for a matrix. */
  toArray<T = NestedArray>(): T;
  tolist<T = NestedArray>(): T;
  /** A TypedArray copy: Float32Array (float32), Int32Array (int32), Uint8Array (bool). */
  data<A extends TypedArray = Float32Array>(): A;
  /** The value of a one-element tensor: a number, or a boolean for bool tensors (`item<boolean>()`). */
  item(): number;
  item<T extends Scalar>(): T;
  toString(): string;

  // ---- autograd ----
  requiresGrad_(flag?: boolean): this;
  backward(gradient?: Tensor | null, options?: BackwardOptions): void;
  backward(options: BackwardOptions): void;
  retainGrad(): void;
  /** A hook on the gradient; it may return a replacement gradient. grad is null when no
   *  gradient arrived (PyTorch passes None), e.g. after a custom backward returned null. */
  registerHook(fn: (grad: Tensor | null) => Tensor | void | undefined | null): RemovableHandle;
  /** A dtype conversion (the same tensor when the dtype does not change, as in PyTorch). */
  to(dtype: DType | { dtype: DType }): Tensor;
  float(): Tensor;
  int(): Tensor;
  bool(): Tensor;

  // ---- operators (one entry each in js/op_table.mjs) ----
  // <generated: tensor methods> (codegen/generate.mjs from js/op_table.mjs)
  detach(): Tensor;
  clone(): Tensor;
  contiguous(): Tensor;
  add(other: Tensor | Scalar, options?: { alpha?: number } | number): Tensor;
  add_(other: Tensor | Scalar, options?: { alpha?: number } | number): this;
  sub(other: Tensor | Scalar, options?: { alpha?: number } | number): Tensor;
  sub_(other: Tensor | Scalar, options?: { alpha?: number } | number): this;
  mul(other: Tensor | Scalar): Tensor;
  mul_(other: Tensor | Scalar): this;
  div(other: Tensor | Scalar): Tensor;
  div_(other: Tensor | Scalar): this;
  pow(exponent: Tensor | Scalar): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  log1p(): Tensor;
  sqrt(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  relu_(): this;
  gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor;
  /** `null` or `undefined` leaves a side open; at least one bound is required. */
  clamp(min?: number | null, max?: number | null): Tensor;
  clamp(min: Tensor | null, max?: Tensor | null): Tensor;
  clamp(bounds: { min?: number | null; max?: number | null }): Tensor;
  clamp_(min?: number | null, max?: number | null): this;
  clamp_(min: Tensor | null, max?: Tensor | null): this;
  clamp_(bounds: { min?: number | null; max?: number | null }): this;
  clip(min?: number | null, max?: number | null): Tensor;
  clip(bounds: { min?: number | null; max?: number | null }): Tensor;
  /** Elementwise maximum / minimum, broadcasting (NaN propagates; a tie splits the gradient 0.5 / 0.5). */
  maximum(other: Tensor): Tensor;
  minimum(other: Tensor): Tensor;
  eq(other: Tensor | Scalar): Tensor;
  lt(other: Tensor | Scalar): Tensor;
  gt(other: Tensor | Scalar): Tensor;
  le(other: Tensor | Scalar): Tensor;
  ge(other: Tensor | Scalar): Tensor;
  /** `x.where(condition, other)`: x where condition, else other (PyTorch's method form). */
  where(condition: Tensor, other: Tensor | Scalar): Tensor;
  matmul(other: Tensor): Tensor;
  mm(other: Tensor): Tensor;
  bmm(other: Tensor): Tensor;
  mv(vec: Tensor): Tensor;
  dot(other: Tensor): Tensor;
  sum(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  mean(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  /** `t.max(other)`: the elementwise maximum, as `torch.max(input, other)`. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;
  argmax(dim?: number | null, keepdim?: boolean): Tensor;
  softmax(dim: number): Tensor;
  logSoftmax(dim: number): Tensor;
  view(shape: Shape): Tensor;
  view(...shape: number[]): Tensor;
  reshape(shape: Shape): Tensor;
  reshape(...shape: number[]): Tensor;
  expand(shape: Shape): Tensor;
  expand(...shape: number[]): Tensor;
  permute(dims: Shape): Tensor;
  permute(...dims: number[]): Tensor;
  transpose(dim0: number, dim1: number): Tensor;
  /** The transpose of a tensor of at most 2 dimensions. */
  t(): Tensor;
  squeeze(dim?: number): Tensor;
  unsqueeze(dim: number): Tensor;
  narrow(dim: number, start: number, length: number): Tensor;
  select(dim: number, index: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  zero_(): this;
  fill_(value: Scalar | Tensor): this;
  copy_(src: Tensor): this;
  sin(): Tensor;
  cos(): Tensor;
  rsqrt(): Tensor;
  erf(): Tensor;
  silu(): Tensor;
  /** torch.nn.functional.softplus(x, beta = 1, threshold = 20) as a method: log1p(exp(beta x)) / beta, x where beta x > threshold. */
  softplus(beta?: number, threshold?: number): Tensor;
  softplus(options: { beta?: number; threshold?: number }): Tensor;
  /** Variance over dim (every dim without), divided by max(0, N - correction); correction defaults to 1 (unbiased: true), unbiased: false is correction 0. */
  var(dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }): Tensor;
  std(dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }): Tensor;
  /** The vector p-norm over dim (every dim without): p = Infinity / -Infinity the largest / smallest |x|, 0 the count of nonzeros. */
  norm(p?: number, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  /** log(sum(exp(x), dim)), computed stably; dim is required, as in PyTorch. */
  logsumexp(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  /** Whether any element (over dim) is nonzero: a bool tensor. */
  any(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  /** Whether every element (over dim) is nonzero: a bool tensor. */
  all(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  /** int32 indices drawn from the rows of a 1-D / 2-D tensor of (unnormalised) probabilities, as torch 1.13 draws them after the same torch.manualSeed. */
  multinomial(numSamples: number, replacement?: boolean): Tensor;
  /** The lower (tril) / upper (triu) triangle of the last two dims, with the diagonal offset `diagonal`. */
  tril(diagonal?: number): Tensor;
  triu(diagonal?: number): Tensor;
  tril_(diagonal?: number): this;
  triu_(diagonal?: number): this;
  /** Views of pieces of `splitSize` (the last may be shorter) or of the given sizes along dim, outputs of one node (SplitBackward0 / SplitWithSizesBackward0): none may be modified in place while it requires grad. */
  split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
  chunk(chunks: number, dim?: number): Tensor[];
  unbind(dim?: number): Tensor[];
  repeat(repeats: Shape): Tensor;
  repeat(...repeats: number[]): Tensor;
  flip(dims: Shape): Tensor;
  flip(...dims: number[]): Tensor;
  roll(shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor;
  cumsum(dim: number): Tensor;
  /** Values and int32 indices; ties come in PyTorch 1.13's CPU order (its sort is not stable), or in input order with `stable: true`. */
  sort(dim?: number, descending?: boolean): ValuesIndices;
  sort(options: { dim?: number; descending?: boolean; stable?: boolean | null }): ValuesIndices;
  topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices;
  /** The entries of `index` (int32, 0-d or 1-d) along `dim`. */
  indexSelect(dim: number, index: Tensor): Tensor;
  gather(dim: number, index: Tensor): Tensor;
  /** A number for `src` is torch's `scatter(dim, index, value)` (ScatterBackward1). */
  scatter(dim: number, index: Tensor, src: Tensor | Scalar): Tensor;
  scatter_(dim: number, index: Tensor, src: Tensor | Scalar): this;
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this;
  /** `value`: a number or a 0-d tensor (MaskedFillBackward1); `mask` is bool and broadcasts. */
  maskedFill(mask: Tensor, value: Tensor | Scalar): Tensor;
  maskedFill_(mask: Tensor, value: Tensor | Scalar): this;
  /** `t.index(...idx)` is Python's `t[idx]`: a number, `null` for `:`, `torch.slice(start, end, step)`, an int32 or bool tensor. */
  index(...indices: TensorIndex[]): Tensor;
  /** Python's `t[idx] = value`; `accumulate` adds at the indexed positions (index_put_'s accumulate). */
  indexPut_(indices: readonly TensorIndex[], value: Tensor | Scalar, options?: { accumulate?: boolean }): this;
  /** self > 0 ? self : self * negativeSlope (torch.nn.functional.leaky_relu); the in-place form needs negativeSlope >= 0 for its backward. */
  leakyRelu(negativeSlope?: number): Tensor;
  leakyRelu_(negativeSlope?: number): this;
  /** self > 0 ? self : alpha * (exp(self) - 1) (torch.nn.functional.elu). */
  elu(alpha?: number): Tensor;
  // </generated: tensor methods>

  // ---- transposes as properties ----
  /** All dimensions reversed. */
  readonly T: Tensor;
  /** The last two dimensions swapped. */
  readonly mT: Tensor;

  // ---- lifetime ----
  dispose(): void;
  [Symbol.dispose](): void;
}

/** `torch.Tensor`: for `x instanceof torch.Tensor`; tensors are made by the factories, not `new`. */
export interface TensorClass extends Function {
  readonly prototype: Tensor;
}

// ---------------------------------------------------------------------------------------
// Gradient modes

/**
 * noGrad / enableGrad: run fn under the mode and return its result. The previous mode is
 * restored when fn returns or throws. A fn that returns a Promise is refused with an Error
 * (a mode cannot span an await).
 */
export interface GradModeFunction {
  <T>(fn: () => T): T;
  /** The decorator form: a function that runs `fn` under the mode on every call. */
  wrap<F extends (...args: any[]) => any>(fn: F): F;
}

export interface SetGradEnabled {
  /** Sets the mode (not scoped, as `torch.set_grad_enabled(flag)`), returning the previous flag. */
  (flag: boolean): boolean;
  /** The scoped form. */
  <T>(flag: boolean, fn: () => T): T;
  wrap<F extends (...args: any[]) => any>(flag: boolean, fn: F): F;
}

/** `inferenceMode(fn)` = `inferenceMode(true, fn)`; nestable as `c10::InferenceMode(bool)`. */
export interface InferenceModeFunction {
  <T>(fn: () => T): T;
  <T>(enabled: boolean, fn: () => T): T;
  wrap<F extends (...args: any[]) => any>(fn: F): F;
  wrap<F extends (...args: any[]) => any>(enabled: boolean, fn: F): F;
}

// ---------------------------------------------------------------------------------------
// Memory

export interface MemoryInfo {
  /** Live tensors (C++ tensor objects, views and saved ones included). */
  tensors: number;
  /** Bytes of tensor storage in use. */
  bytes: number;
  /** Autograd nodes still reachable from live tensors. */
  graphNodes: number;
  /** Bytes held by tensors saved for backward; falls back when backward() frees the graph. */
  savedBytes: number;
}

/** Engine internals, for tests, benchmarks and the demo. */
export interface Diagnostics {
  /** Bytes of the wasm heap in use. */
  heapInUse: number;
  /** The size of the wasm heap. */
  heapSize: number;
  stackPointer: number;
  modeState: number;
  /** Storage allocations made so far. */
  allocations: number;
}

// ---------------------------------------------------------------------------------------
// Autograd extras

export interface GradOptions {
  /** Default: createGraph. */
  retainGraph?: boolean;
  /** Record the backward pass so the gradients can be differentiated again. */
  createGraph?: boolean;
  allowUnused?: boolean;
}

export interface Autograd {
  /** d(outputs)/d(inputs): one gradient per input (null for an unused input when allowUnused). */
  grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], gradOutputs?: Tensor | readonly (Tensor | null)[] | null, options?: GradOptions & { allowUnused?: false }): Tensor[];
  grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], gradOutputs: Tensor | readonly (Tensor | null)[] | null | undefined, options: GradOptions & { allowUnused: true }): (Tensor | null)[];
  grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions): (Tensor | null)[];
  backward(tensor: Tensor, gradient?: Tensor | null, options?: BackwardOptions): void;
  /** A custom op from JavaScript. A factory: call it without `new`. */
  Function<Args extends unknown[], Out extends Tensor | unknown[]>(definition: FunctionDefinition<Args, Out>): CustomFunction<Args, Out>;
  /** Finite differences (float32: eps 1e-3, atol 1e-3, rtol 1e-2) against backward; throws torch's "Jacobian mismatch" text, or returns false with raiseException: false. */
  gradcheck(fn: (...inputs: any[]) => Tensor | Tensor[], inputs: Tensor | readonly unknown[], options?: GradcheckOptions): boolean;
  /** gradcheck of the gradients (taken with createGraph) as a function of the inputs and gradOutputs (random when not given). */
  gradgradcheck(fn: (...inputs: any[]) => Tensor | Tensor[], inputs: Tensor | readonly unknown[], gradOutputs?: Tensor | readonly Tensor[] | null, options?: GradcheckOptions): boolean;
  readonly functional: AutogradFunctional;
  /** Runs fn with anomaly detection on (torch.autograd.detect_anomaly): a backward node whose output has NaN throws torch's "Function 'X' returned nan values in its Nth output." (unless checkNan is false), and an Error thrown while a node runs names the JavaScript stack of the forward call that made it. Restored on exit, also when fn throws. */
  detectAnomaly<T>(fn: () => T, options?: AnomalyOptions): T;
  /** Sets anomaly detection and returns the previous flag (torch's set_detect_anomaly(mode) called as a function). */
  setDetectAnomaly(enabled: boolean, options?: AnomalyOptions): boolean;
  /** Anomaly detection set to `enabled` while fn runs (torch's `with set_detect_anomaly(mode):`). */
  setDetectAnomaly<T>(enabled: boolean, fn: () => T, options?: AnomalyOptions): T;
  isAnomalyEnabled(): boolean;
  isAnomalyCheckNanEnabled(): boolean;
}

export interface AnomalyOptions {
  /** Throw when a backward node returns NaN (default true). */
  checkNan?: boolean;
}

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  raiseException?: boolean;
}

export interface FunctionalOptions {
  /** Keep the results differentiable (default: detached). */
  createGraph?: boolean;
}

type TensorOrList = Tensor | Tensor[];
/** torch.autograd.functional. A list in gives a list out, as torch's tuples. */
export interface AutogradFunctional {
  jacobian(fn: (...inputs: Tensor[]) => TensorOrList, inputs: TensorOrList, options?: FunctionalOptions): any;
  hessian(fn: (...inputs: Tensor[]) => Tensor, inputs: TensorOrList, options?: FunctionalOptions): any;
  /** [fn's output, v^T J] */
  vjp(fn: (...inputs: Tensor[]) => TensorOrList, inputs: TensorOrList, v?: TensorOrList | null, options?: FunctionalOptions): [TensorOrList, TensorOrList];
  /** [fn's output, J v] */
  jvp(fn: (...inputs: Tensor[]) => TensorOrList, inputs: TensorOrList, v?: TensorOrList | null, options?: FunctionalOptions): [TensorOrList, TensorOrList];
  /** [fn's output, v^T H] */
  vhp(fn: (...inputs: Tensor[]) => Tensor, inputs: TensorOrList, v: TensorOrList, options?: FunctionalOptions): [Tensor, TensorOrList];
  /** [fn's output, H v] */
  hvp(fn: (...inputs: Tensor[]) => Tensor, inputs: TensorOrList, v: TensorOrList, options?: FunctionalOptions): [Tensor, TensorOrList];
}

/** The `ctx` of a custom function: save tensors for backward, and stash anything else on it. */
export interface FunctionCtx {
  saveForBackward(...tensors: Tensor[]): void;
  /** The saved tensors (an Error if one was modified in place since forward). */
  readonly savedTensors: Tensor[];
  /** For each forward argument, whether it is a Tensor that requires grad. */
  readonly needsInputGrad: boolean[];
  [key: string]: any;
}

export interface FunctionDefinition<Args extends unknown[], Out extends Tensor | unknown[]> {
  /** Its node is named `${name}Backward`. */
  name?: string;
  /** Runs with grad mode off (not recorded), as Python's `Function.apply`. An array result may
   *  hold non-tensors (returned as they are); an input returned is given back as a view of it. */
  forward(ctx: FunctionCtx, ...args: Args): Out;
  /** One gradient per forward output (null for a non-tensor output); returns one per forward
   *  argument (null or undefined where there is none); runs with grad off. */
  backward(ctx: FunctionCtx, ...grads: Tensor[]): Tensor | null | undefined | (Tensor | null | undefined)[];
}

export interface CustomFunction<Args extends unknown[], Out extends Tensor | unknown[]> {
  apply(...args: Args): Out;
}

// ---------------------------------------------------------------------------------------
// nn, optim (their classes live on the engine: `torch.nn.Linear`, `torch.optim.SGD`)

declare namespace nn {
  type Reduction = 'mean' | 'sum' | 'none';
  type Pair = number | [number, number];
  type Hook = { remove(): void };

  /**
   * The base class: `class Net extends torch.nn.Module`. Parameters (leaf tensors that
   * require grad, or `nn.Parameter`s), buffers and submodules assigned as properties in the
   * constructor are registered in assignment order, giving PyTorch's names (`fc1.weight`).
   */
  class Module {
    constructor();
    training: boolean;
    /** forward alone, as in PyTorch. */
    forward(...args: any[]): any;
    /** Python's `module(x)`: forward pre-hooks, forward, forward hooks. */
    call(...args: any[]): any;
    /** hook(module, gradInput, gradOutput) after the gradients of the module's inputs are computed (null for a non-tensor argument or a result that got no gradient); may return a replacement gradInput array. */
    registerFullBackwardHook(hook: (module: Module, gradInput: (Tensor | null)[], gradOutput: (Tensor | null)[]) => (Tensor | null)[] | void | undefined | null): Hook;
    registerForwardHook(hook: (module: Module, args: any[], output: any) => any): Hook;
    registerForwardPreHook(hook: (module: Module, args: any[]) => any): Hook;
    registerParameter(name: string, param: Tensor | null): void;
    registerBuffer(name: string, tensor: Tensor | null, persistent?: boolean | { persistent?: boolean }): void;
    registerModule(name: string, module: Module | null): void;
    addModule(name: string, module: Module | null): void;
    /** The parameters of this module and its submodules, in registration order. */
    parameters(recurse?: boolean): Tensor[];
    namedParameters(prefix?: string, recurse?: boolean): [string, Tensor][];
    buffers(recurse?: boolean): Tensor[];
    namedBuffers(prefix?: string, recurse?: boolean): [string, Tensor][];
    children(): Module[];
    namedChildren(): [string, Module][];
    modules(): Module[];
    namedModules(prefix?: string, options?: { removeDuplicate?: boolean }): [string, Module][];
    apply(fn: (module: Module) => void): this;
    getSubmodule(target: string): Module;
    train(mode?: boolean): this;
    eval(): this;
    requiresGrad_(flag?: boolean): this;
    zeroGrad(options?: { setToNone?: boolean }): void;
    /** `{ name: Tensor }` in PyTorch's order (detached aliases unless keepVars). */
    stateDict(options?: { prefix?: string; keepVars?: boolean }): Record<string, Tensor>;
    /** Checks everything before copying: an Error (PyTorch's text) leaves the module unchanged. */
    loadStateDict(dict: Record<string, Tensor> | Map<string, Tensor>, options?: { strict?: boolean } | boolean): { missingKeys: string[]; unexpectedKeys: string[] };
    /** Frees every parameter and buffer of this module and its submodules. */
    dispose(): void;
    extraRepr(): string;
    toString(): string;
  }
  /** `nn.Parameter(data, requiresGrad = true)` (with or without `new`): a leaf marked as a parameter. */
  interface ParameterFunction {
    (data?: Tensor, requiresGrad?: boolean | { requiresGrad?: boolean }): Tensor;
    new (data?: Tensor, requiresGrad?: boolean | { requiresGrad?: boolean }): Tensor;
  }
  class Identity extends Module {
    forward(input: Tensor): Tensor;
  }
  class Linear extends Module {
    constructor(inFeatures: number, outFeatures: number, options?: { bias?: boolean });
    readonly inFeatures: number;
    readonly outFeatures: number;
    weight: Tensor;
    bias: Tensor | null;
    resetParameters(): void;
    forward(input: Tensor): Tensor;
  }
  class ReLU extends Module {
    constructor(options?: { inplace?: boolean } | boolean);
    forward(input: Tensor): Tensor;
  }
  class Sigmoid extends Module {
    forward(input: Tensor): Tensor;
  }
  class Tanh extends Module {
    forward(input: Tensor): Tensor;
  }
  class GELU extends Module {
    /** The exact form ('none', the default) or the tanh approximation. */
    constructor(options?: { approximate?: 'none' | 'tanh' } | 'none' | 'tanh');
    approximate: 'none' | 'tanh';
    forward(input: Tensor): Tensor;
  }
  /** x * sigmoid(x); `inplace: true` is refused (webtorch has no in-place silu). */
  class SiLU extends Module {
    constructor(options?: { inplace?: false } | false);
    forward(input: Tensor): Tensor;
  }
  class Softmax extends Module {
    constructor(dim?: number | { dim?: number });
    forward(input: Tensor): Tensor;
  }
  class LogSoftmax extends Module {
    constructor(dim?: number | { dim?: number });
    forward(input: Tensor): Tensor;
  }
  class Flatten extends Module {
    constructor(startDim?: number, endDim?: number);
    constructor(options: { startDim?: number; endDim?: number });
    forward(input: Tensor): Tensor;
  }
  class Dropout extends Module {
    constructor(p?: number, options?: { inplace?: boolean } | boolean);
    constructor(options: { p?: number; inplace?: boolean });
    forward(input: Tensor): Tensor;
  }
  /** `new Sequential(m1, m2, …)` names its modules '0', '1', …; `new Sequential({ fc: m1 })` keeps the names. */
  class Sequential extends Module implements Iterable<Module> {
    constructor(...modules: Module[]);
    constructor(named: Record<string, Module> | Map<string, Module>);
    readonly length: number;
    /** The module at a position (negative counts from the end); `seq[0]` reads the module named '0'. */
    get(index: number): Module;
    at(index: number): Module;
    append(module: Module): this;
    forward(input: Tensor): Tensor;
    [Symbol.iterator](): Iterator<Module>;
  }
  /** Modules named '0', '1', … (`list[0]`, `list.get(-1)`); insert and pop renumber, as PyTorch's. */
  class ModuleList extends Module implements Iterable<Module> {
    constructor(modules?: Iterable<Module>);
    readonly length: number;
    readonly [index: number]: Module;
    get(index: number): Module;
    at(index: number): Module;
    set(index: number, module: Module): void;
    append(module: Module): this;
    extend(modules: Iterable<Module>): this;
    insert(index: number, module: Module): void;
    pop(index: number): Module;
    [Symbol.iterator](): Iterator<Module>;
  }
  /** Modules under keys, in insertion order; each entry is also a property (`dict.fc`). Iterates its keys. */
  class ModuleDict extends Module implements Iterable<string> {
    constructor(modules?: Record<string, Module> | Map<string, Module> | ModuleDict | Iterable<[string, Module]>);
    readonly length: number;
    get(key: string): Module;
    set(key: string, module: Module): void;
    has(key: string): boolean;
    pop(key: string): Module;
    clear(): void;
    keys(): string[];
    values(): Module[];
    items(): Array<[string, Module]>;
    update(modules: Record<string, Module> | Map<string, Module> | ModuleDict | Iterable<[string, Module]>): void;
    [Symbol.iterator](): Iterator<string>;
  }
  interface Conv2dOptions {
    stride?: Pair;
    padding?: Pair | 'same' | 'valid';
    dilation?: Pair;
    groups?: number;
  }
  class Conv2d extends Module {
    constructor(inChannels: number, outChannels: number, kernelSize: Pair, options?: Conv2dOptions & { bias?: boolean; paddingMode?: 'zeros' });
    readonly inChannels: number;
    readonly outChannels: number;
    weight: Tensor;
    bias: Tensor | null;
    resetParameters(): void;
    forward(input: Tensor): Tensor;
  }
  interface RNNOptions {
    numLayers?: number;
    bias?: boolean;
    batchFirst?: boolean;
    /** Dropout on each layer's output but the last's, while training. */
    dropout?: number;
    bidirectional?: boolean;
  }
  /** The recurrent layers' common part: parameters `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, … `_reverse`. */
  class RNNBase extends Module {
    readonly inputSize: number;
    readonly hiddenSize: number;
    readonly numLayers: number;
    readonly bias: boolean;
    readonly batchFirst: boolean;
    readonly dropout: number;
    readonly bidirectional: boolean;
    resetParameters(): void;
    /** A no-op (PyTorch compacts cuDNN weights here). */
    flattenParameters(): void;
  }
  /** Input [T, B, inputSize] ([B, T, inputSize] with batchFirst) or unbatched [T, inputSize]; `[output, h_n]`. */
  class RNN extends RNNBase {
    constructor(inputSize: number, hiddenSize: number, options?: RNNOptions & { nonlinearity?: 'tanh' | 'relu' });
    constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: RNNOptions & { nonlinearity?: 'tanh' | 'relu' });
    readonly nonlinearity: 'tanh' | 'relu';
    forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
    call(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  }
  /** `const [output, [h_n, c_n]] = lstm.call(x, [h0, c0])`; gates i, f, g, o as PyTorch's. */
  class LSTM extends RNNBase {
    constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
    constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: RNNOptions);
    forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
    call(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  }
  /** Gates r, z, n as PyTorch's; `[output, h_n]`. */
  class GRU extends RNNBase {
    constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
    constructor(inputSize: number, hiddenSize: number, numLayers: number, options?: RNNOptions);
    forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
    call(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  }
  /** One step on [B, inputSize] or [inputSize]; parameters `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`. */
  class RNNCellBase extends Module {
    readonly inputSize: number;
    readonly hiddenSize: number;
    readonly bias: boolean;
    weight_ih: Tensor;
    weight_hh: Tensor;
    bias_ih: Tensor | null;
    bias_hh: Tensor | null;
    resetParameters(): void;
  }
  class RNNCell extends RNNCellBase {
    constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean; nonlinearity?: 'tanh' | 'relu' });
    forward(input: Tensor, hx?: Tensor | null): Tensor;
    call(input: Tensor, hx?: Tensor | null): Tensor;
  }
  class LSTMCell extends RNNCellBase {
    constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean });
    forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor];
    call(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor];
  }
  class GRUCell extends RNNCellBase {
    constructor(inputSize: number, hiddenSize: number, options?: { bias?: boolean });
    forward(input: Tensor, hx?: Tensor | null): Tensor;
    call(input: Tensor, hx?: Tensor | null): Tensor;
  }
  // ---- CNN layers (issue 15) ----
  interface BatchNormOptions {
    eps?: number;
    /** `null`: a cumulative average (PyTorch's momentum=None). */
    momentum?: number | null;
    affine?: boolean;
    trackRunningStats?: boolean;
  }
  class BatchNorm1d extends Module {
    constructor(numFeatures: number, options?: BatchNormOptions);
    readonly numFeatures: number;
    weight: Tensor | null;
    bias: Tensor | null;
    /** Buffers (in stateDict() and namedBuffers()); num_batches_tracked is int32. */
    running_mean: Tensor | null;
    running_var: Tensor | null;
    num_batches_tracked: Tensor | null;
    /** The same buffers under camelCase names. */
    readonly runningMean: Tensor | null;
    readonly runningVar: Tensor | null;
    readonly numBatchesTracked: Tensor | null;
    resetRunningStats(): void;
    resetParameters(): void;
    forward(input: Tensor): Tensor;
  }
  class BatchNorm2d extends BatchNorm1d {}
  interface MaxPool2dOptions {
    stride?: Pair | null;
    padding?: Pair;
    dilation?: Pair;
    ceilMode?: boolean;
    returnIndices?: boolean;
  }
  interface AvgPool2dOptions {
    stride?: Pair | null;
    padding?: Pair;
    ceilMode?: boolean;
    countIncludePad?: boolean;
    divisorOverride?: number | null;
  }
  class MaxPool2d extends Module {
    constructor(kernelSize: Pair, options?: MaxPool2dOptions);
    /** With returnIndices: [values, indices (int32, flat within each H x W plane)]. */
    forward(input: Tensor): Tensor | [Tensor, Tensor];
  }
  class AvgPool2d extends Module {
    constructor(kernelSize: Pair, options?: AvgPool2dOptions);
    forward(input: Tensor): Tensor;
  }
  class AdaptiveAvgPool2d extends Module {
    /** A size of null keeps the input's. */
    constructor(outputSize: number | [number | null, number | null]);
    forward(input: Tensor): Tensor;
  }
  interface LossOptions {
    reduction?: Reduction;
  }
  interface ClassLossOptions extends LossOptions {
    weight?: Tensor | null;
    ignoreIndex?: number;
  }
  class MSELoss extends Module {
    constructor(options?: LossOptions);
    forward(input: Tensor, target: Tensor): Tensor;
  }
  class CrossEntropyLoss extends Module {
    constructor(options?: ClassLossOptions & { labelSmoothing?: number });
    forward(input: Tensor, target: Tensor): Tensor;
  }
  class NLLLoss extends Module {
    constructor(options?: ClassLossOptions);
    forward(input: Tensor, target: Tensor): Tensor;
  }
  interface ConvTranspose2dOptions {
    stride?: Pair;
    padding?: Pair;
    outputPadding?: Pair;
    groups?: number;
    dilation?: Pair;
  }
  /** weight [inChannels, outChannels / groups, kH, kW], as PyTorch's. */
  class ConvTranspose2d extends Module {
    constructor(inChannels: number, outChannels: number, kernelSize: Pair, options?: ConvTranspose2dOptions & { bias?: boolean; paddingMode?: 'zeros' });
    readonly inChannels: number;
    readonly outChannels: number;
    weight: Tensor;
    bias: Tensor | null;
    resetParameters(): void;
    forward(input: Tensor): Tensor;
  }
  interface BCEOptions extends LossOptions {
    weight?: Tensor | null;
  }
  class BCELoss extends Module {
    constructor(options?: BCEOptions);
    forward(input: Tensor, target: Tensor): Tensor;
  }
  class BCEWithLogitsLoss extends Module {
    constructor(options?: BCEOptions & { posWeight?: Tensor | null });
    forward(input: Tensor, target: Tensor): Tensor;
  }
  class LeakyReLU extends Module {
    constructor(negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: boolean);
    forward(input: Tensor): Tensor;
  }
  class ELU extends Module {
    constructor(alpha?: number | { alpha?: number });
    forward(input: Tensor): Tensor;
  }
  // ---- transformer layers (issue 14; js/nn/transformer.mjs) ----
  /** weight [numEmbeddings, embeddingDim] ~ N(0, 1) (the paddingIdx row 0); input: int32 indices. */
  class Embedding extends Module {
    constructor(numEmbeddings: number, embeddingDim: number, options?: { paddingIdx?: number | null; _weight?: Tensor | null });
    numEmbeddings: number;
    embeddingDim: number;
    paddingIdx: number | null;
    weight: Tensor;
    forward(input: Tensor): Tensor;
  }
  class LayerNorm extends Module {
    constructor(normalizedShape: number | number[], options?: { eps?: number; elementwiseAffine?: boolean });
    normalizedShape: number[];
    eps: number;
    elementwiseAffine: boolean;
    weight: Tensor | null;
    bias: Tensor | null;
    forward(input: Tensor): Tensor;
  }
  interface MultiheadAttentionForwardOptions {
    keyPaddingMask?: Tensor | null;
    needWeights?: boolean;
    attnMask?: Tensor | null;
    averageAttnWeights?: boolean;
  }
  /** PyTorch 1.13's parameters: in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias. */
  class MultiheadAttention extends Module {
    constructor(embedDim: number, numHeads: number, options?: { dropout?: number; bias?: boolean; batchFirst?: boolean; kdim?: number; vdim?: number });
    in_proj_weight: Tensor;
    in_proj_bias: Tensor | null;
    out_proj: Linear;
    /** [output, weights] (weights averaged over heads unless averageAttnWeights is false; null without needWeights). */
    forward(query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions): [Tensor, Tensor | null];
  }
  interface Functional {
    relu(input: Tensor, options?: { inplace?: boolean }): Tensor;
    softmax(input: Tensor, dim?: number | { dim?: number }): Tensor;
    logSoftmax(input: Tensor, dim?: number | { dim?: number }): Tensor;
    linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor;
    conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
    mseLoss(input: Tensor, target: Tensor, options?: LossOptions): Tensor;
    nllLoss(input: Tensor, target: Tensor, options?: ClassLossOptions): Tensor;
    /** `target`: class indices (int32). */
    crossEntropy(input: Tensor, target: Tensor, options?: ClassLossOptions & { labelSmoothing?: number }): Tensor;
    dropout(input: Tensor, p?: number, training?: boolean, inplace?: boolean): Tensor;
    gelu(input: Tensor, options?: { approximate?: 'none' | 'tanh' } | 'none' | 'tanh'): Tensor;
    silu(input: Tensor, options?: { inplace?: false } | false): Tensor;
    softplus(input: Tensor, beta?: number, threshold?: number): Tensor;
    softplus(input: Tensor, options: { beta?: number; threshold?: number }): Tensor;
    convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTranspose2dOptions): Tensor;
    convTranspose2d(input: Tensor, weight: Tensor, options?: ConvTranspose2dOptions & { bias?: Tensor | null }): Tensor;
    /** `input`: probabilities in [0, 1]; the logs are clamped at -100 as PyTorch's. */
    binaryCrossEntropy(input: Tensor, target: Tensor, options?: BCEOptions): Tensor;
    binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEOptions & { posWeight?: Tensor | null }): Tensor;
    leakyRelu(input: Tensor, negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: boolean): Tensor;
    elu(input: Tensor, alpha?: number | { alpha?: number }): Tensor;
    /** PyTorch's positional parameters after runningVar, or any of them in a last options object. */
    batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
      options?: { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number }): Tensor;
    maxPool2d(input: Tensor, kernelSize: Pair, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
    maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
    avgPool2d(input: Tensor, kernelSize: Pair, options?: AvgPool2dOptions): Tensor;
    adaptiveAvgPool2d(input: Tensor, outputSize: number | [number | null, number | null]): Tensor;
    /** weight[input]; input: int32 indices. */
    embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null | { paddingIdx?: number | null }): Tensor;
    layerNorm(input: Tensor, normalizedShape: number | number[], weight?: Tensor | null | { weight?: Tensor | null; bias?: Tensor | null; eps?: number }, bias?: Tensor | null, eps?: number): Tensor;
    /** PyTorch 2's math: softmax(q k^T / sqrt(E) + mask) v; a bool attnMask keeps the true positions. */
    scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options?: { attnMask?: Tensor | null; dropoutP?: number; isCausal?: boolean }): Tensor;
  }
  /** `torch.nn.utils`: gradient clipping, in place under noGrad (grads of null are skipped). */
  interface Utils {
    /**
     * Scales every grad by `min(1, maxNorm / (total + 1e-6))`, where `total` is the `normType`-norm
     * (default 2; `Infinity` for the largest |g|) of all grads together; returns `total` (0-dim).
     * With `errorIfNonfinite`, a NaN or infinite total throws PyTorch's error and changes nothing.
     */
    clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType?: number, errorIfNonfinite?: boolean): Tensor;
    clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, options: { normType?: number; errorIfNonfinite?: boolean }): Tensor;
    /** Clamps every grad to [-clipValue, clipValue]. */
    clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void;
  }
  type Nonlinearity = 'linear' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu';
  /** `torch.nn.init`: in-place initialisers (run under noGrad), returning the tensor. */
  interface Init {
    calculateGain(nonlinearity: Nonlinearity, param?: number): number;
    calculateFanInAndFanOut(tensor: Tensor): [number, number];
    uniform_(tensor: Tensor, a?: number, b?: number): Tensor;
    normal_(tensor: Tensor, mean?: number, std?: number): Tensor;
    constant_(tensor: Tensor, value: number): Tensor;
    zeros_(tensor: Tensor): Tensor;
    ones_(tensor: Tensor): Tensor;
    kaimingUniform_(tensor: Tensor, options?: { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: Nonlinearity }): Tensor;
    kaimingNormal_(tensor: Tensor, options?: { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: Nonlinearity }): Tensor;
    xavierUniform_(tensor: Tensor, gain?: number | { gain?: number }): Tensor;
    xavierNormal_(tensor: Tensor, gain?: number | { gain?: number }): Tensor;
  }
}

declare namespace optim {
  interface ParamGroup {
    params: Tensor[];
    [option: string]: any;
  }
  type Params = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> | Tensor; [option: string]: any }>;
  /** The base of SGD and Adam: parameters updated in place under noGrad, as PyTorch does. */
  class Optimizer {
    /** The options given at construction with PyTorch's defaults filled in (camelCase keys, e.g. `weightDecay`). */
    readonly defaults: Record<string, any>;
    readonly paramGroups: ParamGroup[];
    readonly state: Map<Tensor, Record<string, any>>;
    addParamGroup(group: { params: Iterable<Tensor> | Tensor; [option: string]: any }): void;
    /** One update of every parameter that has a grad; a closure re-evaluates the loss (with grad enabled) and step returns it. */
    step(): void;
    step<T>(closure: () => T): T;
    zeroGrad(options?: { setToNone?: boolean }): void;
    /**
     * PyTorch's `state_dict()`: parameters replaced by their indices in group order; `state`
     * keyed by those indices (`momentumBuffer`; Adam's `step` (a number), `expAvg`, `expAvgSq`,
     * `maxExpAvgSq`). Its tensors are detached aliases of the live buffers: they change with later
     * steps, and disposing them never frees the optimizer's state.
     */
    stateDict(): StateDict;
    /**
     * PyTorch's `load_state_dict(sd)`: checks the group count and sizes (PyTorch's texts) and
     * each state tensor's shape first, then deep-copies (the optimizer owns contiguous float32
     * clones; its previous state is freed). PyTorch's snake_case keys are accepted.
     */
    loadStateDict(stateDict: StateDict | { state: Record<string | number, Record<string, any>> | Map<number, Record<string, any>>; param_groups: Array<{ params: number[]; [option: string]: any }> }): void;
    /** Frees the optimizer's state tensors (momentum buffers, moments). */
    dispose(): void;
  }
  interface StateDict {
    state: Record<number, Record<string, Tensor | number | any>>;
    paramGroups: Array<{ params: number[]; [option: string]: any }>;
  }
  class SGD extends Optimizer {
    constructor(params: Params, options: { lr: number; momentum?: number; dampening?: number; weightDecay?: number; nesterov?: boolean; maximize?: boolean });
  }
  class Adam extends Optimizer {
    constructor(params: Params, options?: { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean });
  }
  /** PyTorch 1.13's AdamW: Adam with decoupled weight decay (`param *= 1 - lr * weightDecay`), default weightDecay 0.01. */
  class AdamW extends Optimizer {
    constructor(params: Params, options?: { lr?: number; betas?: [number, number]; eps?: number; weightDecay?: number; amsgrad?: boolean; maximize?: boolean });
  }
  /**
   * `torch.optim.lrScheduler` (also `torch.optim.lr_scheduler`): PyTorch 1.13.1's schedulers,
   * giving the same rates (the same doubles). Construction sets each group's `initialLr` (when
   * `lastEpoch` is -1) and takes the first step; call `step()` after `optimizer.step()`.
   */
  namespace lrScheduler {
    interface SchedulerOptions {
      /** The index of the last epoch when resuming (groups then need `initialLr`). Default -1. */
      lastEpoch?: number;
    }
    abstract class LRScheduler {
      readonly optimizer: Optimizer;
      baseLrs: number[];
      lastEpoch: number;
      /** One epoch: lastEpoch + 1 and each group's lr updated. step(epoch) is not supported. */
      step(): void;
      /** The rates the last step() set, one per group (a copy). */
      getLastLr(): number[];
      /** The rates for lastEpoch by the scheduler's recursive formula (use getLastLr() for the current ones). */
      getLr(): number[];
      /** PyTorch's `state_dict()`: every attribute but the optimizer, camelCase (`baseLrs`, `lastEpoch`, `_stepCount`, `_lastLr`, ...). */
      stateDict(): Record<string, any>;
      /** Copies the attributes back (PyTorch's snake_case names accepted). */
      loadStateDict(stateDict: Record<string, any>): void;
    }
    class StepLR extends LRScheduler {
      constructor(optimizer: Optimizer, stepSize: number, options?: SchedulerOptions & { gamma?: number });
      stepSize: number;
      gamma: number;
    }
    class MultiStepLR extends LRScheduler {
      constructor(optimizer: Optimizer, milestones: number[], options?: SchedulerOptions & { gamma?: number });
      /** PyTorch's Counter: milestone -> how many times it was given. */
      milestones: Record<number, number>;
      gamma: number;
    }
    class ExponentialLR extends LRScheduler {
      constructor(optimizer: Optimizer, gamma: number, options?: SchedulerOptions);
      gamma: number;
    }
    class CosineAnnealingLR extends LRScheduler {
      constructor(optimizer: Optimizer, tMax: number, options?: SchedulerOptions & { etaMin?: number });
      tMax: number;
      etaMin: number;
    }
    class LambdaLR extends LRScheduler {
      /** lrLambda(epoch) multiplies each group's initialLr; one function, or one per group. */
      constructor(optimizer: Optimizer, lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>, options?: SchedulerOptions);
      readonly lrLambdas: Array<(epoch: number) => number>;
    }
  }
}

/** Type-only: `import type { nn, optim } from 'webtorch'`; the values are `torch.nn`, `torch.optim`. */
export type { nn, optim };

export interface NN {
  Module: typeof nn.Module;
  Parameter: nn.ParameterFunction;
  Identity: typeof nn.Identity;
  Linear: typeof nn.Linear;
  ReLU: typeof nn.ReLU;
  Sigmoid: typeof nn.Sigmoid;
  Tanh: typeof nn.Tanh;
  GELU: typeof nn.GELU;
  SiLU: typeof nn.SiLU;
  Softmax: typeof nn.Softmax;
  LogSoftmax: typeof nn.LogSoftmax;
  Flatten: typeof nn.Flatten;
  Dropout: typeof nn.Dropout;
  Sequential: typeof nn.Sequential;
  ModuleList: typeof nn.ModuleList;
  ModuleDict: typeof nn.ModuleDict;
  Conv2d: typeof nn.Conv2d;
  MSELoss: typeof nn.MSELoss;
  CrossEntropyLoss: typeof nn.CrossEntropyLoss;
  NLLLoss: typeof nn.NLLLoss;
  RNN: typeof nn.RNN;
  LSTM: typeof nn.LSTM;
  GRU: typeof nn.GRU;
  RNNCell: typeof nn.RNNCell;
  LSTMCell: typeof nn.LSTMCell;
  GRUCell: typeof nn.GRUCell;
  ConvTranspose2d: typeof nn.ConvTranspose2d;
  BCELoss: typeof nn.BCELoss;
  BCEWithLogitsLoss: typeof nn.BCEWithLogitsLoss;
  LeakyReLU: typeof nn.LeakyReLU;
  ELU: typeof nn.ELU;
  BatchNorm1d: typeof nn.BatchNorm1d;
  BatchNorm2d: typeof nn.BatchNorm2d;
  MaxPool2d: typeof nn.MaxPool2d;
  AvgPool2d: typeof nn.AvgPool2d;
  AdaptiveAvgPool2d: typeof nn.AdaptiveAvgPool2d;
  Embedding: typeof nn.Embedding;
  LayerNorm: typeof nn.LayerNorm;
  MultiheadAttention: typeof nn.MultiheadAttention;
  functional: nn.Functional;
  init: nn.Init;
  utils: nn.Utils;
}

export interface Optim {
  Optimizer: typeof optim.Optimizer;
  SGD: typeof optim.SGD;
  Adam: typeof optim.Adam;
  AdamW: typeof optim.AdamW;
  lrScheduler: LRSchedulers;
  /** PyTorch's spelling of lrScheduler (the same object). */
  lr_scheduler: LRSchedulers;
}

export interface LRSchedulers {
  LRScheduler: typeof optim.lrScheduler.LRScheduler;
  StepLR: typeof optim.lrScheduler.StepLR;
  MultiStepLR: typeof optim.lrScheduler.MultiStepLR;
  ExponentialLR: typeof optim.lrScheduler.ExponentialLR;
  CosineAnnealingLR: typeof optim.lrScheduler.CosineAnnealingLR;
  LambdaLR: typeof optim.lrScheduler.LambdaLR;
}

// ---------------------------------------------------------------------------------------
// The engine

export interface Torch {
  readonly backend: Backend;
  /** The package version. */
  readonly version: string;
  /** Engine threads: what load({ threads }) got (1 without the option). */
  readonly threads: number;
  /** Why the engine runs on fewer threads than load({ threads }) asked for (null when it does not). */
  readonly threadsUnavailableReason: string | null;
  readonly Tensor: TensorClass;
  readonly dtypes: DType[];
  readonly nn: NN;
  readonly optim: Optim;
  readonly autograd: Autograd;
  /** torch.utils.checkpoint(fn, ...args): saves only the inputs; fn runs again in backward (it must not draw random numbers). */
  readonly utils: { checkpoint<R extends Tensor | Tensor[]>(fn: (...args: any[]) => R, ...args: unknown[]): R };

  // ---- factories (an optional last { dtype, requiresGrad }) ----
  /**
   * A JavaScript number is a float: `tensor([[1, 2]])` is float32, booleans alone are bool;
   * integer TypedArrays (Int32Array, Int16Array, ...) give int32, Float32Array/Float64Array
   * float32, unless `{ dtype }` says otherwise.
   */
  tensor(data: NestedArray, options?: TensorOptions): Tensor;
  tensor(data: TypedArray | Float64Array | Int16Array | Int8Array | Uint16Array, options?: TensorOptions & { shape?: Shape }): Tensor;
  /** `zeros([2, 3])`, or the sizes as arguments: `zeros(2, 3)`, `zeros(2, 3, { dtype })`. */
  zeros(shape: Shape, options?: TensorOptions): Tensor;
  zeros(...shape: number[]): Tensor;
  zeros(...args: [...shape: number[], options: TensorOptions]): Tensor;
  ones(shape: Shape, options?: TensorOptions): Tensor;
  ones(...shape: number[]): Tensor;
  ones(...args: [...shape: number[], options: TensorOptions]): Tensor;
  /** float32 for a number, bool for a boolean, unless `{ dtype }` says otherwise. */
  full(shape: Shape, value: Scalar, options?: TensorOptions): Tensor;
  empty(shape: Shape, options?: TensorOptions): Tensor;
  empty(...shape: number[]): Tensor;
  empty(...args: [...shape: number[], options: TensorOptions]): Tensor;
  arange(end: number, options?: TensorOptions): Tensor;
  arange(start: number, end: number, options?: TensorOptions): Tensor;
  arange(start: number, end: number, step: number, options?: TensorOptions): Tensor;
  eye(n: number, options?: TensorOptions): Tensor;
  eye(n: number, m: number, options?: TensorOptions): Tensor;
  /** Uniform on [0, 1), from the engine's generator (seeded by manualSeed, as torch's CPU generator). */
  rand(shape: Shape, options?: TensorOptions): Tensor;
  rand(...shape: number[]): Tensor;
  rand(...args: [...shape: number[], options: TensorOptions]): Tensor;
  /** Standard normal, from the engine's generator. */
  randn(shape: Shape, options?: TensorOptions): Tensor;
  randn(...shape: number[]): Tensor;
  randn(...args: [...shape: number[], options: TensorOptions]): Tensor;
  zerosLike(t: Tensor, options?: TensorOptions): Tensor;
  onesLike(t: Tensor, options?: TensorOptions): Tensor;
  fullLike(t: Tensor, value: Scalar, options?: TensorOptions): Tensor;
  randLike(t: Tensor, options?: TensorOptions): Tensor;
  randnLike(t: Tensor, options?: TensorOptions): Tensor;
  manualSeed(seed: number): void;
  /** Integers in [low, high) (low defaults to 0), drawn as torch 1.13 draws them; int32 unless `dtype` says otherwise. */
  randint(low: number, high: number, shape: Shape, options?: TensorOptions): Tensor;
  randint(high: number, shape: Shape, options?: TensorOptions): Tensor;
  /** A random permutation of 0..n-1 (int32 unless `dtype` says otherwise), drawn as torch 1.13 draws it. */
  randperm(n: number, options?: TensorOptions): Tensor;

  // ---- operations as functions: torch.NAME(t, …) ----
  // One entry each in js/op_table.mjs. A number may come first in add/sub/mul/div/pow, as in
  // PyTorch (`torch.sub(1, x)` is 1 - x; two numbers give a 0-d tensor); in-place forms return their input.
  // <generated: torch functions> (codegen/generate.mjs from js/op_table.mjs)
  detach(input: Tensor): Tensor;
  clone(input: Tensor): Tensor;
  contiguous(input: Tensor): Tensor;
  add(input: Tensor | Scalar, other: Tensor | Scalar, options?: { alpha?: number } | number): Tensor;
  add_<T extends Tensor>(input: T, other: Tensor | Scalar, options?: { alpha?: number } | number): T;
  sub(input: Tensor | Scalar, other: Tensor | Scalar, options?: { alpha?: number } | number): Tensor;
  sub_<T extends Tensor>(input: T, other: Tensor | Scalar, options?: { alpha?: number } | number): T;
  mul(input: Tensor | Scalar, other: Tensor | Scalar): Tensor;
  mul_<T extends Tensor>(input: T, other: Tensor | Scalar): T;
  div(input: Tensor | Scalar, other: Tensor | Scalar): Tensor;
  div_<T extends Tensor>(input: T, other: Tensor | Scalar): T;
  pow(input: Tensor, exponent: Tensor | Scalar): Tensor;
  pow(base: number, exponent: Tensor): Tensor;
  neg(input: Tensor): Tensor;
  abs(input: Tensor): Tensor;
  exp(input: Tensor): Tensor;
  log(input: Tensor): Tensor;
  log1p(input: Tensor): Tensor;
  sqrt(input: Tensor): Tensor;
  tanh(input: Tensor): Tensor;
  sigmoid(input: Tensor): Tensor;
  relu(input: Tensor): Tensor;
  relu_<T extends Tensor>(input: T): T;
  gelu(input: Tensor, options?: { approximate?: 'none' | 'tanh' }): Tensor;
  clamp(input: Tensor, min?: number | null, max?: number | null): Tensor;
  clamp(input: Tensor, min: Tensor | null, max?: Tensor | null): Tensor;
  clamp(input: Tensor, bounds: { min?: number | null; max?: number | null }): Tensor;
  clamp_<T extends Tensor>(input: T, min?: number | null, max?: number | null): T;
  clamp_<T extends Tensor>(input: T, min: Tensor | null, max?: Tensor | null): T;
  clamp_<T extends Tensor>(input: T, bounds: { min?: number | null; max?: number | null }): T;
  clip(input: Tensor, min?: number | null, max?: number | null): Tensor;
  maximum(input: Tensor, other: Tensor): Tensor;
  minimum(input: Tensor, other: Tensor): Tensor;
  eq(input: Tensor, other: Tensor | Scalar): Tensor;
  lt(input: Tensor, other: Tensor | Scalar): Tensor;
  gt(input: Tensor, other: Tensor | Scalar): Tensor;
  le(input: Tensor, other: Tensor | Scalar): Tensor;
  ge(input: Tensor, other: Tensor | Scalar): Tensor;
  /** `torch.where(condition, input, other)`. Two numbers give float32 (two booleans bool). */
  where(condition: Tensor, input: Tensor | Scalar, other: Tensor | Scalar): Tensor;
  matmul(input: Tensor, other: Tensor): Tensor;
  mm(input: Tensor, other: Tensor): Tensor;
  bmm(input: Tensor, other: Tensor): Tensor;
  mv(input: Tensor, vec: Tensor): Tensor;
  dot(input: Tensor, other: Tensor): Tensor;
  sum(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  mean(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  max(input: Tensor): Tensor;
  max(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  max(input: Tensor, other: Tensor): Tensor;
  min(input: Tensor): Tensor;
  min(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  min(input: Tensor, other: Tensor): Tensor;
  argmax(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor;
  softmax(input: Tensor, dim: number): Tensor;
  logSoftmax(input: Tensor, dim: number): Tensor;
  view(input: Tensor, shape: Shape): Tensor;
  view(input: Tensor, ...shape: number[]): Tensor;
  reshape(input: Tensor, shape: Shape): Tensor;
  reshape(input: Tensor, ...shape: number[]): Tensor;
  expand(input: Tensor, shape: Shape): Tensor;
  expand(input: Tensor, ...shape: number[]): Tensor;
  permute(input: Tensor, dims: Shape): Tensor;
  permute(input: Tensor, ...dims: number[]): Tensor;
  transpose(input: Tensor, dim0: number, dim1: number): Tensor;
  /** transpose(0, 1) of a matrix; a 0-d or 1-d tensor as it is (TBackward0). */
  t(input: Tensor): Tensor;
  squeeze(input: Tensor, dim?: number): Tensor;
  unsqueeze(input: Tensor, dim: number): Tensor;
  narrow(input: Tensor, dim: number, start: number, length: number): Tensor;
  select(input: Tensor, dim: number, index: number): Tensor;
  flatten(input: Tensor, startDim?: number, endDim?: number): Tensor;
  zero_<T extends Tensor>(input: T): T;
  fill_<T extends Tensor>(input: T, value: Scalar | Tensor): T;
  copy_<T extends Tensor>(input: T, src: Tensor): T;
  sin(input: Tensor): Tensor;
  cos(input: Tensor): Tensor;
  rsqrt(input: Tensor): Tensor;
  erf(input: Tensor): Tensor;
  silu(input: Tensor): Tensor;
  softplus(input: Tensor, beta?: number, threshold?: number): Tensor;
  softplus(input: Tensor, options: { beta?: number; threshold?: number }): Tensor;
  var(input: Tensor, dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }): Tensor;
  std(input: Tensor, dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }): Tensor;
  norm(input: Tensor, p?: number, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  logsumexp(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  any(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  all(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  multinomial(input: Tensor, numSamples: number, replacement?: boolean): Tensor;
  tril(input: Tensor, diagonal?: number): Tensor;
  triu(input: Tensor, diagonal?: number): Tensor;
  split(input: Tensor, splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
  chunk(input: Tensor, chunks: number, dim?: number): Tensor[];
  unbind(input: Tensor, dim?: number): Tensor[];
  repeat(input: Tensor, repeats: Shape): Tensor;
  repeat(input: Tensor, ...repeats: number[]): Tensor;
  flip(input: Tensor, dims: Shape): Tensor;
  flip(input: Tensor, ...dims: number[]): Tensor;
  roll(input: Tensor, shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor;
  cumsum(input: Tensor, dim: number): Tensor;
  sort(input: Tensor, dim?: number, descending?: boolean): ValuesIndices;
  sort(input: Tensor, options: { dim?: number; descending?: boolean; stable?: boolean | null }): ValuesIndices;
  topk(input: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices;
  indexSelect(input: Tensor, dim: number, index: Tensor): Tensor;
  gather(input: Tensor, dim: number, index: Tensor): Tensor;
  scatter(input: Tensor, dim: number, index: Tensor, src: Tensor | Scalar): Tensor;
  scatter_<T extends Tensor>(input: T, dim: number, index: Tensor, src: Tensor | Scalar): T;
  scatterAdd(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor;
  scatterAdd_<T extends Tensor>(input: T, dim: number, index: Tensor, src: Tensor): T;
  maskedFill(input: Tensor, mask: Tensor, value: Tensor | Scalar): Tensor;
  maskedFill_<T extends Tensor>(input: T, mask: Tensor, value: Tensor | Scalar): T;
  index(input: Tensor, ...indices: TensorIndex[]): Tensor;
  indexPut_<T extends Tensor>(input: T, indices: readonly TensorIndex[], value: Tensor | Scalar, options?: { accumulate?: boolean }): T;
  leakyRelu(input: Tensor, negativeSlope?: number): Tensor;
  leakyRelu_<T extends Tensor>(input: T, negativeSlope?: number): T;
  elu(input: Tensor, alpha?: number): Tensor;
  // </generated: torch functions>
  cat(tensors: readonly Tensor[], dim?: number): Tensor;
  concat(tensors: readonly Tensor[], dim?: number): Tensor;
  stack(tensors: readonly Tensor[], dim?: number): Tensor;
  /** Python's `start:end:step` for `t.index(...)` / `t.indexPut_(...)`; `null` leaves a bound open. */
  slice(start?: number | null, end?: number | null, step?: number | null): Slice;
  /** torch.embedding(weight, indices, paddingIdx = -1): the op under F.embedding (EmbeddingBackward0). */
  embedding(weight: Tensor, indices: Tensor, paddingIdx?: number): Tensor;
  /** torch.layer_norm: the op under F.layerNorm (NativeLayerNormBackward0). */
  layerNorm(input: Tensor, normalizedShape: number | number[], weight?: Tensor | null, bias?: Tensor | null, eps?: number): Tensor;

  // ---- gradient modes ----
  noGrad: GradModeFunction;
  enableGrad: GradModeFunction;
  setGradEnabled: SetGradEnabled;
  inferenceMode: InferenceModeFunction;
  isGradEnabled(): boolean;
  isInferenceModeEnabled(): boolean;
  /** The mode scopes entered right now, outermost first, e.g. `['noGrad', 'inferenceMode(false)']`. */
  modeStack(): string[];

  // ---- lifetime ----
  /** Runs fn and disposes every tensor made inside that fn does not return (in a Tensor, array or plain object). */
  tidy<T>(fn: () => T): T;
  tidy<T>(name: string, fn: () => T): T;
  /** Exempts a tensor from the enclosing tidy scopes. */
  keep<T extends Tensor>(t: T): T;
  /** Disposes a Tensor, or every Tensor in an array or plain object. */
  dispose(value: TensorContainer): void;
  memory(): MemoryInfo;
  diagnostics(): Diagnostics;
  isTensor(value: unknown): value is Tensor;

  // ---- weights ----
  /** Reads a safetensors file (as saved by PyTorch's safetensors) into `{ name: Tensor }`, in file order. */
  loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor>;
  /**
   * Writes `{ name: Tensor }` (or a Map, or a Module's state dict) in the standard safetensors format.
   * As safetensors' torch API: a dict whose tensors share memory is refused (`save_file`); a Module
   * with tied weights is saved with one name per shared tensor, the first in sorted order, the
   * others recorded in the metadata as `{ dropped: kept }` (`save_model`).
   */
  saveSafetensors(dict: Record<string, Tensor> | Map<string, Tensor> | nn.Module, metadata?: Record<string, string>): Uint8Array;
  /**
   * safetensors' `load_model`: loads a file into `module` (its `loadStateDict`), giving each name
   * that shares a tensor in the module (tied weights) the tensor of the name the file holds.
   */
  loadSafetensorsModel(module: nn.Module, bytes: Uint8Array | ArrayBuffer, options?: { strict?: boolean }): { missingKeys: string[]; unexpectedKeys: string[] };
  /** Reads only the header of a safetensors file: names, file dtypes and shapes, and `__metadata__`. */
  safetensorsHeader(bytes: Uint8Array | ArrayBuffer): {
    tensors: Record<string, { dtype: string; shape: number[] }>;
    metadata: Record<string, string>;
  };
}
