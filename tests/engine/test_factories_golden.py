"""Constructors (`arange`, `range`, `linspace`, `eye`, `full`, the `*_like` family,
`from_numpy`, `Variable`, the legacy `FloatTensor` family) against PyTorch 2.13's recorded
output in tests/golden/pointwise.json: exact values, dtype, repr, requires_grad, warnings and
error texts; then what a golden cannot show (shared memory, element limits)."""

import numpy as np
import pytest

from helpers import load_golden
from test_pointwise_golden import engine_eval

from gradcli.engine import dtypes, factories, limits
from gradcli.engine.errors import LimitExceeded

CASES = load_golden("pointwise.json")["constructors"]


def check_constructor(case):
    value, error, warnings = engine_eval(case["expression"], {})
    assert warnings == case["warnings"]
    if "kind" in case:
        assert error == (case["kind"], case["message"])
        return
    assert error is None
    if "python" in case:
        assert repr(value) == case["python"]
        return
    assert value.dtype.name == case["out_dtype"]
    assert list(value.shape) == case["shape"]
    expected = np.array(case["value"], dtype=value.dtype.numpy).reshape(case["shape"])
    np.testing.assert_array_equal(value._data, expected)
    assert repr(value) == case["repr"]
    assert value.requires_grad == case["requires_grad"]


@pytest.mark.parametrize("case", CASES, ids=[c["expression"] for c in CASES])
def test_constructor_matches_pytorch(case):
    check_constructor(case)


def test_from_numpy_shares_memory_and_keeps_dtype():
    array = np.array([1.0, 2.0], dtype=np.float32)
    t = factories.from_numpy(array)
    array[0] = 5.0
    assert t.dtype is dtypes.float32 and t.tolist() == [5.0, 2.0]


def test_variable_shares_storage_without_sharing_requires_grad():
    source = factories.ones(2)
    v = factories.Variable(source, requires_grad=True)
    v.detach()._data[0] = 3.0
    assert source.tolist() == [3.0, 1.0]
    assert v.requires_grad and not source.requires_grad


@pytest.mark.parametrize("build", [
    lambda: factories.arange(10 ** 9),
    lambda: factories.arange(0.0, 1.0, 1e-9),
    lambda: factories.range(0, 10 ** 9),
    lambda: factories.linspace(0, 1, 10 ** 9),
    lambda: factories.eye(100_000),
    lambda: factories.full((100_000, 100_000), 1.0),
])
def test_element_limit_is_checked_before_allocating(build, monkeypatch):
    monkeypatch.setattr(limits, "max_elements", 1_000_000)
    with pytest.raises(LimitExceeded):
        build()


def test_like_constructors_take_shape_not_graph():
    x = factories.tensor([[1.0, 2.0]], requires_grad=True)
    y = x * 2
    for made in (factories.ones_like(y), factories.zeros_like(y), factories.full_like(y, 7)):
        assert made.shape == y.shape and made.grad_fn is None and not made.requires_grad
