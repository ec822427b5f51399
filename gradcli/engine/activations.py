"""Activations: `relu`, `softplus`, `gelu`, `leaky_relu`, `elu`, `silu`, as rows of an op table
(see ops.py) with PyTorch's grad_fn names and the backward rules of
`tools/autograd/derivatives.yaml` written in engine ops.

Each activation's first derivative is an ATen op of its own (`threshold_backward`,
`gelu_backward`, ...), so it is a row too, holding ATen's double-backward formula: a second
derivative then shows PyTorch's node (GeluBackwardBackward0) and PyTorch's numbers.
"""

from __future__ import annotations

import math

import numpy as np

from gradcli.engine import (aten_loops, aten_vector_erf, dtypes, glibc_expm1f, glibc_float_math,
                            glibc_log1pf, onednn_gelu, sleef_exp, sleef_expf, softmax_kernels)
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError
from gradcli.engine.exact_fma import fma32
from gradcli.engine.functions import exp, tensor_argument
from gradcli.engine.ops import apply, keep_where
from gradcli.engine.pointwise import (POINTWISE_OPS, TWO_OVER_SQRT_PI, erf_values,
                                      gradient_op, rounded_once, sigmoid, tanh, unary_op)
from gradcli.engine.tensor import Tensor

SQRT1_2 = math.sqrt(0.5)                               # M_SQRT1_2
GELU_PDF_FACTOR = TWO_OVER_SQRT_PI * SQRT1_2 * 0.5     # 1/sqrt(2*pi), as ATen spells it
GELU_TANH_BETA = math.sqrt(2.0) * TWO_OVER_SQRT_PI * 0.5   # sqrt(2/pi)
GELU_TANH_KAPPA = 0.044715


def _float64_vector_lanes(x: np.ndarray) -> np.ndarray:
    """aten_loops.vector_lanes for a float64 operand laid out in one run (C or Fortran
    order): ATen's vector step there is 16 doubles; any other layout is taken as scalar."""
    lanes = np.zeros(x.shape, bool)
    order = "C" if x.flags.c_contiguous else "F" if x.flags.f_contiguous else None
    if order is not None:
        position = np.arange(x.size).reshape(x.shape, order=order)
        lanes = position < x.size - x.size % 16
    return lanes


def _kernel_exp(x):
    """The exp of ATen's activation kernels: std::exp (glibc's) in the scalar loop, Sleef's
    in whole vector steps (aten_loops says which element gets which)."""
    if x.dtype == np.float32:
        scalar, lanes = glibc_float_math.expf(x).astype(np.float32), aten_loops.vector_lanes(x)
        vector = sleef_expf.expf
    else:
        scalar, lanes, vector = softmax_kernels._scalar_exp(x), _float64_vector_lanes(x), \
            sleef_exp.exp
    return np.where(lanes, vector(x), scalar) if lanes.any() else scalar


def _kernel_log1p(x):
    """std::log1p in the scalar loop: glibc's log1pf / log1p. Sleef's vector log1p is not
    modelled: the correctly rounded value stands in for float32 (~1% apart), numpy's for
    float64."""
    if x.dtype == np.float32:
        scalar, lanes = glibc_log1pf.log1pf(x), aten_loops.vector_lanes(x)
        vector = np.log1p(x.astype(np.float64)).astype(np.float32) if lanes.any() else None
    else:
        scalar = np.asarray([math.log1p(v) for v in x.reshape(-1).tolist()],
                            np.float64).reshape(x.shape)
        lanes = _float64_vector_lanes(x)
        vector = np.log1p(x)
    return np.where(lanes, vector, scalar) if lanes.any() else scalar


def _softplus(a, beta, threshold):
    scaled = a * a.dtype.type(beta)
    return np.where(scaled > threshold, a, _kernel_log1p(_kernel_exp(scaled)) / a.dtype.type(beta))


def _softplus_backward(g, x, beta, threshold):
    # ATen's softplus_backward: z = exp(x*beta); above the threshold the op is the identity.
    scaled = x * x.dtype.type(beta)
    z = _kernel_exp(scaled)
    return np.where(scaled > threshold, g, g * z / (z + 1.0))


def _softplus_second_derivative(g, s):
    # ATen's softplus_double_backward(grad * grad_output, x, beta, threshold):
    # sigmoid_backward(., sigmoid(x beta)) * (x beta < threshold) * beta
    scaled = s.b * s.beta
    slope = apply(POINTWISE_OPS["sigmoid_backward"], g * s.a, sigmoid(scaled))
    return keep_where(scaled < s.threshold, slope * s.beta)


def _erf_and_exp(a):
    """std::erf and std::exp as ATen's scalar loop calls them: glibc's erff and expf for
    float32 (one element, or a strided input), the double functions for float64."""
    if a.dtype == np.float32:
        return glibc_float_math.erff, glibc_float_math.expf
    return erf_values, np.exp


