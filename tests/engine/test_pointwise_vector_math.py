"""Bit-identity with PyTorch 2.13 where its float kernels use vectorized approximations
(oneDNN's GELU, Sleef's pow) or call the C library (glibc's erff): every value and gradient of tests/golden/vector_math.json,
written by record_vector_math.py, must have PyTorch's exact bits (a NaN only has to be a NaN).
Where torch is importable, the same cases also run live, with other input lengths."""

import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import load_golden

from gradcli.engine import differentiate, sleef_powf
from gradcli.engine.factories import tensor
from gradcli.engine.tensor import Tensor
from test_pointwise_golden import FUNCTIONAL, TORCH

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
from vector_math_cases import CASES, KERNEL_CASES, from_bits  # noqa: E402

GOLDEN = load_golden("vector_math.json")


def engine_values_and_grads(expression: str, inputs: dict, grad_output: np.ndarray):
    leaves = {n: tensor(v, requires_grad=True) for n, v in inputs.items()}
    out = eval(expression, {"__builtins__": {}, "torch": TORCH, "F": FUNCTIONAL, **leaves})
    grads = differentiate.grad(out, list(leaves.values()), Tensor(grad_output.reshape(out.shape)))
    return out._data, dict(zip(leaves, (g._data for g in grads)))


def assert_same_bits(actual: np.ndarray, expected: np.ndarray, what: str):
    actual, expected = np.ravel(actual), np.ravel(expected)     # logical order, contiguous
    unsigned = f"u{actual.itemsize}"
    differ = (actual.view(unsigned) != expected.view(unsigned)) & ~(
        np.isnan(actual) & np.isnan(expected))
    first = np.flatnonzero(differ)[:3]
    assert not differ.any(), (f"{what}: {differ.sum()} of {actual.size} differ, e.g. "
                              f"{actual[first]} vs PyTorch's {expected[first]}")


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: f"{c['dtype']}:{c['name']}")
def test_bits_match_pytorch(case):
    dtype = case["dtype"]
    inputs = {n: from_bits(bits, dtype) for n, bits in case["inputs"].items()}
    value, grads = engine_values_and_grads(case["expression"], inputs,
                                           from_bits(case["grad_output"], dtype))
    assert_same_bits(value, from_bits(case["value"], dtype), "value")
    for name, grad in grads.items():
        assert_same_bits(grad, from_bits(case["grads"][name], dtype), f"d/d{name}")


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_live_bits_match_torch(index):
    """The recorder's cases re-run through PyTorch, with inputs of other lengths too (multiples
    of 64, which the transposed case's reshape needs)."""
    pytest.importorskip("torch")
    import record_vector_math
    for size in (64, 4096, 64 * 109):
        test_bits_match_pytorch(record_vector_math.record(index, *CASES[index], size=size))


@pytest.mark.parametrize("case", GOLDEN["kernel_cases"],
                         ids=lambda c: f"{c['dtype']}:{c['expression']}")
def test_kernel_bits_match_pytorch(case):
    inputs = {n: from_bits(bits, case["dtype"]) for n, bits in case["inputs"].items()}
    value = eval(case["expression"], {"__builtins__": {}, "pow": sleef_powf.aten_pow, **inputs})
    assert_same_bits(value, from_bits(case["value"], case["dtype"]), "value")


@pytest.mark.parametrize("index", range(len(KERNEL_CASES)), ids=[c[2] for c in KERNEL_CASES])
def test_live_kernel_bits_match_torch(index):
    pytest.importorskip("torch")
    import record_vector_math
    for size in (5, 31, 32, 33, 70, 1000):
        test_kernel_bits_match_pytorch(
            record_vector_math.record_kernel(index, *KERNEL_CASES[index], size=size))


def test_golden_covers_every_case():
    assert [c["name"] for c in GOLDEN["cases"]] == [c[0] for c in CASES]
    assert [c["expression"] for c in GOLDEN["kernel_cases"]] == [c[2] for c in KERNEL_CASES]
