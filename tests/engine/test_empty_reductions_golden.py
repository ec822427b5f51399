"""Reductions, norms, scans, sorts and classification losses on empty tensors against PyTorch
2.13's recorded output (tests/golden/empty_reductions.json, written by
tests/golden/record_empty_reductions.py): PyTorch's identities, NaNs, warnings and error texts,
never numpy's ("Mean of empty slice", "zero-size array to reduction operation ...")."""

import warnings

import numpy as np
import pytest

from helpers import ended_as_recorded, load_golden, run_program, warning_texts
from test_shapes_golden import graph

from gradcli.engine import dtypes
from gradcli.engine.factories import zeros

GOLDEN = load_golden("empty_reductions.json")


def case_id(case):
    return f"{case['dtype']}{case['shape_in']}:{case['expression']}"


def check_empty_case(case):
    """gradcli gives what PyTorch recorded, and no Python warning (numpy's) escapes."""
    leaf = zeros(*case["shape_in"], dtype=dtypes.BY_NAME[case["dtype"]],
                 requires_grad=case["dtype"] == "float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a numpy RuntimeWarning fails the test
        outcome = run_program(case["expression"], {"x": leaf})
        assert warning_texts(outcome) == case["warnings"]
        if ended_as_recorded(outcome, case):
            return
        out = outcome.outputs[-1].value
        if "pair_repr" in case:
            assert repr(out) == case["pair_repr"]
            assert out.indices.tolist() == case["indices"]
            out = out.values
        assert out.dtype.name == case["out_dtype"]
        assert list(out.shape) == case["shape"]
        np.testing.assert_array_equal(out._data, np.array(case["value"], dtype=float).reshape(
            case["shape"]))
        assert repr(out) == case["repr"]
        assert graph(out.grad_fn) == case["graph"]
        assert out.requires_grad == case["requires_grad"]
        if not out.requires_grad:
            return
        backward = run_program("out.backward()" if out.ndim == 0 else "out.sum().backward()",
                               {"out": out})
    if "backward_error" in case:
        assert (backward.error.kind, backward.error.message) == (
            case["backward_error"]["type"], case["backward_error"]["message"])
        return
    assert backward.error is None, backward.error
    assert repr(leaf.grad) == case["grad_repr"]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=case_id)
def test_empty_reductions_match_pytorch(case):
    check_empty_case(case)
