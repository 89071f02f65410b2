// Compiled (tsc --noEmit) against the packed package under moduleResolution node16 and
// bundler: every line uses the API.md surface the way a TypeScript user would, and the lines
// marked as expected errors must fail, so the typings are precise, not `any`.
import { load, version, type Tensor, type Torch, type ValuesIndices, type nn, type optim } from 'webtorch';
import loadDefault from 'webtorch';

const torch: Torch = await load();
const scalar: Torch = await loadDefault({ simd: false });
const v: string = version === torch.version ? torch.version : scalar.version;
const backend: 'wasm-simd' | 'wasm' = torch.backend;
void backend;
void v;

// Factories and properties.
const x: Tensor = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32', requiresGrad: true });
const f32 = torch.tensor(new Float32Array(6), { shape: [2, 3] });
const shape: number[] = x.shape;
const rows: number = x.size(0);
const n: number = x.numel + x.ndim + x.version;
const fnName: string | undefined = x.gradFn?.name;
const grad: Tensor | null = x.grad;
void [shape, rows, n, fnName, grad, f32];

// Modes are generic: they return fn's type.
const y: Tensor = torch.noGrad(() => x.mul(2));
const count: number = torch.inferenceMode(() => 42);
const enabled: boolean = torch.inferenceMode(false, () => torch.isGradEnabled());
const prev: boolean = torch.setGradEnabled(true);
const scoped: Tensor = torch.setGradEnabled(false, () => x.add(1));
const inner: string[] = torch.enableGrad(() => torch.modeStack());
void [y, count, enabled, prev, scoped, inner];
// @ts-expect-error noGrad returns what fn returns, not any
const wrong: string = torch.noGrad(() => 1);
void wrong;

// .wrap keeps the wrapped function's signature.
const scaled = torch.noGrad.wrap((a: Tensor, k: number) => a.mul(k));
const z: Tensor = scaled(x, 3);
const served = torch.inferenceMode.wrap(false, (a: Tensor) => a.sum().item());
const total: number = served(x);
void [z, total];
// @ts-expect-error the wrapped function still takes (Tensor, number)
scaled('x', 3);

// max/min: a Tensor without dim, { values, indices } (also iterable) with one.
const m: Tensor = x.max();
const byRow: ValuesIndices = x.max(1, true);
const { values, indices } = x.min(0);
const [vals, idx] = torch.max(x, 1);
const t2: Tensor = vals.add(idx).add(values).add(indices).add(byRow.values).add(m);
void t2;
// @ts-expect-error without a dim, max is a Tensor, which has no .values
void x.max().values;

// Views and shapes as arrays or varargs; in-place ops return the tensor.
const v1: Tensor = x.view([3, 2]).view(6).reshape(2, -1).transpose(0, 1).permute(1, 0).unsqueeze(0).squeeze(0);
const same: Tensor = torch.zeros([2]).add_(1).mul_(2).clamp_(0, 1);
void [v1, same];

// Operators beyond the basics: bounds as an object, elementwise max, seeded randomness.
torch.manualSeed(0);
const r: Tensor = torch.rand(2, 3).clamp({ min: 0.1 }).add(torch.randn([2, 3]).clamp(-1, 1));
const elementwise: Tensor = torch.max(r, torch.zerosLike(r)).maximum(r).mm(torch.ones([3, 1]));
const p2: Tensor = torch.pow(2, r).pow(0.5).softmax(1).logSoftmax(-1);
const joined: Tensor = torch.cat([r, r], 0).narrow(0, 1, 2).select(1, 0).flatten();
void [elementwise, p2, joined];
const asInt: Tensor = r.to('int32').float().to({ dtype: 'bool' }).int();
const tr: Tensor = r.t().T.mT;
void [asInt, tr];
// @ts-expect-error torch.pow needs a tensor on one side
torch.pow(2, 3);

// Data out.
const arr = x.toArray<number[][]>();
const first: number = arr[0][0];
const data: Float32Array = x.data();
const flag: boolean = torch.tensor([true]).item<boolean>();
const val: number = x.sum().item();
void [first, data, flag, val];

// API.md conventions: numbers first in arithmetic, sizes as arguments, in-place functions.
const rsub: Tensor = torch.sub(1, x).add(torch.add(2, x)).mul(torch.mul(2, x)).div(torch.div(1, x.add(1)));
const fromNumbers: Tensor = torch.add(1, 2);
const z23: Tensor = torch.zeros(2, 3).add(torch.ones(2, 3, { dtype: 'float32' })).add(torch.empty(2, 3)).add(torch.rand(2, 3, { requiresGrad: false }));
const zi: Tensor = torch.relu_(torch.clamp_(torch.add_(torch.zeros([2]), 1), 0, 1));
const filled: Tensor = torch.fill_(torch.zero_(torch.copy_(torch.mul_(torch.div_(torch.sub_(torch.ones([2]), 1), 2), 3), zi)), 4);
const wasEnabled: boolean = torch.setGradEnabled(false);
torch.setGradEnabled(wasEnabled);
void [rsub, fromNumbers, z23, filled];
// @ts-expect-error the in-place functions need a tensor first
torch.add_(1, x);