def _gelu(a, approximate):
    if approximate == "none" and onednn_gelu.uses_onednn(a):
        return onednn_gelu.gelu(a)
    if approximate == "tanh":
        inner = GELU_TANH_BETA * (a + GELU_TANH_KAPPA * a * a * a)
        return 0.5 * a * (1.0 + np.tanh(inner))
    erf, _ = _erf_and_exp(a)
    out = np.array(0.5 * a * (1.0 + erf(a * SQRT1_2)), dtype=a.dtype)
    if a.dtype == np.float32:       # the vector lambda where ATen's loop takes whole vectors
        lanes = aten_loops.vector_lanes(a)
        if lanes.any():
            v = a[lanes]
            out[lanes] = 0.5 * v * (1.0 + aten_vector_erf.erf(v * SQRT1_2))
    return out


def _gelu_backward(g, x, approximate):
    # ATen's GeluBackwardKernelImpl, or oneDNN's kernel where ATen hands the op to it
    if approximate == "none" and onednn_gelu.uses_onednn(x):
        return onednn_gelu.gelu_backward(g, x)
    if approximate == "tanh":
        tanh_inner = rounded_once(np.tanh)(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x))
        tanh_inner = tanh_inner.astype(x.dtype)
        left_derivative = 0.5 * (tanh_inner + 1.0)
        inner_derivative = GELU_TANH_BETA * (3.0 * GELU_TANH_KAPPA * x * x + 1.0)
        right_derivative = 0.5 * x * (1.0 - tanh_inner * tanh_inner) * inner_derivative
        return g * (left_derivative + right_derivative)
    erf, exp_ = _erf_and_exp(x)
    cdf = 0.5 * (erf(x * SQRT1_2) + 1.0)
    pdf = exp_(x * x * -0.5) * GELU_PDF_FACTOR
    out = np.array(g * (cdf + x * pdf), dtype=x.dtype)
    if x.dtype == np.float32:
        # the vector lambda, where GCC fuses cdf + x * pdf into one multiply-add
        g = np.broadcast_to(g, x.shape)
        lanes = aten_loops.vector_lanes(g, x)
        if lanes.any():
            v = x[lanes]
            cdf = 0.5 * (1.0 + aten_vector_erf.erf(v * SQRT1_2))
            pdf = sleef_expf.expf(v * v * -0.5) * GELU_PDF_FACTOR
            out[lanes] = g[lanes] * fma32(v, pdf, cdf)
    return out


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
    # ATen: x <= 0 ? expm1(x) * alpha : x -- expm1(-0.0) keeps the sign, NaN takes x. Its
    # scalar loop calls glibc's expm1f / expm1, its vector steps Sleef's (the correctly rounded
    # value, or numpy's for float64, stands in: not modelled)
    negative = a <= 0
    x = np.where(negative, a, a.dtype.type(0))
    if a.dtype == np.float32:
        lanes = aten_loops.vector_lanes(a)
        m = glibc_expm1f.expm1f(x)
        if lanes.any():
            m = np.where(lanes, np.expm1(x.astype(np.float64)).astype(np.float32), m)
    else:                    # float64: glibc's expm1 in the scalar loop (Python's math.expm1)
        m = np.asarray([math.expm1(v) for v in x.reshape(-1).tolist()],
                       np.float64).reshape(x.shape)
        lanes = _float64_vector_lanes(a)
        if lanes.any():
            m = np.where(lanes, np.expm1(x), m)
    return np.where(negative, m * a.dtype.type(alpha), a)


def _elu_backward(g, x, alpha):
    # ATen's elu_backward: the slope is alpha at 0. At NaN its scalar lambda (x <= 0 ? ... : g)
    # passes g, its vector lambda (blend on x > 0) takes the NaN branch: the vector lanes
    # (aten_loops, or one contiguous float64 run) say which element gets which
    slope = np.where(x <= 0, g * alpha * _kernel_exp(np.minimum(x, x.dtype.type(0))), g)
    if np.isnan(x).any():
        lanes = (aten_loops.vector_lanes(*np.broadcast_arrays(g, x)) if x.dtype == np.float32
                 else _float64_vector_lanes(x))
        slope = np.where(lanes & np.isnan(x), x.dtype.type(np.nan), slope)
    return slope


def _silu(a):
    return a / (1.0 + np.exp(-a))


def _silu_grad(g, s):
    sig = sigmoid(s.a)
    return g * sig * (1.0 + s.a * (1.0 - sig))


