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

# What PyTorch saves that gradcli's node cannot show: its nll_loss folds the target, class
# weights, ignore_index and total weight into one array of coefficients.
ABSENT = {
    "NllLossBackward0": {"ignore_index", "target", "total_weight", "weight"},
    "NllLoss2DBackward0": {"ignore_index", "target", "total_weight", "weight"},
}


def _plain(value):
    """gradcli's outcome as JSON would store it (tuples become lists)."""
    return json.loads(json.dumps(value))


def _without_absent(case: dict) -> dict:
    """The case's result without the readings of ABSENT attributes."""
    absent = ABSENT.get(case["name"], set())
    names = case["saved"] + case["raw"]
    keep = [not name.removeprefix("_raw_saved_").removeprefix("_saved_") in absent
            for name in names]
    before, backward_error, after = case["result"]
    return [[before[0]] + [r for r, k in zip(before[1:], keep) if k], backward_error,
            [r for r, k in zip(after, keep) if k]]


def _program_without_absent(case: dict) -> str:
    """The case's probe program without its reads of ABSENT attributes."""
    program = case["program"]
    for name in ABSENT.get(case["name"], ()):
        for read in (f"read(lambda: node._saved_{name})",
                     f"read(lambda: type(node._raw_saved_{name}).__name__)"):
            program = program.replace(read + ", ", "").replace(", " + read, "")
    return program


def _case_id(case) -> str:
    return case["name"] + ":" + case["program"].split("\nnode = ")[0].split("\n")[-1][:50]


def check_readings(case: dict) -> None:
    """gradcli's run of the case's probe program gives PyTorch's readings."""
    outcome = run_program(_program_without_absent(case) + "\nresult")
    assert outcome.error is None, outcome.error
    expected = _without_absent(case)
    # PyTorch's name() of its C++ nodes carries their namespace; gradcli's is the class name
    expected[0][0] = expected[0][0].removeprefix("torch::autograd::")
    assert _plain(outcome.outputs[-1].value) == expected


def check_names(case: dict) -> None:
    """gradcli's node declares PyTorch's `_saved_*` and `_raw_saved_*` names (dir's order)."""
    node = run_program(case["program"]).namespace["node"]
    absent = ABSENT.get(case["name"], set())
    expected = [name for name in case["saved"] + case["raw"]
                if name.removeprefix("_raw_saved_").removeprefix("_saved_") not in absent]
    assert list(saved_attributes.attribute_names(node)) == sorted(expected)


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
