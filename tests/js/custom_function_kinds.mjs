// The forward/backward bodies of the `customFunction` fixture step, one per kind: exactly the
// FORWARD_KINDS of tests/fixtures/generate_custom_function_layout.py, written against
// webtorch's API. Every Function is named 'F', so its node is FBackward as torch's class F.

// The bodies, for one engine (noTensorInputs makes a tensor of its own).
const kindsFor = (torch) => ({
  identity: { forward: (ctx, x) => x, backward: (ctx, g) => g.mul(10) },
  unsqueeze: { forward: (ctx, x) => x.unsqueeze(0), backward: (ctx, g) => g.squeeze(0).mul(10) },
  detach: { forward: (ctx, x) => x.detach(), backward: (ctx, g) => g.mul(10) },
  viewFlat: {
    forward: (ctx, x) => {
      ctx.shape = x.shape;
      return x.view([-1]);
    },
    backward: (ctx, g) => g.view(ctx.shape).mul(10),
  },
  cloneMul: { forward: (ctx, x) => x.clone().mul_(2), backward: (ctx, g) => g.mul(2) },
  mul2: { forward: (ctx, x) => x.mul(2), backward: (ctx, g) => g.mul(2) },
  saveInput: {
    forward: (ctx, x) => {
      ctx.saveForBackward(x);
      return x.mul(2);
    },
    backward: (ctx, g) => g.mul(ctx.savedTensors[0]),
  },
  saveOutput: {
    forward: (ctx, x) => {
      const y = x.mul(2);
      ctx.saveForBackward(y);
      return y;
    },
    backward: (ctx, g) => g.mul(ctx.savedTensors[0]),
  },
  multi: {
    forward: (ctx, x) => [x, x.unsqueeze(0), x.mul(3), 7, x.gt(0)],
    backward: (ctx, a, b, c, d) => {
      if (d !== null) throw new Error('multi: the gradient of a non-tensor output must be null');
      return a.add(b.squeeze(0)).add(c.mul(3));
    },
  },
  multiPlain: { forward: (ctx, x) => [x.mul(2), x.add(1)], backward: (ctx, a, b) => a.mul(2).add(b) },
  duplicate: { forward: (ctx, x) => [x, x], backward: (ctx, a, b) => a.add(b) },
  noTensorInputs: { forward: (ctx, k) => torch.ones([2]).mul(k), backward: () => null },
  mul2None: { forward: (ctx, x) => x.mul(2), backward: () => null },
  twoInputs: {
    forward: (ctx, x, y) => {
      ctx.saveForBackward(x, y);
      return x.mul(y);
    },
    backward: (ctx, g) => {
      const [x, y] = ctx.savedTensors;
      return [g.mul(y), g.mul(x)];
    },
  },
});

const cache = new WeakMap(); // torch -> { kind: Function }

// The torch.autograd.Function of a kind, for this engine.
export function customFunctionOf(torch, kind) {
  let fns = cache.get(torch);
  if (!fns) cache.set(torch, (fns = {}));
  const body = kindsFor(torch)[kind];
  if (!body) throw new Error(`runner: unknown customFunction kind '${kind}'`);
  if (!fns[kind]) fns[kind] = torch.autograd.Function({ name: 'F', ...body });
  return fns[kind];
}
