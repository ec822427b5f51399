"""Where torch is importable (not in CI), every case of saved_tensors_cases.py is probed live
through PyTorch (record_saved_tensors.record) and gradcli must read the same saved attributes,
so tests/golden/saved_tensors.json cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_saved_tensors  # noqa: E402  (tests/golden/record_saved_tensors.py)
from saved_tensors_cases import CASES  # noqa: E402

from test_saved_tensors_golden import check_names, check_readings  # noqa: E402


@pytest.mark.parametrize("case", CASES, ids=lambda case: case[0].split("\n")[-1][:50])
def test_saved_attributes_live(case):
    live = record_saved_tensors.record(*case)
    check_names(live)
    check_readings(live)
