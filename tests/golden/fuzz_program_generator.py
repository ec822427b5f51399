"""A seeded generator of small gradcli programs that are also valid Python over PyTorch.

`program(seed)` writes one program: a preamble (`import torch` ...), one to three leaf tensors
(float32, float64, int64 or bool, 0-d to 3-d, with special values now and then: 0, -0.0,
inf, nan, huge, tiny, ties), a chain of one to four operations from SPEC §4.1 (arithmetic
with broadcasting and Python numbers on either side, unary math, activations, clamp / pow /
maximum / minimum / where, reductions with dim and keepdim, softmax, the matmul family, shape
ops, indexing, cat / stack, losses), prints of the result and of its grad_fn and
next_functions names, a `backward()` (or `backward(gradient=...)`), and every leaf's `.grad`.

The generator follows shapes and dtypes so that most programs run; a few are meant to fail
(a shape mismatch, an integer leaf that requires grad, ...), and an error ends the program:
the recorder keeps its type and message. PyTorch behaviours gradcli documents as differing are
left out by construction (see `UNARY` and `_float_unary_allowed`): MKL's closed vector math
(float64 tanh and GELU, float32 tanh / erf / log, and sinh / cosh in both, found here),
tanh-approximate GELU, float32 subnormal inputs (MKL flushes them), `True ** tensor` (an
internal assert in PyTorch 2.13) and reductions over more than 32768 elements (shapes here
stay tiny). Not generated: in-place ops, views under no_grad, split/chunk/tensor_split, tuple
dims of reductions, `grad_fn._saved_*` (other helpers' areas, or a later extension).
Shared by tests/golden/record_fuzz_programs.py (PyTorch) and tests/engine/test_fuzz_programs_*.
"""

from __future__ import annotations

import random

PREAMBLE = "import torch\nimport torch.nn.functional as F\n"

FLOAT_TYPES = ("float32", "float64")

# Values a float leaf draws from now and then (besides short decimals), as Python source.
# (float32 subnormals are left out: MKL's float32 math flushes them to zero.)
SPECIAL_FLOATS = ("0.0", "-0.0", "float('inf')", "-float('inf')", "float('nan')", "1e+30",
                  "-1e+30", "1e-30", "3e+38", "1e+300", "-1e-310", "1.0", "-1.0", "0.5", "2.0")

# Unary functions: (source template, domain note). `{x}` is the operand.
UNARY = {
    "neg": "-{x}", "abs": "torch.abs({x})", "sign": "torch.sign({x})", "sqrt": "torch.sqrt({x})",
    "square": "torch.square({x})", "reciprocal": "{x}.reciprocal()", "exp": "torch.exp({x})",
    "log": "torch.log({x})", "log1p": "torch.log1p({x})", "expm1": "{x}.expm1()",
    "sin": "torch.sin({x})", "cos": "{x}.cos()", "tan": "torch.tan({x})",
    "asin": "torch.asin({x})", "acos": "{x}.acos()", "atan": "torch.atan({x})",
    "sinh": "torch.sinh({x})", "cosh": "torch.cosh({x})", "sigmoid": "torch.sigmoid({x})",
    "relu": "torch.relu({x})", "F.relu": "F.relu({x})", "softplus": "F.softplus({x})",
    "softplus_beta": "F.softplus({x}, beta=2.0, threshold=3.0)", "gelu": "F.gelu({x})",
    "leaky_relu": "F.leaky_relu({x}, 0.2)", "elu": "F.elu({x})",
    "elu_alpha": "F.elu({x}, alpha=0.5)", "erf": "torch.erf({x})", "tanh": "torch.tanh({x})",
    "exp_method": "{x}.exp()", "sigmoid_method": "{x}.sigmoid()", "abs_method": "{x}.abs()",
    "clamp_both": "torch.clamp({x}, min={lo}, max={hi})", "clamp_min": "{x}.clamp(min={lo})",
    "clamp_max": "{x}.clamp(max={hi})", "clamp_pos": "{x}.clamp({lo}, {hi})",
    "pow_number": "{x} ** {p}", "pow_fn": "torch.pow({x}, {p})", "rpow": "{n} ** {x}",
    "caret": "{x}.pow({p})",
}

