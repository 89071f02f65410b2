// backward(), torch.autograd.grad, hooks and torch.autograd.Function: the JavaScript side
// of the resumable engine (Note [Resumable engine] in src/autograd/engine.h). C++ pauses
// whenever JavaScript code must run; it runs here, in JavaScript frames only.

import { recordForwardStack } from './anomaly_mode.mjs';
import { installAutogradTools } from './autograd_tools.mjs';
import { installCheckpoint } from './checkpoint.mjs';
import { TASK_STATUS } from './constants.mjs';
import { checkOptions, isOptionsObject } from './options.mjs';
import { describe } from './runtime.mjs';

export function installAutograd(torch, Tensor, rt, modes, { live, own, wrap }) {
  const { M } = rt;
  const hooks = new Map(); // hook id -> function
  let nextHookId = 1;
  const functionCalls = new Map(); // custom function call id -> { definition, ctx }
  let nextCallId = 1;

  // Drops the state of custom function calls whose graph nodes are gone.
  function collectDeadCalls() {
    const dead = M.deadCustomFunctionIds();
    for (const id of dead) {
      const call = functionCalls.get(id);
      if (call && call.ctx._box) M._wt_custom_function_box_free(call.ctx._box);
      functionCalls.delete(id);
    }
  }

  function handlesOf(list, what) {
    return list.map((t) => (t === null || t === undefined ? 0 : live(own(t, what))));
  }

  // Answers one request of a paused task: a JavaScript hook or a custom backward, run with
  // grad mode = createGraph as PyTorch runs them.
  function answer(task, status, createGraph) {
    if (status === TASK_STATUS.needsHook) {
      const fn = hooks.get(M._wt_task_hook_id(task));
      // null for a gradient that did not arrive (PyTorch passes None).
      const h = M._wt_task_hook_grad(task) >>> 0;
      const grad = h === 0 ? null : new Tensor(h);
      const result = modes.inBackward(createGraph, fn, undefined, [grad]);
      if (result !== undefined && result !== null && !(result instanceof Tensor))
        throw new Error(`registerHook: a hook must return a Tensor or nothing, got ${describe(result)}`);
      rt.status(M._wt_task_resume_hook(task, result ? live(result) : 0));
      return;
    }
    const call = functionCalls.get(M._wt_task_function_id(task));
    const n = rt.status(M._wt_task_function_grads(task));
    // A non-tensor result of forward gets None, as in PyTorch.
    const grads = rt.readInts(n).map((h, i) => {
      if (h !== 0 && !call.tensorOutputs[i]) M._wt_release(h);
      return h === 0 || !call.tensorOutputs[i] ? null : new Tensor(h >>> 0);
    });
    let result = modes.inBackward(createGraph, call.definition.backward, call.definition, [call.ctx, ...grads]);
    if (!Array.isArray(result)) result = [result];
    // As in PyTorch, backward returns one gradient per forward argument (null for the
    // non-tensor ones); the graph has edges for the tensor arguments only.
    if (result.length !== call.argCount)
      throw new Error(`function ${call.name} returned an incorrect number of gradients (expected ${call.argCount}, got ${result.length})`);
    result = call.tensorPositions.map((i) => result[i]);
    const handles = result.map((g) => (g === null || g === undefined ? 0 : live(own(g, 'autograd.Function backward'))));
    rt.writeInts(handles);
    rt.status(M._wt_task_resume_function(task, handles.length));
  }

  // Runs a task (a handle from wt_backward_begin / wt_grad_begin; 0 = it failed to start)
  // to completion, then returns finish(task) and frees it.
  function runTask(task, createGraph, finish) {
    if (task === 0) rt.fail();
    task >>>= 0;
    try {
      for (;;) {
        const status = rt.status(M._wt_task_run(task));
        if (status === TASK_STATUS.done) return finish ? finish(task) : undefined;
        answer(task, status, createGraph);
      }
    } finally {
      M._wt_task_free(task);
      collectDeadCalls();
    }
  }

  // The options of backward() and autograd.grad(). createGraph records the pass (double
  // backward); retainGraph defaults to createGraph, as in torch.
  function backwardOptions(fn, options, extra, unsupported = []) {
    const spec = { retainGraph: 'boolean', createGraph: 'boolean' };
    for (const k of extra) spec[k] = k === 'allowUnused' ? 'boolean' : 'any';
    const o = checkOptions(fn, options, spec, unsupported);
    const createGraph = o.createGraph === true;
    return { ...o, createGraph, retainGraph: o.retainGraph === undefined ? createGraph : o.retainGraph };
  }

  P(Tensor).backward = function (gradient, options = {}) {
    const h = live(this);
    if (isOptionsObject(gradient) && isOptionsObject(options) && Object.keys(options).length === 0) {
      options = gradient; // backward({ retainGraph: true })
      gradient = undefined;
    }
    const { retainGraph, createGraph, inputs } = backwardOptions('backward', options, ['inputs']);
    const ins = backwardInputs(inputs);
    const handles = [h];
    if (gradient !== undefined && gradient !== null) handles.push(live(own(gradient, 'backward')));
    const nGrads = handles.length - 1;
    // As torch's run_backward: a non-leaf input keeps its gradient (retain_grad) in .grad.
    for (const t of ins) t.retainGrad();
    handles.push(...ins.map((t) => live(t)));
    rt.writeInts(handles);
    runTask(M._wt_backward_begin(1, nGrads, ins.length, retainGraph ? 1 : 0, createGraph ? 1 : 0), createGraph);
  };

  // backward's inputs (a Tensor or an array of them): only these accumulate a gradient, as in
  // torch 1.13. Checked whole before anything changes.
  function backwardInputs(inputs) {
    if (inputs === undefined) return [];
    const ins = inputs instanceof Tensor ? [inputs] : inputs;
    if (!Array.isArray(ins)) throw new Error(`backward(): option 'inputs' must be a Tensor or an array of Tensors, got ${describe(inputs)}`);
    if (ins.length === 0) throw new Error("'inputs' argument to backward() cannot be empty.");
    for (const t of ins) {
      if (!(t instanceof Tensor)) throw new Error(`all inputs have to be Tensors, but got ${t === null ? 'null' : typeof t}`);
      own(t, 'backward');
      if (!t.requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    }
    return ins;
  }

  P(Tensor).registerHook = function (fn) {
    const h = live(this);
    if (typeof fn !== 'function') throw new Error(`registerHook expects a function, got ${describe(fn)}`);
    const id = nextHookId++;
    hooks.set(id, fn);
    const ok = M._wt_register_hook(h, id);
    if (ok < 0) {
      hooks.delete(id);
      rt.fail();
    }
    // A handle to remove it later, as PyTorch's RemovableHandle.
    return { remove: () => hooks.set(id, () => undefined) };
  };

  // torch.autograd.grad(outputs, inputs, gradOutputs?, { retainGraph, createGraph, allowUnused })
  function grad(outputs, inputs, gradOutputs, options = {}) {
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    if (gradOutputs !== undefined && gradOutputs !== null && !Array.isArray(gradOutputs) && !(gradOutputs instanceof Tensor)) {
      options = gradOutputs;
      gradOutputs = undefined;
    }
    const { retainGraph, allowUnused, createGraph } = backwardOptions('autograd.grad', options, ['allowUnused'], ['isGradsBatched', 'onlyInputs']);
    const gos = gradOutputs === undefined || gradOutputs === null ? [] : Array.isArray(gradOutputs) ? gradOutputs : [gradOutputs];
    const handles = [...handlesOf(outs, 'autograd.grad'), ...handlesOf(ins, 'autograd.grad'), ...handlesOf(gos, 'autograd.grad')];
    rt.writeInts(handles);
    const task = M._wt_grad_begin(outs.length, ins.length, gos.length, retainGraph ? 1 : 0, allowUnused ? 1 : 0, createGraph ? 1 : 0);
    return runTask(task, createGraph, (t) => {
      const n = rt.status(M._wt_task_captured(t));
      return rt.readInts(n).map((h) => (h === 0 ? null : new Tensor(h >>> 0)));
    });
  }

  // torch.autograd.Function({ forward(ctx, ...args), backward(ctx, ...grads), name? }), as
  // Python's Function.apply (steps in src/autograd/custom_function.h).
  function Function(definition) {
    if (definition === null || typeof definition !== 'object' || typeof definition.forward !== 'function' || typeof definition.backward !== 'function')
      throw new Error('torch.autograd.Function expects { forward(ctx, ...args), backward(ctx, ...grads) }');
    checkOptions('autograd.Function', definition, { forward: 'function', backward: 'function', name: 'string' }, ['setupContext', 'jvp', 'vmap']);
    const name = `${definition.name || 'Function'}Backward`;
    return {
      apply(...args) {
        collectDeadCalls();
        const ctx = new FunctionCtx();
        const inputs = args.filter((a) => a instanceof Tensor);
        ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
        const id = nextCallId++;
        rt.writeInts(inputs.map((t) => live(t)));
        let pending = M.customFunctionBegin(id, name, inputs.length);
        if (pending === undefined) rt.fail();
        let result;
        try {
          // forward runs with grad mode off: its ops are not recorded.
          result = modes.functionForward(definition.forward, definition, [ctx, ...args]);
        } catch (e) {
          if (pending) M._wt_custom_function_abandon(pending);
          throw e;
        }
        const single = !Array.isArray(result);
        const outputs = single ? [result] : result.slice();
        let handles, saved;
        try {
          // Non-tensor results pass through (a tensor of another engine is refused).
          handles = outputs.map((o) => (o !== null && typeof o === 'object' && typeof o._h === 'number' ? live(own(o, 'autograd.Function forward')) : 0));
          saved = ctx._toSave.map((t) => live(own(t, 'saveForBackward')));
        } catch (e) {
          if (pending) M._wt_custom_function_abandon(pending);
          throw e;
        }
        rt.writeInts([...inputs.map((t) => live(t)), ...handles, ...saved]);
        const wrapped = pending;
        pending = 0;
        const n = rt.status(M._wt_custom_function_wrap(wrapped, inputs.length, outputs.length, saved.length));
        const [box, ...replaced] = rt.readInts(n);
        const results = outputs.map((o, i) => (replaced[i] ? new Tensor(replaced[i] >>> 0) : o));
        if (rt.anomalyEnabled) for (const r of results) if (r instanceof Tensor) recordForwardStack(M, live(r));
        if (box !== 0) {
          ctx._box = box >>> 0;
          const tensorPositions = args.map((a, i) => (a instanceof Tensor ? i : -1)).filter((i) => i >= 0);
          const tensorOutputs = handles.map((h) => h !== 0);
          functionCalls.set(id, { definition, ctx, name, argCount: args.length, tensorPositions, tensorOutputs });
        }
        return single ? results[0] : results;
      },
    };
  }

  class FunctionCtx {
    constructor() {
      this._toSave = [];
      this._box = 0;
      this.needsInputGrad = [];
    }
    saveForBackward(...tensors) {
      this._toSave = tensors.map((t) => own(t, 'saveForBackward'));
    }
    // The saved tensors, checked against in-place changes since forward.
    get savedTensors() {
      if (this._box === 0) return this._toSave.slice();
      const n = rt.status(M._wt_custom_function_saved(this._box));
      return rt.readInts(n).map((h) => (h === 0 ? null : new Tensor(h >>> 0)));
    }
  }

  torch.autograd = { grad, Function, backward: (t, ...rest) => own(t, 'autograd.backward').backward(...rest), ...modes.anomaly };
  installAutogradTools(torch, Tensor);
  installCheckpoint(torch, Tensor);
}

function P(C) {
  return C.prototype;
}
