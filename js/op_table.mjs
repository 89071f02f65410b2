// Note [The op table]: one entry per operator, the single place that says how an op is
// called. From it come
//   - at build time (codegen/generate.mjs): the wasm entry points wt_<cpp> (web/op_exports.cpp's
//     generated half), the typings of the Tensor methods and torch.NAME functions (the
//     generated blocks of js/index.d.ts) and the C++ scenario runner's op table;
//   - at load time (js/ops.mjs): the Tensor methods, torch.NAME(t, ...) and the in-place
//     torch.NAME_(t, ...) functions.
// The C++ function (src/ops/<file>.cpp, `webtorch::<cpp>`) holds the checks, the node and the
// backward; the table only describes the calling convention.
//
// Fields:
//   name    the JavaScript name (a Tensor method; torch.NAME calls it with the tensor first)
//   cpp     the C++ function and the entry point's suffix (default: name)
//   form    how it is called; a form fixes the arguments, the entry points and the typings:
//     unary      t.NAME()                                   wt_NAME(a)
//     binary     t.NAME(other: Tensor | number)             wt_NAME(a, b), wt_NAME_scalar(a, v, kind)
//                  (alpha: t.NAME(other, { alpha }); scalarFirst: torch.NAME(2, t))
//     compare    as binary, bool result, no in-place form
//     pair       t.NAME(other: Tensor)                      wt_NAME(a, b)
//     reduction  t.NAME(dim?, keepdim = false)               wt_NAME(a), wt_NAME_dims(a, n, keepdim)
//     shape      t.NAME([2, 3]) or t.NAME(2, 3)              wt_NAME(a, n), the sizes in scratch
//     ints       t.NAME(i, j, ...) with args: [[jsName, label, default?, cppType?]]; label names the
//                  argument in errors; cppType 'int64' passes it as a double (a wasm i32 would
//                  wrap)
//     floats     t.NAME(x, ...) with args: [[jsName, label, default]], numbers passed as doubles
//                  (leakyRelu's negativeSlope, elu's alpha)
//     custom     bindings written by hand (js/ops.mjs, web/op_exports.cpp, the runner): the
//                  table still gives its typings (ts) and its torch.NAME form
//   view      the result may share self's storage (a view, or self itself); the fuzzer's storage
//               groups (tests/js/fuzzer.mjs) and tests/js/op_table.test.mjs rely on it
//   inplace   also t.NAME_(...) (and torch.NAME_): wt_NAME_ returns a status
//   functional  torch.NAME(t, ...) exists (default true; 'custom': a hand-written torch.NAME)
//   method      the typings' parameter list, one string per overload (custom ops); `ret` the result
//   options     option keys PyTorch has that webtorch refuses by name (checkOptions)
//   doc         a comment for the typings
//   gradFn      PyTorch 1.13's node name (documentation; the C++ op names its node)

const T = 'Tensor';
const TS = 'Tensor | Scalar';
const BOUNDS = '{ min?: number | null; max?: number | null }';

