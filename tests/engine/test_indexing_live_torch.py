"""Where torch is importable (not in CI): random index expressions (integers, slices with steps,
None, Ellipsis, integer lists and bool masks) give PyTorch's values, graph and gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

torch = pytest.importorskip("torch")

from test_shapes_golden import graph  # noqa: E402
from test_shapes_properties import SHAPES, basic_index  # noqa: E402

from gradcli.engine import dtypes  # noqa: E402
from gradcli.engine.factories import tensor  # noqa: E402


@st.composite
def any_index(draw, shape):
    """A basic index, sometimes with one entry replaced by an integer list or a bool mask."""
    key = list(draw(basic_index(shape)))
    if Ellipsis in key or not key or not draw(st.booleans()):
        return tuple(key)
    at = draw(st.integers(0, min(len(key), len(shape)) - 1))
    if key[:at].count(None):
        return tuple(key)
    size = shape[at]
    if draw(st.booleans()):
        key[at] = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=4))
    else:
        key[at] = draw(hnp.arrays(np.bool_, (size,)))
    return tuple(key)


def _as(library, item):
    if isinstance(item, np.ndarray):
        return torch.tensor(item.tolist()) if library == "torch" else tensor(item)
    return item


@settings(max_examples=150, deadline=None)
@given(data=st.data(), shape=SHAPES)
def test_indexing_matches_torch(data, shape):
    values = np.random.RandomState(0).uniform(-2, 2, shape)
    key = data.draw(any_index(shape))
    results = {}
    for library in ("torch", "gradcli"):
        if library == "torch":
            leaf = torch.tensor(values.tolist(), dtype=torch.float64, requires_grad=True)
        else:
            leaf = tensor(values, dtype=dtypes.float64, requires_grad=True)
        try:
            out = leaf[tuple(_as(library, k) for k in key)]
        except (IndexError, RuntimeError, ValueError) as error:
            kind = error.kind if library == "gradcli" else type(error).__name__
            results[library] = (kind, str(error))
            continue
        layout = graph(out.grad_fn)
        (out * out).sum().backward()
        data_of = (lambda t: t.detach().numpy()) if library == "torch" else (lambda t: t._data)
        results[library] = (data_of(out), layout, data_of(leaf.grad))
    expected, actual = results["torch"], results["gradcli"]
    if isinstance(expected[0], str):
        assert actual == expected
        return
    np.testing.assert_array_equal(actual[0], expected[0])
    assert actual[1] == expected[1]
    np.testing.assert_array_equal(actual[2], expected[2])
