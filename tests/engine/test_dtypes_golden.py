"""Type promotion (reference §3.8) against PyTorch 2.13's recorded results: every operator on
every pair of operand kinds (tests/golden/dtypes.json, written by record_dtypes.py)."""

import sys
from pathlib import Path

import pytest

from helpers import load_golden

from gradcli.engine.errors import TorchError

from test_semantics_golden import torch_stand_in

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
from dtype_cases import cases, observe  # noqa: E402

GOLDEN = load_golden("dtypes.json")["cases"]
TORCH = torch_stand_in()


def gradcli_observe(expression: str) -> dict:
    return observe(expression, TORCH,
                   lambda e: e.kind if isinstance(e, TorchError) else type(e).__name__)


def test_every_case_is_recorded():
    assert {n: c["expression"] for n, c in GOLDEN.items()} == cases()


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_promotion_matches_pytorch(name):
    case = GOLDEN[name]
    expected = {k: v for k, v in case.items() if k != "expression"}
    assert gradcli_observe(case["expression"]) == expected
