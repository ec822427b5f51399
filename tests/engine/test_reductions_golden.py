"""Reductions against PyTorch 2.13's recorded output (tests/golden/shapes.json, "reductions")."""

import pytest

from test_shapes_golden import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("reductions"), ids=case_id)
def test_reductions_match_pytorch(case):
    check_case(case)
