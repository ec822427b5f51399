"""The walking-skeleton ops against PyTorch 2.13's recorded output (tests/golden/skeleton.json)."""

import numpy as np
import pytest

from helpers import load_golden, run_program

from gradcli.engine import dtypes
from gradcli.engine.factories import tensor
from gradcli.render.graph import collect_graph

CASES = load_golden("skeleton.json")["cases"]
TOLERANCE = {"float32": dict(rtol=1e-6, atol=1e-7), "float64": dict(rtol=1e-13, atol=1e-15)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['dtype']}:{c['expression']}")
def test_matches_pytorch(case):
    check_case(case)


def check_case(case):
    """gradcli gives what PyTorch recorded for this case (also used by the live torch test)."""
    dtype = dtypes.BY_NAME[case["dtype"]]
    leaves = {n: tensor(v, dtype=dtype, requires_grad=True) for n, v in case["inputs"].items()}
    outcome = run_program(case["expression"], leaves)
    assert outcome.error is None
    out = outcome.outputs[-1].value
    tol = TOLERANCE[case["dtype"]]

    assert out.dtype.name == case["out_dtype"]
    assert list(out.shape) == case["shape"]
    np.testing.assert_allclose(out._data, np.array(case["value"]), **tol)
    assert repr(out) == case["repr"]
    graph = [{"name": n.name, "next": n.next} for n in collect_graph(out.grad_fn, {})]
    assert graph == case["graph"]

    (out if out.ndim == 0 else out.sum()).backward()
    for name, leaf in leaves.items():
        np.testing.assert_allclose(leaf.grad._data, np.array(case["grads"][name]), **tol)
        assert repr(leaf.grad) == case["grad_reprs"][name]
