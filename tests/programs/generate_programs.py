#!/usr/bin/python3
"""Generate random autograd programs and record what PyTorch 1.13.1 does at every step.

    /usr/bin/python3 tests/programs/generate_programs.py [--seed S] [--programs N] [--out FILE]

Defaults: seed 1, 5000 programs, tests/programs/programs.jsonl.gz (the committed CI file).
Same seed and count, same bytes. The DSL, the record format and the rules that turn torch's
behaviour into "what webtorch must do" are documented in tests/programs/README.md.

Each program is built while it runs: every step is executed on torch as soon as it is
drawn, so later choices can look at the live state (shapes, which tensors require grad).
After every step the recorder inspects every live variable and writes what changed.
"""

import argparse
import contextlib
import gzip
import io
import json
import os
import random
import sys
import warnings
from types import SimpleNamespace

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
from generate import MODES, TORCH_ERRORS, snake  # noqa: E402  (the scenario DSL's reference)
from generate import Executor as FixtureExecutor  # noqa: E402

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

GENERATOR = "tests/programs/generate_programs.py"
DEFAULT_OUT = os.path.join(HERE, "programs.jsonl.gz")

# Reasons for unpinned fields ({"unpinned": KEY}); documented in README.md.
UNPIN = {
    "fresh-version": "torch built this output through an internal in-place/out= path (version >= 1)",
    "inference-version": "detach() of an inference tensor outside inference mode has a readable version in torch",
    "copy-backwards": "clone() of an inference tensor that requires grad outside inference mode is CopyBackwards in torch",
    "stack-view": "torch.stack of inference tensors returns a view in torch (issue 19: an implementation detail)",
}

