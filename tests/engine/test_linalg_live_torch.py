"""Where torch is importable (not in CI): matmul on random shapes, batch broadcasting, operands
with and without grad and transposed (non-contiguous) operands gives PyTorch's graph, values and
gradients. matmul's dispatch (dot, mv, mm, folded mm/mv, bmm) is where layouts differ most."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from test_linalg_properties import matmul_shapes  # noqa: E402
from test_shapes_golden import graph  # noqa: E402

from gradcli.engine import dtypes, linalg  # noqa: E402
from gradcli.engine.factories import tensor  # noqa: E402


def _operand(values, requires_grad, transposed, library):
    """A leaf, optionally seen through a transpose of its last two dims (non-contiguous)."""
    if transposed and values.ndim >= 2:
        values = np.ascontiguousarray(np.swapaxes(values, -1, -2))
    if library == "torch":      # from a list: torch's own strides, also for size-1 dims
        leaf = torch.tensor(values.tolist(), dtype=torch.float64, requires_grad=requires_grad)
    else:
        leaf = tensor(values, dtype=dtypes.float64, requires_grad=requires_grad)
    used = leaf.transpose(-1, -2) if transposed and values.ndim >= 2 else leaf
    return leaf, used


@settings(max_examples=150, deadline=None)
@given(data=st.data(), shapes=matmul_shapes(), grads=st.sampled_from([(1, 1), (1, 0), (0, 1)]),
       transposed=st.tuples(st.booleans(), st.booleans()))
def test_matmul_matches_torch(data, shapes, grads, transposed):
    rng = np.random.RandomState(0)
    a_values, b_values = rng.uniform(-2, 2, shapes[0]), rng.uniform(-2, 2, shapes[1])
    results = {}
    for library in ("torch", "gradcli"):
        a_leaf, a = _operand(a_values, bool(grads[0]), transposed[0], library)
        b_leaf, b = _operand(b_values, bool(grads[1]), transposed[1], library)
        out = (a @ b) if library == "torch" else linalg.matmul(a, b)
        layout = graph(out.grad_fn)
        (out * out).sum().backward()
        results[library] = (np.asarray(out.detach().numpy() if library == "torch" else out._data),
                            layout, [None if leaf.grad is None else np.asarray(
                                leaf.grad.numpy() if library == "torch" else leaf.grad._data)
                                for leaf in (a_leaf, b_leaf)])
    expected, actual = results["torch"], results["gradcli"]
    np.testing.assert_allclose(actual[0], expected[0], rtol=1e-12, atol=1e-12)
    assert actual[1] == expected[1]
    for mine, theirs in zip(actual[2], expected[2]):
        assert (mine is None) == (theirs is None)
        if mine is not None:
            np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)
