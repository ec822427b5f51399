"""Pointwise math and activations: `sqrt`, `sin`, `sigmoid`, `relu`, `gelu`, `clamp`,
`maximum`, ... as rows of an op table (see ops.py), each with PyTorch's grad_fn name and the
backward rule of `tools/autograd/derivatives.yaml` written in engine ops, so that
`create_graph=True` differentiates it again.

Where ATen's first derivative is an op of its own (`sigmoid_backward`, `gelu_backward`, ...),
it is a row too, holding ATen's double-backward formula: a second derivative then shows
PyTorch's node (SigmoidBackwardBackward0) and PyTorch's numbers. float32 math functions are
evaluated in double and rounded once, as ATen's 1-ulp kernels nearly always are.

The rows hold everything an op is; the functions below only check arguments and pick a row, so
a generic in-place mechanism (`relu_`, `clamp_`, `sigmoid_`) can run the same rows.
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError, TorchTypeError
from gradcli.engine.functions import exp, pow
from gradcli.engine.ops import (OPS, Op, apply, broadcast_shapes, keep_where,
                                rounded_once)
from gradcli.engine.tensor import Tensor

LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)           # M_2_SQRTPI, erf's derivative factor
SQRT1_2 = math.sqrt(0.5)                               # M_SQRT1_2
GELU_PDF_FACTOR = TWO_OVER_SQRT_PI * SQRT1_2 * 0.5     # 1/sqrt(2*pi), as ATen spells it
GELU_TANH_BETA = math.sqrt(2.0) * TWO_OVER_SQRT_PI * 0.5   # sqrt(2/pi)
GELU_TANH_KAPPA = 0.044715


def _erf(a):
    # numpy has no erf; math.erf is glibc's, the same function ATen's double kernel calls.
    # float32 inputs are widened and the result rounded once, within an ulp of ATen's erff;
    # the rounding matters where a caller cancels it (gelu's 1 + erf at large negative x).
    return np.vectorize(math.erf, otypes=[np.float64])(a).astype(a.dtype)


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


def _softplus(a, beta, threshold):
    scaled = a * beta
    return np.where(scaled > threshold, a, np.log1p(np.exp(scaled)) / beta)


def _softplus_backward(g, x, beta, threshold):
    # ATen's softplus_backward: z = exp(x*beta); above the threshold the op is the identity.
    z = np.exp(x * beta)
    return np.where(x * beta > threshold, g, g * z / (z + 1.0))


def _gelu(a, approximate):
    if approximate == "tanh":
        inner = GELU_TANH_BETA * (a + GELU_TANH_KAPPA * a * a * a)
        return 0.5 * a * (1.0 + np.tanh(inner))
    return 0.5 * a * (1.0 + _erf(a * SQRT1_2))


def _gelu_backward(g, x, approximate):
    # ATen's GeluBackwardKernelImpl
    if approximate == "tanh":
        tanh_inner = rounded_once(np.tanh)(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x))
        tanh_inner = tanh_inner.astype(x.dtype)
        left_derivative = 0.5 * (tanh_inner + 1.0)
        inner_derivative = GELU_TANH_BETA * (3.0 * GELU_TANH_KAPPA * x * x + 1.0)
        right_derivative = 0.5 * x * (1.0 - tanh_inner * tanh_inner) * inner_derivative
        return g * (left_derivative + right_derivative)
    cdf = 0.5 * (_erf(x * SQRT1_2) + 1.0)
    pdf = np.exp(-0.5 * x * x) * GELU_PDF_FACTOR
    return g * (cdf + x * pdf)


def _gelu_second_derivative(x: Tensor, approximate: str) -> Tensor:
    """d/dx of gelu'(x), for ATen's gelu_double_backward."""
    if approximate == "tanh":
        # t = tanh(u), u = beta (x + kappa x^3): gelu'' = (1 - t^2) (u' + x (u'' - 2 t u'^2) / 2)
        t = tanh(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x))
        du = GELU_TANH_BETA * (3.0 * GELU_TANH_KAPPA * x * x + 1.0)
        ddu = 6.0 * GELU_TANH_BETA * GELU_TANH_KAPPA * x
        return (1.0 - t * t) * (du + 0.5 * x * (ddu - 2.0 * t * du * du))
    pdf = exp(-0.5 * x * x) * GELU_PDF_FACTOR       # gelu'' = pdf (2 - x^2)
    return pdf * (2.0 - x * x)


def _elu(a, alpha):
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))


def _elu_backward(g, x, alpha):
    # ATen's elu_backward takes the x <= 0 branch at 0, where exp(0) = 1: the slope is alpha
    return np.where(x > 0, g, g * alpha * np.exp(np.minimum(x, 0)))


def _softplus_second_derivative(g, s):
    # ATen's softplus_double_backward(grad * grad_output, x, beta, threshold):
    # sigmoid_backward(., sigmoid(x beta)) * (x beta < threshold) * beta
    scaled = s.b * s.beta
    slope = apply(POINTWISE_OPS["sigmoid_backward"], g * s.a, sigmoid(scaled))
    return keep_where(scaled < s.threshold, slope * s.beta)


def _zeros_like(g: Tensor) -> Tensor:
    """ATen's zeros_like(grad): a constant, no graph (a piecewise-linear op's second
    derivative)."""
    return Tensor(np.zeros(g.shape, dtype=g.dtype.numpy))


def _silu(a):
    return a / (1.0 + np.exp(-a))


def _silu_grad(g, s):
    sig = sigmoid(s.a)
    return g * sig * (1.0 + s.a * (1.0 - sig))


def _clamp(a, min, max):
    if min is not None:
        a = np.maximum(a, np.asarray(min, dtype=a.dtype))
    if max is not None:
        a = np.minimum(a, np.asarray(max, dtype=a.dtype))
    return a


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


def _gradient_op(name, grad_fn, forward, second, rule, params=()):
    """The row of a first-derivative op `name(grad, x_or_y, **params)`: linear in `grad` (its
    own gradient is itself again), `second` gives the gradient for x_or_y (None: zero)."""
    def again(g, s):
        return apply(POINTWISE_OPS[name], g, s.b, **{p: getattr(s, p) for p in params})
    return Op(name, grad_fn, forward,
              grads=(again, second or (lambda g, s: _zeros_like(g))),
              saves=(("b",), ("a", "b") if second else ()),
              rules=(f"d {name}(g, x)/dg = {name}(1, x)", rule))


def _unary(name, grad_fn, forward, grad, saves, rule, dtype="float"):
    return Op(name, grad_fn, forward, grads=(grad,), saves=(saves,), rules=(rule,),
              dtype=dtype)


POINTWISE_OPS = {op.name: op for op in [
    # ----- math (dtype "float": an integer input gives the default float dtype) -----
    _unary("abs", "AbsBackward0", np.abs, lambda g, s: g * sign(s.a), ("a",),
           "d|a|/da = sign(a)", dtype="promote"),
    _unary("sign", "SignBackward0", _sign, lambda g, s: g * 0.0, (),
           "d sign(a)/da = 0", dtype="promote"),
    _unary("sqrt", "SqrtBackward0", np.sqrt, lambda g, s: g / (2.0 * s.out), ("out",),
           "d sqrt(a)/da = 1/(2 sqrt(a))"),
    _unary("rsqrt", "RsqrtBackward0", lambda a: 1.0 / np.sqrt(a),
           lambda g, s: -0.5 * g * s.out * s.out * s.out, ("out",),
           "d a^(-1/2)/da = -a^(-3/2)/2"),
    _unary("log1p", "Log1PBackward0", rounded_once(np.log1p),
           lambda g, s: g / (s.a + 1.0), ("a",), "d log(1+a)/da = 1/(1+a)"),
    _unary("expm1", "Expm1Backward0", rounded_once(np.expm1),
           lambda g, s: g * (s.out + 1.0), ("out",),
           "d(exp(a)-1)/da = exp(a)"),
    _unary("log2", "Log2Backward0", rounded_once(np.log2), lambda g, s: g / (s.a * LN2), ("a",),
           "d log2(a)/da = 1/(a ln 2)"),
    _unary("log10", "Log10Backward0", rounded_once(np.log10),
           lambda g, s: g / (s.a * LN10), ("a",),
           "d log10(a)/da = 1/(a ln 10)"),
    _unary("sin", "SinBackward0", rounded_once(np.sin), lambda g, s: g * cos(s.a), ("a",),
           "d sin(a)/da = cos(a)"),
    _unary("cos", "CosBackward0", rounded_once(np.cos), lambda g, s: g * -sin(s.a), ("a",),
           "d cos(a)/da = -sin(a)"),
    _unary("tan", "TanBackward0", rounded_once(np.tan),
           lambda g, s: g * (s.out * s.out + 1.0), ("out",),
           "d tan(a)/da = 1 + tan(a)^2"),
    _unary("asin", "AsinBackward0", rounded_once(np.arcsin),
           lambda g, s: g * rsqrt(-s.a * s.a + 1.0), ("a",), "d asin(a)/da = 1/sqrt(1-a^2)"),
    _unary("acos", "AcosBackward0", rounded_once(np.arccos),
           lambda g, s: g * -rsqrt(-s.a * s.a + 1.0), ("a",), "d acos(a)/da = -1/sqrt(1-a^2)"),
    _unary("atan", "AtanBackward0", rounded_once(np.arctan),
           lambda g, s: g / (s.a * s.a + 1.0), ("a",),
           "d atan(a)/da = 1/(1+a^2)"),
    _unary("sinh", "SinhBackward0", rounded_once(np.sinh), lambda g, s: g * cosh(s.a), ("a",),
           "d sinh(a)/da = cosh(a)"),
    _unary("cosh", "CoshBackward0", rounded_once(np.cosh), lambda g, s: g * sinh(s.a), ("a",),
           "d cosh(a)/da = sinh(a)"),
    _unary("tanh", "TanhBackward0", rounded_once(np.tanh),
           lambda g, s: apply(POINTWISE_OPS["tanh_backward"], g, s.out), ("out",),
           "d tanh(a)/da = 1 - tanh(a)^2"),
    _unary("sigmoid", "SigmoidBackward0", lambda a: 1.0 / (1.0 + np.exp(-a)),
           lambda g, s: apply(POINTWISE_OPS["sigmoid_backward"], g, s.out), ("out",),
           "d sigmoid(a)/da = sigmoid(a)(1 - sigmoid(a))"),
    _unary("erf", "ErfBackward0", _erf,
           lambda g, s: TWO_OVER_SQRT_PI * exp(-(s.a * s.a)) * g, ("a",),
           "d erf(a)/da = 2/sqrt(pi) exp(-a^2)"),
    # ----- activations -----
    _unary("relu", "ReluBackward0", lambda a: np.maximum(a, np.zeros((), a.dtype)),
           lambda g, s: apply(POINTWISE_OPS["threshold_backward"], g, s.out), ("out",),
           "d relu(a)/da = [a > 0]", dtype="promote"),
    _unary("softplus", "SoftplusBackward0", _softplus,
           lambda g, s: apply(POINTWISE_OPS["softplus_backward"], g, s.a, beta=s.beta,
                              threshold=s.threshold), ("a",),
           "d softplus(a)/da = sigmoid(beta a), 1 above the threshold", dtype="same"),
    _unary("gelu", "GeluBackward0", _gelu,
           lambda g, s: apply(POINTWISE_OPS["gelu_backward"], g, s.a,
                              approximate=s.approximate), ("a",),
           "d gelu(a)/da = Phi(a) + a phi(a)", dtype="same"),
    _unary("leaky_relu", "LeakyReluBackward0",
           lambda a, negative_slope: np.where(a > 0, a, a * negative_slope),
           lambda g, s: apply(POINTWISE_OPS["leaky_relu_backward"], g, s.a,
                              negative_slope=s.negative_slope), ("a",),
           "d leaky_relu(a)/da = 1 if a > 0 else slope", dtype="same"),
    _unary("elu", "EluBackward0", _elu,
           lambda g, s: apply(POINTWISE_OPS["elu_backward"], g, s.a, alpha=s.alpha), ("a",),
           "d elu(a)/da = 1 if a > 0 else alpha exp(a)", dtype="same"),
    _unary("silu", "SiluBackward0", _silu, _silu_grad, ("a",),
           "d a sigmoid(a)/da = sigmoid(a)(1 + a(1 - sigmoid(a)))", dtype="same"),
    _unary("clamp", "ClampBackward1", _clamp, _clamp_grad, ("a",),
           "d clamp(a)/da = [min <= a <= max]", dtype="same"),
    _unary("clamp_min", "ClampMinBackward0", _clamp, _clamp_grad,
           ("a",), "d clamp_min(a)/da = [a >= min]", dtype="same"),
    _unary("clamp_max", "ClampMaxBackward0", _clamp, _clamp_grad,
           ("a",), "d clamp_max(a)/da = [a <= max]", dtype="same"),
    Op("clamp_tensor", "ClampBackward0", _clamp,
       grads=(_clamp_tensor_grad("input"), _clamp_tensor_grad("min"), _clamp_tensor_grad("max")),
       saves=(("a", "b", "c"), ("a", "b", "c"), ("a", "b", "c")),
       rules=("d clamp(a,lo,hi)/da = [lo <= a <= hi]", "d clamp(a,lo,hi)/dlo = [a < lo < hi]",
              "d clamp(a,lo,hi)/dhi = [a > hi or hi < lo]")),
    Op("maximum", "MaximumBackward0", np.maximum,
       grads=(_extremum_grad(np.less), _extremum_grad(np.greater)), saves=(("a", "b"), ("a", "b")),
       rules=("d max(a,b)/da = [a > b] + [a = b]/2", "d max(a,b)/db = [b > a] + [a = b]/2")),
    Op("minimum", "MinimumBackward0", np.minimum,
       grads=(_extremum_grad(np.greater), _extremum_grad(np.less)),
       saves=(("a", "b"), ("a", "b")),
       rules=("d min(a,b)/da = [a < b] + [a = b]/2", "d min(a,b)/db = [b < a] + [a = b]/2")),
    # ----- first derivatives that are ATen ops of their own (input a = the incoming
    # gradient, b = the op's input or result): create_graph shows their nodes, and their rows
    # hold ATen's double-backward formulas -----
    _gradient_op("tanh_backward", "TanhBackwardBackward0", _tanh_backward,
                 lambda g, s: g * -2.0 * s.b * s.a, "d(g (1 - y^2))/dy = -2 g y"),
    _gradient_op("sigmoid_backward", "SigmoidBackwardBackward0",
                 lambda g, y: g * (1.0 - y) * y,
                 lambda g, s: g * s.a * (-2.0 * s.b + 1.0),
                 "d(g s(1-s))/ds = g (1 - 2s)"),
    _gradient_op("threshold_backward", "ThresholdBackwardBackward0",
                 lambda g, y: np.where(y > 0, g, np.zeros((), g.dtype)), None,
                 "d(g [y > 0])/dy = 0"),
    _gradient_op("leaky_relu_backward", "LeakyReluBackwardBackward0",
                 lambda g, x, negative_slope: np.where(x > 0, g, g * negative_slope), None,
                 "d(g [x > 0 or slope])/dx = 0", params=("negative_slope",)),
    _gradient_op("softplus_backward", "SoftplusBackwardBackward0", _softplus_backward,
                 _softplus_second_derivative, "d(g sigmoid(beta x))/dx = g beta s (1 - s)",
                 params=("beta", "threshold")),
    _gradient_op("gelu_backward", "GeluBackwardBackward0", _gelu_backward,
                 lambda g, s: g * s.a * _gelu_second_derivative(s.b, s.approximate),
                 "d(g gelu'(x))/dx = g gelu''(x)", params=("approximate",)),
    _gradient_op("elu_backward", "EluBackwardBackward0", _elu_backward,
                 # elu_double_backward masks x < 0: 0 at x = 0, where the slope is constant
                 lambda g, s: keep_where(s.b < 0, g * s.a * s.alpha * exp(s.b)),
                 "d(g alpha exp(x))/dx = g alpha exp(x) for x < 0", params=("alpha",)),
]}


# ----- argument checks ------------------------------------------------------------------

# Activations whose CPU kernels exist for floating dtypes only (the name ATen's error shows).
FLOAT_ONLY_KERNELS = {"softplus": "softplus_cpu", "gelu": "GeluKernelImpl",
                      "leaky_relu": "leaky_relu_cpu", "elu": "elu_cpu", "silu": "silu_cpu"}


def _tensor(function: str, value, position: int = 1, argument: str = "input") -> Tensor:
    """PyTorch's argument parser: these functions take tensors, never Python numbers."""
    if not isinstance(value, Tensor):
        raise TorchTypeError(f"{function}(): argument '{argument}' (position {position}) must be "
                             f"Tensor, not {type(value).__name__}")
    return value


