"""Pointwise math: `sqrt`, `sin`, `sigmoid`, `tanh`, `clamp`, `maximum`, ... as rows of an op
table (see ops.py), each with PyTorch's grad_fn name and the backward rule of
`tools/autograd/derivatives.yaml` written in engine ops, so that `create_graph=True`
differentiates it again.

Where ATen's first derivative is an op of its own (`sigmoid_backward`, `tanh_backward`),
it is a row too, holding ATen's double-backward formula: a second derivative then shows
PyTorch's node (SigmoidBackwardBackward0) and PyTorch's numbers. float32 math functions are
evaluated in double and rounded once, as ATen's 1-ulp kernels nearly always are; sigmoid
follows ATen's kernel bit for bit (Sleef's expf in its vector loop, glibc's in its scalar one).

The rows hold everything an op is; the functions below only check arguments and pick a row, so
a generic in-place mechanism (`clamp_`, `sigmoid_`) can run the same rows. The activations
(`relu`, `gelu`, ...) are in activations.py, built with this module's row makers.
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import aten_loops, dtypes, glibc_float_math, sleef_expf
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError
from gradcli.engine.functions import OVERLOADS, check_overloads, exp, pow, tensor_argument
from gradcli.engine.ops import (OPS, Op, apply, apply_one, broadcast_shapes, keep_where,
                                rounded_once)
from gradcli.engine.tensor import Tensor

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)           # M_2_SQRTPI, erf's derivative factor


def erf_values(a):
    # numpy has no erf; math.erf is glibc's, the same function ATen's double kernel calls.
    # float32 inputs are widened and the result rounded once, within an ulp of ATen's erff;
    # the rounding matters where a caller cancels it (gelu's 1 + erf at large negative x).
    return np.vectorize(math.erf, otypes=[np.float64])(a).astype(a.dtype)


def _sigmoid(a):
    """ATen's sigmoid_kernel, 1 / (1 + exp(-a)). In float32 its vector lambda (Sleef's expf of
    0 - a, plus 1, reciprocal) and its scalar lambda (std::exp: glibc's expf) round differently;
    aten_loops tells which element gets which."""
    if a.dtype != np.float32:
        return 1.0 / (1.0 + np.exp(-a))
    one = np.float32(1)
    out = np.array(one / (one + glibc_float_math.expf(-a)), dtype=np.float32)
    lanes = aten_loops.vector_lanes(a)
    if lanes.any():                 # (a short tensor is all scalar lambda)
        out[lanes] = one / (sleef_expf.expf(np.float32(0) - a[lanes]) + one)
    return out


def _tanh_backward(g, y):
    # ATen's float kernel rounds 1 - y*y once (fused multiply-add)
    one_minus_square = 1.0 - np.square(y.astype(np.float64))   # exact for float32 y
    return g * one_minus_square.astype(y.dtype)


def _sign(a):
    # ATen's sign kernel is (0 < a) - (a < 0): NaN gives 0, a bool tensor stays itself.
    if a.dtype == np.bool_:
        return a.copy()
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


def _piecewise(condition, g: Tensor, other: Tensor) -> Tensor:
    """`g` where `condition` holds (an array, or a bool Tensor), `other` elsewhere."""
    condition = condition._data if isinstance(condition, Tensor) else condition
    return apply(OPS["where"], g, other, condition=condition)


def _zeros_like(g: Tensor) -> Tensor:
    """ATen's zeros_like(grad): a constant, no graph (a piecewise-linear op's second
    derivative)."""
    return Tensor(np.zeros(g.shape, dtype=g.dtype.numpy))


def _clamp(a, min, max):
    # ATen: std::min(std::max(x, min), max), which keeps x on a tie (clamp(-0.0, min=0.0) is
    # -0.0) and a NaN x
    if min is not None:
        min = np.asarray(min, dtype=a.dtype)
        a = np.where(a < min, min, a)
    if max is not None:
        max = np.asarray(max, dtype=a.dtype)
        a = np.where(max < a, max, a)
    return a


def _extremum(pick_other):
    """maximum / minimum as ATen's kernel: NaN if either is NaN, else the scalar loop's
    std::max / std::min, which keeps the first operand on a tie (-0.0 vs 0.0), or for the
    float32 elements of whole vector steps AVX-512's max/min, which keeps the second."""
    def extremum(a, b):
        if a.dtype.kind != "f":
            return np.maximum(a, b) if pick_other is np.less else np.minimum(a, b)
        a, b = np.broadcast_arrays(a, b)
        result = np.where(pick_other(a, b), b, a)
        if a.dtype == np.float32 and (a == b).any():
            result = np.where(aten_loops.vector_lanes(a, b) & (a == b), b, result)
        return np.where(np.isnan(a) | np.isnan(b), np.asarray(np.nan, a.dtype), result)
    return extremum


