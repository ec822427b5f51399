"""What PyTorch's argument parser and Tensor's Python methods say (tests/golden/edges.json,
`errors` and `formats`, from tests/golden/record_edges.py): a list, tuple, number or None where
a function takes a tensor (`mean(): argument 'input' (position 1) must be Tensor, not list`),
an operator given a list (Python's own TypeError), `format` with a spec on a tensor that is not
0-dim, `+` on a bool tensor, a legacy constructor given a tensor of another dtype."""

import pytest

from helpers import load_golden
from test_pointwise_golden import FUNCTIONAL, TORCH

from gradcli.engine.errors import TorchError
from gradcli.engine.factories import tensor

GOLDEN = load_golden("edges.json")
LEAF = [1.0, 2.0]


def evaluate(expression: str):
    """A recorded expression over the engine (trusted golden text), `x` a float32 tensor."""
    scope = {"torch": TORCH, "F": FUNCTIONAL, "x": tensor(LEAF)}
    return eval(expression, {"__builtins__": {"format": format, "float": float}}, scope)


def check_error(case):
    with pytest.raises(Exception) as caught:
        evaluate(case["expression"])
    error = caught.value
    kind = error.kind if isinstance(error, TorchError) else type(error).__name__
    assert (kind, str(error)) == (case["kind"], case["message"])


def check_format(case):
    assert evaluate(case["expression"]) == case["text"]


def check_value(case):
    assert repr(evaluate(case["expression"])) == case["repr"]


@pytest.mark.parametrize("case", GOLDEN["errors"], ids=[c["expression"] for c in GOLDEN["errors"]])
def test_errors_have_pytorchs_kind_and_text(case):
    check_error(case)


@pytest.mark.parametrize("case", GOLDEN["formats"],
                         ids=[c["expression"] for c in GOLDEN["formats"]])
def test_format_gives_pytorchs_text(case):
    check_format(case)


@pytest.mark.parametrize("case", GOLDEN["values"], ids=[c["expression"] for c in GOLDEN["values"]])
def test_python_level_results_match_pytorch(case):
    check_value(case)


def test_plus_keeps_the_graph_node():
    y = tensor(LEAF, requires_grad=True) * 2
    assert +y is y and (+y).grad_fn.name() == "MulBackward0"
