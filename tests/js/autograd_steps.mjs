// The scenario steps of tests/fixtures/README.md's "Hooks, grads and optimizers" section
// (generate_autograd_semantics.py is their reference), for tests/js/scenario_runner.mjs:
// registerHook with a fixed vocabulary of hooks, hookLog, gradOf, setGrad, prop, and the
// optimizer steps (optimizer, step, zeroGrad, optimState).

export function createAutogradSteps(torch, { getVar, setVar, track, flatValues }) {
  const seen = []; // [hook name, gradient values] per call of a "log" hook
  const optimizers = new Map();

  function makeHook(spec) {
    if (spec.kind === 'mul') return (g) => g.mul(spec.by);
    if (spec.kind === 'log') return (g) => void seen.push([spec.name, flatValues(g)]);
    throw new Error(`runner: unknown hook kind '${spec.kind}'`);
  }

  const steps = {
    registerHook(st) {
      getVar(st.t).registerHook(makeHook(st.hook));
      return { ok: true };
    },
    hookLog() {
      return { ok: true, seen: seen.map(([name, values]) => [name, values.slice()]) };
    },
    gradOf(st) {
      const g = getVar(st.t).grad;
      if (g === null) return { ok: true, isNone: true };
      setVar(st.out, g);
      return { ok: true, isNone: false };
    },
    setGrad(st) {
      getVar(st.t).grad = st.value === null ? null : getVar(st.value.t);
      return { ok: true };
    },
    prop(st) {
      return { ok: true, value: getVar(st.t)[st.name] };
    },
    optimizer(st) {
      const Optim = torch.optim[st.kind];
      optimizers.set(st.out, new Optim(st.params.map(getVar), st.options));
      return { ok: true };
    },
    step(st) {
      optimizers.get(st.opt).step();
      return { ok: true };
    },
    zeroGrad(st) {
      optimizers.get(st.opt).zeroGrad({ setToNone: st.setToNone });
      return { ok: true };
    },
    optimState(st) {
      const state = optimizers.get(st.opt).state.get(getVar(st.param));
      // A detached alias: disposing it at the end never frees the optimizer's buffer.
      setVar(st.out, track(state[st.key].detach()));
      return { ok: true };
    },
  };

  return {
    // The result of st, or undefined when st is not one of these steps.
    run(st) {
      return Object.hasOwn(steps, st.do) ? steps[st.do](st) : undefined;
    },
    dispose() {
      for (const o of optimizers.values()) o.dispose();
      optimizers.clear();
    },
  };
}