# PyTorch 2.13 computes these with MKL's closed vector math (VML), whose last bit differs
# from the correctly rounded value gradcli gives: float64 tanh and GELU, float32 tanh, erf
# and log (documented), and sinh / cosh in both (found here: 1509.4281 vs 1509.4280).
_MKL_FLOAT32 = ("tanh", "erf", "log", "sinh", "cosh")
_MKL_FLOAT64 = ("tanh", "gelu", "sinh", "cosh")

BINARY = {"+": "{a} + {b}", "-": "{a} - {b}", "*": "{a} * {b}", "/": "{a} / {b}",
          "**": "{a} ** {b}", "add": "torch.add({a}, {b})", "sub_alpha": "torch.sub({a}, {b}, alpha=2)",
          "mul": "torch.mul({a}, {b})", "div": "{a}.div({b})", "maximum": "torch.maximum({a}, {b})",
          "minimum": "torch.minimum({a}, {b})", "pow": "torch.pow({a}, {b})",
          "where": "torch.where({a} > {b}, {a}, {b})", "where_scalar": "torch.where({a} < 0, {b}, {a})",
          "eq": "{a} == {b}", "lt": "{a} < {b}"}

REDUCTIONS = ("sum", "mean", "prod", "max", "min", "norm", "var", "std", "logsumexp", "amax")


class Var:
    def __init__(self, name: str, shape: tuple, dtype: str, grad: bool, leaf: bool = False):
        self.name, self.shape, self.dtype, self.grad, self.leaf = name, shape, dtype, grad, leaf

    @property
    def floating(self) -> bool:
        return self.dtype in FLOAT_TYPES


def _broadcast(a: tuple, b: tuple):
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            return None
        out.append(max(x, y) if 1 in (x, y) else x)
    return tuple(reversed(out))


def _promote(*dtypes_: str, dims=None) -> str:
    """Result dtype category of a binary op (PyTorch's rule: a 0-d tensor does not widen a
    dimensioned one of the same kind). `dims` gives each operand's rank (None for a number)."""
    order = ("bool", "int64", "float32", "float64")
    ranked = [d for d, n in zip(dtypes_, dims or [1] * len(dtypes_)) if n]
    zero = [d for d, n in zip(dtypes_, dims or [1] * len(dtypes_)) if not n]
    best = max(ranked, key=order.index) if ranked else "bool"
    for d in zero:
        if _kind(d) > _kind(best):
            best = d if d != "float64" or not ranked else ("float32" if _kind(best) < 2 else best)
    return best