export const OPS = [
  // ---- identity-like (autograd section of the Tensor typings) ----
  { name: 'detach', view: true, form: 'unary' },
  { name: 'clone', form: 'unary', gradFn: 'CloneBackward0' },
  { name: 'contiguous', view: true, form: 'unary' },

  // ---- arithmetic ----
  { name: 'add', form: 'binary', alpha: true, inplace: true, scalarFirst: true, gradFn: 'AddBackward0' },
  { name: 'sub', form: 'binary', alpha: true, inplace: true, scalarFirst: true, gradFn: 'SubBackward0' },
  { name: 'mul', form: 'binary', inplace: true, scalarFirst: true, gradFn: 'MulBackward0' },
  { name: 'div', form: 'binary', inplace: true, scalarFirst: true, gradFn: 'DivBackward0' },
  { name: 'pow', form: 'custom', functional: 'custom', method: [`exponent: ${TS}`], gradFn: 'PowBackward0',
    torch: ['input: Tensor, exponent: Tensor | Scalar', 'base: number, exponent: Tensor'] },
  { name: 'neg', form: 'unary', gradFn: 'NegBackward0' },
  { name: 'abs', form: 'unary', gradFn: 'AbsBackward0' },
  { name: 'exp', form: 'unary', gradFn: 'ExpBackward0' },
  { name: 'log', form: 'unary', gradFn: 'LogBackward0' },
  { name: 'log1p', form: 'unary', gradFn: 'Log1PBackward0' },
  { name: 'sqrt', form: 'unary', gradFn: 'SqrtBackward0' },
  { name: 'tanh', form: 'unary', gradFn: 'TanhBackward0' },
  { name: 'sigmoid', form: 'unary', gradFn: 'SigmoidBackward0' },
  { name: 'relu', form: 'unary', inplace: true, gradFn: 'ReluBackward0' },
  { name: 'gelu', form: 'unary', gradFn: 'GeluBackward0', method: ["options?: { approximate?: 'none' | 'tanh' }"] },
  { name: 'clamp', form: 'custom', inplace: true, gradFn: 'ClampBackward1',
    doc: '`null` or `undefined` leaves a side open; at least one bound is required.',
    method: ['min?: number | null, max?: number | null', 'min: Tensor | null, max?: Tensor | null', `bounds: ${BOUNDS}`] },
  { name: 'clip', form: 'custom', method: ['min?: number | null, max?: number | null', `bounds: ${BOUNDS}`],
    torch: ['input: Tensor, min?: number | null, max?: number | null'] },
  { name: 'maximum', form: 'pair', gradFn: 'MaximumBackward0',
    doc: 'Elementwise maximum / minimum, broadcasting (NaN propagates; a tie splits the gradient 0.5 / 0.5).' },
  { name: 'minimum', form: 'pair', gradFn: 'MinimumBackward0' },

  // ---- comparisons (bool results) ----
  { name: 'eq', form: 'compare' },
  { name: 'lt', form: 'compare' },
  { name: 'gt', form: 'compare' },
  { name: 'le', form: 'compare' },
  { name: 'ge', form: 'compare' },
  { name: 'where', form: 'custom', functional: 'custom', method: [`condition: Tensor, other: ${TS}`], gradFn: 'WhereBackward0',
    doc: "`x.where(condition, other)`: x where condition, else other (PyTorch's method form).",
    torch: [`condition: Tensor, input: ${TS}, other: ${TS}`],
    torchDoc: '`torch.where(condition, input, other)`. Two numbers give float32 (two booleans bool).' },

  { name: 'matmul', form: 'pair', gradFn: 'MmBackward0' },
  { name: 'mm', form: 'pair', gradFn: 'MmBackward0' },
  { name: 'bmm', form: 'pair', gradFn: 'BmmBackward0' },
  { name: 'mv', form: 'pair', other: 'vec', gradFn: 'MvBackward0' },
  { name: 'dot', form: 'pair', gradFn: 'DotBackward0' },

  // ---- reductions ----
  { name: 'sum', form: 'reduction', options: ['dtype'], gradFn: 'SumBackward0' },
  { name: 'mean', form: 'reduction', options: ['dtype'], gradFn: 'MeanBackward0' },
  { name: 'max', form: 'custom', method: ['', 'dim: number, keepdim?: boolean', 'other: Tensor'],
    ret: [T, 'ValuesIndices', T], gradFn: 'MaxBackward1',
    doc: '`t.max(other)`: the elementwise maximum, as `torch.max(input, other)`.' },
  { name: 'min', form: 'custom', method: ['', 'dim: number, keepdim?: boolean', 'other: Tensor'],
    ret: [T, 'ValuesIndices', T], gradFn: 'MinBackward1' },
  { name: 'argmax', form: 'custom', method: ['dim?: number | null, keepdim?: boolean'] },
  { name: 'softmax', cpp: 'softmax', form: 'ints', args: [['dim', 'dim']], options: ['dtype'], gradFn: 'SoftmaxBackward0' },
  { name: 'logSoftmax', cpp: 'log_softmax', form: 'ints', args: [['dim', 'dim']], options: ['dtype'], gradFn: 'LogSoftmaxBackward0' },

  // ---- views ----
  { name: 'view', form: 'shape', view: true, gradFn: 'ViewBackward0' },
  { name: 'reshape', form: 'shape', view: true, gradFn: 'ViewBackward0' },
  { name: 'expand', form: 'shape', view: true, gradFn: 'ExpandBackward0' },
  { name: 'permute', form: 'shape', view: true, arg: 'dims', gradFn: 'PermuteBackward0' },
  { name: 'transpose', form: 'ints', view: true, args: [['dim0', 'dim0'], ['dim1', 'dim1']], gradFn: 'TransposeBackward0' },
  { name: 't', form: 'unary', view: true, gradFn: 'TBackward0',
    doc: 'The transpose of a tensor of at most 2 dimensions.',
    torchDoc: 'transpose(0, 1) of a matrix; a 0-d or 1-d tensor as it is (TBackward0).' },
  { name: 'squeeze', form: 'custom', view: true, method: ['dim?: number'], gradFn: 'SqueezeBackward0' },
  { name: 'unsqueeze', form: 'ints', view: true, args: [['dim', 'dim']], gradFn: 'UnsqueezeBackward0' },
  { name: 'narrow', form: 'ints', view: true, args: [['dim', 'dim'], ['start', 'start', undefined, 'int64'], ['length', 'length', undefined, 'int64']],
    gradFn: 'SliceBackward0' },
  { name: 'select', form: 'ints', view: true, args: [['dim', 'dim'], ['index', 'index', undefined, 'int64']], gradFn: 'SelectBackward0' },
  { name: 'flatten', form: 'ints', view: true, args: [['startDim', 'start_dim', 0], ['endDim', 'end_dim', -1]], gradFn: 'ViewBackward0' },

  // ---- in-place fills and copies ----
  { name: 'zero_', form: 'custom', method: [''], ret: ['this'], gradFn: 'ZeroBackward0' },
  { name: 'fill_', form: 'custom', method: ['value: Scalar | Tensor'], ret: ['this'], gradFn: 'FillBackward0' },
  { name: 'copy_', form: 'custom', method: ['src: Tensor'], ret: ['this'], gradFn: 'CopyBackwards' },

  // ---- elementwise, reductions and sampling for transformers (issue 14) ----
  { name: 'sin', form: 'unary', gradFn: 'SinBackward0' },
  { name: 'cos', form: 'unary', gradFn: 'CosBackward0' },
  { name: 'rsqrt', form: 'unary', gradFn: 'RsqrtBackward0' },
  { name: 'erf', form: 'unary', gradFn: 'ErfBackward0' },
  { name: 'silu', form: 'unary', gradFn: 'SiluBackward0' },
  { name: 'softplus', form: 'custom', method: ['beta?: number, threshold?: number', 'options: { beta?: number; threshold?: number }'],
    gradFn: 'SoftplusBackward0', doc: "torch.nn.functional.softplus(x, beta = 1, threshold = 20) as a method: log1p(exp(beta x)) / beta, x where beta x > threshold." },
  { name: 'var', form: 'custom', method: ['dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }'],
    gradFn: 'VarBackward0', options: ['out'],
    doc: 'Variance over dim (every dim without), divided by max(0, N - correction); correction defaults to 1 (unbiased: true), unbiased: false is correction 0.' },
  { name: 'std', form: 'custom', method: ['dim?: number | readonly number[] | null, options?: { correction?: number; unbiased?: boolean; keepdim?: boolean }'],
    gradFn: 'StdBackward0', options: ['out'] },
  { name: 'norm', form: 'custom', method: ['p?: number, dim?: number | readonly number[] | null, keepdim?: boolean'], gradFn: 'NormBackward1',
    doc: 'The vector p-norm over dim (every dim without): p = Infinity / -Infinity the largest / smallest |x|, 0 the count of nonzeros.' },
  { name: 'logsumexp', form: 'reduction', gradFn: 'LogsumexpBackward0', doc: 'log(sum(exp(x), dim)), computed stably; dim is required, as in PyTorch.' },
  { name: 'any', form: 'reduction', doc: 'Whether any element (over dim) is nonzero: a bool tensor.' },
  { name: 'all', form: 'reduction', doc: 'Whether every element (over dim) is nonzero: a bool tensor.' },
  { name: 'multinomial', form: 'custom', method: ['numSamples: number, replacement?: boolean'],
    doc: 'int32 indices drawn from the rows of a 1-D / 2-D tensor of (unnormalised) probabilities, as torch 1.13 draws them after the same torch.manualSeed.' },
  // ---- shape and ordering (issue 14) ----
  { name: 'tril', form: 'custom', method: ['diagonal?: number'], gradFn: 'TrilBackward0',
    doc: 'The lower (tril) / upper (triu) triangle of the last two dims, with the diagonal offset `diagonal`.' },
  { name: 'triu', form: 'custom', method: ['diagonal?: number'], gradFn: 'TriuBackward0' },
  { name: 'tril_', form: 'custom', functional: false, method: ['diagonal?: number'], ret: ['this'], gradFn: 'TrilBackward0' },
  { name: 'triu_', form: 'custom', functional: false, method: ['diagonal?: number'], ret: ['this'], gradFn: 'TriuBackward0' },
  { name: 'split', form: 'custom', view: true, method: ['splitSizeOrSections: number | readonly number[], dim?: number'], ret: [`${T}[]`],
    gradFn: 'SplitBackward0',
    doc: 'Views of pieces of `splitSize` (the last may be shorter) or of the given sizes along dim, outputs of one node (SplitBackward0 / SplitWithSizesBackward0): none may be modified in place while it requires grad.' },
  { name: 'chunk', form: 'custom', view: true, method: ['chunks: number, dim?: number'], ret: [`${T}[]`], gradFn: 'SplitBackward0' },
  { name: 'unbind', form: 'custom', view: true, method: ['dim?: number'], ret: [`${T}[]`], gradFn: 'UnbindBackward0' },
  { name: 'repeat', form: 'shape', arg: 'repeats', gradFn: 'RepeatBackward0' },
  { name: 'flip', form: 'shape', arg: 'dims', gradFn: 'FlipBackward0' },
  { name: 'roll', form: 'custom', method: ['shifts: number | readonly number[], dims?: number | readonly number[] | null'], gradFn: 'RollBackward0' },
  { name: 'cumsum', form: 'ints', args: [['dim', 'dim']], options: ['dtype'], gradFn: 'CumsumBackward0' },
  { name: 'sort', form: 'custom', method: ['dim?: number, descending?: boolean', 'options: { dim?: number; descending?: boolean; stable?: boolean | null }'],
    ret: ['ValuesIndices', 'ValuesIndices'], gradFn: 'SortBackward0',
    doc: "Values and int32 indices; ties come in PyTorch 1.13's CPU order (its sort is not stable), or in input order with `stable: true`." },
  { name: 'topk', form: 'custom', method: ['k: number, dim?: number, largest?: boolean, sorted?: boolean'], ret: ['ValuesIndices'], gradFn: 'TopkBackward0' },
  // ---- indexing (issue 14) ----
  { name: 'indexSelect', cpp: 'index_select', form: 'custom', method: ['dim: number, index: Tensor'], gradFn: 'IndexSelectBackward0',
    doc: 'The entries of `index` (int32, 0-d or 1-d) along `dim`.' },
  { name: 'gather', form: 'custom', method: ['dim: number, index: Tensor'], gradFn: 'GatherBackward0' },
  { name: 'scatter', form: 'custom', inplace: true, method: [`dim: number, index: Tensor, src: ${TS}`], gradFn: 'ScatterBackward0',
    doc: 'A number for `src` is torch\'s `scatter(dim, index, value)` (ScatterBackward1).' },
  { name: 'scatterAdd', cpp: 'scatter_add', form: 'custom', inplace: true, method: ['dim: number, index: Tensor, src: Tensor'],
    gradFn: 'ScatterAddBackward0' },
  { name: 'maskedFill', cpp: 'masked_fill', form: 'custom', inplace: true, method: [`mask: Tensor, value: ${TS}`],
    gradFn: 'MaskedFillBackward0', doc: '`value`: a number or a 0-d tensor (MaskedFillBackward1); `mask` is bool and broadcasts.' },
  { name: 'index', form: 'custom', method: ['...indices: TensorIndex[]'], gradFn: 'IndexBackward0',
    doc: "`t.index(...idx)` is Python's `t[idx]`: a number, `null` for `:`, `torch.slice(start, end, step)`, an int32 or bool tensor." },
  { name: 'indexPut_', cpp: 'index_put_', form: 'custom', method: [`indices: readonly TensorIndex[], value: ${TS}, options?: { accumulate?: boolean }`],
    ret: ['this'], gradFn: 'IndexPutBackward0',
    doc: "Python's `t[idx] = value`; `accumulate` adds at the indexed positions (index_put_'s accumulate)." },
  // ---- transposed convolution, BCE and autoencoder activations (issue 15) ----
  { name: 'leakyRelu', cpp: 'leaky_relu', form: 'floats', args: [['negativeSlope', 'negative_slope', 0.01]], inplace: true,
    gradFn: 'LeakyReluBackward0', doc: 'self > 0 ? self : self * negativeSlope (torch.nn.functional.leaky_relu); the in-place form needs negativeSlope >= 0 for its backward.' },
  { name: 'elu', form: 'floats', args: [['alpha', 'alpha', 1]], gradFn: 'EluBackward0',
    doc: 'self > 0 ? self : alpha * (exp(self) - 1) (torch.nn.functional.elu).' },
];
