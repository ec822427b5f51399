"""Property tests of the backward pass itself: `out.backward(G)` gives the gradients of
`sum(out * G)`; `autograd.grad` agrees with `backward` and leaves `.grad` alone; in-place ops give
the gradients of their out-of-place twins."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcli.engine import dtypes, functions as F
from gradcli.engine.differentiate import grad
from gradcli.engine.factories import tensor

SHAPES = st.sampled_from([(3,), (2, 3), (1, 3), (2, 1), (4, 1, 3)])
FUNCTIONS = {
    "square_plus": lambda x, y: x * x + y,
    "broadcast_mul": lambda x, y: x * y.sum() - 2 / (y * y + 1),
    "pow_div": lambda x, y: (x * x + 1) ** y / (y * y + 2),
    "chain": lambda x, y: (x - y) * (x + 3) * F.exp(y / 4),
}
# an out-of-place function and the same computation written with in-place ops on a copy
INPLACE_TWINS = {
    "add_mul": (lambda x, y: (x * 1 + y) * 3, lambda t, y: t.add_(y).mul_(3)),
    "sub_div": (lambda x, y: (x * 1 - 2) / (y * y + 1), lambda t, y: t.sub_(2).div_(y * y + 1)),
    "pow_neg": (lambda x, y: -((x * 1) ** 2) + y, lambda t, y: t.pow_(2).neg_().add_(y)),
    "augmented": (lambda x, y: (x * 1 + y) * y, None),
}


def arrays(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-2, 2, allow_nan=False))


def leaves(*values):
    return [tensor(v, dtype=dtypes.float64, requires_grad=True) for v in values]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(FUNCTIONS)), shape=SHAPES)
def test_backward_with_gradient_is_backward_of_weighted_sum(data, name, shape):
    x_values, y_values, weights = (data.draw(arrays(shape)) for _ in range(3))
    f = FUNCTIONS[name]
    x, y = leaves(x_values, y_values)
    f(x, y).backward(tensor(weights, dtype=dtypes.float64))
    x2, y2 = leaves(x_values, y_values)
    F.sum(f(x2, y2) * tensor(weights, dtype=dtypes.float64)).backward()
    np.testing.assert_allclose(x.grad._data, x2.grad._data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.grad._data, y2.grad._data, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(FUNCTIONS)), shape=SHAPES)
def test_autograd_grad_matches_backward_and_leaves_grad_alone(data, name, shape):
    x_values, y_values = (data.draw(arrays(shape)) for _ in range(2))
    f = FUNCTIONS[name]
    x, y = leaves(x_values, y_values)
    gx, gy = grad(F.sum(f(x, y)), [x, y])
    assert x.grad is None and y.grad is None
    F.sum(f(x, y)).backward()
    np.testing.assert_allclose(gx._data, x.grad._data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gy._data, y.grad._data, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(INPLACE_TWINS)), shape=SHAPES)
def test_inplace_ops_give_the_gradients_of_their_out_of_place_twins(data, name, shape):
    x_values, y_values = (data.draw(arrays(shape)) for _ in range(2))
    out_of_place, in_place = INPLACE_TWINS[name]
    x, y = leaves(x_values, y_values)
    expected = out_of_place(x, y)
    F.sum(expected).backward()
    x2, y2 = leaves(x_values, y_values)
    t = x2 * 1
    if in_place is None:          # Python's augmented assignment calls the in-place methods
        t += y2
        t *= y2
    else:
        in_place(t, y2)
    np.testing.assert_array_equal(t._data, expected._data)
    assert t._version.value >= 1
    F.sum(t).backward()
    np.testing.assert_allclose(x2.grad._data, x.grad._data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y2.grad._data, y.grad._data, rtol=1e-12, atol=1e-12)