ACTIVATION_OPS = {op.name: op for op in [
    # ATen's relu is clamp_min(x, 0), whose max(x, 0) keeps x unless x < 0: -0.0 and NaN stay
    unary_op("relu", "ReluBackward0", lambda a: np.where(a < 0, np.zeros((), a.dtype), a),
             lambda g, s: apply(ACTIVATION_OPS["threshold_backward"], g, s.out), ("out",),
             "d relu(a)/da = [a > 0]", dtype="promote"),
    unary_op("softplus", "SoftplusBackward0", _softplus,
             lambda g, s: apply(ACTIVATION_OPS["softplus_backward"], g, s.a, beta=s.beta,
                                threshold=s.threshold), ("a",),
             "d softplus(a)/da = sigmoid(beta a), 1 above the threshold", dtype="same"),
    unary_op("gelu", "GeluBackward0", _gelu,
             lambda g, s: apply(ACTIVATION_OPS["gelu_backward"], g, s.a,
                                approximate=s.approximate), ("a",),
             "d gelu(a)/da = Phi(a) + a phi(a)", dtype="same"),
    unary_op("leaky_relu", "LeakyReluBackward0",
             lambda a, negative_slope: np.where(a > 0, a, a * negative_slope),
             lambda g, s: apply(ACTIVATION_OPS["leaky_relu_backward"], g, s.a,
                                negative_slope=s.negative_slope), ("a",),
             "d leaky_relu(a)/da = 1 if a > 0 else slope", dtype="same"),
    unary_op("elu", "EluBackward0", _elu,
             lambda g, s: apply(ACTIVATION_OPS["elu_backward"], g, s.a, alpha=s.alpha), ("a",),
             "d elu(a)/da = 1 if a > 0 else alpha exp(a)", dtype="same"),
    unary_op("silu", "SiluBackward0", _silu, _silu_grad, ("a",),
             "d a sigmoid(a)/da = sigmoid(a)(1 + a(1 - sigmoid(a)))", dtype="same"),
    # ----- the first derivatives, ATen ops of their own (input a = the incoming gradient,
    # b = the activation's input or result), holding ATen's double-backward formulas -----
    gradient_op("threshold_backward", "ThresholdBackwardBackward0",
                # ATen: y <= threshold ? 0 : g, so a NaN result lets the gradient through
                lambda g, y: np.where(y <= 0, np.zeros((), g.dtype), g), None,
                "d(g [y > 0])/dy = 0"),
    gradient_op("leaky_relu_backward", "LeakyReluBackwardBackward0",
                lambda g, x, negative_slope: np.where(x > 0, g, g * negative_slope), None,
                "d(g [x > 0 or slope])/dx = 0", params=("negative_slope",)),
    gradient_op("softplus_backward", "SoftplusBackwardBackward0", _softplus_backward,
                _softplus_second_derivative, "d(g sigmoid(beta x))/dx = g beta s (1 - s)",
                params=("beta", "threshold")),
    gradient_op("gelu_backward", "GeluBackwardBackward0", _gelu_backward,
                lambda g, s: g * s.a * _gelu_second_derivative(s.b, s.approximate),
                "d(g gelu'(x))/dx = g gelu''(x)", params=("approximate",)),
    gradient_op("elu_backward", "EluBackwardBackward0", _elu_backward,
                # elu_double_backward masks x < 0: 0 at x = 0, where the slope is constant
                lambda g, s: keep_where(s.b < 0, g * s.a * s.alpha * exp(s.b)),
                "d(g alpha exp(x))/dx = g alpha exp(x) for x < 0", params=("alpha",)),
]}


# ----- argument checks ------------------------------------------------------------------

# Activations whose CPU kernels exist for floating dtypes only (the name ATen's error shows).
FLOAT_ONLY_KERNELS = {"softplus": "softplus_cpu", "gelu": "GeluKernelImpl",
                      "leaky_relu": "leaky_relu_cpu", "elu": "elu_cpu", "silu": "silu_cpu"}


def _run(name: str, input, **params) -> Tensor:
    input = tensor_argument(name, input)
    if not input.dtype.is_floating_point:
        raise TorchNotImplementedError(
            f'"{FLOAT_ONLY_KERNELS[name]}" not implemented for \'{input.dtype.scalar_name}\'')
    return apply(ACTIVATION_OPS[name], input, **params)


def relu(input, inplace=False):
    if tensor_argument("relu", input).dtype is dtypes.bool_:
        raise TorchRuntimeError("Boolean inputs not supported for relu")
    if inplace:             # F.relu(x, inplace=True) is x.relu_() (inplace.py binds it)
        return input.relu_()
    return apply(ACTIVATION_OPS["relu"], input)


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


def silu(input):
    return _run("silu", input)


TORCH_FUNCTIONS = ("relu",)
FUNCTIONAL = ("relu", "softplus", "gelu", "leaky_relu", "elu", "silu")

Tensor.relu = relu
