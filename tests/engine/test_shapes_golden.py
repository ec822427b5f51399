"""Shape ops against PyTorch 2.13's recorded output (tests/golden/shapes.json, written by
tests/golden/record_shapes.py). `check_case` also serves the indexing, reductions and linalg
goldens of the same file and the live torch test."""

import numpy as np
import pytest

from helpers import ended_as_recorded, load_golden, run_program, warning_texts

from gradcli.engine import dtypes, norms, shapes
from gradcli.engine.factories import tensor
from gradcli.lang.namespace import Module
from gradcli.render.graph import collect_graph

GOLDEN = load_golden("shapes.json")
TOLERANCE = {"float32": dict(rtol=1e-5, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-14)}


def cases(area):
    return [c for c in GOLDEN["cases"] if c["area"] == area]


def case_id(case):
    return f"{case['dtype']}:{case['expression']}"


def graph(root):
    """The grad_fn graph breadth-first, in the layout of tests/golden/record.py's graph()
    (gradcli's own collector; it reads torch's nodes as well)."""
    return [{"name": n.name, "next": n.next} for n in collect_graph(root, {})]


def leaves_for(case):
    dtype = dtypes.BY_NAME[case["dtype"]]
    return {n: tensor(v, dtype=dtype, requires_grad=True) for n, v in case["inputs"].items()}


# `linalg` stands for `torch.linalg` until the language's torch module offers it
LINALG = Module("torch.linalg", norms.LINALG)


def check_case(case):
    """gradcli gives what PyTorch recorded: value, repr, graph, gradients, warnings, errors."""
    leaves = leaves_for(case)
    outcome = run_program(case["expression"], {"linalg": LINALG, **leaves})
    assert warning_texts(outcome) == case["warnings"]
    if ended_as_recorded(outcome, case):
        return
    out = outcome.outputs[-1].value
    tol = TOLERANCE[case["dtype"]]
    if "pair_repr" in case:
        assert repr(out) == case["pair_repr"]
        assert out[1].tolist() == case["indices"] == out.indices.tolist()
        out = out.values
    assert out.dtype.name == case["out_dtype"]
    assert list(out.shape) == case["shape"]
    expected = np.array(case["value"], dtype=float).reshape(case["shape"])
    np.testing.assert_allclose(out._data, expected, **tol)
    assert repr(out) == case["repr"]
    assert graph(out.grad_fn) == case["graph"]
    assert (out.requires_grad, out.is_leaf) == (case["requires_grad"], case["is_leaf"])
    if out.requires_grad:
        (out if out.ndim == 0 else out.sum()).backward()
        for name, leaf in leaves.items():
            expected = case["grads"][name]
            if expected is None:
                assert leaf.grad is None
            else:
                expected = np.array(expected, dtype=float).reshape(leaf.shape)
                np.testing.assert_allclose(leaf.grad._data, expected, **tol)
        second = run_program("out.backward()" if out.ndim == 0 else "out.sum().backward()",
                             {"out": out})
        assert (second.error and second.error.message) == case["second_backward"]


@pytest.mark.parametrize("case", cases("shapes"), ids=case_id)
def test_shapes_match_pytorch(case):
    check_case(case)


def test_transpose_of_non_matrix_warns_once_per_process():
    recorded = GOLDEN["transpose_warning"]
    shapes._T_WARNED.clear()
    leaves = {n: tensor(v, requires_grad=True) for n, v in recorded["inputs"].items()}
    outcome = run_program(recorded["program"], leaves)
    assert outcome.error is None
    assert warning_texts(outcome) == recorded["warnings"]
    out = outcome.outputs[-1].value
    assert list(out.shape) == recorded["shape"]
    assert graph(out.grad_fn) == recorded["graph"]
    assert repr(outcome.namespace["p"]) == recorded["repr_first"]
