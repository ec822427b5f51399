"""Writing through an expanded view, against PyTorch 2.13's recorded output
(tests/golden/inplace_overlap.json, from tests/golden/record_inplace_overlap.py): an in-place op
whose written-to tensor has elements sharing memory is refused with PyTorch's message, while
filling a number, or writing to a part without shared memory, changes the base."""

import json
import pathlib

import pytest
from helpers import ended_as_recorded, run_program, warning_texts

GOLDEN = json.loads(
    (pathlib.Path(__file__).parents[1] / "golden" / "inplace_overlap.json").read_text())


def run(program):
    return run_program(program + "\nx")


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["program"].split("\n", 2)[-1])
def test_write_through_expanded_view_matches_pytorch(case):
    outcome = run(case["program"])
    assert warning_texts(outcome) == case["warnings"]
    if not ended_as_recorded(outcome, case):
        assert outcome.outputs[-1].value.tolist() == case["x"]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["program"].split("\n", 2)[-1])
def test_write_through_expanded_view_live(case):
    torch = pytest.importorskip("torch")
    scope = {"torch": torch}
    try:
        exec(case["program"], scope)
    except RuntimeError as error:
        assert str(error) == case["error"]["message"]
    else:
        assert scope["x"].tolist() == case["x"]
