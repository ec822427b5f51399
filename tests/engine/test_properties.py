"""Property tests: float64 gradients agree with central finite differences, and broadcasting
backward sums each gradient to its input's shape."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import finite_difference

from gradcli.engine import dtypes, functions as F
from gradcli.engine.factories import tensor

SHAPES = st.sampled_from([(), (3,), (2, 3), (1, 3), (2, 1), (4, 1, 3)])
UNARY = {
    "neg": lambda x: -x,
    "square": lambda x: x ** 2,
    "cube": lambda x: x ** 3,
    "scalar_rpow": lambda x: 2 ** x,
    "rdiv": lambda x: 2 / (x * x + 1),
    "rsub": lambda x: 3 - x,
    "mean": lambda x: F.mean(x * x),
    "sum": lambda x: F.sum(x * 3),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 1) ** b,
}


def arrays(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-2, 2, allow_nan=False))


def _scalar(fn):
    return lambda *ts: F.sum(fn(*ts))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(UNARY)), shape=SHAPES)
def test_unary_gradients_match_finite_differences(data, name, shape):
    values = data.draw(arrays(shape))
    f = _scalar(UNARY[name])
    x = tensor(values, dtype=dtypes.float64, requires_grad=True)
    f(x).backward()
    numeric = finite_difference(lambda v: f(tensor(v, dtype=dtypes.float64)).item(), values)
    np.testing.assert_allclose(x.grad._data, numeric, rtol=1e-5, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(BINARY)), a_shape=SHAPES, b_shape=SHAPES)
def test_binary_gradients_match_finite_differences_and_unbroadcast(data, name, a_shape, b_shape):
    try:
        np.broadcast_shapes(a_shape, b_shape)
    except ValueError:
        return
    a_values, b_values = data.draw(arrays(a_shape)), data.draw(arrays(b_shape))
    f = _scalar(BINARY[name])
    a = tensor(a_values, dtype=dtypes.float64, requires_grad=True)
    b = tensor(b_values, dtype=dtypes.float64, requires_grad=True)
    f(a, b).backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    as_t = lambda v: tensor(v, dtype=dtypes.float64)  # noqa: E731
    numeric_a = finite_difference(lambda v: f(as_t(v), as_t(b_values)).item(), a_values)
    numeric_b = finite_difference(lambda v: f(as_t(a_values), as_t(v)).item(), b_values)
    np.testing.assert_allclose(a.grad._data, numeric_a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b.grad._data, numeric_b, rtol=1e-5, atol=1e-6)
