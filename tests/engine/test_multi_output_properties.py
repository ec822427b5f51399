"""Multi-output ops (split, chunk, unbind; and tensor_split and h/v/dsplit, pieces of slices) beyond the golden cases: float64 gradients through
pieces used in random combinations (some unused, some twice) agree with central differences,
the node draws once in the rendered graph, and a deep chain of pieces backpropagates without
recursion."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_shapes_properties import SHAPES, arrays, check_gradients

from gradcli.engine import joining
from gradcli.engine.factories import tensor
from gradcli.render.graph import collect_graph

FAST = settings(max_examples=30, deadline=None)


def combine(pieces, uses):
    """A sum of products of pieces (each term: piece i times piece j, flattened and padded
    to a common length), so unused, once-used and twice-used pieces all occur."""
    flat = [p.reshape(-1) for p in pieces]
    length = max(f.shape[0] for f in flat)
    terms = []
    for i, j in uses:
        a, b = flat[i % len(flat)], flat[j % len(flat)]
        n = min(a.shape[0], b.shape[0])
        terms.append(joining.cat([a[:n] * b[:n], tensor([0.0] * (length - n), dtype=a.dtype)]))
    return joining.stack(terms).sum(0)


USES = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=4)


@FAST
@given(st.data(), SHAPES, USES)
def test_split_gradients_match_finite_differences(data, shape, uses):
    dim = data.draw(st.integers(0, len(shape) - 1))
    size = data.draw(st.integers(1, shape[dim]))
    check_gradients(lambda x: combine(x.split(size, dim), uses), data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES)
def test_split_with_sizes_gradients_match_finite_differences(data, shape, uses):
    dim = data.draw(st.integers(0, len(shape) - 1))
    cut = data.draw(st.integers(0, shape[dim]))
    check_gradients(lambda x: combine(x.split([cut, shape[dim] - cut], dim), uses),
                    data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES)
def test_chunk_gradients_match_finite_differences(data, shape, uses):
    dim = data.draw(st.integers(0, len(shape) - 1))
    chunks = data.draw(st.integers(1, 4))
    check_gradients(lambda x: combine(x.chunk(chunks, dim), uses), data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES)
def test_unbind_gradients_match_finite_differences(data, shape, uses):
    dim = data.draw(st.integers(0, len(shape) - 1))
    check_gradients(lambda x: combine(x.unbind(dim), uses), data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES)
def test_tensor_split_sections_gradients_match_finite_differences(data, shape, uses):
    dim = data.draw(st.integers(0, len(shape) - 1))
    sections = data.draw(st.integers(1, 5))
    check_gradients(lambda x: combine(x.tensor_split(sections, dim), uses),
                    data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES)
def test_tensor_split_indices_gradients_match_finite_differences(data, shape, uses):
    # indices out of order, negative or past the end make empty or clamped pieces
    dim = data.draw(st.integers(0, len(shape) - 1))
    indices = data.draw(st.lists(st.integers(-shape[dim] - 1, shape[dim] + 1), max_size=3))
    check_gradients(lambda x: combine(x.tensor_split(indices, dim), uses),
                    data.draw(arrays(shape)))


@FAST
@given(st.data(), SHAPES, USES, st.sampled_from(["hsplit", "vsplit", "dsplit"]))
def test_hsplit_vsplit_dsplit_gradients_match_finite_differences(data, shape, uses, name):
    least_dims, dim = {"hsplit": (1, 1 if len(shape) > 1 else 0), "vsplit": (2, 0),
                       "dsplit": (3, 2)}[name]
    if len(shape) < least_dims:
        return
    sections = data.draw(st.sampled_from([n for n in range(1, shape[dim] + 1)
                                          if shape[dim] % n == 0]))
    check_gradients(lambda x: combine(getattr(x, name)(sections), uses),
                    data.draw(arrays(shape)))


def test_graph_draws_the_split_node_once_with_an_edge_per_piece():
    x = tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
    a, b = x.split([2, 3])
    nodes = collect_graph((a.sum() * b).sum().grad_fn, {id(x): "x"})
    splits = [n for n in nodes if n.name == "SplitWithSizesBackward0"]
    assert len(splits) == 1 and splits[0].shape is None      # two shapes: none shown
    mul = next(n for n in nodes if n.name == "MulBackward0")
    total = next(n for n in nodes if n.name == "SumBackward0" and n.id in mul.next)
    assert mul.next == [total.id, splits[0].id] and total.next == [splits[0].id]
    assert collect_graph(x.split(2)[1].grad_fn, {})[0].shape is None
    assert collect_graph(x.unbind()[3].grad_fn, {})[0].shape == ()


def test_deep_chain_of_pieces_backpropagates_iteratively():
    # 5,000 split nodes (far past Python's recursion limit), each piece feeding the next
    x = tensor(np.ones(2), requires_grad=True)
    y = x
    for _ in range(5_000):
        first, second = y.split(1)
        y = joining.cat([first * 1.0, second])
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]
