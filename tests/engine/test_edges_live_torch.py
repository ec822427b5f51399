"""Where torch is importable (not in CI), every case of tests/golden/edges.json is recorded
again live through PyTorch and checked against gradcli, so the golden cannot go stale."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_edges as recorder  # noqa: E402  (tests/golden/record_edges.py)

from test_quiet_math import check_quiet  # noqa: E402
from test_tensor_arguments import check_error, check_format, check_value  # noqa: E402


@pytest.mark.parametrize("expression, leaf", recorder.QUIET)
def test_quiet_live(expression, leaf):
    check_quiet(recorder.record_quiet(expression, leaf))


@pytest.mark.parametrize("expression", recorder.ERRORS)
def test_error_live(expression):
    check_error(recorder.record_error(expression))


@pytest.mark.parametrize("expression", recorder.FORMATS)
def test_format_live(expression):
    check_format(recorder.record_format(expression))


@pytest.mark.parametrize("expression", recorder.VALUES)
def test_value_live(expression):
    check_value(recorder.record_value(expression))
