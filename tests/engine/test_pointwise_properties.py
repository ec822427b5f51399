"""Property tests for pointwise ops, activations and losses: float64 gradients agree with
central finite differences away from the points where an op is not differentiable, and the
binary ops' gradients sum back to each input's (broadcast) shape."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import finite_difference

from gradcli.engine import activations as A, dtypes, losses, pointwise as P
from gradcli.engine import functions as F
from gradcli.engine.factories import tensor

SHAPES = st.sampled_from([(), (3,), (2, 3), (1, 3), (2, 1)])

# name: (function, lowest input, highest input, kinks: points where it is not differentiable)
UNARY = {
    "abs": (P.abs, -3, 3, (0,)),
    "sqrt": (P.sqrt, 0.1, 4, ()),
    "square": (P.square, -3, 3, ()),
    "rsqrt": (P.rsqrt, 0.2, 4, ()),
    "log1p": (P.log1p, -0.8, 4, ()),
    "expm1": (P.expm1, -3, 3, ()),
    "log2": (P.log2, 0.1, 4, ()),
    "log10": (P.log10, 0.1, 4, ()),
    "sin": (P.sin, -3, 3, ()),
    "cos": (P.cos, -3, 3, ()),
    "tan": (P.tan, -1.2, 1.2, ()),
    "asin": (P.asin, -0.9, 0.9, ()),
    "acos": (P.acos, -0.9, 0.9, ()),
    "atan": (P.atan, -3, 3, ()),
    "sinh": (P.sinh, -3, 3, ()),
    "cosh": (P.cosh, -3, 3, ()),
    "tanh": (P.tanh, -3, 3, ()),
    "sigmoid": (P.sigmoid, -6, 6, ()),
    "erf": (P.erf, -3, 3, ()),
    "relu": (A.relu, -3, 3, (0,)),
    "softplus": (A.softplus, -25, 25, (20,)),
    "softplus_beta": (lambda x: A.softplus(x, beta=2, threshold=3), -4, 4, (1.5,)),
    "gelu": (A.gelu, -4, 4, ()),
    "gelu_tanh": (lambda x: A.gelu(x, approximate="tanh"), -4, 4, ()),
    "leaky_relu": (lambda x: A.leaky_relu(x, 0.2), -3, 3, (0,)),
    "elu": (lambda x: A.elu(x, alpha=1.5), -3, 3, (0,)),
    "silu": (A.silu, -5, 5, ()),
    "clamp": (lambda x: P.clamp(x, -1, 0.5), -3, 3, (-1, 0.5)),
    "clamp_min": (lambda x: P.clamp_min(x, 0.25), -3, 3, (0.25,)),
    "clamp_max": (lambda x: P.clamp_max(x, -0.5), -3, 3, (-0.5,)),
    "composite": (lambda x: P.tanh(P.sigmoid(x) * P.sin(x)) + P.log1p(P.square(x)), -3, 3, ()),
}
# name: (function, values of a - b where it is not differentiable)
BINARY = {
    "maximum": (P.maximum, (0,)),
    "minimum": (P.minimum, (0,)),
    "clamp_tensor_min": (lambda a, b: P.clamp(a, min=b), (0,)),
    "clamp_tensor_max": (lambda a, b: P.clamp(a, max=b), (0,)),
    "clamp_tensor_both": (lambda a, b: P.clamp(a, b - 1.0, b + 0.5), (-1, 0.5)),
    "mse_loss_none": (lambda a, b: losses.mse_loss(a, b, reduction="none"), ()),
    "mse_loss_mean": (losses.mse_loss, ()),
    "l1_loss": (losses.l1_loss, (0,)),
}
SAME_SHAPE = {
    "bce": lambda p, t: losses.binary_cross_entropy(P.sigmoid(p), P.sigmoid(t)),
    "bce_sum": lambda p, t: losses.binary_cross_entropy(P.sigmoid(p), P.sigmoid(t),
                                                        reduction="sum"),
    "bce_logits": lambda x, t: losses.binary_cross_entropy_with_logits(x, P.sigmoid(t)),
    "bce_logits_pos_weight": lambda x, t: losses.binary_cross_entropy_with_logits(
        x, P.sigmoid(t), pos_weight=tensor(1.5, dtype=dtypes.float64)),
}


def arrays(shape, low=-2.0, high=2.0):
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False))


def as_tensor(values, requires_grad=False):
    return tensor(values, dtype=dtypes.float64, requires_grad=requires_grad)


def gradient_and_numeric(f, values):
    x = as_tensor(values, requires_grad=True)
    F.sum(f(x)).backward()
    return x.grad._data, finite_difference(lambda v: F.sum(f(as_tensor(v))).item(), values)


@settings(max_examples=120, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(UNARY)), shape=SHAPES)
def test_unary_gradients_match_finite_differences(data, name, shape):
    f, low, high, kinks = UNARY[name]
    values = data.draw(arrays(shape, low, high))
    assume(all(np.all(np.abs(values - k) > 1e-3) for k in kinks))
    analytic, numeric = gradient_and_numeric(f, values)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(BINARY)), a_shape=SHAPES, b_shape=SHAPES)
def test_binary_gradients_match_finite_differences_and_unbroadcast(data, name, a_shape, b_shape):
    try:
        np.broadcast_shapes(a_shape, b_shape)
    except ValueError:
        return
    a_values, b_values = data.draw(arrays(a_shape)), data.draw(arrays(b_shape))
    function, kinks = BINARY[name]
    assume(all(np.all(np.abs(np.subtract(a_values, b_values) - k) > 1e-3) for k in kinks))
    f = lambda a, b: F.sum(function(a, b))  # noqa: E731
    a, b = as_tensor(a_values, True), as_tensor(b_values, True)
    f(a, b).backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    numeric_a = finite_difference(lambda v: f(as_tensor(v), as_tensor(b_values)).item(), a_values)
    numeric_b = finite_difference(lambda v: f(as_tensor(a_values), as_tensor(v)).item(), b_values)
    np.testing.assert_allclose(a.grad._data, numeric_a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b.grad._data, numeric_b, rtol=1e-5, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(SAME_SHAPE)), shape=SHAPES)
def test_loss_gradients_match_finite_differences(data, name, shape):
    a_values, b_values = data.draw(arrays(shape)), data.draw(arrays(shape))
    f = lambda a, b: F.sum(SAME_SHAPE[name](a, b))  # noqa: E731
    a, b = as_tensor(a_values, True), as_tensor(b_values, True)
    f(a, b).backward()
    numeric_a = finite_difference(lambda v: f(as_tensor(v), as_tensor(b_values)).item(), a_values)
    numeric_b = finite_difference(lambda v: f(as_tensor(a_values), as_tensor(v)).item(), b_values)
    np.testing.assert_allclose(a.grad._data, numeric_a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b.grad._data, numeric_b, rtol=1e-5, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), name=st.sampled_from(["sin", "tanh", "sigmoid", "gelu", "silu", "erf",
                                             "softplus", "atan", "sqrt", "log1p"]))
def test_second_derivatives_match_finite_differences(data, name):
    """create_graph=True: the backward rules are engine ops, so they differentiate again."""
    from gradcli.engine.differentiate import grad

    f, low, high, _ = UNARY[name]
    values = data.draw(arrays((3,), max(low, 0.2) if name == "sqrt" else low, min(high, 4)))

    def first(v):
        x = as_tensor(v, True)
        return grad(F.sum(f(x)), [x], create_graph=True)[0], x

    g, x = first(values)
    (second,) = grad(F.sum(g), [x])
    numeric = finite_difference(lambda v: F.sum(first(v)[0]).item(), values)
    np.testing.assert_allclose(second._data, numeric, rtol=1e-4, atol=1e-5)
