"""Linalg against PyTorch 2.13's recorded output (tests/golden/shapes.json, area "linalg")."""

import pytest

from test_shapes_golden import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("linalg"), ids=case_id)
def test_linalg_match_pytorch(case):
    check_case(case)