VALUES = [0.5, -1.25, 2.0, 1.5, -0.75, 3.0, -2.0, 0.25, 1.0, -0.5]
SHAPES = [[2, 3], [2, 3], [3], [2, 2], [3, 2], [1, 3], [2, 1], [], [2]]
SCALARS = [2, 0.5, -1.5, 3, -2, 0.25]
HOOK_K = [2, 10, -1, 0.5]
FN_KINDS = ["new", "new2", "input", "view", "detach", "inplaceClone", "multi", "multiAlias"]
FN_BACKWARDS = ["scale", "saved", "none"]
UNARY = ["neg", "exp", "tanh", "sigmoid", "relu", "abs"]
BINARY = ["add", "sub", "mul", "div"]
INPLACE = ["add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "relu_"]


def enc(v):
    """A float32 value as the shortest decimal that reads back as the same float32."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    f = float(str(np.float32(v)))
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def flat(t):
    with torch.inference_mode():
        return [enc(v) for v in t.detach().reshape(-1).tolist()]


def storage_key(t):
    try:
        return t.storage().data_ptr() if t.numel() > 0 else None
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------------------------
# Custom Functions and hooks: the fixed vocabularies (mirrored in tests/programs/program_runner.mjs)
# ---------------------------------------------------------------------------------------------
FN_CLASS_NAMES = {"new": "NewFn", "new2": "NewFn", "input": "InputFn", "view": "ViewFn", "detach": "DetachFn",
                  "inplaceClone": "InplaceCloneFn", "multi": "MultiFn", "multiAlias": "MultiAliasFn"}
_fn_cache = {}


def custom_function(kind, formula, k):
    key = (kind, formula, k)
    if key in _fn_cache:
        return _fn_cache[key]

    def forward(ctx, *xs):
        x = xs[0]
        if formula == "saved":
            ctx.save_for_backward(x)
        if kind == "new":
            return x.mul(2)
        if kind == "new2":
            return x.mul(xs[1])
        if kind == "input":
            return x
        if kind == "view":
            return x.view(x.shape)
        if kind == "detach":
            return x.detach()
        if kind == "inplaceClone":
            return x.clone().mul_(2)
        if kind == "multi":
            return x.mul(2), x.add(1)
        return x, x.mul(2)  # multiAlias

    def backward(ctx, *gs):
        # null-safe: torch may pass None for an output whose gradient is undefined
        g = gs[0] if len(gs) == 1 or gs[1] is None else gs[1] if gs[0] is None else gs[0].add(gs[1])
        if formula == "none" or g is None:
            r = None
        elif formula == "scale":
            r = g.mul(k)
        else:
            r = g.mul(ctx.saved_tensors[0])
        return r if len(ctx.needs_input_grad) == 1 else (r, r)

    cls = type(FN_CLASS_NAMES[kind], (torch.autograd.Function,),
               {"forward": staticmethod(forward), "backward": staticmethod(backward)})
    _fn_cache[key] = cls
    return cls


def safe_is_leaf(t):
    try:
        return t.is_leaf
    except TORCH_ERRORS:
        return False


def reachable(t):
    """The autograd nodes reachable from t (to prefer autograd.grad inputs that are in the graph)."""
    seen, todo = set(), [t.grad_fn] if t.grad_fn is not None else []
    while todo:
        fn = todo.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        todo.extend(f for f, _ in fn.next_functions)
    return seen


def in_graph(t, nodes):
    try:
        if t.grad_fn is not None:
            return t.grad_fn in nodes
    except TORCH_ERRORS:
        return False
    return any(getattr(fn, "variable", None) is t for fn in nodes)


class Skip(Exception):
    """The program's observable depends on a documented difference (API.md): drop it."""


class Executor:
    """Runs program steps on torch (the reference semantics of the program DSL)."""

    def __init__(self):
        self.vars = {}
        self.disposed = []       # disposed leaves: the graph still accumulates into their .grad
        self.stack = []
        self.hooks = []          # hook calls of the current step: [id, values]
        self.nhooks = 0
        self.optims = {}
        self.tainted = set()     # storage keys whose version torch bumped internally
        self.detached_inference = set()  # storage keys of inference tensors detached outside the mode
        self.aliased_operands = []  # operands of in-place ops that shared the target's storage
        self.aliased_view_disposed = False  # such an operand, a view, was disposed
        self.prev = {}           # name -> last recorded state (for deltas)
        self.stack_views = {}    # id -> torch.stack result that torch made a view
        self.retain_grad_failed = []  # tensors whose retain_grad raised reading grad_fn

    def arg(self, a):
        if isinstance(a, dict):
            return self.vars[a["t"]]
        if isinstance(a, list) and any(isinstance(x, dict) for x in a):
            return [self.arg(x) for x in a]
        return a

    # -- write-then-raise: torch writes an inference tensor before it raises ------------------
    def tracked_tensors(self):
        out = []
        for t in self.vars.values():
            out.append(t)
            if t.grad is not None:
                out.append(t.grad)
        for o in self.optims.values():
            for st in o.state.values():
                out.extend(v for v in st.values() if isinstance(v, torch.Tensor))
        return out

    def snapshot(self):
        with torch.inference_mode():
            return [(t, t.detach().clone()) for t in self.tracked_tensors()]

    @staticmethod
    def restore(snap):
        with torch.inference_mode():
            for t, old in snap:
                if not t.is_inference():
                    continue
                cur = t.detach()
                if cur.shape != old.shape:
                    continue
                if not bool(((cur == old) | (cur.isnan() & old.isnan())).all()):
                    t.data.copy_(old)

    def run(self, st):
        self.hooks = []
        mutating = st["do"] in ("call", "backward", "step", "zeroGrad", "fn", "grad")
        snap = self.snapshot() if mutating else None
        try:
            getattr(self, "do_" + st["do"])(st)
            res = {}
        except TORCH_ERRORS as e:
            if (st["do"] in ("backward", "grad") and self.aliased_view_disposed
                    and "modified by an inplace operation" in str(e)):
                # torch names the saved operand of `t.op_(v)` (v sharing t's storage) by v's
                # grad_fn at unpack time, regenerated for a view; once v is disposed webtorch
                # names the grad_fn v had then (README, "Differences from PyTorch")
                raise Skip("inplace-error-names-disposed-view") from e
            if snap is not None:
                self.restore(snap)
            res = {"e": str(e)}
        return res

    # -- steps ---------------------------------------------------------------------------------
    def do_tensor(self, s):
        self.vars[s["out"]] = torch.tensor(s["data"], dtype=torch.float32, requires_grad=s["requiresGrad"])

    def do_factory(self, s):
        fn = getattr(torch, snake(s["fn"]))
        self.vars[s["out"]] = fn(*[self.arg(a) for a in s["args"]], dtype=torch.float32,
                                 requires_grad=s["requiresGrad"])

    def do_call(self, s):
        t = self.vars[s["self"]]
        fn = snake(s["fn"])
        args = [self.arg(a) for a in s["args"]]
        if fn == "copy_" and args[0] is not t and storage_key(args[0]) == storage_key(t) and storage_key(t):
            raise Skip("copy-overlap")
        res = getattr(t, fn)(*args)
        if (fn.endswith("_") and not torch.is_inference_mode_enabled()
                and storage_key(t) is not None and storage_key(t) in self.detached_inference):
            # torch 1.13 lets an in-place op write through the detach of an inference tensor
            # into its storage; webtorch refuses, as for any inference tensor (README,
            # "Differences from PyTorch")
            raise Skip("write-through-detached-inference")
        key = storage_key(t)
        if fn.endswith("_") and fn != "requires_grad_" and key is not None:
            self.aliased_operands += [a for a in args if isinstance(a, torch.Tensor) and storage_key(a) == key]
        if s.get("out"):
            self.bind_fresh(s["out"], res, [t] + [a for a in args if isinstance(a, torch.Tensor)])

    def bind_fresh(self, out, res, inputs):
        self.vars[out] = res
        if not res.is_inference() and not res._is_view() and all(res is not i for i in inputs) \
                and res._version != 0:
            self.tainted.add(storage_key(res))

    def do_torchfn(self, s):
        args = [self.arg(a) for a in s["args"]]
        res = getattr(torch, snake(s["fn"]))(*args)
        if s["fn"] == "stack" and res._is_view():
            self.stack_views[id(res)] = res  # kept alive, so the id stays unique
        flat_in = [x for a in args for x in (a if isinstance(a, list) else [a]) if isinstance(x, torch.Tensor)]
        self.bind_fresh(s["out"], res, flat_in)

    def do_enter(self, s):
        es = contextlib.ExitStack()
        es.enter_context(MODES[s["mode"]]())
        self.stack.append(es)

    def do_exit(self, s):
        self.stack.pop().close()

    def do_setGradEnabled(self, s):
        torch.set_grad_enabled(s["flag"])

    def do_backward(self, s):
        g = None if s["gradient"] is None else self.vars[s["gradient"]["t"]]
        self.vars[s["t"]].backward(g, retain_graph=s["retainGraph"])

    def do_grad(self, s):
        outs = [self.vars[n] for n in s["outs"]]
        ins = [self.vars[n] for n in s["ins"]]
        res = torch.autograd.grad(outs, ins, retain_graph=s["retainGraph"])
        for name, g in zip(s["out"], res):
            if g is not None:
                self.vars[name] = g
                # a gradient torch built in place (or an expand view of one): its version is internal
                if not g.is_inference() and g._version != 0 and all(g is not t for t in outs + ins):
                    self.tainted.add(storage_key(g))

    def do_retainGrad(self, s):
        t = self.vars[s["t"]]
        if any(t is u for u in self.retain_grad_failed):
            # torch 1.13's retain_grad makes the tensor's C++ hook list before reading grad_fn;
            # when that read raised (a view changed in place through its base), the next call
            # finds the list and succeeds with a hook that never runs. webtorch refuses every
            # time, as for registerHook (README).
            raise Skip("retain-grad-after-failed-retain-grad")
        try:
            t.retain_grad()
        except TORCH_ERRORS as e:
            if "can't retain_grad" not in str(e):
                self.retain_grad_failed.append(t)
            raise

    def do_detach(self, s):
        src = self.vars[s["t"]]
        if src.is_inference() and not torch.is_inference_mode_enabled():
            self.detached_inference.add(storage_key(src))
        self.vars[s["out"]] = src.detach()

    def do_clone(self, s):
        self.bind_fresh(s["out"], self.vars[s["t"]].clone(), [self.vars[s["t"]]])

    def do_dispose(self, s):
        t = self.vars.pop(s["t"])
        if t._is_view() and any(a is t for a in self.aliased_operands):
            self.aliased_view_disposed = True
        if t.is_leaf and t.requires_grad:
            self.disposed.append(t)

    def do_hook(self, s):
        # every hook step takes an id, also one whose registration raises (as the runners count)
        hid = self.nhooks
        self.nhooks += 1
        kind, k = s["hook"], s.get("k")

        def hook(g):
            # torch passes None for an undefined gradient (a custom backward that returned None)
            self.hooks.append([hid, None if g is None else flat(g)])
            return g.mul(k) if kind == "scale" and g is not None else None

        t = self.vars[s["t"]]
        if t.requires_grad and t._backward_hooks is not None and not t._backward_hooks:
            # torch 1.13's Python register_hook makes the hook dict before reading grad_fn; when
            # that read raised (a no-grad view changed in place), the next registration skips it
            # and succeeds with a hook that never runs. webtorch refuses every time (README).
            raise Skip("hook-after-failed-hook")
        t.register_hook(hook)

    def do_fn(self, s):
        cls = custom_function(s["kind"], s["backward"], s.get("k"))
        args = [self.vars[n] for n in s["args"]]
        res = cls.apply(*args)
        res = res if isinstance(res, tuple) else (res,)
        for name, r in zip(s["out"], res):
            self.vars[name] = r
        # forward's x.detach() of an inference tensor outside the mode, as do_detach
        if s["kind"] == "detach" and args[0].is_inference() and not torch.is_inference_mode_enabled():
            self.detached_inference.add(storage_key(args[0]))
        # forward's x.clone() of an inference tensor outside the mode: torch's internal copy_
        # gave the clone version 1 (API.md: such counts start at 0 in webtorch)
        if s["kind"] == "inplaceClone" and args[0].is_inference() and not torch.is_inference_mode_enabled():
            self.tainted.add(storage_key(res[0]))

    def do_optim(self, s):
        params = [self.vars[n] for n in s["params"]]
        # torch returns the input itself from e.g. flatten() of a 1-D tensor, so two names can be
        # one parameter (torch warns about duplicates, shares its state); webtorch returns a new
        # object (README "Differences from PyTorch"): such programs are dropped.
        if len({id(p) for p in params}) < len(params):
            raise Skip("optimizer-duplicate-parameters")
        if s["kind"] == "sgd":
            self.optims[s["out"]] = torch.optim.SGD(params, lr=s["lr"], momentum=s["momentum"])
        else:
            self.optims[s["out"]] = torch.optim.Adam(params, lr=s["lr"])

    def do_step(self, s):
        self.optims[s["o"]].step()

    def do_zeroGrad(self, s):
        self.optims[s["o"]].zero_grad()

    # -- observation ---------------------------------------------------------------------------
    def inspect(self, t):
        """The fixtures' inspect (generate.py), values as shortest float32 decimals."""
        r = FixtureExecutor.do_inspect(SimpleNamespace(vars={"t": t}), {"t": "t"})
        del r["ok"]
        for k in ("values", "grad"):
            if isinstance(r[k], list):
                r[k] = [v if isinstance(v, str) else enc(v) for v in r[k]]
        if isinstance(r["version"], int):
            if r["isInference"] is True:
                r["version"] = {"unpinned": "inference-version"}
            elif storage_key(t) in self.tainted:
                r["version"] = {"unpinned": "fresh-version"}
        if id(t) in self.stack_views and r["isView"] is True:
            r["isView"] = {"unpinned": "stack-view"}
        if r["gradFn"] == "CopyBackwards":
            r["gradFn"] = {"unpinned": "copy-backwards"}
        return r

    def check_grad_aliasing(self):
        keys = {}
        for n, t in self.vars.items():
            k = storage_key(t)
            if k:
                keys[k] = n
        # also a disposed leaf's: torch accumulates into it in place, changing the user's tensor
        for t in list(self.vars.values()) + self.disposed:
            g = t.grad
            if g is not None and storage_key(g) in keys:
                raise Skip("grad-aliases-user-tensor")

    def observe(self):
        """The change of every variable's state since the last observation."""
        self.check_grad_aliasing()
        delta = {}
        for n in list(self.prev):
            if n not in self.vars:
                delta[n] = None
                del self.prev[n]
        for n, t in self.vars.items():
            cur = self.inspect(t)
            old = self.prev.get(n)
            if old is None:
                delta[n] = cur
            else:
                d = {k: v for k, v in cur.items() if old.get(k) != v}
                if d:
                    delta[n] = d
            self.prev[n] = cur
        return delta


def artifact_error(text):
    """torch 1.13 failures that webtorch deliberately does not copy (fixtures/README.md,
    "Unpinned values"): the program is dropped, since torch's later state follows the failure."""
    if "functions with out=... arguments" in text:
        return "out-variant-refuses-inference-tensor"
    if "INTERNAL ASSERT FAILED" in text:
        return "torch-internal-assert"
    if text.startswith("Expected a proper Tensor but got None") or text == "tensor does not have a device":
        # torch 1.13: the retain_grad hook of a custom Function output that gets no gradient
        # fails (MultiFn.apply(x)[0].retain_grad(); the other output's backward()); under
        # inference_mode + enable_grad the same failure reads "tensor does not have a device"
        return "torch-retain-grad-of-undefined-gradient"
    return None


class Program:
    def __init__(self, rng):
        self.rng = rng
        self.ex = Executor()
        self.steps = []
        self.record = []
        self.nvars = 0
        self.nopt = 0

    def fresh(self):
        self.nvars += 1
        return "t%d" % (self.nvars - 1)

    def step(self, st):
        res = self.ex.run(st)
        if "e" in res and artifact_error(res["e"]):
            raise Skip(artifact_error(res["e"]))
        res["m"] = [torch.is_grad_enabled(), torch.is_inference_mode_enabled()]
        if self.ex.hooks:
            res["h"] = self.ex.hooks
        delta = self.ex.observe()
        if delta:
            res["s"] = delta
            # a field whose reading hit a torch failure left unpinned (e.g. an internal assert)
            for fields in delta.values():
                for v in (fields or {}).values():
                    if isinstance(v, dict) and "error" in v and artifact_error(v["error"]):
                        raise Skip(artifact_error(v["error"]))
        self.steps.append(st)
        self.record.append(res)
        return "e" not in res

    # -- choosing operands ---------------------------------------------------------------------
    def names(self, pred=None):
        return [n for n, t in self.ex.vars.items() if pred is None or pred(t)]

    def pick(self, pred=None):
        ns = self.names(pred)
        return self.rng.choice(ns) if ns else None

    def shape(self, n):
        return list(self.ex.vars[n].shape)

    def data(self, shape):
        if not shape:
            return self.rng.choice(VALUES)
        return [self.data(shape[1:]) for _ in range(shape[0])]

    # -- step makers ---------------------------------------------------------------------------
    def leaf(self):
        shape = self.rng.choice(SHAPES)
        rg = self.rng.random() < 0.6
        out = self.fresh()
        if self.rng.random() < 0.8:
            self.step({"do": "tensor", "out": out, "data": self.data(shape), "dtype": "float32", "requiresGrad": rg})
        else:
            fn = self.rng.choice(["ones", "zeros", "full"])
            args = [shape] + ([self.rng.choice(VALUES)] if fn == "full" else [])
            self.step({"do": "factory", "out": out, "fn": fn, "args": args, "dtype": "float32", "requiresGrad": rg})

    def call(self, self_, fn, args, out=True):
        st = {"do": "call"}
        if out:
            st["out"] = self.fresh()
        st.update({"fn": fn, "self": self_, "args": args})
        return self.step(st)

    def unary(self):
        a = self.pick()
        r = self.rng.random()
        if r < 0.5:
            self.call(a, self.rng.choice(UNARY), [])
        elif r < 0.65:
            self.call(a, "pow", [2])
        elif r < 0.75:
            self.call(a, "clamp", [-1, 1])
        else:
            self.call(a, self.rng.choice(BINARY), [self.rng.choice(SCALARS)])

    def same_shape_partner(self, a):
        sh = self.shape(a)
        same = self.names(lambda t: list(t.shape) == sh)
        if same and self.rng.random() < 0.8:
            return self.rng.choice(same)
        return self.pick()

    def binary(self):
        a = self.pick()
        b = self.same_shape_partner(a)
        if self.rng.random() < 0.8:
            self.call(a, self.rng.choice(BINARY), [{"t": b}])
        else:
            self.step({"do": "torchfn", "out": self.fresh(), "fn": self.rng.choice(BINARY), "args": [{"t": a}, {"t": b}]})

    def reduction(self):
        a = self.pick()
        nd = len(self.shape(a))
        r = self.rng.random()
        if r < 0.4:
            self.call(a, "sum", [])
        elif r < 0.6:
            self.call(a, "mean", [])
        elif r < 0.8 and nd > 0:
            self.call(a, "sum", [self.rng.randrange(nd), self.rng.random() < 0.5])
        else:
            self.call(a, "max", [])

    def matmul(self):
        a = self.pick(lambda t: t.dim() == 2) or self.pick()
        sh = self.shape(a)
        cands = self.names(lambda t: t.dim() == 2 and len(sh) == 2 and t.shape[0] == sh[1])
        b = self.rng.choice(cands) if cands and self.rng.random() < 0.9 else self.pick()
        self.call(a, "matmul", [{"t": b}])

    def view(self):
        a = self.pick()
        sh = self.shape(a)
        nd = len(sh)
        numel = 1
        for d in sh:
            numel *= d
        r = self.rng.randrange(11)
        if r == 0:
            self.call(a, "view", [self.rng.choice([[-1], [1, numel], [numel, 1]])])
        elif r == 1:
            self.call(a, "reshape", [self.rng.choice([[-1], [numel, 1]] + ([list(reversed(sh))] if nd else []))])
        elif r == 2 and nd >= 1:
            self.call(a, "transpose", [0, nd - 1])
        elif r == 3 and nd >= 1:
            self.call(a, "permute", [list(reversed(range(nd)))])
        elif r == 4:
            self.call(a, "squeeze", [] if self.rng.random() < 0.5 or nd == 0 else [self.rng.randrange(nd)])
        elif r == 5:
            self.call(a, "unsqueeze", [self.rng.randrange(nd + 1)])
        elif r == 6:
            target = [2] + sh if (self.rng.random() < 0.5 or 1 not in sh) else [3 if d == 1 else d for d in sh]
            self.call(a, "expand", [target])
        elif r == 7 and nd >= 1 and sh[0] >= 2:
            self.call(a, "narrow", [0, self.rng.randrange(2), sh[0] - 1])
        elif r == 8 and nd >= 1:
            d = self.rng.randrange(nd)
            self.call(a, "select", [d, self.rng.randrange(max(sh[d], 1))])
        elif r == 9:
            self.call(a, "flatten", [])
        else:
            self.step({"do": "detach", "t": a, "out": self.fresh()})

    def inplace(self):
        a = self.pick()
        fn = self.rng.choice(INPLACE)
        if fn in ("add_", "sub_", "mul_", "div_"):
            arg = {"t": self.same_shape_partner(a)} if self.rng.random() < 0.5 else self.rng.choice(SCALARS)
            args = [arg]
        elif fn == "fill_":
            args = [self.rng.choice(VALUES)]
        elif fn == "copy_":
            args = [{"t": self.same_shape_partner(a)}]
        elif fn == "clamp_":
            args = [-1, 1]
        else:
            args = []
        self.call(a, fn, args, out=False)

    def requires_grad(self):
        self.call(self.pick(), "requiresGrad_", [self.rng.random() < 0.7], out=False)

    def hook(self):
        a = self.pick(lambda t: t.requires_grad) or self.pick()
        st = {"do": "hook", "t": a, "hook": self.rng.choice(["log", "scale"])}
        if st["hook"] == "scale":
            st["k"] = self.rng.choice(HOOK_K)
        self.step(st)
        if self.rng.random() < 0.5:
            self.backward_through(a)  # so that hooks run often, not only by chance

    def retain(self):
        a = self.pick()
        self.step({"do": "retainGrad", "t": a})
        if self.rng.random() < 0.4:
            self.backward_through(a)

    def backward_through(self, a):
        """A backward from a fresh sum of `a` (or of a tensor computed from it)."""
        if self.rng.random() < 0.5:
            b = self.fresh()
            self.step({"do": "call", "out": b, "fn": self.rng.choice(["mul", "add"]), "self": a,
                       "args": [self.rng.choice(SCALARS)]})
            a = b if b in self.ex.vars else a
        s = self.fresh()
        self.step({"do": "call", "out": s, "fn": "sum", "self": a, "args": []})
        if s in self.ex.vars:
            self.step({"do": "backward", "t": s, "gradient": None, "retainGraph": self.rng.random() < 0.6})

    def backward(self):
        a = self.pick(lambda t: t.requires_grad) or self.pick()
        retain = self.rng.random() < 0.6
        t = self.ex.vars[a]
        r = self.rng.random()
        if t.numel() == 1 and r < 0.4:
            self.step({"do": "backward", "t": a, "gradient": None, "retainGraph": retain})
        elif r < 0.8:
            s = self.fresh()
            self.step({"do": "call", "out": s, "fn": "sum", "self": a, "args": []})
            if s in self.ex.vars:
                self.step({"do": "backward", "t": s, "gradient": None, "retainGraph": retain})
        else:
            g = self.fresh()
            self.step({"do": "factory", "out": g, "fn": "ones", "args": [self.shape(a)], "dtype": "float32",
                       "requiresGrad": False})
            self.step({"do": "backward", "t": a, "gradient": {"t": g}, "retainGraph": retain})

    def grad(self):
        a = self.pick(lambda t: t.requires_grad) or self.pick()
        s = self.fresh()
        self.step({"do": "call", "out": s, "fn": "sum", "self": a, "args": []})
        if s not in self.ex.vars:
            return
        ins = self.names(lambda t: t.requires_grad)
        self.rng.shuffle(ins)
        nodes = reachable(self.ex.vars[s])
        ins.sort(key=lambda n: not in_graph(self.ex.vars[n], nodes))  # stable: in-graph first
        ins = [n for n in ins if n != s][: self.rng.randint(1, 2)] or [a]
        self.step({"do": "grad", "outs": [s], "ins": ins, "gradOutputs": None,
                   "retainGraph": self.rng.random() < 0.6, "out": [self.fresh() for _ in ins]})

    def fn(self):
        kind = self.rng.choice(FN_KINDS)
        a = self.pick(lambda t: t.requires_grad) if self.rng.random() < 0.7 else self.pick()
        a = a or self.pick()
        args = [a, self.same_shape_partner(a)] if kind == "new2" else [a]
        nout = 2 if kind.startswith("multi") else 1
        st = {"do": "fn", "out": [self.fresh() for _ in range(nout)], "kind": kind, "args": args,
              "backward": self.rng.choice(FN_BACKWARDS)}
        if st["backward"] == "scale":
            st["k"] = self.rng.choice(HOOK_K)
        self.step(st)

    def optim(self):
        if not self.ex.optims or self.rng.random() < 0.15:
            params = self.names(lambda t: safe_is_leaf(t) and t.requires_grad)
            if not params:
                return
            self.rng.shuffle(params)
            st = {"do": "optim", "out": "o%d" % self.nopt, "params": params[: self.rng.randint(1, 2)]}
            self.nopt += 1
            if self.rng.random() < 0.5:
                st.update({"kind": "sgd", "lr": 0.5, "momentum": self.rng.choice([0, 0.9])})
            else:
                st.update({"kind": "adam", "lr": 0.1})
            self.step(st)
            return
        o = self.rng.choice(sorted(self.ex.optims))
        self.step({"do": self.rng.choice(["step", "step", "zeroGrad"]), "o": o})

    def join(self):
        a = self.pick()
        b = self.same_shape_partner(a)
        fn = self.rng.choice(["cat", "stack"])
        nd = len(self.shape(a))
        self.step({"do": "torchfn", "out": self.fresh(), "fn": fn,
                   "args": [[{"t": a}, {"t": b}], self.rng.randrange(max(nd, 1) + (fn == "stack"))]})

    def dispose(self):
        params = {id(p) for o in self.ex.optims.values() for g in o.param_groups for p in g["params"]}
        keys = {}
        for n, t in self.ex.vars.items():
            keys.setdefault(storage_key(t), []).append(n)
        cands = [n for n, t in self.ex.vars.items()
                 if id(t) not in params and len(keys[storage_key(t)]) == 1 and storage_key(t)
                 and sum(1 for u in self.ex.vars.values() if u is t) == 1]
        if cands:
            self.step({"do": "dispose", "t": self.rng.choice(cands)})

    def mode(self):
        depth = len(self.ex.stack)
        if depth > 0 and (depth == 3 or self.rng.random() < 0.4):
            self.step({"do": "exit"})
        elif self.rng.random() < 0.2:
            self.step({"do": "setGradEnabled", "flag": self.rng.random() < 0.5})
        else:
            self.step({"do": "enter", "mode": self.rng.choice(list(MODES))})

    MAKERS = [("leaf", 5), ("mode", 10), ("unary", 7), ("binary", 7), ("reduction", 3), ("matmul", 2),
              ("view", 10), ("inplace", 12), ("requires_grad", 2), ("hook", 4), ("retain", 3), ("backward", 6),
              ("grad", 3), ("fn", 6), ("optim", 5), ("join", 3), ("clone", 2), ("dispose", 2)]

    def generate(self):
        n = self.rng.randint(5, 40)
        self.leaf()
        kinds = [k for k, w in self.MAKERS for _ in range(w)]
        while len(self.steps) < n:
            if len(self.ex.vars) == 0:
                self.leaf()
                continue
            k = self.rng.choice(kinds)
            if k == "clone":
                self.step({"do": "clone", "t": self.pick(), "out": self.fresh()})
            else:
                getattr(self, k)()
        while self.ex.stack:
            self.step({"do": "exit"})
        if not torch.is_grad_enabled():
            self.step({"do": "setGradEnabled", "flag": True})
        return {"steps": self.steps, "record": self.record}


def generate_program(seed, index):
    rng = random.Random(seed * 1000003 + index)
    p = Program(rng)
    try:
        prog = p.generate()
    finally:
        while p.ex.stack:
            p.ex.stack.pop().close()
        torch.set_grad_enabled(True)
    return prog


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--programs", type=int, default=5000)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--stride", type=int, default=1, help="for parallel runs: use program indices offset, offset+stride, ...")
    ap.add_argument("--offset", type=int, default=0)
    a = ap.parse_args()
    skipped = {}
    lines = []
    index = a.offset
    while len(lines) < a.programs:
        try:
            prog = generate_program(a.seed, index)
        except Skip as e:
            skipped[str(e)] = skipped.get(str(e), 0) + 1
            index += a.stride
            continue
        prog = {"id": index, **prog}
        lines.append(json.dumps(prog, separators=(",", ":")))
        index += a.stride
    header = {"generator": GENERATOR, "torch": torch.__version__, "seed": a.seed, "programs": len(lines),
              "skipped": dict(sorted(skipped.items())), "unpinned": UNPIN}
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="", compresslevel=9) as gz:
        gz.write((json.dumps(header, separators=(",", ":")) + "\n").encode())
        for line in lines:
            gz.write((line + "\n").encode())
    with open(a.out, "wb") as f:
        f.write(buf.getvalue())
    print("%s: %d programs (seed %d), %d skipped %s, %d bytes" % (
        a.out, len(lines), a.seed, sum(skipped.values()), skipped, len(buf.getvalue())), file=sys.stderr)


if __name__ == "__main__":
    main()
