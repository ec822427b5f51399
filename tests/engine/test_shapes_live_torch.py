"""Where torch is importable (not in CI), the shape, indexing, reduction and linalg cases are
re-recorded live through PyTorch and compared with gradcli, so shapes.json cannot go stale."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_shapes  # noqa: E402  (tests/golden/record_shapes.py)

from test_shapes_golden import check_case  # noqa: E402

CASES = [(area, expression, inputs) for area, table in record_shapes.AREAS.items()
         for expression, inputs in table]


@pytest.mark.parametrize("dtype", sorted(record_shapes.DTYPES))
@pytest.mark.parametrize("area, expression, inputs", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_live_against_torch(area, expression, inputs, dtype):
    check_case(record_shapes.record_case(area, expression, inputs, dtype))
