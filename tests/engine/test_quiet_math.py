"""inf and nan without warnings: where PyTorch computes log(0), 1e300 in float32, 0/0, the
mean of nothing or a gradient at a singular point silently, the engine gives PyTorch's values
(tests/golden/edges.json, `quiet`, from tests/golden/record_edges.py) and no numpy
RuntimeWarning escapes, forward or backward."""

import warnings

import numpy as np
import pytest

from helpers import load_golden
from test_pointwise_golden import FUNCTIONAL, TORCH

from gradcli.engine import dtypes, factories, functions

CASES = load_golden("edges.json")["quiet"]


def evaluate(case):
    """(result, x or None) of a recorded case over the engine (trusted golden text)."""
    scope = {"torch": TORCH, "F": FUNCTIONAL, "float": float}
    if case["x"] is not None:
        values, dtype = case["x"]
        scope["x"] = factories.tensor(values, dtype=dtypes.BY_NAME[dtype], requires_grad=True)
    return eval(case["expression"], {"__builtins__": {}}, scope), scope.get("x")


def check_quiet(case):
    """gradcli gives PyTorch's result (and gradient) without a RuntimeWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out, x = evaluate(case)
        assert repr(out) == case["repr"]
        if x is not None:
            out.sum().backward()
            assert repr(x.grad) == case["grad"]


@pytest.mark.parametrize("case", CASES, ids=[c["expression"] for c in CASES])
def test_inf_and_nan_come_silently_as_in_pytorch(case):
    check_quiet(case)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_the_mean_of_nothing_is_nan_of_the_reduced_shape():
    assert np.isnan(functions.mean(factories.zeros(0))._data)
    assert functions.mean(factories.zeros(3, 0, 2), dim=1, keepdim=True).shape == (3, 1, 2)
    assert np.isnan(functions.mean(factories.zeros(3, 0, 2), dim=1)._data).all()