def require_floating(input: Tensor, kernel: str) -> None:
    if not input.dtype.is_floating_point:
        raise TorchNotImplementedError(
            f'"{kernel}" not implemented for \'{input.dtype.scalar_name}\'')


def _run(name: str, input, **params) -> Tensor:
    input = _tensor(name, input)
    if name in FLOAT_ONLY_KERNELS:
        require_floating(input, FLOAT_ONLY_KERNELS[name])
    return apply(POINTWISE_OPS[name], input, **params)


def _pointwise(name: str):
    def function(input):
        return _run(name, input)
    function.__name__ = name
    function.__doc__ = f"torch.{name}: {POINTWISE_OPS[name].rules[0]}"
    return function


sign, sqrt, rsqrt, log1p, expm1, log2, log10 = (_pointwise(n) for n in (
    "sign", "sqrt", "rsqrt", "log1p", "expm1", "log2", "log10"))
sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, sigmoid, erf = (_pointwise(n) for n in (
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "erf"))
silu = _pointwise("silu")


def abs(input):
    if _tensor("abs", input).dtype is dtypes.bool_:
        raise TorchNotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return apply(POINTWISE_OPS["abs"], input)


def square(input):
    """`torch.square` is `pow(input, 2)` in ATen: PowBackward0, and a bool input gives int64."""
    return pow(_promoted(_tensor("square", input), 2), 2)


