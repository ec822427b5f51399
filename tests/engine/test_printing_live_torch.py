"""Where torch is importable (not in CI), the printing cases are regenerated and printed live by
PyTorch, then compared with gradcli, so printing.json cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_printing  # noqa: E402  (tests/golden/record_printing.py)

from test_printing_golden import gradcli_repr  # noqa: E402


@pytest.mark.parametrize("case", record_printing.build_cases(), ids=lambda c: c["id"])
def test_live_repr_against_torch(case):
    assert gradcli_repr(case) == record_printing.torch_repr(case)
