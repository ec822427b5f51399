"""The pointwise, loss and constructor golden cases once more, through the language (parser,
interpreter and namespace: `torch.X`, `F.X`, methods, `abs(x)`, keyword arguments, strings),
with warnings and errors as the interpreter reports them."""

import numpy as np
import pytest

from helpers import load_golden, run_program, warning_texts
from test_pointwise_golden import TOLERANCE, _bindings, _cases

from gradcli.render.graph import collect_graph

GOLDEN = load_golden("pointwise.json")


def _run(case_or_expression, bindings):
    outcome = run_program(case_or_expression, bindings)
    return outcome, warning_texts(outcome)


@pytest.mark.parametrize("case", [c for c in _cases("ops") if c.values[0]["dtype"] == "float32"])
def test_op_through_the_language(case):
    leaves, bindings = _bindings(case)
    outcome, warnings = _run(case["expression"], bindings)
    assert outcome.error is None, outcome.error
    out = outcome.outputs[-1].value
    assert warnings == case["warnings"]
    assert repr(out) == case["repr"]
    assert [n.name for n in collect_graph(out.grad_fn, {})] == [n["name"] for n in case["graph"]]
    if leaves:
        (out if out.ndim == 0 else out.sum()).backward()
        for name, leaf in leaves.items():
            np.testing.assert_allclose(leaf.grad._data, np.array(case["grads"][name]),
                                       **TOLERANCE[case["dtype"]])


@pytest.mark.parametrize("case", _cases("errors"))
def test_error_through_the_language(case):
    _, bindings = _bindings(case)
    outcome, warnings = _run(case["expression"], bindings)
    assert outcome.error is not None
    assert (outcome.error.kind, outcome.error.message) == (case["kind"], case["message"])
    assert warnings == case["warnings"]


@pytest.mark.parametrize("case", GOLDEN["constructors"], ids=lambda c: c["expression"])
def test_constructor_through_the_language(case):
    outcome, warnings = _run(case["expression"], {})
    assert warnings == case["warnings"]
    if "kind" in case:
        assert (outcome.error.kind, outcome.error.message) == (case["kind"], case["message"])
    elif "python" in case:
        assert repr(outcome.outputs[-1].value) == case["python"]
    else:
        assert outcome.error is None, outcome.error
        assert repr(outcome.outputs[-1].value) == case["repr"]
