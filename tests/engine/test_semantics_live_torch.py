"""Where torch is importable (not in CI), every semantics case is re-run live through PyTorch and
compared with gradcli, so tests/golden/semantics.json cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_semantics  # noqa: E402  (tests/golden/record_semantics.py)
from semantics_cases import CASES  # noqa: E402

from test_semantics_golden import check  # noqa: E402


@pytest.mark.parametrize("name", sorted(CASES))
def test_live_against_torch(name):
    check(name, record_semantics.record_case(CASES[name]))
