// torch.utils.checkpoint(fn, ...args): torch 1.13's reentrant checkpoint (CheckpointFunction).
// forward runs fn with grad mode off, so only the inputs are saved; backward runs fn again
// with grad mode on from the saved inputs and backpropagates through that recomputation,
// accumulating into the parameters fn uses, as torch's does. The node is
// CheckpointFunctionBackward. torch also restores the random state for the recomputation
// (preserve_rng_state); webtorch does not, so fn must not draw random numbers (README,
// "Differences from PyTorch").

export function installCheckpoint(torch, Tensor) {
  const CheckpointFunction = torch.autograd.Function({
    name: 'CheckpointFunction',
    forward(ctx, fn, ...args) {
      ctx.fn = fn;
      ctx.plain = args.map((a) => (a instanceof Tensor ? undefined : a));
      ctx.requiresGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
      ctx.saveForBackward(...args.filter((a) => a instanceof Tensor));
      return fn(...args);
    },
    backward(ctx, ...grads) {
      const saved = ctx.savedTensors;
      let k = 0;
      const inputs = ctx.plain.map((a, i) => (a === undefined ? saved[k++].detach().requiresGrad_(ctx.requiresGrad[i]) : a));
      const result = torch.enableGrad(() => ctx.fn(...inputs));
      const outputs = Array.isArray(result) ? result : [result];
      const pairs = outputs.map((o, i) => [o, grads[i]]).filter(([o]) => o instanceof Tensor && o.requiresGrad);
      if (pairs.length === 0)
        throw new Error('none of output has requires_grad=True, this checkpoint() is not necessary');
      pairs.forEach(([o, g], i) => o.backward(g, { retainGraph: i + 1 < pairs.length }));
      return [null, ...inputs.map((t) => (t instanceof Tensor ? t.grad : null))];
    },
  });
  torch.utils = {
    checkpoint(fn, ...args) {
      if (typeof fn !== 'function') throw new Error('checkpoint expects a function as its first argument');
      return CheckpointFunction.apply(fn, ...args);
    },
  };
}