def _clamp_grad(g, s):
    # ATen's clamp_backward: the gradient passes where min <= x <= max, boundaries included.
    inside = np.ones(s.shapes[0], dtype=bool)
    x = s.a._data
    if s.min is not None:
        inside &= x >= s.min
    if s.max is not None:
        inside &= x <= s.max
    return keep_where(inside, g)


def _clamp_tensor_grad(which: str):
    """ATen's clamp_backward_min_max: where each of input, min and max gets the gradient.
    With both bounds and min > max the result is max, and only max gets it."""
    def rule(g, s):
        x, low, high = (None if t is None else t._data for t in (s.a, s.b, s.c))
        if which == "input":
            mask = np.ones(np.shape(x), dtype=bool)
            if low is not None:
                mask = mask & (x >= low)
            if high is not None:
                mask = mask & (x <= high)
        elif which == "min":
            mask = x < low if high is None else (x < low) & (low < high)
        else:
            mask = x > high if low is None else (x > high) | (high < low)
        return keep_where(np.broadcast_to(mask, g.shape), g)
    return rule


def _extremum_grad(loses_when):
    """maximum/minimum backward (ATen's derivatives.yaml): a tie gives half to each input,
    the input that lost gets 0."""
    def rule(g, s):
        a, b = s.a._data, s.b._data
        return keep_where(~loses_when(a, b), _piecewise(np.equal(a, b), g * 0.5, g))
    return rule


def gradient_op(name, grad_fn, forward, second, rule, params=()):
    """The row of a first-derivative op `name(grad, x_or_y, **params)`: linear in `grad` (its
    own gradient is the row again), `second` gives the gradient for x_or_y (None: zero)."""
    def again(g, s):
        return apply(row, g, s.b, **{p: getattr(s, p) for p in params})
    row = Op(name, grad_fn, forward,
             grads=(again, second or (lambda g, s: _zeros_like(g))),
             saves=(("b",), ("a", "b") if second else ()),
             rules=(f"d {name}(g, x)/dg = {name}(1, x)", rule))
    return row


def unary_op(name, grad_fn, forward, grad, saves, rule, dtype="float"):
    """The row of a one-input op (`saves`: the names its rule reads, `rule`: its textbook form)."""
    return Op(name, grad_fn, forward, grads=(grad,), saves=(saves,), rules=(rule,),
              dtype=dtype)


