"""`repr` of tensors byte for byte as PyTorch 2.13 printed them (tests/golden/printing.json,
recorded by tests/golden/record_printing.py; reference §3.11)."""

import sys
from pathlib import Path

import pytest

from helpers import load_golden

import gradcli.engine  # noqa: F401  (binds the Tensor methods of every engine module)
from gradcli.engine import dtypes
from gradcli.engine.factories import tensor

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
from record_printing import build_cases, input_array  # noqa: E402  (the torch-free part)

GOLDEN = load_golden("printing.json")
CASES = GOLDEN["cases"]

# gradcli's counterpart of each way the recorder made the printed tensor (record_printing.MAKES)
MAKES = {
    "plain": lambda x: x,
    "leaf": lambda x: x,
    "mul1": lambda x: x * 1,
    "add0": lambda x: x + 0,
    "clone": lambda x: x.clone(),
    "view": lambda x: x.view(x.shape),
    "unsqueeze0": lambda x: x.unsqueeze(0),
    "to_float64": lambda x: x.to(dtypes.float64),
}


def gradcli_repr(case) -> str:
    previous = dtypes.get_default_dtype()
    dtypes.set_default_dtype(dtypes.BY_NAME[case["default_dtype"]])
    try:
        x = tensor(input_array(case), dtype=dtypes.BY_NAME[case["dtype"]],
                   requires_grad=case["make"] != "plain")
        return repr(MAKES[case["make"]](x))
    finally:
        dtypes.set_default_dtype(previous)


def test_golden_covers_the_brief():
    assert len(CASES) >= 600
    assert {c["dtype"] for c in CASES} == {"float32", "float64", "int64", "bool"}
    assert {c["make"] for c in CASES} == set(MAKES)
    assert {c["default_dtype"] for c in CASES} == {"float32", "float64"}
    assert {len(c["shape"]) for c in CASES} >= {0, 1, 2, 3, 4, 5, 6}


def test_golden_is_what_the_recorder_generates():
    """The stored inputs are the recorder's current cases, so re-recording changes nothing."""
    recorded = [{k: v for k, v in c.items() if k != "repr"} for c in CASES]
    assert recorded == build_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_repr_matches_pytorch(case):
    assert gradcli_repr(case) == case["repr"]
