"""A node's saved-tensor attributes (`grad_fn._saved_self`, `_saved_result`, `_saved_dim`, ...,
and the `_raw_saved_*` SavedTensor objects) against PyTorch 2.13's recorded output
(tests/golden/saved_tensors.json, from tests/golden/record_saved_tensors.py): for one node of
each kind gradcli makes, which attributes it has, what each prints as, its type, which of the
program's tensors it `is`, and what each reads after a backward without retain_graph (a saved
tensor: the freed-graph error; sizes, dims and numbers: still there)."""

import json

import pytest
from helpers import ended_as_recorded, load_golden, run_program

from gradcli.engine import saved_attributes

GOLDEN = load_golden("saved_tensors.json")

def _plain(value):
    """gradcli's outcome as JSON would store it (tuples become lists)."""
    return json.loads(json.dumps(value))


def _case_id(case) -> str:
    return case["name"] + ":" + case["program"].split("\nnode = ")[0].split("\n")[-1][:50]


def check_readings(case: dict) -> None:
    """gradcli's run of the case's probe program gives PyTorch's readings."""
    outcome = run_program(case["program"] + "\nresult")
    assert outcome.error is None, outcome.error
    assert _plain(outcome.outputs[-1].value) == case["result"]


def check_names(case: dict) -> None:
    """gradcli's node declares PyTorch's `_saved_*` and `_raw_saved_*` names (dir's order)."""
    node = run_program(case["program"]).namespace["node"]
    assert list(saved_attributes.attribute_names(node)) == sorted(case["saved"] + case["raw"])


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_saved_attributes_match_pytorch(case):
    check_readings(case)


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_node_declares_pytorchs_attributes(case):
    check_names(case)


@pytest.mark.parametrize("case", GOLDEN["programs"], ids=lambda case: case["program"][64:120])
def test_reading_saved_values_matches_pytorch(case):
    outcome = run_program(case["program"] + "\nresult")
    if case.get("error", {}).get("type") == "AttributeError":
        # an undeclared name is refused; how the message names the node's class is the
        # language's type naming (python_builtins.qualified_type_name), not this table's
        assert outcome.error.kind == "AttributeError"
        assert outcome.error.message.endswith(case["error"]["message"].split("'", 2)[2])
    elif not ended_as_recorded(outcome, case):
        assert json.loads(json.dumps(outcome.outputs[-1].value, default=str)) == case["result"]
