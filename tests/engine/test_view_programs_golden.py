"""Programs about views against PyTorch 2.13's recorded outcomes (tests/golden/program_recording.py
and its recorders): tensor_split / hsplit / vsplit / dsplit, writes into split pieces, views
made under no_grad or before their base required grad, and the argument errors of the in-place
methods; also equal, isclose and allclose (record_closeness.py). Each case is run by gradcli (no torch needed) and, where torch
is importable, by PyTorch again (live)."""

import json
import pathlib

import pytest
from helpers import ended_as_recorded, run_program

GOLDEN = pathlib.Path(__file__).parents[1] / "golden"
AREAS = ("tensor_split", "inplace_arguments", "piece_writes", "no_grad_views", "view_rebase",
         "closeness", "late_requires_grad", "view_access")
CASES = [(area, case) for area in AREAS
         for case in json.loads((GOLDEN / f"{area}.json").read_text())["cases"]]


def _plain(value):
    """An outcome as JSON would store it (tuples become lists)."""
    return json.loads(json.dumps(value))


def _case_id(item) -> str:
    area, case = item
    return f"{area}:{case['program'].strip().splitlines()[-1][:70]}"


@pytest.mark.parametrize("item", CASES, ids=map(_case_id, CASES))
def test_matches_pytorch(item):
    _, case = item
    outcome = run_program(case["program"] + "\nresult")
    if not ended_as_recorded(outcome, case):
        assert _plain(outcome.outputs[-1].value) == case["result"]


@pytest.mark.parametrize("item", CASES, ids=map(_case_id, CASES))
def test_live(item):
    torch = pytest.importorskip("torch")
    _, case = item
    scope = {"torch": torch}
    try:
        exec(case["program"], scope)
    except Exception as error:   # noqa: BLE001  (compared with the recorded error)
        assert {"type": type(error).__name__, "message": str(error)} == case.get("error")
    else:
        assert _plain(scope["result"]) == case["result"]
