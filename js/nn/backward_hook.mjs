// module.registerFullBackwardHook: torch 1.13's BackwardHook (torch/utils/hooks.py).
//
// Note [Full backward hooks]
// As in torch, module.call() passes the tensor arguments through an identity
// torch.autograd.Function before forward and the tensor results through another after it
// (both nodes are named BackwardHookFunctionBackward). The output node learns the gradients of
// the results (gradOutput; a tensor hook per result gives null for one that got none, as
// torch's node hook sees None); the input node, when backward reaches it, calls the hooks with
// (module, gradInput, gradOutput), one entry per argument (null for a non-tensor), and passes
// on what they return. A module none of whose arguments requires grad gets its hooks called
// from the output node with gradInput all null, and they must return nothing. The hooks are
// those registered when the call was made.
//
// Difference, for the lack of mark_non_differentiable here: only tensors that require grad go
// through the identity functions; torch passes all and marks the others non-differentiable.
// A tensor argument that does not require grad gets zeros in gradInput, as torch's materialized
// gradient of such an input.

export function createBackwardHookSetup(torch, Tensor) {
  const identity = (ctx, ...xs) => (xs.length === 1 ? xs[0] : xs);
  const single = (grads) => (grads.length === 1 ? grads[0] : grads);

  // Runs `forward(args)` for module.call with the full backward hooks `hooks` (an array).
  return function callWithBackwardHooks(module, hooks, args, forward) {
    const state = { gradOutputs: null, nInputs: args.length, inputIndex: null };
    const runHooks = (gradInputs) => {
      let res = gradInputs;
      for (const hook of hooks) {
        const out = hook(module, res, state.gradOutputs);
        if (out === undefined || out === null) continue;
        if (!Array.isArray(out)) throw new Error(`registerFullBackwardHook: a hook must return an array of gradients or nothing, got ${typeof out}`);
        if (out.length !== res.length) throw new Error(`Backward hook returned an invalid number of grad_input, got ${out.length}, but expected ${res.length}`);
        res = out;
      }
      state.gradOutputs = null;
      return res;
    };

    const inputs = throughIdentity(args, (tensorIndex) => {
      state.inputIndex = tensorIndex;
      return torch.autograd.Function({
        name: 'BackwardHookFunction',
        forward: identity,
        backward(ctx, ...grads) {
          if (state.gradOutputs === null) return single(grads);
          const packed = args.map((a) => (a instanceof Tensor && !a.requiresGrad ? torch.zerosLike(a) : null));
          tensorIndex.forEach((idx, k) => (packed[idx] = grads[k]));
          const res = runHooks(packed);
          return single(tensorIndex.map((idx) => res[idx] ?? null));
        },
      });
    });
    const result = forward(inputs);
    const results = Array.isArray(result) ? result : [result];
    const outputs = throughIdentity(results, (tensorIndex) =>
      torch.autograd.Function({
        name: 'BackwardHookFunction',
        forward: identity,
        backward(ctx, ...grads) {
          // Without an input node the hooks run here, with no gradInput to replace.
          if (state.inputIndex === null) {
            for (const hook of hooks) {
              const r = hook(module, new Array(state.nInputs).fill(null), state.gradOutputs);
              if (r !== undefined && r !== null && !(Array.isArray(r) && r.every((g) => g === null || g === undefined)))
                throw new Error('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
            }
            state.gradOutputs = null;
          }
          return single(grads);
        },
      }),
    (outs, tensorIndex) => {
      // gradOutput: per result, its gradient or null (a tensor hook sees null when none arrived).
      state.gradOutputs = null;
      const seen = new Array(results.length).fill(null);
      tensorIndex.forEach((idx, k) =>
        outs[k].registerHook((g) => {
          seen[idx] = g;
          state.gradOutputs = seen;
        }),
      );
    });
    return Array.isArray(result) ? outputs : outputs[0];
  };

  // Passes the tensors of `values` that require grad through one identity Function made by
  // makeFunction(tensorIndex) (when grad mode is on and there is one); returns the values with
  // those tensors replaced. tensorIndex: their positions.
  function throughIdentity(values, makeFunction, afterApply) {
    const tensorIndex = [];
    values.forEach((v, i) => {
      if (v instanceof Tensor && v.requiresGrad) tensorIndex.push(i);
    });
    if (tensorIndex.length === 0 || !torch.isGradEnabled()) return values;
    const fn = makeFunction(tensorIndex);
    let outs = fn.apply(...tensorIndex.map((i) => values[i]));
    if (!Array.isArray(outs)) outs = [outs];
    if (afterApply) afterApply(outs, tensorIndex);
    const replaced = values.slice();
    tensorIndex.forEach((idx, k) => (replaced[idx] = outs[k]));
    return replaced;
  }
}
