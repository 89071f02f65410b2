// torch.autograd.gradcheck / gradgradcheck and torch.autograd.functional (jacobian, hessian,
// vjp, jvp, vhp, hvp), written on the public API as torch 1.13 writes them in Python
// (torch/autograd/gradcheck.py, torch/autograd/functional.py).
//
// Note [gradcheck in float32]
// webtorch has no float64, so the finite differences run in float32: the central difference
// (f(x + eps) - f(x - eps)) / 2eps with eps = 1e-3 has a truncation error ~eps^2 |f'''| and a
// rounding error ~1e-7 |f| / eps, so the defaults are eps = 1e-3, atol = 1e-3, rtol = 1e-2
// (torch's float64 defaults, 1e-6 / 1e-5 / 1e-3, would only measure float32 noise). A
// mismatch throws torch's text ("Jacobian mismatch for output i with respect to input j, ...")
// unless raiseException is false, when gradcheck returns false.

import { checkOptions } from './options.mjs';

// torch keywords webtorch does not implement: refused, never ignored.
const GRADCHECK_UNSUPPORTED = ['checkSparseNnz', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes', 'checkBatchedGrad',
  'checkBatchedForwardGrad', 'checkForwardAd', 'checkBackwardAd', 'fastMode'];
const GRADGRADCHECK_UNSUPPORTED = ['genNonContigGradOutputs', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes',
  'checkBatchedGrad', 'checkFwdOverRev', 'checkRevOverRev', 'fastMode'];
const FUNCTIONAL_UNSUPPORTED = ['strict', 'vectorize', 'strategy', 'outerJacobianStrategy'];