POINTWISE_OPS = {op.name: op for op in [
    # ----- math (dtype "float": an integer input gives the default float dtype) -----
    unary_op("abs", "AbsBackward0", np.abs, lambda g, s: g * sign(s.a), ("a",),
             "d|a|/da = sign(a)", dtype="promote"),
    unary_op("sign", "SignBackward0", _sign, lambda g, s: _zeros_like(g), (),
             "d sign(a)/da = 0", dtype="promote"),
    unary_op("sqrt", "SqrtBackward0", np.sqrt, lambda g, s: g / (2.0 * s.out), ("out",),
             "d sqrt(a)/da = 1/(2 sqrt(a))"),
    unary_op("rsqrt", "RsqrtBackward0", lambda a: 1.0 / np.sqrt(a),
             lambda g, s: -0.5 * g * s.out * s.out * s.out, ("out",),
             "d a^(-1/2)/da = -a^(-3/2)/2"),
    unary_op("log1p", "Log1PBackward0", rounded_once(np.log1p),
             lambda g, s: g / (s.a + 1.0), ("a",), "d log(1+a)/da = 1/(1+a)"),
    unary_op("expm1", "Expm1Backward0", rounded_once(np.expm1),
             lambda g, s: g * (s.out + 1.0), ("out",),
             "d(exp(a)-1)/da = exp(a)"),
    unary_op("log2", "Log2Backward0", rounded_once(np.log2), lambda g, s: g / (s.a * LN2), ("a",),
             "d log2(a)/da = 1/(a ln 2)"),
    unary_op("log10", "Log10Backward0", rounded_once(np.log10),
             lambda g, s: g / (s.a * LN10), ("a",),
             "d log10(a)/da = 1/(a ln 10)"),
    unary_op("sin", "SinBackward0", rounded_once(np.sin), lambda g, s: g * cos(s.a), ("a",),
             "d sin(a)/da = cos(a)"),
    unary_op("cos", "CosBackward0", rounded_once(np.cos), lambda g, s: g * -sin(s.a), ("a",),
             "d cos(a)/da = -sin(a)"),
    unary_op("tan", "TanBackward0", rounded_once(np.tan),
             lambda g, s: g * (s.out * s.out + 1.0), ("out",),
             "d tan(a)/da = 1 + tan(a)^2"),
    unary_op("asin", "AsinBackward0", rounded_once(np.arcsin),
             lambda g, s: g * rsqrt(-s.a * s.a + 1.0), ("a",), "d asin(a)/da = 1/sqrt(1-a^2)"),
    unary_op("acos", "AcosBackward0", rounded_once(np.arccos),
             lambda g, s: g * -rsqrt(-s.a * s.a + 1.0), ("a",), "d acos(a)/da = -1/sqrt(1-a^2)"),
    unary_op("atan", "AtanBackward0", rounded_once(np.arctan),
             lambda g, s: g / (s.a * s.a + 1.0), ("a",),
             "d atan(a)/da = 1/(1+a^2)"),
    unary_op("sinh", "SinhBackward0", rounded_once(np.sinh), lambda g, s: g * cosh(s.a), ("a",),
             "d sinh(a)/da = cosh(a)"),
    unary_op("cosh", "CoshBackward0", rounded_once(np.cosh), lambda g, s: g * sinh(s.a), ("a",),
             "d cosh(a)/da = sinh(a)"),
    unary_op("tanh", "TanhBackward0", rounded_once(np.tanh),
             lambda g, s: apply(POINTWISE_OPS["tanh_backward"], g, s.out), ("out",),
             "d tanh(a)/da = 1 - tanh(a)^2"),
    unary_op("sigmoid", "SigmoidBackward0", _sigmoid,
             lambda g, s: apply(POINTWISE_OPS["sigmoid_backward"], g, s.out), ("out",),
             "d sigmoid(a)/da = sigmoid(a)(1 - sigmoid(a))"),
    unary_op("erf", "ErfBackward0", erf_values,
             lambda g, s: TWO_OVER_SQRT_PI * exp(-(s.a * s.a)) * g, ("a",),
             "d erf(a)/da = 2/sqrt(pi) exp(-a^2)"),
    unary_op("clamp", "ClampBackward1", _clamp, _clamp_grad, ("a",),
             "d clamp(a)/da = [min <= a <= max]", dtype="same"),
    unary_op("clamp_min", "ClampMinBackward0", _clamp, _clamp_grad,
             ("a",), "d clamp_min(a)/da = [a >= min]", dtype="same"),
    unary_op("clamp_max", "ClampMaxBackward0", _clamp, _clamp_grad,
             ("a",), "d clamp_max(a)/da = [a <= max]", dtype="same"),
    Op("clamp_tensor", "ClampBackward0", _clamp,
       grads=(_clamp_tensor_grad("input"), _clamp_tensor_grad("min"), _clamp_tensor_grad("max")),
       saves=(("a", "b", "c"), ("a", "b", "c"), ("a", "b", "c")),
       rules=("d clamp(a,lo,hi)/da = [lo <= a <= hi]", "d clamp(a,lo,hi)/dlo = [a < lo < hi]",
              "d clamp(a,lo,hi)/dhi = [a > hi or hi < lo]")),
    Op("maximum", "MaximumBackward0", _extremum(np.less),
       grads=(_extremum_grad(np.less), _extremum_grad(np.greater)), saves=(("a", "b"), ("a", "b")),
       rules=("d max(a,b)/da = [a > b] + [a = b]/2", "d max(a,b)/db = [b > a] + [a = b]/2")),
    Op("minimum", "MinimumBackward0", _extremum(np.greater),
       grads=(_extremum_grad(np.greater), _extremum_grad(np.less)),
       saves=(("a", "b"), ("a", "b")),
       rules=("d min(a,b)/da = [a < b] + [a = b]/2", "d min(a,b)/db = [b < a] + [a = b]/2")),
    # ----- first derivatives that are ATen ops of their own (input a = the incoming
    # gradient, b = the op's input or result): create_graph shows their nodes, and their rows
    # hold ATen's double-backward formulas -----
    gradient_op("tanh_backward", "TanhBackwardBackward0", _tanh_backward,
                lambda g, s: g * -2.0 * s.b * s.a, "d(g (1 - y^2))/dy = -2 g y"),
    gradient_op("sigmoid_backward", "SigmoidBackwardBackward0",
                lambda g, y: g * (1.0 - y) * y,
                lambda g, s: g * s.a * (-2.0 * s.b + 1.0),
                "d(g s(1-s))/ds = g (1 - 2s)"),
]}


# ----- argument checks ------------------------------------------------------------------

def _pointwise(name: str):
    def function(input):
        return apply_one(POINTWISE_OPS[name], tensor_argument(name, input))
    function.__name__ = name
    function.__doc__ = f"torch.{name}: {POINTWISE_OPS[name].rules[0]}"
    return function