// Autograd.
x.sum().backward();
x.sum().backward(undefined, { retainGraph: true });
const handle = x.registerHook((g) => (g ? g.mul(2) : undefined)); // null when no gradient arrives
handle.remove();
const grads: Tensor[] = torch.autograd.grad(x.mul(x).sum(), [x]);
const maybe: (Tensor | null)[] = torch.autograd.grad([x.sum()], [x], null, { allowUnused: true });
void [grads, maybe];
const Square = torch.autograd.Function({
  forward(ctx, a: Tensor) {
    ctx.saveForBackward(a);
    return a.mul(a);
  },
  backward(ctx, g) {
    const [a] = ctx.savedTensors;
    return g.mul(a).mul(2);
  },
});
const sq: Tensor = Square.apply(x);
// @ts-expect-error apply takes forward's arguments
Square.apply(1);
void sq;

// Lifetime: tidy keeps what fn returns; dispose frees containers; [Symbol.dispose] exists.
const kept: { a: Tensor; b: Tensor[] } = torch.tidy(() => ({ a: x.add(1), b: [x.mul(2)] }));
torch.dispose(kept);
const disposeFn: () => void = x[Symbol.dispose];
void disposeFn;
const mem = torch.memory();
const bytes: number = mem.bytes + mem.tensors + mem.graphNodes + mem.savedBytes;
void bytes;
if (torch.isTensor(kept.a)) kept.a.dispose();

// nn / optim / safetensors.
class Net extends torch.nn.Module {
  fc1: nn.Linear;
  fc2: nn.Linear;
  constructor() {
    super();
    this.fc1 = new torch.nn.Linear(2, 8);
    this.fc2 = new torch.nn.Linear(8, 2, { bias: false });
  }
  forward(input: Tensor): Tensor {
    return this.fc2.forward(torch.nn.functional.relu(this.fc1.forward(input)));
  }
}
const net = new Net();
const seq = new torch.nn.Sequential(new torch.nn.Linear(2, 4), new torch.nn.ReLU(), new torch.nn.Dropout(0.1));
const conv = new torch.nn.Conv2d(1, 4, 3, { stride: 1, padding: 1 });
const grouped = new torch.nn.Conv2d(2, 4, [3, 3], { stride: [2, 1], padding: 1, dilation: 1, groups: 2, bias: false });
const sgdFull = new torch.optim.SGD(grouped.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true });
const adamFull = new torch.optim.Adam(grouped.parameters(), { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
const pairs: [string, Tensor][] = grouped.namedParameters();
const sd: Record<string, Tensor> = grouped.stateDict();
const defaultLr: number = adamFull.defaults.lr + sgdFull.defaults.momentum;
const tt: Tensor = torch.t(x).t();
void [sgdFull, adamFull, pairs, sd, new torch.nn.Dropout(0.5), defaultLr, tt];
const opt: optim.SGD = new torch.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
const adam = new torch.optim.Adam(seq.parameters(), { lr: 1e-3 });
const logits = net.forward(torch.randn([4, 2]));
const loss: Tensor = torch.nn.functional.crossEntropy(logits, torch.tensor([0, 1, 1, 0], { dtype: 'int32' }));
loss.backward();
opt.step();
opt.zeroGrad();
adam.step();
net.eval();
const names: string[] = net.namedParameters().map(([name]) => name);
const state: Record<string, Tensor> = torch.loadSafetensors(torch.saveSafetensors(net.stateDict(), { format: 'pt' }));
const { missingKeys, unexpectedKeys } = net.loadStateDict(state, { strict: true });
const viaCall: Tensor = net.call(torch.ones([1, 2]));
const firstModule: nn.Module = seq.at(0);
for (const m of seq) void m;
torch.nn.init.kaimingUniform_(conv.weight, { a: Math.sqrt(5) });
const p: Tensor = torch.nn.Parameter(torch.zeros([3]));
const closureLoss: number = opt.step(() => 1.5);
const ce = new torch.nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
const lossValue: Tensor = ce.forward(logits, torch.tensor([0, 1, 1, 0], { dtype: 'int32' }));
void [names, missingKeys, unexpectedKeys, viaCall, firstModule, p, closureLoss, lossValue];
const optState: optim.StateDict = adam.stateDict();
adam.loadStateDict(optState);
const stepLr: optim.lrScheduler.StepLR = new torch.optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 });
const cosine = new torch.optim.lr_scheduler.CosineAnnealingLR(adam, 10, { etaMin: 1e-5 });
const lambda = new torch.optim.lrScheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch, { lastEpoch: -1 });
new torch.optim.lrScheduler.MultiStepLR(opt, [30, 80]).step();
new torch.optim.lrScheduler.ExponentialLR(opt, 0.9).loadStateDict(stepLr.stateDict());
const rates: number[] = cosine.getLastLr();
const epoch: number = lambda.lastEpoch;
void [rates, epoch];
// @ts-expect-error StepLR needs a step size
new torch.optim.lrScheduler.StepLR(opt);
// @ts-expect-error SGD needs a learning rate
new torch.optim.SGD(net.parameters(), {});
// @ts-expect-error nn is exported as a type only: its classes live on torch.nn
import('webtorch').then((mod) => mod.nn);

