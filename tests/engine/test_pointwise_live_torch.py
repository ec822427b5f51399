"""Where torch is importable (not in CI), every pointwise, loss and constructor case is re-run
live through PyTorch and compared with gradcli, so pointwise.json cannot go stale unnoticed."""

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
import record_pointwise as recorder  # noqa: E402  (tests/golden/record_pointwise.py)

from test_factories_golden import check_constructor  # noqa: E402
from test_pointwise_golden import (check_error, check_op, check_second_order,  # noqa: E402
                                   deviation_marks)


def _params(cases, section, dtypes=recorder.FLOATS):
    params = []
    for dtype in dtypes:
        for expression, inputs, constants in cases:
            values = inputs.get("x") if section == "ops" else inputs
            marks = deviation_marks(dtype, expression, values)
            params.append(pytest.param(expression, inputs, constants, dtype, marks=marks,
                                       id=f"{dtype}:{expression}"))
    return params


@pytest.mark.parametrize("expression, inputs, constants, dtype", _params(recorder.OP_CASES, "ops"))
def test_op_live_against_torch(expression, inputs, constants, dtype):
    check_op(recorder.record_op(expression, inputs, constants, dtype))


@pytest.mark.parametrize("expression, inputs, constants, dtype",
                         _params(recorder.SECOND_ORDER_CASES, "second_order"))
def test_second_order_live_against_torch(expression, inputs, constants, dtype):
    check_second_order(recorder.record_second_order(expression, inputs, constants, dtype))


@pytest.mark.parametrize("expression, inputs, constants, dtype",
                         _params(recorder.ERROR_CASES, "errors", ("float32",)))
def test_error_live_against_torch(expression, inputs, constants, dtype):
    check_error(recorder.record_error(expression, inputs, constants, dtype))


@pytest.mark.parametrize("expression", recorder.CONSTRUCTOR_CASES)
def test_constructor_live_against_torch(expression):
    check_constructor(recorder.record_constructor(expression))