sign, sqrt, rsqrt, log1p, expm1, log2, log10 = (_pointwise(n) for n in (
    "sign", "sqrt", "rsqrt", "log1p", "expm1", "log2", "log10"))
sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, sigmoid, erf = (_pointwise(n) for n in (
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "erf"))


def abs(input):
    if tensor_argument("abs", input).dtype is dtypes.bool_:
        raise TorchNotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return apply(POINTWISE_OPS["abs"], input)


def square(input):
    """`torch.square` is `pow(input, 2)` in ATen: PowBackward0, and a bool input gives int64."""
    return pow(_promoted(tensor_argument("square", input), 2), 2)


def _promoted(input: Tensor, *scalars) -> Tensor:
    """The input in the dtype its Python-number arguments promote it to (an int tensor clamped
    at 0.5 is float32). Only integer and bool tensors change here, and those never require
    grad, so a plain converted copy loses no node."""
    target = dtypes.result_type(input, *(b for b in scalars if b is not None))
    return input if target is input.dtype else Tensor(input._data.astype(target.numpy))


def _clamp_bounded(input: Tensor, min=None, max=None) -> Tensor:
    if min is None and max is None:
        raise TorchRuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensors(input, min, max)
    return apply(POINTWISE_OPS["clamp"], _promoted(input, min, max), min=min, max=max)


def _clamp_tensors(input: Tensor, min, max) -> Tensor:
    """clamp with tensor bounds: ClampBackward0, one slot per (input, min, max), None for an
    absent bound."""
    bounds = (min, max)
    present = [input] + [b for b in bounds if b is not None]
    shape = present[0].shape
    for t in present[1:]:
        shape = broadcast_shapes(shape, t.shape)
    if not dtypes.result_type(*present).is_floating_point:   # nothing can require grad
        data = _clamp(input._data, *(None if b is None else b._data for b in bounds))
        return Tensor(np.asarray(data))
    return apply(POINTWISE_OPS["clamp_tensor"], input, *bounds)


def _clamp_min(input: Tensor, min) -> Tensor:
    return apply(POINTWISE_OPS["clamp_min"], _promoted(input, min), min=min, max=None)


def _clamp_max(input: Tensor, max) -> Tensor:
    return apply(POINTWISE_OPS["clamp_max"], _promoted(input, max), min=None, max=max)


def _parsed(name: str, run, shown_as: str | None = None):
    """`torch.NAME(input, ...)` and `x.NAME(...)`: the arguments checked against the function's
    or the method's signatures (functions.OVERLOADS; PyTorch's texts differ by `input`), then
    `run(input, *bounds)`. The common call, one or two Python numbers, skips the parser."""
    bounds = len(OVERLOADS[name][1][0].split(", "))

    def parse(input, arguments: tuple, keywords: dict, method: bool):
        if keywords or not 1 <= len(arguments) <= bounds or not isinstance(input, Tensor) \
                or not all(type(a) in (int, float, bool) for a in arguments):
            check_overloads(name, arguments if method else (input, *arguments), method=method,
                            shown_as=shown_as, keywords=keywords)
        return run(input, *arguments, **keywords)

    def function(input, *arguments, **keywords):
        return parse(input, arguments, keywords, method=False)

    def method(self, *arguments, **keywords):
        return parse(self, arguments, keywords, method=True)

    function.__name__ = method.__name__ = shown_as or name
    return function, method


clamp, _clamp_method = _parsed("clamp", _clamp_bounded)
clip, _clip_method = _parsed("clamp", _clamp_bounded, shown_as="clip")
clamp_min, _clamp_min_method = _parsed("clamp_min", _clamp_min)
clamp_max, _clamp_max_method = _parsed("clamp_max", _clamp_max)


def maximum(input, other):
    """Elementwise max of two tensors; also what `torch.max(x, y)` dispatches to."""
    return apply(POINTWISE_OPS["maximum"], tensor_argument("maximum", input),
                 tensor_argument("maximum", other, 2, "other"))


def minimum(input, other):
    """Elementwise min of two tensors; also what `torch.min(x, y)` dispatches to."""
    return apply(POINTWISE_OPS["minimum"], tensor_argument("minimum", input),
                 tensor_argument("minimum", other, 2, "other"))


TORCH_FUNCTIONS = (
    "abs", "sign", "sqrt", "square", "rsqrt", "log1p", "expm1", "log2", "log10",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "erf",
    "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum",
)
FUNCTIONAL = ("sigmoid", "tanh")

_METHODS = {name: globals()[name] for name in TORCH_FUNCTIONS} | {
    "__abs__": abs, "clamp": _clamp_method, "clip": _clip_method,
    "clamp_min": _clamp_min_method, "clamp_max": _clamp_max_method}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
