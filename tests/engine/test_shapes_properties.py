"""Property tests for shape ops and indexing: float64 gradients agree with central finite
differences on random shapes, and views share storage and version counter with their base.
`check_gradients` is shared with the reductions and linalg property tests."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import finite_difference

from gradcli.engine import dtypes, joining, shapes
from gradcli.engine.factories import tensor

FAST = settings(max_examples=30, deadline=None)


def as_tensor(values, requires_grad=False):
    return tensor(values, dtype=dtypes.float64, requires_grad=requires_grad)


def arrays(shape, low=-2.0, high=2.0):
    # no subnormals: a product with one underflows to 0 in PyTorch as here, which finite
    # differences cannot see
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False,
                                                            allow_subnormal=False))


def check_gradients(fn, *values, eps=1e-6, rtol=1e-5, atol=1e-6):
    """The gradient of sum(fn(*inputs) * weights), for fixed random weights, matches central
    differences for every input."""
    result = fn(*(as_tensor(v) for v in values))
    weights = as_tensor(np.random.RandomState(0).uniform(-1, 1, result.shape))

    def scalar(*arrays_):
        return (fn(*(as_tensor(a) for a in arrays_)) * weights).sum().item()

    leaves = [as_tensor(v, requires_grad=True) for v in values]
    (fn(*leaves) * weights).sum().backward()
    for i, (leaf, value) in enumerate(zip(leaves, values)):
        numeric = finite_difference(
            lambda v, i=i: scalar(*values[:i], v, *values[i + 1:]), value, eps)
        assert leaf.grad is not None and leaf.grad.shape == leaf.shape
        np.testing.assert_allclose(leaf.grad._data, numeric, rtol=rtol, atol=atol)


SHAPES = st.lists(st.integers(1, 3), min_size=1, max_size=4).map(tuple)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_view_permute_and_flatten_gradients(data, shape):
    values = data.draw(arrays(shape))
    order = data.draw(st.permutations(range(len(shape))))
    start = data.draw(st.integers(0, len(shape) - 1))
    check_gradients(lambda x: x.permute(*order).reshape(-1, 1).flatten(), values)
    check_gradients(lambda x: x.transpose(0, -1).flatten(start) * x.reshape(-1).sum(), values)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_expand_squeeze_unsqueeze_gradients(data, shape):
    values = data.draw(arrays(shape))
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check_gradients(lambda x: x.unsqueeze(dim).expand(2, *([-1] * (len(shape) + 1))), values)
    check_gradients(lambda x: x.unsqueeze(dim).squeeze() * 2.0, values)


@FAST
@given(data=st.data(), shape=SHAPES, count=st.integers(1, 3))
def test_cat_and_stack_gradients(data, shape, count):
    dim = data.draw(st.integers(0, len(shape) - 1))
    parts = []
    for _ in range(count):
        own = list(shape)
        own[dim] = data.draw(st.integers(1, 3))
        parts.append(data.draw(arrays(tuple(own))))
    check_gradients(lambda *ts: joining.cat(list(ts), dim) ** 2, *parts)
    same = [data.draw(arrays(shape)) for _ in range(count)]
    stack_dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check_gradients(lambda *ts: joining.stack(list(ts), stack_dim) ** 2, *same)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_repeat_flip_roll_split_gradients(data, shape):
    values = data.draw(arrays(shape))
    dim = data.draw(st.integers(0, len(shape) - 1))
    repeats = [data.draw(st.integers(1, 2)) for _ in range(len(shape) + 1)]
    shift = data.draw(st.integers(-3, 3))
    size = data.draw(st.integers(1, shape[dim]))
    check_gradients(lambda x: x.repeat(*repeats) ** 2, values)
    check_gradients(lambda x: x.flip(dim) * x, values)
    check_gradients(lambda x: x.roll(shift, dim) * x + x.roll(shift) ** 2, values)
    check_gradients(lambda x: joining.cat([p * (i + 1) for i, p in enumerate(x.split(size, dim))],
                                         dim), values)
    np.testing.assert_array_equal(as_tensor(values).repeat(*repeats)._data,
                                  np.tile(values, repeats))


@st.composite
def basic_index(draw, shape):
    """A random mix of integers, slices (with steps), None and Ellipsis for `shape`."""
    key = []
    for size in shape:
        kind = draw(st.sampled_from(["int", "slice", "full", "none"]))
        if kind == "int":
            key.append(draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            stop = draw(st.integers(-size, size) | st.none())
            key.append(slice(draw(st.integers(-size, size)), stop, draw(st.integers(1, 3))))
        elif kind == "full":
            key.append(slice(None))
        else:
            key.extend([None, slice(None)])
    if draw(st.booleans()) and key:
        key[draw(st.integers(0, len(key) - 1))] = Ellipsis
    return tuple(key)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_basic_indexing_matches_numpy_and_its_gradient(data, shape):
    values = data.draw(arrays(shape))
    key = data.draw(basic_index(shape))
    expected = values[key]
    if expected.size == 0:
        return
    out = as_tensor(values)[key]
    np.testing.assert_array_equal(out._data, expected)
    check_gradients(lambda x: x[key] ** 2, values)


@FAST
@given(data=st.data(), shape=SHAPES)
def test_advanced_indexing_accumulates_repeated_indices(data, shape):
    values = data.draw(arrays(shape))
    picks = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=5))
    mask = data.draw(hnp.arrays(np.bool_, shape))
    np.testing.assert_array_equal(as_tensor(values)[picks]._data, values[picks])
    check_gradients(lambda x: x[picks] * 3.0, values)
    check_gradients(lambda x: x[tensor(mask)] ** 2, values)
    x = as_tensor(values, requires_grad=True)
    x[picks].sum().backward()
    counts = np.bincount(np.array(picks) % shape[0], minlength=shape[0]).astype(float)
    np.testing.assert_array_equal(x.grad._data, np.broadcast_to(
        counts.reshape((-1,) + (1,) * (len(shape) - 1)), shape))


# ----- views alias their base -----------------------------------------------------------------

def test_views_share_storage_and_version_with_their_base():
    base = as_tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    views = [base.view(3, 2), base.t(), base.T, base[0], base[:, 1], base[0:1], base.unsqueeze(0),
             base.expand(2, 2, 3), base.permute(1, 0), base.reshape(6), base.narrow(1, 0, 2),
             base.transpose(0, 1).reshape(3, 2)]
    for view in views:
        assert np.shares_memory(view._data, base._data)
        assert view._version is base._version
        assert view._view_of is base
        assert not view.is_leaf and view.requires_grad
    nested = base.t()[1]
    assert nested._view_of is base and nested._version is base._version


def test_copies_do_not_alias():
    base = as_tensor(np.arange(6.0).reshape(2, 3))
    for copy in (base.t().reshape(6), base[[0, 1]], base[base > 2], base.t().contiguous(),
                 joining.cat([base, base]), joining.stack([base, base])):
        assert not np.shares_memory(copy._data, base._data)
        assert copy._version is not base._version


def test_contiguous_returns_the_same_tensor_when_already_contiguous():
    x = as_tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    assert x.contiguous() is x
    assert x.t().contiguous().grad_fn.name() == "CloneBackward0"


def test_view_of_a_tensor_without_grad_has_no_graph():
    x = as_tensor([[1.0, 2.0], [3.0, 4.0]])
    view = x.view(4)
    assert view.grad_fn is None and not view.requires_grad
