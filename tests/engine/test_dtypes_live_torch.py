"""Where torch is importable (not in CI), the promotion matrix is re-run live through PyTorch and
compared with gradcli, so tests/golden/dtypes.json cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_dtypes  # noqa: E402  (tests/golden/record_dtypes.py)
from dtype_cases import cases  # noqa: E402

from test_dtypes_golden import gradcli_observe  # noqa: E402


def test_live_against_torch():
    mismatches = {name: (record_dtypes.record(expr), gradcli_observe(expr))
                  for name, expr in cases().items()
                  if record_dtypes.record(expr) != gradcli_observe(expr)}
    assert mismatches == {}