def relu(input, inplace=False):
    if _tensor("relu", input).dtype is dtypes.bool_:
        raise TorchRuntimeError("Boolean inputs not supported for relu")
    if inplace:             # F.relu(x, inplace=True) is x.relu_() (inplace.py binds it)
        return input.relu_()
    return apply(POINTWISE_OPS["relu"], input)


def softplus(input, beta=1, threshold=20):
    return _run("softplus", input, beta=beta, threshold=threshold)


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise TorchRuntimeError("approximate argument must be either none or tanh.")
    return _run("gelu", input, approximate=approximate)


def leaky_relu(input, negative_slope=0.01):
    return _run("leaky_relu", input, negative_slope=negative_slope)


def elu(input, alpha=1.0):
    return _run("elu", input, alpha=alpha)


def _promoted(input: Tensor, *scalars) -> Tensor:
    """The input in the dtype its Python-number arguments promote it to (an int tensor clamped
    at 0.5 is float32). Only integer and bool tensors change here, and those never require
    grad, so a plain converted copy loses no node."""
    target = dtypes.result_type(input, *(b for b in scalars if b is not None))
    return input if target is input.dtype else Tensor(input._data.astype(target.numpy))


def _clamp_signature_error(function: str, *arguments) -> TorchTypeError:
    got = ", ".join(type(a).__name__ for a in arguments)
    bounds = "Tensor min = None, Tensor max = None" if function == "clamp" else "Tensor min"
    numbers = bounds.replace("Tensor", "Number")
    return TorchTypeError(
        f"{function}() received an invalid combination of arguments - got ({got}), but "
        f"expected one of:\n * (Tensor input, {bounds}, *, Tensor out = None)\n"
        f" * (Tensor input, {numbers}, *, Tensor out = None)\n")


