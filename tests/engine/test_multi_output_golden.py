"""split, chunk and unbind make ONE autograd node for all their pieces, against PyTorch 2.13's
recorded output (tests/golden/multi_output.json, from tests/golden/record_multi_output.py):
node identity, `next_functions` naming the piece's output number, gradients when some pieces
go unused (zeros), freeing, per-piece hooks and retain_grad, autograd.grad with a piece as input
or output, create_graph through the pieces, and the in-place refusal for their views."""

import json
import pathlib

import pytest
from helpers import ended_as_recorded, run_program

GOLDEN = json.loads(
    (pathlib.Path(__file__).parents[1] / "golden" / "multi_output.json").read_text())


def _plain(value):
    """gradcli's outcome as JSON would store it (tuples become lists)."""
    return json.loads(json.dumps(value))


def _case_id(case) -> str:
    return case["program"].split("\n")[-2][:60]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_multi_output_matches_pytorch(case):
    outcome = run_program(case["program"] + "\nresult")
    if not ended_as_recorded(outcome, case):
        assert _plain(outcome.outputs[-1].value) == case["result"]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_multi_output_live(case):
    torch = pytest.importorskip("torch")
    scope = {"torch": torch}
    try:
        exec(case["program"], scope)
    except RuntimeError as error:
        assert {"type": type(error).__name__, "message": str(error)} == case["error"]
    else:
        assert _plain(scope["result"]) == case["result"]
