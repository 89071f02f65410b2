// Nothing accepted and ignored (issue 18, Note [Options objects] in js/options.mjs): every
// public function and constructor that takes an options object is in the table below, and on
// both builds
//   - an unknown key throws an Error naming the key and the function,
//   - each keyword argument PyTorch has but webtorch does not implement throws, naming it,
//   - the same call with {} and with null (null means "not given") works.
// The table is checked for completeness: every class of torch.nn / torch.optim /
// torch.optim.lrScheduler, every function of torch.nn.functional / torch.nn.init /
// torch.autograd, every top-level torch function that is not a Tensor method, and every method
// of Module / Optimizer / LRScheduler is either in the table or listed as taking no options
// object. A new one makes this suite fail until it is classified.

import { load } from '../../dist/index.mjs';
import { builds } from './engines.mjs';

// PyTorch's keyword arguments that pick a device, layout or output buffer (webtorch has one
// device, strided tensors and fresh results), and those of module constructors.
const FACTORY_UNSUPPORTED = ['device', 'layout', 'pinMemory', 'memoryFormat', 'out', 'generator', 'names'];
const MODULE_UNSUPPORTED = ['device', 'dtype'];
const LEGACY_REDUCTION = ['sizeAverage', 'reduce'];
const UNKNOWN = 'bogusOption';