export function installAutogradTools(torch, Tensor) {
  const asList = (x) => (Array.isArray(x) ? x : [x]);
  const tensorsOf = (list) => list.filter((t) => t instanceof Tensor);

  // A float32 copy of t with element j moved by delta, a new leaf requiring grad as t does.
  function perturbed(t, j, delta) {
    const values = Float32Array.from(t.data());
    values[j] += delta;
    return torch.tensor(values, { dtype: 'float32' }).reshape(t.shape).requiresGrad_(t.requiresGrad);
  }

  function checkGradcheckOptions(fn, options, unsupported) {
    const o = checkOptions(fn, options, { eps: 'number', atol: 'number', rtol: 'number', raiseException: 'boolean' }, unsupported);
    return { eps: o.eps ?? 1e-3, atol: o.atol ?? 1e-3, rtol: o.rtol ?? 1e-2, raiseException: o.raiseException ?? true };
  }

  // jac[o][i]: numel(input i) rows by numel(output o) columns, as torch lays them out.
  function numericalJacobian(fn, inputs, diff, eps) {
    return torch.tidy(() => {
      const outputsAt = (args) => tensorsOf(asList(fn(...args))).map((t) => Float32Array.from(t.data()));
      const jac = [];
      for (const i of diff) {
        const x = inputs[i];
        for (let j = 0; j < x.numel; j++) {
          const plus = outputsAt(inputs.map((t, k) => (k === i ? perturbed(x, j, eps) : t)));
          const minus = outputsAt(inputs.map((t, k) => (k === i ? perturbed(x, j, -eps) : t)));
          plus.forEach((p, o) => {
            jac[o] ??= [];
            jac[o][i] ??= [];
            jac[o][i].push(Array.from(p, (v, c) => (v - minus[o][c]) / (2 * eps)));
          });
        }
      }
      return jac;
    });
  }

  function analyticalJacobian(fn, inputs, diff) {
    return torch.tidy(() => {
      const outputs = tensorsOf(asList(fn(...inputs)));
      const jac = outputs.map(() => diff.map((i) => Array.from({ length: inputs[i].numel }, () => [])));
      outputs.forEach((out, o) => {
        for (let c = 0; c < out.numel; c++) {
          const onehot = new Float32Array(out.numel);
          onehot[c] = 1;
          const grads = out.requiresGrad
            ? torch.autograd.grad([out], diff.map((i) => inputs[i]), [torch.tensor(onehot).reshape(out.shape)], { retainGraph: true, allowUnused: true })
            : diff.map(() => null);
          grads.forEach((g, d) => {
            const values = g === null ? new Float32Array(inputs[diff[d]].numel) : g.data();
            values.forEach((v, r) => jac[o][d][r].push(v));
          });
        }
      });
      return jac;
    });
  }

  function showJacobian(rows) {
    return torch.tidy(() => (rows.length === 0 || rows[0].length === 0 ? 'tensor([])' : torch.tensor(rows).toString()));
  }

  function gradcheck(fn, inputs, options = {}) {
    if (typeof fn !== 'function') throw new Error('gradcheck expects a function');
    const { eps, atol, rtol, raiseException } = checkGradcheckOptions('autograd.gradcheck', options, GRADCHECK_UNSUPPORTED);
    const list = asList(inputs);
    const diff = list.map((t, i) => (t instanceof Tensor && t.requiresGrad ? i : -1)).filter((i) => i >= 0);
    if (diff.length === 0)
      throw new Error('gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
    const numerical = numericalJacobian(fn, list, diff, eps);
    const analytical = analyticalJacobian(fn, list, diff);
    for (let o = 0; o < analytical.length; o++) {
      for (let d = 0; d < diff.length; d++) {
        const num = numerical[o]?.[diff[d]] ?? [];
        const ana = analytical[o][d];
        const close = ana.every((row, r) => row.every((a, c) => Math.abs(a - num[r][c]) <= atol + rtol * Math.abs(num[r][c])));
        if (!close) {
          if (!raiseException) return false;
          throw new Error(`Jacobian mismatch for output ${o} with respect to input ${d},\nnumerical:${showJacobian(num)}\nanalytical:${showJacobian(ana)}\n`);
        }
      }
    }
    return true;
  }

  // As torch: the gradients of fn's outputs (with gradOutputs, random when not given) are a
  // function of the inputs and the gradOutputs, checked by gradcheck.
  function gradgradcheck(fn, inputs, gradOutputs, options = {}) {
    if (gradOutputs !== undefined && gradOutputs !== null && !(gradOutputs instanceof Tensor) && !Array.isArray(gradOutputs)) {
      options = gradOutputs;
      gradOutputs = undefined;
    }
    const opts = checkGradcheckOptions('autograd.gradgradcheck', options, GRADGRADCHECK_UNSUPPORTED);
    const list = asList(inputs);
    const diff = list.map((t, i) => (t instanceof Tensor && t.requiresGrad ? i : -1)).filter((i) => i >= 0);
    let gos = gradOutputs === undefined || gradOutputs === null ? null : asList(gradOutputs);
    const made = [];
    if (gos === null) {
      const outs = torch.tidy(() => tensorsOf(asList(fn(...list))).filter((t) => t.requiresGrad).map((t) => t.shape));
      gos = outs.map((shape) => torch.randn(shape).requiresGrad_(true));
      made.push(...gos);
    }
    const n = list.length;
    const newFn = (...args) => {
      const outs = tensorsOf(asList(fn(...args.slice(0, n)))).filter((t) => t.requiresGrad);
      return torch.autograd.grad(outs, diff.map((i) => args[i]), args.slice(n), { createGraph: true, allowUnused: true }).filter((g) => g !== null);
    };
    try {
      return gradcheck(newFn, [...list, ...gos], opts);
    } finally {
      torch.dispose(made);
    }
  }

  // ---- torch.autograd.functional ----

  function functionalOptions(fn, options) {
    return checkOptions(fn, options, { createGraph: 'boolean' }, FUNCTIONAL_UNSUPPORTED).createGraph === true;
  }

  // torch's _grad_preprocess: inputs the function sees, differentiable and (unless
  // createGraph) cut from the caller's graph.
  const prepare = (inputs, createGraph) => asList(inputs).map((t) => (createGraph && t.requiresGrad ? t.view(t.shape) : t.detach().requiresGrad_(true)));
  const finish = (t, createGraph) => (createGraph ? t : t.detach());
  const zerosFor = (grads, like) => grads.map((g, i) => g ?? torch.zerosLike(like[i]));
  const shaped = (isList, list) => (isList ? list : list[0]);

  function singleOutput(fn, what, out) {
    if (!(out instanceof Tensor)) throw new Error(`The function given to ${what} should return a single Tensor`);
    if (out.numel !== 1) throw new Error(`The Tensor returned by the function given to ${what} should contain a single element`);
    return out;
  }

  function vjp(fn, inputs, v, options = {}) {
    const createGraph = functionalOptions('autograd.functional.vjp', options);
    const ins = prepare(inputs, createGraph);
    const out = fn(...ins);
    const outs = asList(out);
    let vs = v === undefined || v === null ? null : asList(v);
    if (vs === null) {
      if (outs.length !== 1 || outs[0].numel !== 1)
        throw new Error('The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
      vs = [torch.onesLike(outs[0])];
    }
    const grads = torch.autograd.grad(outs, ins, vs, { createGraph, retainGraph: true, allowUnused: true });
    const result = zerosFor(grads, ins).map((g) => finish(g, createGraph));
    return [Array.isArray(out) ? outs.map((t) => finish(t, createGraph)) : finish(out, createGraph), shaped(Array.isArray(inputs), result)];
  }

  // jvp by the double-backward trick torch 1.13 uses.
  function jvp(fn, inputs, v, options = {}) {
    const createGraph = functionalOptions('autograd.functional.jvp', options);
    const ins = prepare(inputs, createGraph);
    let vs = v === undefined || v === null ? null : asList(v);
    if (vs === null) {
      if (ins.length !== 1 || ins[0].numel !== 1)
        throw new Error('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
      vs = [torch.onesLike(ins[0])];
    }
    const out = fn(...ins);
    const outs = asList(out);
    const gradOutputs = outs.map((o) => torch.zerosLike(o).requiresGrad_(true));
    const gradInputs = torch.autograd.grad(outs, ins, gradOutputs, { createGraph: true, allowUnused: true });
    const used = gradInputs.map((g, i) => (g === null ? -1 : i)).filter((i) => i >= 0);
    const result = torch.autograd.grad(used.map((i) => gradInputs[i]), gradOutputs, used.map((i) => vs[i]), { createGraph, allowUnused: true });
    const jv = zerosFor(result, outs).map((g) => finish(g, createGraph));
    return [Array.isArray(out) ? outs.map((t) => finish(t, createGraph)) : finish(out, createGraph), shaped(Array.isArray(out), jv)];
  }

  // jacobian[i][j]: output i's shape followed by input j's, one backward per output element.
  function jacobian(fn, inputs, options = {}) {
    const createGraph = functionalOptions('autograd.functional.jacobian', options);
    const ins = prepare(inputs, createGraph);
    const out = fn(...ins);
    const outs = asList(out);
    const jac = outs.map((o) => {
      const rows = ins.map(() => []);
      const flat = o.reshape([-1]);
      for (let k = 0; k < flat.numel; k++) {
        const grads = torch.autograd.grad([flat.select(0, k)], ins, null, { createGraph, retainGraph: true, allowUnused: true });
        zerosFor(grads, ins).forEach((g, j) => rows[j].push(g));
      }
      return rows.map((r, j) => finish(r.length ? torch.stack(r, 0).reshape([...o.shape, ...ins[j].shape]) : torch.zeros([...o.shape, ...ins[j].shape]), createGraph));
    });
    const perOutput = jac.map((rows) => shaped(Array.isArray(inputs), rows));
    return shaped(Array.isArray(out), perOutput);
  }

  function hessian(fn, inputs, options = {}) {
    const createGraph = functionalOptions('autograd.functional.hessian', options);
    const list = asList(inputs);
    const gradient = (...args) => {
      const out = singleOutput(fn, 'hessian', fn(...args));
      return torch.autograd.grad([out], args, null, { createGraph: true, allowUnused: true }).map((g, i) => g ?? torch.zerosLike(args[i]));
    };
    const h = jacobian((...args) => gradient(...args), list, { createGraph });
    return Array.isArray(inputs) ? h : h[0][0];
  }

  function vhpOrHvp(what, fn, inputs, v, options) {
    const createGraph = functionalOptions(`autograd.functional.${what}`, options);
    const ins = prepare(inputs, createGraph);
    const out = singleOutput(fn, what, fn(...ins));
    const vs = asList(v);
    const jac = torch.autograd.grad([out], ins, null, { createGraph: true, allowUnused: true });
    const used = jac.map((g, i) => (g === null ? -1 : i)).filter((i) => i >= 0);
    let result;
    if (what === 'vhp') {
      result = torch.autograd.grad(used.map((i) => jac[i]), ins, used.map((i) => vs[i]), { createGraph, allowUnused: true });
    } else {
      // hvp as torch computes it: the vjp of the vjp, through a zero gradient that requires grad.
      const gradJac = ins.map((t) => torch.zerosLike(t).requiresGrad_(true));
      const doubleBack = torch.autograd.grad(used.map((i) => jac[i]), ins, used.map((i) => gradJac[i]), { createGraph: true, allowUnused: true });
      const usedBack = doubleBack.map((g, i) => (g === null ? -1 : i)).filter((i) => i >= 0);
      result = torch.autograd.grad(usedBack.map((i) => doubleBack[i]), gradJac, usedBack.map((i) => vs[i]), { createGraph, allowUnused: true });
    }
    return [finish(out, createGraph), shaped(Array.isArray(inputs), zerosFor(result, ins).map((g) => finish(g, createGraph)))];
  }

  torch.autograd.gradcheck = gradcheck;
  torch.autograd.gradgradcheck = gradgradcheck;
  torch.autograd.functional = {
    jacobian,
    hessian,
    vjp,
    jvp,
    vhp: (fn, inputs, v, options = {}) => vhpOrHvp('vhp', fn, inputs, v, options),
    hvp: (fn, inputs, v, options = {}) => vhpOrHvp('hvp', fn, inputs, v, options),
  };
}
