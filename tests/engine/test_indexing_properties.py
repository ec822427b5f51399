"""Property tests for selection ops (gather, index_select, masked_fill, sort/topk, diagonals,
triangles): float64 gradients agree with central finite differences on random shapes, and
repeated indices add up."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from test_shapes_properties import SHAPES, arrays, as_tensor, check_gradients

from gradcli.engine import selection
from gradcli.engine.factories import tensor

FAST = settings(max_examples=25, deadline=None)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_gather_and_index_select_gradients(data, shape):
    values = data.draw(arrays(shape))
    dim = data.draw(st.integers(0, len(shape) - 1))
    index_shape = tuple(data.draw(st.integers(1, 3)) if d == dim else data.draw(st.integers(1, n))
                        for d, n in enumerate(shape))
    index = data.draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[dim] - 1)))
    picks = data.draw(st.lists(st.integers(0, shape[dim] - 1), min_size=1, max_size=4))
    check_gradients(lambda x: x.gather(dim, tensor(index)) ** 2, values)
    check_gradients(lambda x: x.index_select(dim, tensor(picks)) * 3.0, values)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_masked_fill_sort_and_topk_gradients(data, shape):
    values = data.draw(arrays(shape))
    ranks = np.argsort(values, axis=None).argsort().reshape(shape)
    values = values * 0.001 + ranks * 0.05             # distinct, so no ties, and small
    mask = tensor(data.draw(hnp.arrays(np.bool_, shape)))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    k = data.draw(st.integers(1, shape[dim]))
    check_gradients(lambda x: x.masked_fill(mask, 2.0) ** 2, values)
    check_gradients(lambda x: x.sort(dim, descending=True).values ** 2, values)
    check_gradients(lambda x: x.topk(k, dim)[0] ** 2, values)
    expected = np.sort(values, axis=dim)
    np.testing.assert_array_equal(as_tensor(values).sort(dim).values._data, expected)


@FAST
@given(data=st.data(), rows=st.integers(1, 4), cols=st.integers(1, 4), offset=st.integers(-2, 2))
def test_diagonal_family_gradients(data, rows, cols, offset):
    values = data.draw(arrays((2, rows, cols)))
    if min(rows, cols - offset, rows + offset, cols) <= 0 or (
            np.diagonal(values, offset, 1, 2).size == 0):
        return
    check_gradients(lambda x: x.diagonal(offset, 1, 2) ** 2, values)
    check_gradients(lambda x: selection.diag(x[0], offset) ** 2, values)
    check_gradients(lambda x: x[1].trace() * x, values)
    check_gradients(lambda x: x.tril(offset) * x.triu(-offset), values)
    vector = values[0, 0]
    check_gradients(lambda v: selection.diag(v, offset) ** 2, vector)
