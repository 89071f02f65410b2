// The gradient modes of API.md: noGrad, enableGrad, setGradEnabled, inferenceMode, each
// with a .wrap decorator form.
//
// Note [Modes are scoped in JavaScript]
// A mode is entered by one engine call that applies the same transition as the C++ guard
// (NoGradGuard, AutoGradMode, InferenceMode) and returns the whole previous state; the
// `finally` restores that snapshot. The callback never runs under C++ frames, so a throw
// cannot skip a destructor, and every nesting comes out as in PyTorch
// (Note [Mode state is one snapshot] in src/core/autograd_state.h).

import { checkOptions } from './options.mjs';
import { describe } from './runtime.mjs';
import { isThenable, promiseError, refuseAsync } from './lifetime.mjs';

export function createModes(rt) {
  const { M } = rt;
  const stack = []; // names of the scopes currently entered, outermost first (for display)

  const restoreModes = (prev) => M._wt_mode_restore(prev);

  function scoped(name, label, enter, fn, self, args, restore = restoreModes) {
    const prev = enter();
    stack.push(label);
    let result;
    try {
      result = args === undefined ? fn() : fn.apply(self, args);
    } finally {
      stack.pop();
      restore(prev);
    }
    if (isThenable(result)) {
      result.then(undefined, () => {});
      throw promiseError(name);
    }
    return result;
  }

  function checkFn(name, fn) {
    if (typeof fn !== 'function') throw new Error(`${name} expects a function, got ${describe(fn)}`);
    refuseAsync(name, fn);
  }

  function checkFlag(name, flag) {
    if (typeof flag !== 'boolean') throw new Error(`${name}: enabled must be a boolean, got ${describe(flag)}`);
  }

  const enterGrad = (flag) => () => M._wt_enter_grad_mode(flag ? 1 : 0);
  const enterInference = (flag) => () => M._wt_enter_inference_mode(flag ? 1 : 0);

  // fn returns generator objects too; .wrap applies the mode around each resumption of a
  // generator function (PyTorch does the same for its decorators).
  function wrap(name, label, enter, fn) {
    checkFn(`${name}.wrap`, fn);
    const isGenerator = fn.constructor && fn.constructor.name === 'GeneratorFunction';
    if (!isGenerator) {
      return function wrapped(...args) {
        return scoped(name, label, enter, fn, this, args);
      };
    }
    return function* wrappedGenerator(...args) {
      const gen = scoped(name, label, enter, fn, this, args);
      let input;
      let method = 'next';
      for (;;) {
        const step = scoped(name, label, enter, gen[method], gen, [input]);
        if (step.done) return step.value;
        try {
          input = yield step.value;
          method = 'next';
        } catch (e) {
          input = e;
          method = 'throw';
        }
      }
    };
  }

  function noGrad(fn) {
    checkFn('noGrad', fn);
    return scoped('noGrad', 'noGrad', enterGrad(false), fn);
  }
  noGrad.wrap = (fn) => wrap('noGrad', 'noGrad', enterGrad(false), fn);

  function enableGrad(fn) {
    checkFn('enableGrad', fn);
    return scoped('enableGrad', 'enableGrad', enterGrad(true), fn);
  }
  enableGrad.wrap = (fn) => wrap('enableGrad', 'enableGrad', enterGrad(true), fn);

  // setGradEnabled(flag) sets the mode and returns the previous flag (PyTorch's one
  // non-scoped form); setGradEnabled(flag, fn) is scoped.
  function setGradEnabled(flag, fn) {
    checkFlag('setGradEnabled', flag);
    if (fn === undefined) {
      const prev = M._wt_is_grad_enabled() !== 0;
      M._wt_enter_grad_mode(flag ? 1 : 0);
      return prev;
    }
    checkFn('setGradEnabled', fn);
    return scoped('setGradEnabled', `setGradEnabled(${flag})`, enterGrad(flag), fn);
  }
  setGradEnabled.wrap = (flag, fn) => {
    checkFlag('setGradEnabled.wrap', flag);
    return wrap('setGradEnabled', `setGradEnabled(${flag})`, enterGrad(flag), fn);
  };

  // inferenceMode(fn) = inferenceMode(true, fn); nestable as c10::InferenceMode(bool).
  function inferenceMode(enabled, fn) {
    if (typeof enabled === 'function' && fn === undefined) {
      fn = enabled;
      enabled = true;
    }
    checkFlag('inferenceMode', enabled);
    checkFn('inferenceMode', fn);
    return scoped('inferenceMode', `inferenceMode(${enabled})`, enterInference(enabled), fn);
  }
  inferenceMode.wrap = (enabled, fn) => {
    if (typeof enabled === 'function' && fn === undefined) {
      fn = enabled;
      enabled = true;
    }
    checkFlag('inferenceMode.wrap', enabled);
    return wrap('inferenceMode', `inferenceMode(${enabled})`, enterInference(enabled), fn);
  };

  // torch.autograd.detectAnomaly / setDetectAnomaly (Note [Anomaly mode] in
  // src/core/anomaly_mode.h): one packed engine state (bit 0 enabled, bit 1 checkNan),
  // mirrored in rt.anomalyEnabled, which the Tensor constructor reads to record stacks.
  rt.anomalyEnabled = false;
  rt.anomalyCheckNan = true;
  function setAnomaly(packed) {
    const prev = M._wt_set_anomaly_mode(packed);
    rt.anomalyEnabled = (packed & 1) !== 0;
    rt.anomalyCheckNan = (packed & 2) !== 0;
    return prev;
  }
  const enterAnomaly = (enabled, checkNan) => () => setAnomaly((enabled ? 1 : 0) | (checkNan ? 2 : 0));
  const anomalyCheckNan = (name, options) => checkOptions(name, options, { checkNan: 'boolean' }).checkNan !== false;

  // detectAnomaly(fn, { checkNan = true }): torch.autograd.detect_anomaly.
  function detectAnomaly(fn, options) {
    checkFn('detectAnomaly', fn);
    const checkNan = anomalyCheckNan('detectAnomaly', options);
    return scoped('detectAnomaly', 'detectAnomaly', enterAnomaly(true, checkNan), fn, undefined, undefined, setAnomaly);
  }

  // setDetectAnomaly(flag, { checkNan }) sets the mode and returns the previous flag (torch's
  // set_detect_anomaly(mode) called as a function); setDetectAnomaly(flag, fn, { checkNan }) is
  // scoped (torch's `with set_detect_anomaly(mode):`).
  function setDetectAnomaly(flag, fn, options) {
    checkFlag('setDetectAnomaly', flag);
    if (fn !== undefined && typeof fn !== 'function') {
      options = fn;
      fn = undefined;
    }
    const checkNan = anomalyCheckNan('setDetectAnomaly', options);
    if (fn === undefined) return (setAnomaly((flag ? 1 : 0) | (checkNan ? 2 : 0)) & 1) !== 0;
    checkFn('setDetectAnomaly', fn);
    return scoped('setDetectAnomaly', `setDetectAnomaly(${flag})`, enterAnomaly(flag, checkNan), fn, undefined, undefined, setAnomaly);
  }

  return {
    noGrad,
    enableGrad,
    setGradEnabled,
    inferenceMode,
    isGradEnabled: () => M._wt_is_grad_enabled() !== 0,
    isInferenceModeEnabled: () => M._wt_is_inference_mode_enabled() !== 0,
    // The scopes entered right now, outermost first, e.g. ['noGrad', 'inferenceMode(false)'].
    modeStack: () => stack.slice(),
    // Installed as torch.autograd's (js/autograd.mjs), not torch's.
    anomaly: {
      detectAnomaly,
      setDetectAnomaly,
      isAnomalyEnabled: () => rt.anomalyEnabled,
      isAnomalyCheckNanEnabled: () => rt.anomalyCheckNan,
    },
    // For torch.autograd.Function's forward: grad mode off, as PyTorch's Function.apply
    // (AutoGradMode(false)); views and version counters work as anywhere else.
    functionForward: (fn, self, args) => scoped('autograd.Function', 'autograd.Function', enterGrad(false), fn, self, args),
    // For hooks and custom backward: PyTorch runs them with grad mode = create_graph (off
    // unless the pass is recorded; Note [Grad mode of a backward pass]).
    inBackward: (createGraph, fn, self, args) => scoped('backward', 'backward', enterGrad(createGraph), fn, self, args),
  };
}
