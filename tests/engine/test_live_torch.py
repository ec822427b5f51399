"""Where torch is importable (not in CI), the skeleton cases are re-run live through PyTorch and
compared with gradcli, so the goldens cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record  # noqa: E402  (tests/golden/record.py)

from test_skeleton_golden import check_case  # noqa: E402


@pytest.mark.parametrize("dtype", sorted(record.DTYPES))
@pytest.mark.parametrize("expression, inputs", record.CASES, ids=[c[0] for c in record.CASES])
def test_live_against_torch(expression, inputs, dtype):
    check_case(record.record_case(expression, inputs, dtype))