def clamp(input, min=None, max=None):
    if not isinstance(input, Tensor):
        raise _clamp_signature_error("clamp", input, *(b for b in (min, max) if b is not None))
    if min is None and max is None:
        raise TorchRuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not all(b is None or isinstance(b, Tensor) for b in (min, max)):
            raise _clamp_signature_error("clamp", input, min, max)
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


def clamp_min(input, min):
    if not isinstance(input, Tensor) or min is None:
        raise _clamp_signature_error("clamp_min", input, min)
    return apply(POINTWISE_OPS["clamp_min"], _promoted(input, min), min=min, max=None)


def clamp_max(input, max):
    if not isinstance(input, Tensor) or max is None:
        raise _clamp_signature_error("clamp_max", input, max)
    return apply(POINTWISE_OPS["clamp_max"], _promoted(input, max), min=None, max=max)


def maximum(input, other):
    """Elementwise max of two tensors; also what `torch.max(x, y)` dispatches to."""
    return apply(POINTWISE_OPS["maximum"], _tensor("maximum", input),
                 _tensor("maximum", other, 2, "other"))


def minimum(input, other):
    """Elementwise min of two tensors; also what `torch.min(x, y)` dispatches to."""
    return apply(POINTWISE_OPS["minimum"], _tensor("minimum", input),
                 _tensor("minimum", other, 2, "other"))


TORCH_FUNCTIONS = (
    "abs", "sign", "sqrt", "square", "rsqrt", "log1p", "expm1", "log2", "log10",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "erf",
    "relu", "clamp", "clip", "clamp_min", "clamp_max", "maximum", "minimum",
)
FUNCTIONAL = ("relu", "sigmoid", "tanh", "softplus", "gelu", "leaky_relu", "elu", "silu")
clip = clamp

_METHODS = {name: globals()[name] for name in TORCH_FUNCTIONS} | {"__abs__": abs}
for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