function errorOf(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

// Frees what a call returned (tensors, modules, optimizers, engines' promises are left alone).
function release(torch, v) {
  if (v === null || v === undefined || v instanceof Promise) return;
  if (v instanceof torch.nn.Module || v instanceof torch.optim.Optimizer) v.dispose();
  else if (typeof v === 'object') torch.dispose(v);
}

// A module (or optimizer) made by make(), then used by use(); freed if use throws.
function using(make, use) {
  const m = make();
  try {
    use(m);
  } catch (e) {
    m.dispose();
    throw e;
  }
  return m;
}

// [covers, name in messages, call(torch, options), unsupported PyTorch keys]
// `covers` is what the completeness check below looks for.
const TABLE = [
  // ---- loading ----
  ['load', 'load', (t, o) => load(o), []],
  // ---- factories ----
  ['torch.tensor', 'tensor', (t, o) => t.tensor([1.5, 2], o), FACTORY_UNSUPPORTED],
  ['torch.tensor (TypedArray)', 'tensor', (t, o) => t.tensor(new Float32Array(4), o), FACTORY_UNSUPPORTED],
  ['torch.zeros', 'zeros', (t, o) => t.zeros([2], o), FACTORY_UNSUPPORTED],
  ['torch.zeros (varargs)', 'zeros', (t, o) => t.zeros(2, 3, o), FACTORY_UNSUPPORTED],
  ['torch.ones', 'ones', (t, o) => t.ones([2], o), FACTORY_UNSUPPORTED],
  ['torch.empty', 'empty', (t, o) => t.empty([2], o), FACTORY_UNSUPPORTED],
  ['torch.full', 'full', (t, o) => t.full([2], 1.5, o), FACTORY_UNSUPPORTED],
  ['torch.arange', 'arange', (t, o) => t.arange(0, 3, 1, o), FACTORY_UNSUPPORTED],
  ['torch.eye', 'eye', (t, o) => t.eye(2, o), FACTORY_UNSUPPORTED],
  ['torch.rand', 'rand', (t, o) => t.rand([2], o), FACTORY_UNSUPPORTED],
  ['torch.randn', 'randn', (t, o) => t.randn([2], o), FACTORY_UNSUPPORTED],
  ['torch.zerosLike', 'zerosLike', (t, o) => t.zerosLike(t.ones([2]), o), FACTORY_UNSUPPORTED],
  ['torch.onesLike', 'onesLike', (t, o) => t.onesLike(t.ones([2]), o), FACTORY_UNSUPPORTED],
  ['torch.fullLike', 'fullLike', (t, o) => t.fullLike(t.ones([2]), 2, o), FACTORY_UNSUPPORTED],
  ['torch.randLike', 'randLike', (t, o) => t.randLike(t.ones([2]), o), FACTORY_UNSUPPORTED],
  ['torch.randnLike', 'randnLike', (t, o) => t.randnLike(t.ones([2]), o), FACTORY_UNSUPPORTED],
  ['torch.loadSafetensors', 'loadSafetensors', (t, o) => t.loadSafetensors(t.saveSafetensors({ w: t.ones([2]) }), o), []],
  ['torch.loadSafetensorsModel', 'loadSafetensorsModel', (t, o) => using(() => new t.nn.Linear(2, 2),
    (m) => t.loadSafetensorsModel(m, t.saveSafetensors(m), o)), ['device']],
  ['torch.safetensorsHeader', 'safetensorsHeader', (t, o) => t.safetensorsHeader(t.saveSafetensors({ w: t.ones([2]) }), o), []],
  ['torch.saveSafetensors', 'saveSafetensors', (t, o) => t.saveSafetensors({ w: t.ones([2]) }, null, o), []],
  ['torch._tensorFromText', '_tensorFromText', (t, o) => t._tensorFromText('[1.5]', o), []],
  // ---- Tensor methods (and their torch.NAME forms) ----
  ['Tensor.add', 'add', (t, o) => t.ones([2]).add(t.ones([2]), o), ['out']],
  ['torch.add', 'add', (t, o) => t.add(t.ones([2]), t.ones([2]), o), ['out']],
  ['Tensor.add_', 'add_', (t, o) => t.ones([2]).add_(1, o), ['out']],
  ['Tensor.sub', 'sub', (t, o) => t.ones([2]).sub(1, o), ['out']],
  ['Tensor.sub_', 'sub_', (t, o) => t.ones([2]).sub_(t.ones([2]), o), ['out']],
  ['Tensor.sum', 'sum', (t, o) => t.ones([2, 2]).sum(0, false, o), ['dtype']],
  ['Tensor.mean', 'mean', (t, o) => t.ones([2, 2]).mean(0, true, o), ['dtype']],
  ['Tensor.softmax', 'softmax', (t, o) => t.ones([2]).softmax(0, o), ['dtype']],
  ['Tensor.logSoftmax', 'logSoftmax', (t, o) => t.ones([2]).logSoftmax(0, o), ['dtype']],
  ['Tensor.cumsum', 'cumsum', (t, o) => t.ones([2]).cumsum(0, o), ['dtype']],
  ['Tensor.sort', 'sort', (t, o) => t.ones([3]).sort({ dim: 0, ...o }), ['out']],
  ['Tensor.clamp', 'clamp', (t, o) => t.ones([2]).clamp({ min: 0, ...o }), ['out']],
  ['Tensor.clamp_', 'clamp_', (t, o) => t.ones([2]).clamp_({ max: 1, ...o }), ['out']],
  ['Tensor.to', 'to', (t, o) => t.ones([2]).to({ dtype: 'int32', ...o }), ['device', 'nonBlocking', 'copy', 'memoryFormat']],
  ['Tensor.indexPut_', 'indexPut_', (t, o) => t.zeros([3]).indexPut_([t.tensor(Int32Array.from([0]))], 1, o), []],
  ['Tensor.backward', 'backward', (t, o) => t.ones([2], { requiresGrad: true }).mul(2).sum().backward(undefined, o), []],
  ['Tensor.backward (options first)', 'backward', (t, o) => t.ones([2], { requiresGrad: true }).mul(2).sum().backward({ ...o }), []],
  // ---- autograd ----
  ['autograd.backward', 'backward', (t, o) => t.autograd.backward(t.ones([2], { requiresGrad: true }).sum(), null, o), []],
  ['autograd.grad', 'autograd.grad', (t, o) => {
    const x = t.ones([2], { requiresGrad: true });
    return t.autograd.grad([x.mul(2).sum()], [x], null, o);
  }, ['isGradsBatched', 'onlyInputs']],
  ['autograd.grad (no gradOutputs)', 'autograd.grad', (t, o) => {
    const x = t.ones([2], { requiresGrad: true });
    return t.autograd.grad(x.mul(2).sum(), x, { ...o });
  }, ['isGradsBatched', 'onlyInputs']],
  ['autograd.Function', 'autograd.Function', (t, o) => t.autograd.Function({ forward: (ctx, a) => a.mul(2), backward: (ctx, g) => g.mul(2), ...o }),
    ['setupContext', 'jvp', 'vmap']],
  ['autograd.gradcheck', 'autograd.gradcheck', (t, o) => t.autograd.gradcheck((a) => a.mul(2), [t.ones([2], { requiresGrad: true })], o),
    ['checkSparseNnz', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes', 'checkBatchedGrad', 'checkBatchedForwardGrad', 'checkForwardAd', 'checkBackwardAd', 'fastMode']],
  ['autograd.gradgradcheck', 'autograd.gradgradcheck', (t, o) => t.autograd.gradgradcheck((a) => a.mul(a), [t.ones([2], { requiresGrad: true })], null, o),
    ['genNonContigGradOutputs', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes', 'checkBatchedGrad', 'checkFwdOverRev', 'checkRevOverRev', 'fastMode']],
  ['autograd.detectAnomaly', 'detectAnomaly', (t, o) => t.autograd.detectAnomaly(() => 1, o), []],
  ['autograd.setDetectAnomaly', 'setDetectAnomaly', (t, o) => t.autograd.setDetectAnomaly(false, o), []],
  ['autograd.setDetectAnomaly (scoped)', 'setDetectAnomaly', (t, o) => t.autograd.setDetectAnomaly(true, () => 1, o), []],
  ['autograd.functional.jacobian', 'autograd.functional.jacobian', (t, o) => t.autograd.functional.jacobian((a) => a.mul(a), t.ones([2]), o), ['strict', 'vectorize', 'strategy']],
  ['autograd.functional.hessian', 'autograd.functional.hessian', (t, o) => t.autograd.functional.hessian((a) => a.mul(a).sum(), t.ones([2]), o), ['strict', 'vectorize', 'outerJacobianStrategy']],
  ['autograd.functional.vjp', 'autograd.functional.vjp', (t, o) => t.autograd.functional.vjp((a) => a.mul(a), t.ones([2]), t.ones([2]), o), ['strict']],
  ['autograd.functional.jvp', 'autograd.functional.jvp', (t, o) => t.autograd.functional.jvp((a) => a.mul(a), t.ones([2]), t.ones([2]), o), ['strict']],
  ['autograd.functional.vhp', 'autograd.functional.vhp', (t, o) => t.autograd.functional.vhp((a) => a.mul(a).sum(), t.ones([2]), t.ones([2]), o), ['strict']],
  ['autograd.functional.hvp', 'autograd.functional.hvp', (t, o) => t.autograd.functional.hvp((a) => a.mul(a).sum(), t.ones([2]), t.ones([2]), o), ['strict']],
  // ---- nn modules ----
  ['nn.Parameter', 'Parameter', (t, o) => t.nn.Parameter(t.ones([2]), o), []],
  ['nn.Identity', 'Identity', (t, o) => new t.nn.Identity(o), []],
  ['nn.Linear', 'Linear', (t, o) => new t.nn.Linear(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.Conv2d', 'Conv2d', (t, o) => new t.nn.Conv2d(2, 4, 3, o), MODULE_UNSUPPORTED],
  ['nn.ReLU', 'ReLU', (t, o) => new t.nn.ReLU(o), []],
  ['nn.Sigmoid', 'Sigmoid', (t, o) => new t.nn.Sigmoid(o), []],
  ['nn.Tanh', 'Tanh', (t, o) => new t.nn.Tanh(o), []],
  ['nn.GELU', 'GELU', (t, o) => new t.nn.GELU(o), []],
  ['nn.Softmax', 'Softmax', (t, o) => new t.nn.Softmax({ dim: 0, ...o }), []],
  ['nn.LogSoftmax', 'LogSoftmax', (t, o) => new t.nn.LogSoftmax({ dim: 0, ...o }), []],
  ['nn.Dropout', 'Dropout', (t, o) => new t.nn.Dropout(0.5, o), []],
  ['nn.Dropout (options only)', 'Dropout', (t, o) => new t.nn.Dropout({ p: 0.5, ...o }), []],
  ['nn.Flatten', 'Flatten', (t, o) => new t.nn.Flatten({ ...o }), []],
  ['nn.MSELoss', 'MSELoss', (t, o) => new t.nn.MSELoss(o), LEGACY_REDUCTION],
  ['nn.ConvTranspose2d', 'ConvTranspose2d', (t, o) => new t.nn.ConvTranspose2d(2, 4, 3, o), MODULE_UNSUPPORTED],
  ['nn.BCELoss', 'BCELoss', (t, o) => new t.nn.BCELoss(o), LEGACY_REDUCTION],
  ['nn.BCEWithLogitsLoss', 'BCEWithLogitsLoss', (t, o) => new t.nn.BCEWithLogitsLoss(o), LEGACY_REDUCTION],
  ['nn.LeakyReLU', 'LeakyReLU', (t, o) => new t.nn.LeakyReLU(o), []],
  ['nn.ELU', 'ELU', (t, o) => new t.nn.ELU(o), ['inplace']],
  ['nn.CrossEntropyLoss', 'CrossEntropyLoss', (t, o) => new t.nn.CrossEntropyLoss(o), LEGACY_REDUCTION],
  ['nn.NLLLoss', 'NLLLoss', (t, o) => new t.nn.NLLLoss(o), LEGACY_REDUCTION],
  ['nn.RNN', 'RNN', (t, o) => new t.nn.RNN(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.LSTM', 'LSTM', (t, o) => new t.nn.LSTM(2, 3, o), [...MODULE_UNSUPPORTED, 'projSize']],
  ['nn.GRU', 'GRU', (t, o) => new t.nn.GRU(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.RNNCell', 'RNNCell', (t, o) => new t.nn.RNNCell(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.LSTMCell', 'LSTMCell', (t, o) => new t.nn.LSTMCell(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.GRUCell', 'GRUCell', (t, o) => new t.nn.GRUCell(2, 3, o), MODULE_UNSUPPORTED],
  ['nn.BatchNorm1d', 'BatchNorm1d', (t, o) => new t.nn.BatchNorm1d(3, o), MODULE_UNSUPPORTED],
  ['nn.BatchNorm2d', 'BatchNorm2d', (t, o) => new t.nn.BatchNorm2d(3, o), MODULE_UNSUPPORTED],
  ['nn.MaxPool2d', 'MaxPool2d', (t, o) => new t.nn.MaxPool2d(2, o), []],
  ['nn.AvgPool2d', 'AvgPool2d', (t, o) => new t.nn.AvgPool2d(2, o), []],
  ['nn.AdaptiveAvgPool2d', 'AdaptiveAvgPool2d', (t, o) => new t.nn.AdaptiveAvgPool2d(2, o), []],
  // ---- transformer layers (issue 14) ----
  ['nn.Embedding', 'Embedding', (t, o) => new t.nn.Embedding(4, 2, o), ['maxNorm', 'normType', 'scaleGradByFreq', 'sparse', ...MODULE_UNSUPPORTED]],
  ['nn.LayerNorm', 'LayerNorm', (t, o) => new t.nn.LayerNorm(3, o), MODULE_UNSUPPORTED],
  ['nn.MultiheadAttention', 'MultiheadAttention', (t, o) => new t.nn.MultiheadAttention(4, 2, o), ['addBiasKv', 'addZeroAttn', ...MODULE_UNSUPPORTED]],
  ['F.embedding', 'embedding', (t, o) => t.nn.functional.embedding(t.tensor(Int32Array.from([0, 1])), t.ones([2, 2]), o), ['maxNorm', 'normType', 'scaleGradByFreq', 'sparse']],
  ['F.layerNorm', 'layerNorm', (t, o) => t.nn.functional.layerNorm(t.ones([2, 3]), [3], o), []],
  ['F.scaledDotProductAttention', 'scaledDotProductAttention', (t, o) => t.nn.functional.scaledDotProductAttention(t.ones([2, 3]), t.ones([2, 3]), t.ones([2, 3]), o), ['scale']],
  // ---- Module methods ----
  ['Module.registerBuffer', 'registerBuffer', (t, o) => using(() => new t.nn.Identity(), (m) => m.registerBuffer('b', t.zeros([1]), o)), []],
  ['Module.namedModules', 'namedModules', (t, o) => new t.nn.Identity().namedModules('', o), ['memo']],
  ['Module.zeroGrad', 'zeroGrad', (t, o) => using(() => new t.nn.Linear(2, 2), (m) => m.zeroGrad(o)), []],
  ['Module.stateDict', 'stateDict', (t, o) => using(() => new t.nn.Linear(2, 2), (m) => t.dispose(m.stateDict(o))), ['destination']],
  ['Module.loadStateDict', 'loadStateDict', (t, o) => using(() => new t.nn.Linear(2, 2), (m) => m.loadStateDict(m.stateDict(), o)), ['assign']],
  // ---- nn.functional ----
  ['F.relu', 'relu', (t, o) => t.nn.functional.relu(t.ones([2]), o), []],
  ['F.softmax', 'softmax', (t, o) => t.nn.functional.softmax(t.ones([2]), 0, o), ['dtype']],
  ['F.softmax (options only)', 'softmax', (t, o) => t.nn.functional.softmax(t.ones([2]), { dim: 0, ...o }), ['dtype']],
  ['F.logSoftmax', 'logSoftmax', (t, o) => t.nn.functional.logSoftmax(t.ones([2]), 0, o), ['dtype']],
  ['F.conv2d', 'conv2d', (t, o) => t.nn.functional.conv2d(t.ones([1, 1, 3, 3]), t.ones([1, 1, 2, 2]), null, o), []],
  ['F.conv2d (bias in options)', 'conv2d', (t, o) => t.nn.functional.conv2d(t.ones([1, 1, 3, 3]), t.ones([1, 1, 2, 2]), { ...o }), []],
  ['F.mseLoss', 'mseLoss', (t, o) => t.nn.functional.mseLoss(t.ones([2]), t.zeros([2]), o), LEGACY_REDUCTION],
  ['F.nllLoss', 'nllLoss', (t, o) => t.nn.functional.nllLoss(t.ones([2, 3]), t.tensor(Int32Array.from([0, 2])), o), LEGACY_REDUCTION],
  ['F.crossEntropy', 'crossEntropy', (t, o) => t.nn.functional.crossEntropy(t.ones([2, 3]), t.tensor(Int32Array.from([0, 2])), o), LEGACY_REDUCTION],
  ['F.dropout', 'dropout', (t, o) => t.nn.functional.dropout(t.ones([2]), { ...o }), []],
  // ---- issue 14: elementwise, reductions and sampling ----
  ['torch.randint', 'randint', (t, o) => t.randint(0, 3, [2], o), FACTORY_UNSUPPORTED],
  ['torch.randperm', 'randperm', (t, o) => t.randperm(3, o), FACTORY_UNSUPPORTED],
  ['Tensor.var', 'var', (t, o) => t.ones([2, 2]).var(0, o), ['out']],
  ['Tensor.std', 'std', (t, o) => t.ones([2, 2]).std(null, o), ['out']],
  ['Tensor.gelu', 'gelu', (t, o) => t.ones([2]).gelu(o), []],
  ['Tensor.softplus', 'softplus', (t, o) => t.ones([2]).softplus(o), []],
  ['F.gelu', 'gelu', (t, o) => t.nn.functional.gelu(t.ones([2]), o), []],
  ['F.silu', 'silu', (t, o) => t.nn.functional.silu(t.ones([2]), o), []],
  ['F.softplus', 'softplus', (t, o) => t.nn.functional.softplus(t.ones([2]), o), []],
  ['nn.SiLU', 'SiLU', (t, o) => new t.nn.SiLU(o), []],
  ['F.convTranspose2d', 'convTranspose2d', (t, o) => t.nn.functional.convTranspose2d(t.ones([1, 1, 3, 3]), t.ones([1, 1, 2, 2]), null, o), []],
  ['F.convTranspose2d (bias in options)', 'convTranspose2d', (t, o) => t.nn.functional.convTranspose2d(t.ones([1, 1, 3, 3]), t.ones([1, 1, 2, 2]), { ...o }), []],
  ['F.binaryCrossEntropy', 'binaryCrossEntropy', (t, o) => t.nn.functional.binaryCrossEntropy(t.full([2], 0.5), t.zeros([2]), o), LEGACY_REDUCTION],
  ['F.binaryCrossEntropyWithLogits', 'binaryCrossEntropyWithLogits', (t, o) => t.nn.functional.binaryCrossEntropyWithLogits(t.ones([2]), t.zeros([2]), o),
    LEGACY_REDUCTION],
  ['F.leakyRelu', 'leakyRelu', (t, o) => t.nn.functional.leakyRelu(t.ones([2]), o), []],
  ['F.elu', 'elu', (t, o) => t.nn.functional.elu(t.ones([2]), o), ['inplace']],
  ['F.batchNorm', 'batchNorm', (t, o) => t.nn.functional.batchNorm(t.ones([2, 3]), null, null, { training: true, ...o }), []],
  ['F.maxPool2d', 'maxPool2d', (t, o) => t.nn.functional.maxPool2d(t.ones([1, 4, 4]), 2, o), []],
  ['F.avgPool2d', 'avgPool2d', (t, o) => t.nn.functional.avgPool2d(t.ones([1, 4, 4]), 2, o), []],
  ['F.adaptiveAvgPool2d', 'adaptiveAvgPool2d', (t, o) => t.nn.functional.adaptiveAvgPool2d(t.ones([1, 4, 4]), 2, o), []],
  // ---- nn.init ----
  ['init.kaimingUniform_', 'kaimingUniform_', (t, o) => t.nn.init.kaimingUniform_(t.ones([2, 2]), o), []],
  ['init.kaimingNormal_', 'kaimingNormal_', (t, o) => t.nn.init.kaimingNormal_(t.ones([2, 2]), o), []],
  ['init.xavierUniform_', 'xavierUniform_', (t, o) => t.nn.init.xavierUniform_(t.ones([2, 2]), { ...o }), []],
  ['init.xavierNormal_', 'xavierNormal_', (t, o) => t.nn.init.xavierNormal_(t.ones([2, 2]), { ...o }), []],
  // ---- optim ----
  ['optim.SGD', 'SGD', (t, o) => new t.optim.SGD([t.ones([2], { requiresGrad: true })], { lr: 0.1, ...o }), ['foreach', 'differentiable']],
  ['optim.SGD param group', 'SGD', (t, o) => new t.optim.SGD([{ params: [t.ones([2], { requiresGrad: true })], ...o }], { lr: 0.1 }), ['foreach', 'differentiable']],
  ['optim.Adam', 'Adam', (t, o) => new t.optim.Adam([t.ones([2], { requiresGrad: true })], o), ['foreach', 'capturable', 'differentiable', 'fused']],
  ['optim.Adam param group', 'Adam', (t, o) => new t.optim.Adam([{ params: [t.ones([2], { requiresGrad: true })], ...o }]),
    ['foreach', 'capturable', 'differentiable', 'fused']],
  ['utils.clipGradNorm_', 'clipGradNorm_', (t, o) => t.nn.utils.clipGradNorm_([t.ones([2], { requiresGrad: true })], 1, o), ['foreach']],
  ['optim.AdamW', 'AdamW', (t, o) => new t.optim.AdamW([t.ones([2], { requiresGrad: true })], o), ['foreach', 'capturable']],
  ['optim.AdamW param group', 'AdamW', (t, o) => new t.optim.AdamW([{ params: [t.ones([2], { requiresGrad: true })], ...o }]),
    ['foreach', 'capturable']],
  ['Optimizer.addParamGroup', 'Adam', (t, o) => using(() => new t.optim.Adam([t.ones([2], { requiresGrad: true })]),
    (opt) => opt.addParamGroup({ params: [t.ones([2], { requiresGrad: true })], ...o })), ['foreach', 'capturable', 'differentiable', 'fused']],
  ['Optimizer.zeroGrad', 'zeroGrad', (t, o) => using(() => new t.optim.SGD([t.ones([2], { requiresGrad: true })], { lr: 0.1 }), (opt) => opt.zeroGrad(o)), []],
  // ---- lr schedulers ----
  ...[
    ['StepLR', (S, opt, o) => new S.StepLR(opt, 2, o)],
    ['MultiStepLR', (S, opt, o) => new S.MultiStepLR(opt, [1, 2], o)],
    ['ExponentialLR', (S, opt, o) => new S.ExponentialLR(opt, 0.9, o)],
    ['CosineAnnealingLR', (S, opt, o) => new S.CosineAnnealingLR(opt, 10, o)],
    ['LambdaLR', (S, opt, o) => new S.LambdaLR(opt, (e) => 0.5 ** e, o)],
  ].map(([name, make]) => [`lrScheduler.${name}`, name, (t, o) => {
    const opt = new t.optim.SGD([t.ones([2], { requiresGrad: true })], { lr: 0.1 });
    try {
      make(t.optim.lrScheduler, opt, o);
    } finally {
      opt.dispose();
    }
  }, ['verbose']]),
];

// Public functions that take no options object, each with why.
const NO_OPTIONS = {
  nn: ['Module', 'functional', 'init', 'utils',
    'Sequential', // a plain object argument is PyTorch's OrderedDict of named modules
    'ModuleList', // an iterable of modules
    'ModuleDict'], // a plain object argument is PyTorch's mapping of named modules
  'nn.utils': ['clipGradValue_'], // (parameters, clipValue): no keyword arguments in PyTorch 1.13
  'nn.functional': ['linear'], // (input, weight, bias): no keyword arguments in PyTorch either
  'nn.init': ['calculateGain', 'calculateFanInAndFanOut', 'uniform_', 'normal_', 'constant_', 'zeros_', 'ones_'], // positional numbers, type-checked
  optim: ['Optimizer', 'lrScheduler', 'lr_scheduler'], // the base class (its defaults come from subclasses), and the namespaces
  'optim.lrScheduler': ['LRScheduler'], // the base class
  autograd: ['functional', // a namespace: its functions have rows above
    'isAnomalyEnabled', 'isAnomalyCheckNanEnabled'], // flags
  // Top-level functions that are not Tensor methods: modes, lifetime, joining, weights, seed.
  torch: ['Tensor', 'noGrad', 'enableGrad', 'setGradEnabled', 'inferenceMode', 'isGradEnabled', 'isInferenceModeEnabled',
    'modeStack', 'functionForward', 'inBackward', 'tidy', 'keep', 'memory', 'isTensor', 'diagnostics', 'manualSeed',
    'slice', // t.index(...)'s start:end:step (issue 14): positional numbers
    'cat', 'concat', 'stack'],
  Module: ['constructor', 'forward', 'call', 'registerFullBackwardHook', 'registerForwardHook', 'registerForwardPreHook', 'registerParameter', 'registerModule',
    'addModule', 'namedChildren', 'children', 'modules', 'namedParameters', 'parameters', 'namedBuffers', 'buffers', 'apply',
    'getSubmodule', 'train', 'eval', 'requiresGrad_', 'dispose', '_getName', 'extraRepr', 'toString'],
  Optimizer: ['constructor', 'validateGroup', 'step', '_stateOf', 'stateDict', 'loadStateDict', 'dispose'],
  LRScheduler: ['constructor', '_initialStep', 'getLr', 'step', 'getLastLr', 'stateDict', 'loadStateDict'],
};

// torch.embedding / torch.layerNorm (the ops under F.embedding / F.layerNorm): positional, as
// torch.embedding and torch.layer_norm are.
NO_OPTIONS.torch.push('embedding', 'layerNorm');

const covered = new Set(TABLE.map(([covers]) => covers.replace(/ \(.*\)$/, '').replace(/ param group$/, '')));

describe.each(builds)('options objects on the %s build', (backend, loadBuild) => {
  let torch;
  beforeAll(async () => {
    torch = await loadBuild();
  });

  // Tensors made by a call that throws are freed by tidy too.
  const run = (call, o) => torch.tidy(() => release(torch, call(torch, o)));

  test.each(TABLE.map((row) => [row[0], row]))('%s: {} and null work; unknown and unsupported keys throw naming them', (label, [, name, call, unsupported]) => {
    const before = torch.memory().tensors;
    expect(() => run(call, {})).not.toThrow();
    expect(() => run(call, null)).not.toThrow();
    const unknown = errorOf(() => run(call, { [UNKNOWN]: 1 }));
    expect(unknown).toBeInstanceOf(Error);
    expect(unknown.message).toContain(`${name}(): unexpected option '${UNKNOWN}'`);
    for (const key of unsupported) {
      const e = errorOf(() => run(call, { [key]: true }));
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toBe(`${name}(): option '${key}' is not supported by webtorch`);
      expect(() => run(call, { [key]: null })).not.toThrow(); // null: not given
    }
    expect(torch.memory().tensors).toBe(before);
  });

  test('the table covers every public function and class that takes options', () => {
    const P = torch.Tensor.prototype;
    const groups = {
      nn: Object.keys(torch.nn).map((k) => [k, `nn.${k}`]),
      'nn.functional': Object.keys(torch.nn.functional).map((k) => [k, `F.${k}`]),
      'nn.init': Object.keys(torch.nn.init).map((k) => [k, `init.${k}`]),
      'nn.utils': Object.keys(torch.nn.utils).map((k) => [k, `utils.${k}`]),
      optim: Object.keys(torch.optim).map((k) => [k, `optim.${k}`]),
      'optim.lrScheduler': Object.keys(torch.optim.lrScheduler).map((k) => [k, `lrScheduler.${k}`]),
      autograd: Object.keys(torch.autograd).map((k) => [k, `autograd.${k}`]),
      torch: Object.keys(torch).filter((k) => typeof torch[k] === 'function' && !(k in P)).map((k) => [k, `torch.${k}`]),
      Module: Object.getOwnPropertyNames(torch.nn.Module.prototype).map((k) => [k, `Module.${k}`]),
      Optimizer: Object.getOwnPropertyNames(torch.optim.Optimizer.prototype).map((k) => [k, `Optimizer.${k}`]),
      LRScheduler: Object.getOwnPropertyNames(torch.optim.lrScheduler.LRScheduler.prototype).map((k) => [k, `LRScheduler.${k}`]),
    };
    const missing = [];
    for (const [group, names] of Object.entries(groups))
      for (const [k, label] of names) if (!covered.has(label) && !NO_OPTIONS[group].includes(k)) missing.push(label);
    expect(missing).toEqual([]);
  });

  test('a misspelt snake_case key names the camelCase one', () => {
    const p = torch.ones([2], { requiresGrad: true });
    expect(errorOf(() => new torch.optim.Adam([p], { weight_decay: 0.1 })).message).toBe("Adam(): unexpected option 'weight_decay' (did you mean 'weightDecay'?)");
    expect(errorOf(() => torch.zeros([2], { requires_grad: true })).message).toBe("zeros(): unexpected option 'requires_grad' (did you mean 'requiresGrad'?)");
    p.dispose();
  });

  test('values of the wrong type are refused, naming the key', () => {
    const p = torch.ones([2], { requiresGrad: true });
    expect(errorOf(() => new torch.nn.Linear(2, 3, { bias: 1 })).message).toBe("Linear(): option 'bias' must be a boolean, got number 1");
    expect(errorOf(() => torch.zeros([2], { requiresGrad: 'yes' })).message).toBe("zeros(): option 'requiresGrad' must be a boolean, got string yes");
    expect(errorOf(() => new torch.optim.SGD([p], { lr: '0.1' })).message).toBe("SGD(): option 'lr' must be a number, got string 0.1");
    expect(errorOf(() => new torch.optim.SGD([{ params: [p], momentum: '0.9' }], { lr: 0.1 })).message).toBe("SGD(): option 'momentum' must be a number, got string 0.9");
    expect(errorOf(() => p.sum().backward({ retainGraph: 1 })).message).toBe("backward(): option 'retainGraph' must be a boolean, got number 1");
    expect(errorOf(() => torch.autograd.grad(p.sum(), p, null, { allowUnused: 'yes' })).message).toBe("autograd.grad(): option 'allowUnused' must be a boolean, got string yes");
    expect(errorOf(() => new torch.nn.Linear(2, 3, 'bias')).message).toBe('Linear(): expected an options object, got string bias');
    expect(errorOf(() => new torch.nn.Sigmoid(3)).message).toBe('Sigmoid(): unexpected argument number 3');
    p.dispose();
  });

  test('null means "not given"', () => {
    const lin = new torch.nn.Linear(2, 3, { bias: null });
    expect(lin.bias).not.toBeNull();
    lin.dispose();
    const p = torch.ones([2], { requiresGrad: true });
    const sgd = new torch.optim.SGD([p], { lr: 0.1, momentum: null, nesterov: null });
    expect(sgd.paramGroups[0].momentum).toBe(0);
    expect(sgd.paramGroups[0].nesterov).toBe(false);
    const t = torch.zeros([2], { dtype: null, requiresGrad: null });
    expect([t.dtype, t.requiresGrad]).toEqual(['float32', false]);
    torch.dispose([p, t]);
  });

  test('createGraph is taken by both forms; retainGraph defaults to it', () => {
    const x = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(x).sum();
    const [g] = torch.autograd.grad([y], [x], { createGraph: true });
    expect(g.gradFn).not.toBeNull();
    const [g2] = torch.autograd.grad([y], [x], null, { createGraph: false }); // graph retained
    expect(g2.gradFn).toBeNull();
    expect(errorOf(() => y.backward({ createGraph: false })).message).toMatch(/^Trying to backward through the graph a second time/);
    expect(errorOf(() => y.backward({ createGraph: 1 })).message).toMatch(/createGraph/);
    torch.dispose([x, y, g, g2]);
  });

  test("backward's inputs is used (tests/js/backward_inputs.test.mjs), a wrong one refused before anything changes", () => {
    const x = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const w = torch.tensor([3, 4], { dtype: 'float32', requiresGrad: true });
    const y = x.mul(w).sum();
    expect(errorOf(() => y.backward({ inputs: 5 })).message).toBe("backward(): option 'inputs' must be a Tensor or an array of Tensors, got number 5");
    expect([x.grad, w.grad]).toEqual([null, null]);
    y.backward({ inputs: [x] });
    expect([x.grad.tolist(), w.grad]).toEqual([[3, 4], null]);
    torch.dispose([x, w, y]);
  });

  test('allowUnused: null for an unused input, else torch\'s text', () => {
    const a = torch.ones([2], { requiresGrad: true });
    const b = torch.ones([2], { requiresGrad: true });
    const y = a.mul(2).sum();
    expect(errorOf(() => torch.autograd.grad([y], [a, b], null, { retainGraph: true })).message).toBe(
      'One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
    const [ga, gb] = torch.autograd.grad([y], [a, b], null, { allowUnused: true });
    expect(Array.from(ga.data())).toEqual([2, 2]);
    expect(gb).toBeNull();
    torch.dispose([a, b, y, ga]);
  });

  test('registerBuffer(name, t, { persistent: false }) keeps the buffer out of stateDict', () => {
    const m = new torch.nn.Identity();
    m.registerBuffer('kept', torch.zeros([1]));
    m.registerBuffer('scratch', torch.zeros([1]), { persistent: false });
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['kept']);
    torch.dispose(sd);
    m.dispose();
  });

  test("an optimizer state dict's implementation switches: off is kept, on is refused", () => {
    const p = torch.ones([2], { requiresGrad: true });
    const opt = new torch.optim.Adam([p]);
    // As PyTorch 1.13.1 writes Adam's param_groups.
    const group = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false,
      foreach: null, capturable: false, differentiable: false, fused: false, params: [0] };
    opt.loadStateDict({ state: {}, param_groups: [group] });
    expect(opt.paramGroups[0].lr).toBe(0.01);
    expect(errorOf(() => opt.loadStateDict({ state: {}, param_groups: [{ ...group, lr: 0.5, fused: true }] })).message).toBe(
      'loadStateDict(): paramGroups[0] has fused: true, an option not supported by webtorch',
    );
    expect(errorOf(() => opt.loadStateDict({ state: {}, param_groups: [{ ...group, lr: '0.5' }] })).message).toBe(
      "Adam(): option 'lr' must be a number, got string 0.5",
    );
    expect(opt.paramGroups[0].lr).toBe(0.01); // refused before anything changed
    opt.dispose();
    p.dispose();
  });

  // README, "Differences from PyTorch": PyTorch's Identity accepts and ignores any argument.
  test('nn.Identity refuses arguments instead of ignoring them', () => {
    expect(errorOf(() => new torch.nn.Identity(54)).message).toBe('Identity(): unexpected argument number 54');
    expect(errorOf(() => new torch.nn.Identity({ unusedArgument1: 0.1 })).message).toBe("Identity(): unexpected option 'unusedArgument1' (it takes no options)");
    new torch.nn.Identity().dispose();
  });

  test('GELU: the exact form only', () => {
    new torch.nn.GELU({ approximate: 'none' }).dispose();
    new torch.nn.GELU({ approximate: 'tanh' }).dispose(); // issue 14: the tanh approximation
    expect(errorOf(() => new torch.nn.GELU({ approximate: 'fast' })).message).toBe('approximate argument must be either none or tanh.');
  });

  test('threads: one thread unless asked; the scalar build falls back with the reason', async () => {
    expect(torch.threads).toBe(1);
    expect(torch.threadsUnavailableReason).toBe(null);
    const same = await (backend === 'wasm' ? load({ simd: false, threads: 1 }) : load({ threads: 1 }));
    expect(same).toBe(torch);
    // API.md: where threads cannot be had, one thread and the reason (tests/js/threads.test.mjs
    // covers the threaded engine itself).
    if (backend === 'wasm') {
      const fallback = await load({ simd: false, threads: 2 });
      expect(fallback.threads).toBe(1);
      expect(fallback.threadsUnavailableReason).toMatch(/no threaded build/);
    }
    expect(errorOf(() => load({ threads: 65 })).message).toMatch(/^load\(\): option 'threads' is 65, more than the 64 threads/);
    for (const threads of [0, -1, 1.5, '2', true])
      expect(errorOf(() => load({ threads })).message).toMatch(/^load\(\): option 'threads' must be a positive integer or 'auto'/);
  });
});
