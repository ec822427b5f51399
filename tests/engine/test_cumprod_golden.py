"""cumprod's gradient and second derivative (create_graph) with zeros, against PyTorch 2.13's
recorded output (tests/golden/cumprod_double.json, from tests/golden/record_cumprod_double.py)."""

import json
import pathlib

import numpy as np
import pytest

from gradcli.engine import differentiate, dtypes
from gradcli.engine.factories import tensor

GOLDEN = json.loads(
    (pathlib.Path(__file__).parents[1] / "golden" / "cumprod_double.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['x']}:{c['dim']}")
def test_cumprod_double_backward_matches_pytorch(case):
    x = tensor(case["x"], dtype=dtypes.float64, requires_grad=True)
    w = tensor(case["w"], dtype=dtypes.float64)
    (g,) = differentiate.grad((x.cumprod(case["dim"]) * w).sum(), x, create_graph=True)
    (h,) = differentiate.grad((g * w).sum(), x)
    np.testing.assert_allclose(g._data, case["grad"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h._data, case["second"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['x']}:{c['dim']}")
def test_cumprod_first_order_matches_pytorch(case):
    """Without create_graph the O(n) path gives the same gradient."""
    x = tensor(case["x"], dtype=dtypes.float64, requires_grad=True)
    (x.cumprod(case["dim"]) * tensor(case["w"], dtype=dtypes.float64)).sum().backward()
    np.testing.assert_allclose(x.grad._data, case["grad"], rtol=1e-12, atol=1e-12)
