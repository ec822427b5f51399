"""Where torch is importable (not in CI), the empty-reduction goldens are re-run live through
PyTorch, on the recorded shapes and on shapes the recording did not use, and gradcli must give
what PyTorch gives: value, repr, graph, warnings, error text and gradient."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_empty_reductions as recorder  # noqa: E402  (tests/golden/record_empty_reductions.py)

from test_empty_reductions_golden import case_id, check_empty_case  # noqa: E402

LIVE_SHAPES = recorder.SHAPES + [(0, 0), (3, 0, 0), (2, 0, 1, 3)]
LIVE_CASES = [recorder.record_case(*case) for case in recorder.cases(LIVE_SHAPES)]


@pytest.mark.parametrize("case", LIVE_CASES, ids=case_id)
def test_empty_reductions_live(case):
    check_empty_case(case)
