"""A node's saved-tensor attributes (`grad_fn._saved_self`, `_saved_result`, `_saved_dim`, ...,
and the `_raw_saved_*` SavedTensor objects) against PyTorch 2.13's recorded output
(tests/golden/saved_tensors.json, from tests/golden/record_saved_tensors.py): for one node of
each kind gradcli makes, which attributes it has, what each prints as, its type, which of the
program's tensors it `is`, and what each reads after a backward without retain_graph (a saved
tensor: the freed-graph error; sizes, dims and numbers: still there)."""

import json

import pytest
from helpers import load_golden, run_program

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


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_saved_attributes_match_pytorch(case):
    outcome = run_program(_program_without_absent(case) + "\nresult")
    assert outcome.error is None, outcome.error
    expected = _without_absent(case)
    # PyTorch's name() of its C++ nodes carries their namespace; gradcli's is the class name
    expected[0][0] = expected[0][0].removeprefix("torch::autograd::")
    assert _plain(outcome.outputs[-1].value) == expected


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_case_id)
def test_node_declares_pytorchs_attributes(case):
    node = run_program(case["program"]).namespace["node"]
    absent = ABSENT.get(case["name"], set())
    expected = [name for name in case["saved"] + case["raw"]
                if name.removeprefix("_raw_saved_").removeprefix("_saved_") not in absent]
    assert list(saved_attributes.attribute_names(node)) == sorted(expected)
