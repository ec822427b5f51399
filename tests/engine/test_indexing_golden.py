"""Indexing against PyTorch 2.13's recorded output (tests/golden/shapes.json, area "indexing")."""

import pytest

from test_shapes_golden import case_id, cases, check_case


@pytest.mark.parametrize("case", cases("indexing"), ids=case_id)
def test_indexing_match_pytorch(case):
    check_case(case)
