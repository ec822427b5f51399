"""One-argument `torch.where(condition)` against PyTorch 2.13's recorded output
(tests/golden/where.json, from tests/golden/record_where.py), and live where torch is installed."""

import json
import pathlib

import pytest

from gradcli.engine import dtypes, functions
from gradcli.engine.factories import tensor

GOLDEN = json.loads((pathlib.Path(__file__).parents[1] / "golden" / "where.json").read_text())


def coordinates(values, dtype):
    result = functions.where(tensor(values, dtype=dtypes.BY_NAME[dtype]))   # torch.where(cond)
    assert isinstance(result, tuple)
    assert all(t.dtype is dtypes.int64 for t in result)
    return [t.tolist() for t in result]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['dtype']}:{c['condition']}")
def test_where_condition_matches_pytorch(case):
    assert coordinates(case["condition"], case["dtype"]) == case["coordinates"]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['dtype']}:{c['condition']}")
def test_where_condition_live(case):
    torch = pytest.importorskip("torch")
    expected = torch.where(torch.tensor(case["condition"], dtype=getattr(torch, case["dtype"])))
    assert coordinates(case["condition"], case["dtype"]) == [t.tolist() for t in expected]
