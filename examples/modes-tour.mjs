// A tour of webtorch's gradient modes on a real (tiny) task: learn XOR-like quadrants with
// a two-layer MLP. Training records a graph; evaluation runs under noGrad; serving runs
// under inferenceMode; and the rules of inference tensors are shown by catching the error.
//
//   node examples/modes-tour.mjs

import { load } from '../dist/index.mjs';

const torch = await load();
console.log(`webtorch ${torch.version} on ${torch.backend}`);

// Data: points in [-1, 1]^2, label 1 when x*y > 0.
function makeData(n, seed) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const xs = [];
  const ys = [];
  for (let i = 0; i < n; i++) {
    const a = rand();
    const b = rand();
    xs.push([a, b]);
    ys.push([a * b > 0 ? 1 : 0]);
  }
  return { x: torch.tensor(xs), y: torch.tensor(ys) }; // numbers are float32
}
const train = makeData(256, 1);
const test = makeData(256, 2);

// Parameters: a 2-16-1 MLP with a sigmoid-free output trained by mean squared error.
const init = (rows, cols, scale) =>
  torch.tensor(Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(i * 7.1 + j * 3.3 + rows) * scale)));
const w1 = init(2, 16, 0.9).requiresGrad_();
const b1 = torch.zeros([16], { requiresGrad: true });
const w2 = init(16, 1, 0.4).requiresGrad_();
const b2 = torch.zeros([1], { requiresGrad: true });
const params = [w1, b1, w2, b2];
const forward = (x) => x.matmul(w1).add(b1).relu().matmul(w2).add(b2);

const lr = 0.1;
const t0 = performance.now();
for (let step = 0; step <= 300; step++) {
  torch.tidy(() => {
    const loss = forward(train.x).sub(train.y).mul(forward(train.x).sub(train.y)).mean(); // recorded
    loss.backward();
    // The update itself must not be recorded: noGrad, as optim.SGD does in PyTorch.
    torch.noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad.mul(lr));
        p.grad.zero_();
      }
    });
    if (step % 100 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(4)}`);
  });
}
console.log(`trained in ${(performance.now() - t0).toFixed(0)} ms`);

// Evaluation under noGrad: no graph is built, so nothing is saved for backward.
const accuracy = torch.noGrad(() =>
  torch.tidy(() => {
    const pred = forward(test.x);
    const before = torch.memory();
    const correct = pred.data().reduce((acc, p, i) => acc + ((p > 0.5 ? 1 : 0) === test.y.data()[i] ? 1 : 0), 0);
    console.log(`noGrad forward: grad_fn ${pred.gradFn}, saved bytes ${before.savedBytes}`);
    return correct / test.y.numel;
  }),
);
console.log(`test accuracy: ${(accuracy * 100).toFixed(1)}%`);

// Serving under inferenceMode: outputs are inference tensors (no version counter).
const served = torch.inferenceMode(() => forward(torch.tensor([[0.5, 0.5], [-0.5, 0.5]])));
console.log(`inferenceMode output: ${served.toString()}, isInference ${served.isInference()}`);

// Inference tensors are immutable outside the mode, and PyTorch's error says so.
try {
  served.add_(1);
} catch (e) {
  console.log(`caught, as in PyTorch: ${e.message}`);
}
const editable = served.clone(); // a clone outside the mode is a normal tensor
editable.add_(1);
console.log(`clone() outside the mode can be modified: ${editable.toString()}`);

// Modes nest exactly as in PyTorch: inferenceMode(false) inside noGrad turns grad back on.
torch.noGrad(() =>
  torch.inferenceMode(false, () => console.log(`noGrad > inferenceMode(false): isGradEnabled() = ${torch.isGradEnabled()}`)),
);
