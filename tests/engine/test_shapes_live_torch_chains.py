"""Where torch is importable (not in CI): random chains of shape ops give PyTorch's graph (which
reshape is a view, an alias or a copy depends on the strides the chain left), values and
gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from test_shapes_golden import graph  # noqa: E402
from test_shapes_properties import SHAPES  # noqa: E402

from gradcli.engine import dtypes, shapes  # noqa: E402
from gradcli.engine.factories import tensor  # noqa: E402


@st.composite
def step(draw, shape):
    """One shape op valid for `shape`, as (description, function of a tensor, new shape)."""
    ndim = len(shape)
    choice = draw(st.sampled_from(["transpose", "permute", "reshape", "flatten", "unsqueeze",
                                   "squeeze", "expand", "contiguous", "slice", "view"]))
    if choice == "transpose" and ndim >= 2:
        a, b = draw(st.integers(0, ndim - 1)), draw(st.integers(0, ndim - 1))
        new = list(shape)
        new[a], new[b] = new[b], new[a]
        return f"transpose({a}, {b})", lambda x: x.transpose(a, b), tuple(new)
    if choice == "permute":
        order = draw(st.permutations(range(ndim)))
        return f"permute{tuple(order)}", lambda x: x.permute(*order), tuple(shape[i] for i in order)
    if choice in ("reshape", "view"):
        size = int(np.prod(shape))
        first = draw(st.sampled_from([d for d in range(1, size + 1) if size % d == 0]))
        new = (first, size // first)
        if choice == "view":        # may raise 15c on a non-viewable input: compared too
            return f"view{new}", lambda x: x.view(*new), new
        return f"reshape(-1, {new[1]})", lambda x: x.reshape(-1, new[1]), new
    if choice == "flatten" and ndim >= 1:
        start = draw(st.integers(0, ndim - 1))
        merged = shape[:start] + (int(np.prod(shape[start:])),)
        return f"flatten({start})", lambda x: x.flatten(start), merged
    if choice == "unsqueeze" and ndim < 4:
        d = draw(st.integers(0, ndim))
        return f"unsqueeze({d})", lambda x: x.unsqueeze(d), shape[:d] + (1,) + shape[d:]
    if choice == "squeeze" and ndim >= 2:
        return "squeeze()", lambda x: x.squeeze(), tuple(n for n in shape if n != 1)
    if choice == "expand" and 1 in shape:
        new = tuple(2 if n == 1 else n for n in shape)
        return f"expand{new}", lambda x: x.expand(*new), new
    if choice == "slice" and ndim >= 1 and shape[0] > 1:
        return "[::2]", lambda x: x[::2], ((shape[0] + 1) // 2,) + shape[1:]
    return "contiguous()", lambda x: x.contiguous(), shape


@st.composite
def chains(draw):
    shape = draw(SHAPES)
    steps, current = [], shape
    for _ in range(draw(st.integers(1, 4))):
        description, fn, current = draw(step(current))
        if not current:
            break
        steps.append((description, fn))
    return shape, steps


@settings(max_examples=200, deadline=None)
@given(chain=chains())
def test_shape_chains_match_torch(chain):
    shape, steps = chain
    values = np.arange(float(np.prod(shape))).reshape(shape)
    results = {}
    for library in ("torch", "gradcli"):
        if library == "torch":
            leaf = torch.tensor(values.tolist(), dtype=torch.float64, requires_grad=True)
        else:
            leaf = tensor(values, dtype=dtypes.float64, requires_grad=True)
        out = leaf
        try:
            for _, fn in steps:
                out = fn(out)
        except RuntimeError as error:
            results[library] = str(error)
            continue
        layout = graph(out.grad_fn)
        (out * out).sum().backward()
        to_numpy = (lambda t: t.detach().numpy()) if library == "torch" else (lambda t: t._data)
        results[library] = (to_numpy(out), layout, to_numpy(leaf.grad))
    expected, actual = results["torch"], results["gradcli"]
    if isinstance(expected, str):
        assert actual == expected
        return
    np.testing.assert_array_equal(actual[0], expected[0])
    assert actual[1] == expected[1], [d for d, _ in steps]
    np.testing.assert_array_equal(actual[2], expected[2])
