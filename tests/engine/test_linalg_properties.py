"""Property tests for matrix products: matmul agrees with numpy's on random (broadcast) shapes
and its float64 gradients, first and second order, agree with central finite differences."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from test_shapes_properties import arrays, as_tensor, check_gradients

from gradcli.engine import differentiate, linalg

FAST = settings(max_examples=30, deadline=None)
SIZE = st.integers(1, 3)


@st.composite
def matmul_shapes(draw):
    """Two operands of 1 to 4 dims whose matmul is defined (batch dims broadcast)."""
    n, m, p = draw(SIZE), draw(SIZE), draw(SIZE)
    batch = draw(st.lists(SIZE, max_size=2))
    left = draw(st.sampled_from(["vector", "matrix", "batch"]))
    right = draw(st.sampled_from(["vector", "matrix", "batch"]))

    def batch_of(shape):
        return tuple(draw(st.sampled_from([1, size])) for size in batch) + shape

    a = (m,) if left == "vector" else (n, m) if left == "matrix" else batch_of((n, m))
    b = (m,) if right == "vector" else (m, p) if right == "matrix" else batch_of((m, p))
    return a, b


@FAST
@given(data=st.data(), shapes=matmul_shapes(), grad_left=st.booleans())
def test_matmul_values_and_gradients(data, shapes, grad_left):
    a_values, b_values = data.draw(arrays(shapes[0])), data.draw(arrays(shapes[1]))
    expected = np.matmul(a_values, b_values)
    out = linalg.matmul(as_tensor(a_values, requires_grad=grad_left), as_tensor(b_values))
    assert out.shape == expected.shape
    np.testing.assert_allclose(out._data, expected, rtol=1e-12, atol=1e-12)
    check_gradients(linalg.matmul, a_values, b_values)


@FAST
@given(data=st.data(), n=SIZE, m=SIZE, p=SIZE, batch=SIZE)
def test_named_products_gradients(data, n, m, p, batch):
    matrix, other = data.draw(arrays((n, m))), data.draw(arrays((m, p)))
    vector, vector2 = data.draw(arrays((m,))), data.draw(arrays((n,)))
    check_gradients(linalg.mm, matrix, other)
    check_gradients(linalg.mv, matrix, vector)
    check_gradients(linalg.dot, vector, vector * 2 - 1)
    check_gradients(linalg.outer, vector, vector2)
    check_gradients(linalg.bmm, data.draw(arrays((batch, n, m))), data.draw(arrays((batch, m, p))))


@FAST
@given(data=st.data(), shapes=matmul_shapes())
def test_matmul_second_derivatives(data, shapes):
    a_values, b_values = data.draw(arrays(shapes[0])), data.draw(arrays(shapes[1]))
    probe = as_tensor(np.random.RandomState(2).uniform(-1, 1, shapes[0]))

    def gradient_dot_probe(a, b):
        a = a if a.requires_grad else a.detach().requires_grad_()
        (gradient,) = differentiate.grad((linalg.matmul(a, b) ** 2).sum(), a, create_graph=True)
        return (gradient * probe).sum()

    check_gradients(gradient_dot_probe, a_values, b_values, rtol=1e-4, atol=1e-5)
