"""Property tests for the range constructors (the goldens pin exact values; these check the
invariants on many more bounds), and the default dtype's reach into constructors."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradcli.engine import dtypes, factories

BOUNDS = st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 3))
STEPS = st.floats(0.01, 50, allow_nan=False).map(lambda v: round(v, 3)).filter(lambda v: v > 0)


@settings(max_examples=150, deadline=None)
@given(start=BOUNDS, end=BOUNDS, step=STEPS, descending=st.booleans(),
       dtype=st.sampled_from([dtypes.float32, dtypes.float64]))
def test_arange_length_order_and_half_open_end(start, end, step, descending, dtype):
    if descending:
        start, end, step = max(start, end), min(start, end), -step
    else:
        start, end = min(start, end), max(start, end)
    assume(abs(end - start) / abs(step) < 20_000)
    t = factories.arange(start, end, step, dtype=dtype)
    values = t._data.astype(np.float64)
    assert t.dtype is dtype
    assert t.numel() == max(math.ceil((end - start) / step), 0)
    if t.numel():
        assert values[0] == np.float64(dtype.numpy.type(start))
        assert np.all(np.diff(values) * np.sign(step) > 0)
        np.testing.assert_allclose(values, start + step * np.arange(t.numel()),
                                   rtol=1e-6 if dtype is dtypes.float32 else 1e-12, atol=1e-4)


@settings(max_examples=150, deadline=None)
@given(start=BOUNDS, end=BOUNDS, steps=st.integers(0, 3000),
       dtype=st.sampled_from([dtypes.float32, dtypes.float64]))
def test_linspace_hits_both_ends_and_is_monotone(start, end, steps, dtype):
    t = factories.linspace(start, end, steps, dtype=dtype)
    values = t._data
    assert t.shape == (steps,) and t.dtype is dtype
    if steps:
        assert values[0] == dtype.numpy.type(start)
    if steps > 1:
        assert values[-1] == dtype.numpy.type(end)
        differences = np.diff(values.astype(np.float64)) * np.sign(end - start)
        assert np.all(differences >= 0)


@settings(max_examples=100, deadline=None)
@given(start=st.integers(-50, 50), end=st.integers(-50, 50), step=st.integers(1, 7))
def test_integer_arange_is_pythons_range(start, end, step):
    low, high = min(start, end), max(start, end)     # the other direction is an error
    assert factories.arange(low, high, step).tolist() == list(range(low, high, step))
    assert factories.arange(high, low, -step).tolist() == list(range(high, low, -step))


@pytest.fixture
def float64_default():
    dtypes.set_default_dtype(dtypes.float64)
    yield
    dtypes.set_default_dtype(dtypes.float32)


@pytest.mark.usefixtures("float64_default")
def test_default_dtype_reaches_float_constructors():
    assert factories.arange(0.5).dtype is dtypes.float64
    assert factories.arange(3).dtype is dtypes.int64
    assert factories.range(1, 3).dtype is dtypes.float64
    assert factories.linspace(0, 1, 3).dtype is dtypes.float64
    assert factories.eye(2).dtype is dtypes.float64
    assert factories.full((2,), 1.5).dtype is dtypes.float64