def _kind(dtype: str) -> int:
    return {"bool": 0, "int64": 1, "float32": 2, "float64": 2}[dtype]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.lines: list = [PREAMBLE.rstrip("\n")]
        self.vars: list = []
        self.leaves: list = []
        self.count = 0

    # ---- leaves --------------------------------------------------------------------------
    def _float_literal(self, dtype: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.07:
            value = rng.choice(SPECIAL_FLOATS)
            if dtype == "float32" and value in ("1e+300", "-1e-310"):
                value = "1e+39" if value == "1e+300" else "-1e-30"
            return value
        if roll < 0.2:
            return rng.choice(("1.0", "2.0", "-1.0", "0.5"))   # ties for max / min / sort
        digits = rng.choice((1, 1, 2, 3))
        return repr(round(rng.uniform(-3, 3), digits))

    def _literal(self, shape: tuple, dtype: str) -> str:
        def element() -> str:
            if dtype == "bool":
                return self.rng.choice(("True", "False"))
            if dtype == "int64":
                return str(self.rng.randint(-4, 5))
            return self._float_literal(dtype)

        def build(dims: tuple) -> str:
            if not dims:
                return element()
            return "[" + ", ".join(build(dims[1:]) for _ in range(dims[0])) + "]"

        return build(shape)

    def leaf(self, shape: tuple, dtype: str, grad=None) -> Var:
        if grad is None:
            grad = dtype in FLOAT_TYPES and self.rng.random() < 0.85
        name = f"x{len(self.leaves)}"
        args = [self._literal(shape, dtype)]
        if dtype == "float64":
            args.append("dtype=torch.float64")
        if grad:
            args.append("requires_grad=True")
        self.lines.append(f"{name} = torch.tensor({', '.join(args)})")
        var = Var(name, shape, dtype, grad, leaf=True)
        self.leaves.append(var)
        self.vars.append(var)
        return var

    def random_shape(self) -> tuple:
        return self.rng.choice(((), (3,), (4,), (2, 3), (3, 4), (4, 5), (2, 3, 4), (1, 3),
                                (3, 1), (2, 1, 3), (5,), (2, 2)))

    def random_dtype(self) -> str:
        return self.rng.choices(("float32", "float64", "int64", "bool"), (10, 4, 2, 1))[0]

    def partner_shape(self, shape: tuple) -> tuple:
        """A shape that broadcasts with `shape` (rarely one that does not)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.4 or not shape:
            return shape if roll < 0.9 or not shape else ()
        if roll < 0.6:
            return tuple(1 if rng.random() < 0.5 else n for n in shape)
        if roll < 0.8:
            return shape[rng.randint(1, len(shape)):] if len(shape) > 1 else ()
        if roll < 0.95:
            return (1,) + shape if len(shape) < 3 else shape
        return tuple(n + 1 for n in shape)          # a mismatch: PyTorch's error is the output

    # ---- expressions ---------------------------------------------------------------------
    def number(self, integral_ok=True) -> str:
        rng = self.rng
        if integral_ok and rng.random() < 0.3:
            return str(rng.randint(-3, 4))
        if rng.random() < 0.08:
            return rng.choice(("float('inf')", "0.0", "-0.0", "True", "1e+20"))
        return repr(round(rng.uniform(-2.5, 2.5), 1))

    def emit(self, expr: str, shape: tuple, dtype: str, grad: bool) -> Var:
        self.count += 1
        name = f"v{self.count}"
        self.lines.append(f"{name} = {expr}")
        var = Var(name, shape, dtype, grad and dtype in FLOAT_TYPES)
        self.vars.append(var)
        return var

    def pick(self) -> Var:
        # Mostly the newest value, so the chain is a chain.
        return self.vars[-1] if self.rng.random() < 0.7 else self.rng.choice(self.vars)

    def _float_unary_allowed(self, name: str, dtype: str) -> bool:
        base = name.split("_")[0]
        result = dtype if dtype in FLOAT_TYPES else "float32"
        if result == "float32" and base in _MKL_FLOAT32:
            return False
        if result == "float64" and base in _MKL_FLOAT64:
            return False
        return True

    def op_unary(self, x: Var) -> Var:
        names = [n for n in UNARY if self._float_unary_allowed(n, x.dtype)]
        name = self.rng.choice(names)
        lo, hi = self.number(), self.number()
        base = self.number()
        if base == "True":           # True ** tensor trips an internal assert in PyTorch 2.13
            base = "2"
        expr = UNARY[name].format(x=x.name, lo=lo, hi=hi, p=self.number(), n=base)
        if name in ("neg", "abs", "abs_method", "sign", "square", "relu", "F.relu", "clamp_both",
                    "clamp_min", "clamp_max", "clamp_pos") or name.startswith("pow") or name == "caret":
            dtype = x.dtype
            if name.startswith("pow") or name == "caret" or name.startswith("clamp"):
                dtype = "float32" if x.dtype in ("int64", "bool") and "." in expr else x.dtype
        else:
            dtype = x.dtype if x.floating else "float32"
        return self.emit(expr, x.shape, dtype, x.grad)

    def op_binary(self, a: Var) -> Var:
        rng = self.rng
        name = rng.choice(list(BINARY))
        roll = rng.random()
        if roll < 0.35 and name not in ("maximum", "minimum", "where"):
            # A Python number on either side.
            n = self.number()
            if n == "True" and name == "**":     # (see op_unary)
                n = "2"
            left, right = (n, a.name) if rng.random() < 0.5 else (a.name, n)
            if name in ("where", "where_scalar", "sub_alpha", "maximum", "minimum", "div", "add",
                        "mul", "pow") and left == n:
                left, right = a.name, n
            if name == "where":
                left, right = a.name, n
            expr = BINARY[name].format(a=left, b=right)
            number_kind = "float32" if "." in n or "inf" in n else ("bool" if n == "True" else "int64")
            dtype = _promote(a.dtype, number_kind, dims=[len(a.shape) + 1, 0])
            if dtype == "float32" and a.dtype == "float64":
                dtype = "float64"
            shape = a.shape
            grad = a.grad
        else:
            others = [v for v in self.vars if v is not a and _broadcast(v.shape, a.shape) is not None]
            if others and rng.random() < 0.5:
                b = rng.choice(others)
            else:
                b = self.leaf(self.partner_shape(a.shape), self.random_dtype())
            left, right = (a, b) if rng.random() < 0.7 else (b, a)
            expr = BINARY[name].format(a=left.name, b=right.name)
            shape = _broadcast(a.shape, b.shape) or a.shape
            dtype = _promote(a.dtype, b.dtype, dims=[len(a.shape), len(b.shape)])
            grad = a.grad or b.grad
        if name in ("eq", "lt"):
            dtype, grad = "bool", False
        elif name in ("/", "div") and dtype in ("int64", "bool"):
            dtype = "float32"
        return self.emit(expr, shape, dtype, grad)

    def op_reduce(self, x: Var) -> Var:
        rng = self.rng
        name = rng.choice(REDUCTIONS)
        if x.dtype in ("int64", "bool") and name in ("mean", "norm", "var", "std", "logsumexp"):
            name = rng.choice(("sum", "prod", "max", "amax"))
        dtype = "int64" if x.dtype == "bool" and name in ("sum", "prod") else x.dtype
        if name == "logsumexp" and x.dtype in ("int64", "bool"):
            dtype = "float32"
        if not x.shape or rng.random() < 0.3:
            if name == "amax":
                return self.emit(f"{x.name}.amax()", (), dtype, x.grad)
            if name == "logsumexp":
                return self.emit(f"torch.logsumexp({x.name}, 0)" if x.shape else
                                 f"{x.name}.logsumexp(0)", x.shape[1:], dtype, x.grad)
            call = f"torch.{name}({x.name})" if rng.random() < 0.4 else f"{x.name}.{name}()"
            return self.emit(call, (), dtype, x.grad)
        dim = rng.randrange(-len(x.shape), len(x.shape))
        keep = rng.random() < 0.35
        shape = list(x.shape)
        if keep:
            shape[dim] = 1
        else:
            del shape[dim]
        extra = ", keepdim=True" if keep else ""
        if name in ("max", "min"):
            pick = rng.choice((".values", "[0]", ".indices"))
            if pick == ".indices":
                dtype = "int64"
            return self.emit(f"{x.name}.{name}(dim={dim}{extra}){pick}", tuple(shape), dtype,
                             x.grad and pick != ".indices")
        if name == "norm":
            p = rng.choice(("", "p=1, ", "p=float('inf'), ", "p=3, "))
            return self.emit(f"{x.name}.norm({p}dim={dim}{extra})", tuple(shape), dtype, x.grad)
        if name in ("var", "std") and rng.random() < 0.3:
            return self.emit(f"torch.{name}({x.name}, dim={dim}, unbiased=False{extra})",
                             tuple(shape), dtype, x.grad)
        return self.emit(f"{x.name}.{name}(dim={dim}{extra})" if name != "logsumexp" else
                         f"torch.logsumexp({x.name}, dim={dim}{extra})", tuple(shape), dtype, x.grad)

    def op_softmax(self, x: Var) -> Var:
        if not x.shape:
            return self.op_unary(x)
        dim = self.rng.randrange(-len(x.shape), len(x.shape))
        fn = self.rng.choice(("F.softmax", "F.log_softmax", "torch.softmax", "torch.log_softmax"))
        tail = ", dtype=torch.float64" if self.rng.random() < 0.1 else ""
        dtype = "float64" if tail else x.dtype
        return self.emit(f"{fn}({x.name}, dim={dim}{tail})", x.shape, dtype, x.grad)

    def op_matmul(self, x: Var) -> Var:
        rng = self.rng
        dtype = x.dtype if x.floating else "float32"
        if len(x.shape) == 1:
            n = x.shape[0]
            kind = rng.choice(("dot", "outer", "matvec", "vecmat"))
            if kind == "dot":
                y = self.leaf((n,), dtype)
                return self.emit(rng.choice((f"torch.dot({x.name}, {y.name})",
                                             f"{x.name} @ {y.name}", f"{x.name}.dot({y.name})")),
                                 (), dtype, x.grad or y.grad)
            if kind == "outer":
                m = rng.randint(1, 4)
                y = self.leaf((m,), dtype)
                return self.emit(f"torch.outer({x.name}, {y.name})", (n, m), dtype, x.grad or y.grad)
            if kind == "matvec":
                m = rng.randint(1, 4)
                y = self.leaf((m, n), dtype)
                return self.emit(f"{y.name} @ {x.name}", (m,), dtype, x.grad or y.grad)
            m = rng.randint(1, 4)
            y = self.leaf((n, m), dtype)
            return self.emit(f"torch.matmul({x.name}, {y.name})", (m,), dtype, x.grad or y.grad)
        if len(x.shape) == 2:
            k = x.shape[1]
            m = rng.randint(1, 4)
            y = self.leaf((k if rng.random() < 0.93 else k + 1, m), dtype)
            fn = rng.choice(("torch.mm({a}, {b})", "{a} @ {b}", "{a}.matmul({b})", "{a}.mm({b})"))
            return self.emit(fn.format(a=x.name, b=y.name), (x.shape[0], m), dtype, x.grad or y.grad)
        if len(x.shape) == 3:
            k = x.shape[2]
            m = rng.randint(1, 3)
            y = self.leaf((k, m) if rng.random() < 0.5 else (x.shape[0], k, m), dtype)
            return self.emit(f"torch.matmul({x.name}, {y.name})", x.shape[:2] + (m,), dtype,
                             x.grad or y.grad)
        return self.op_unary(x)

    def op_shape(self, x: Var) -> Var:
        rng = self.rng
        shape = x.shape
        size = 1
        for n in shape:
            size *= n
        choices = ["reshape", "flatten", "unsqueeze", "view"]
        if len(shape) == 2:
            choices += ["t", "T", "transpose"]
        if len(shape) >= 2:
            choices += ["transpose", "permute"]
        if 1 in shape:
            choices += ["squeeze", "squeeze_dim", "expand"]
        name = rng.choice(choices)
        if name == "reshape" or name == "view":
            target = rng.choice([(size,), (-1,), (1, size)] + ([(shape[-1], -1)] if shape else []))
            new = tuple(size // shape[-1] if n == -1 and len(target) == 2 else
                        (size if n == -1 else n) for n in target)
            src = ", ".join(str(n) for n in target)
            fn = name if name == "reshape" or rng.random() < 0.5 else "reshape"
            if fn == "view" and rng.random() < 0.5 and len(shape) >= 2:
                # a view of a non-contiguous tensor is an error PyTorch names
                return self.emit(f"{x.name}.transpose(0, 1).view({src})",
                                 new, x.dtype, x.grad)
            return self.emit(f"{x.name}.{fn}({src})", new, x.dtype, x.grad)
        if name == "flatten":
            return self.emit(f"torch.flatten({x.name})", (size,), x.dtype, x.grad)
        if name == "unsqueeze":
            dim = rng.randint(-len(shape) - 1, len(shape))
            new = list(shape)
            new.insert(dim if dim >= 0 else len(shape) + 1 + dim, 1)
            return self.emit(f"{x.name}.unsqueeze({dim})", tuple(new), x.dtype, x.grad)
        if name in ("t", "T"):
            return self.emit(f"{x.name}.t()" if name == "t" else f"{x.name}.T", shape[::-1],
                             x.dtype, x.grad)
        if name == "transpose":
            i, j = rng.sample(range(len(shape)), 2)
            new = list(shape)
            new[i], new[j] = new[j], new[i]
            return self.emit(f"torch.transpose({x.name}, {i}, {j})", tuple(new), x.dtype, x.grad)
        if name == "permute":
            order = list(range(len(shape)))
            rng.shuffle(order)
            return self.emit(f"{x.name}.permute({', '.join(map(str, order))})",
                             tuple(shape[i] for i in order), x.dtype, x.grad)
        if name == "squeeze":
            return self.emit(f"{x.name}.squeeze()", tuple(n for n in shape if n != 1), x.dtype,
                             x.grad)
        if name == "squeeze_dim":
            dim = shape.index(1)
            return self.emit(f"torch.squeeze({x.name}, {dim})", shape[:dim] + shape[dim + 1:],
                             x.dtype, x.grad)
        new = tuple(3 if n == 1 else n for n in shape)
        target = ", ".join(str(n if n != 1 and rng.random() < 0.5 else (3 if n == 1 else -1))
                           for n in shape)
        return self.emit(f"{x.name}.expand({target})", new, x.dtype, x.grad)

    def op_index(self, x: Var) -> Var:
        rng = self.rng
        shape = x.shape
        if not shape:
            return self.op_unary(x)
        kind = rng.choice(("int", "slice", "step", "ellipsis", "mask", "list", "neg", "none"))
        if kind == "int":
            i = rng.randrange(-shape[0], shape[0])
            return self.emit(f"{x.name}[{i}]", shape[1:], x.dtype, x.grad)
        if kind == "neg":
            return self.emit(f"{x.name}[-1]", shape[1:], x.dtype, x.grad)
        if kind == "slice":
            lo = rng.randint(0, shape[0] - 1)
            hi = rng.randint(lo + 1, shape[0])
            if len(shape) >= 2:
                j = rng.randrange(shape[1])
                return self.emit(f"{x.name}[{lo}:{hi}, {j}:]", (hi - lo, shape[1] - j) + shape[2:],
                                 x.dtype, x.grad)
            return self.emit(f"{x.name}[{lo}:{hi}]", (hi - lo,), x.dtype, x.grad)
        if kind == "step":
            n = len(range(0, shape[-1], 2))
            return self.emit(f"{x.name}[..., ::2]", shape[:-1] + (n,), x.dtype, x.grad)
        if kind == "ellipsis":
            return self.emit(f"{x.name}[..., 0]", shape[:-1], x.dtype, x.grad)
        if kind == "none":
            return self.emit(f"{x.name}[None]", (1,) + shape, x.dtype, x.grad)
        if kind == "list":
            picks = [rng.randrange(shape[0]) for _ in range(rng.randint(1, 3))]
            return self.emit(f"{x.name}[{picks}]", (len(picks),) + shape[1:], x.dtype, x.grad)
        # boolean mask: the shape depends on the values; later ops only need its rank
        size = -1
        return self.emit(f"{x.name}[{x.name} > 0]" if x.dtype != "bool" else f"{x.name}[{x.name}]",
                         (size,), x.dtype, x.grad)

    def op_join(self, x: Var) -> Var:
        rng = self.rng
        if rng.random() < 0.5 and x.shape:
            dim = rng.randrange(-len(x.shape), len(x.shape))
            other = list(x.shape)
            other[dim] = rng.randint(1, 3) if other[dim] != -1 else -1
            if -1 in other:
                return self.op_unary(x)
            y = self.leaf(tuple(other), x.dtype if rng.random() < 0.8 else self.random_dtype())
            new = list(x.shape)
            new[dim] += other[dim]
            parts = f"[{x.name}, {y.name}]" if rng.random() < 0.5 else f"({y.name}, {x.name})"
            return self.emit(f"torch.cat({parts}, dim={dim})", tuple(new),
                             _promote(x.dtype, y.dtype), x.grad or y.grad)
        if -1 in x.shape:
            return self.op_unary(x)
        dim = rng.randint(0, len(x.shape))
        y = self.leaf(x.shape, x.dtype)
        new = list(x.shape)
        new.insert(dim, 2)
        return self.emit(f"torch.stack([{x.name}, {y.name}], dim={dim})", tuple(new), x.dtype,
                         x.grad or y.grad)

    def op_loss(self, x: Var) -> Var:
        rng = self.rng
        reduction = rng.choice(("", "", ", reduction='sum'", ", reduction='none'"))
        kind = rng.choice(("mse", "bce", "ce", "ce_probs"))
        dtype = x.dtype if x.floating else "float32"
        out_shape = x.shape if "none" in reduction else ()
        if kind == "mse" or (kind.startswith("ce") and len(x.shape) != 2):
            y = self.leaf(x.shape if rng.random() < 0.9 else self.partner_shape(x.shape),
                          dtype, grad=rng.random() < 0.3)
            return self.emit(f"F.mse_loss({x.name}, {y.name}{reduction})", out_shape, dtype,
                             x.grad or y.grad)
        if kind == "bce":
            p = self.emit(f"torch.sigmoid({x.name})", x.shape, dtype, x.grad)
            target = self.leaf(x.shape, dtype, grad=False)
            self.lines[-1] = (f"{target.name} = torch.tensor({self._unit_literal(x.shape)}"
                              f"{', dtype=torch.float64' if dtype == 'float64' else ''})")
            weight = f", weight={target.name}" if rng.random() < 0.2 else ""
            return self.emit(f"F.binary_cross_entropy({p.name}, {target.name}{weight}{reduction})",
                             out_shape, dtype, x.grad)
        n, c = x.shape
        if kind == "ce":
            labels = [rng.randrange(c) for _ in range(n)]
            target = f"torch.tensor({labels})"
            smooth = ", label_smoothing=0.1" if rng.random() < 0.2 else ""
            return self.emit(f"F.cross_entropy({x.name}, {target}{smooth}{reduction})",
                             (n,) if "none" in reduction else (), dtype, x.grad)
        target = self.leaf(x.shape, dtype, grad=False)
        self.lines[-1] = (f"{target.name} = torch.softmax(torch.tensor({self._literal(x.shape, dtype)}"
                          f"{', dtype=torch.float64' if dtype == 'float64' else ''}), dim=1)")
        return self.emit(f"F.cross_entropy({x.name}, {target.name}{reduction})",
                         (n,) if "none" in reduction else (), dtype, x.grad)

    def _unit_literal(self, shape: tuple) -> str:
        def build(dims):
            if not dims:
                return self.rng.choice(("0.0", "1.0", "0.25", "0.5", "0.75"))
            return "[" + ", ".join(build(dims[1:]) for _ in range(dims[0])) + "]"
        return build(shape)

    # ---- the program -----------------------------------------------------------------------
    OPS = (("unary", 8), ("binary", 8), ("reduce", 5), ("softmax", 2), ("matmul", 3),
           ("shape", 4), ("index", 4), ("join", 2), ("loss", 2))

    def program(self) -> str:
        rng = self.rng
        first = self.leaf(self.random_shape(), self.random_dtype() if rng.random() < 0.25
                          else rng.choice(FLOAT_TYPES))
        if rng.random() < 0.3:
            self.leaf(self.partner_shape(first.shape), self.random_dtype())
        steps = rng.randint(1, 4)
        for _ in range(steps):
            operand = self.pick()
            if -1 in operand.shape:       # a masked selection: its length is the data's
                kind = rng.choice(("unary", "reduce", "softmax"))
            else:
                kind = rng.choices([k for k, _ in self.OPS], [w for _, w in self.OPS])[0]
            getattr(self, f"op_{kind}")(operand)
        result = self.vars[-1]
        if rng.random() < 0.3 and len(self.vars) > 2:
            self.lines.append(f"print({self.vars[-2].name})")
        self.lines.append(f"r = {result.name}")
        self.lines.append("print(r)")
        self.lines.append("if r.grad_fn is not None:")
        self.lines.append("    print(type(r.grad_fn).__name__, [None if f is None else "
                          "type(f).__name__ for f, _ in r.grad_fn.next_functions])")
        if result.grad or rng.random() < 0.05:      # else PyTorch's error, now and then
            self.backward(result)
        for leaf in self.leaves:
            if leaf.grad:
                self.lines.append(f"print({leaf.name}.grad)")
        return "\n".join(self.lines) + "\n"

    def backward(self, result: Var) -> None:
        rng = self.rng
        roll = rng.random()
        if result.shape == () and roll < 0.8:
            self.lines.append("r.backward()")
        elif roll < 0.4:
            self.lines.append("r.sum().backward()")
        elif roll < 0.7 and -1 not in result.shape:
            dtype = result.dtype if result.floating else "float32"
            gradient = self._literal(result.shape, dtype)
            extra = ", dtype=torch.float64" if dtype == "float64" else ""
            self.lines.append(f"r.backward(gradient=torch.tensor({gradient}{extra}))")
        elif roll < 0.97:
            self.lines.append("r.backward(torch.ones_like(r))")
        else:
            self.lines.append("r.backward()")     # a non-scalar: PyTorch's error


def program(seed: int) -> str:
    return Generator(seed).program()


if __name__ == "__main__":
    import sys

    for s in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(f"# seed {s}\n{program(s)}")
