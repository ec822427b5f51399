"""gradcli's random numbers against PyTorch 2.13's, recorded in tests/golden/random.json:
every value equal bit for bit (tolist() equality or the SHA-256 of the bytes), never a tolerance."""

import hashlib

import numpy as np
import pytest

from helpers import load_golden

from gradcli.engine import dtypes, factories, grad_mode, random, warnings
from gradcli.engine.errors import TorchError
from gradcli.engine.tensor import Tensor

GOLDEN = load_golden("random.json")
LARGEST_LISTED = 64

NAMESPACE = {
    "manual_seed": random.manual_seed, "initial_seed": random.initial_seed,
    "rand": random.rand, "rand_like": random.rand_like, "randn": random.randn,
    "randn_like": random.randn_like, "randint": random.randint,
    "randint_like": random.randint_like, "randperm": random.randperm,
    "normal": random.normal, "bernoulli": random.bernoulli,
    "zeros": factories.zeros, "ones": factories.ones, "tensor": factories.tensor,
    "float32": dtypes.float32, "float64": dtypes.float64, "int64": dtypes.int64,
    "bool": dtypes.bool_,
}


def encode(value) -> dict:
    """The same record tests/golden/record_random.py makes of a torch result."""
    if not isinstance(value, Tensor):
        return {"python": value}
    result = {"dtype": value.dtype.name, "shape": list(value.shape),
              "requires_grad": value.requires_grad}
    if value.numel() > LARGEST_LISTED:
        data = np.ascontiguousarray(value._data)
        result["sha256"] = hashlib.sha256(data.tobytes()).hexdigest()
        result["head"] = data.ravel()[:8].tolist()
    else:
        result["values"] = value.tolist()
    return result


def run(seed, calls) -> list:
    """Each call's result (or error), with the warnings it raised when there were any."""
    random.manual_seed(seed)
    results = []
    for call in calls:
        caught = []
        warnings.add_listener(caught.append)
        try:
            result = encode(eval(call, dict(NAMESPACE)))
        except TorchError as error:
            result = {"error": f"{error.kind}: {error}"}
        finally:
            warnings.remove_listener(caught.append)
        if caught:
            result["warnings"] = caught
        results.append(result)
    return results


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["name"])
def test_sequence_matches_pytorch(case):
    for call, got, expected in zip(case["calls"], run(case["seed"], case["calls"]),
                                   case["results"]):
        assert got == expected, call


@pytest.mark.parametrize("case", GOLDEN["big"], ids=lambda c: f"{c['seed']}-{c['call']}")
def test_big_tensors_match_pytorch(case):
    random.manual_seed(case["seed"])
    assert {"seed": case["seed"], "call": case["call"],
            **encode(eval(case["call"], dict(NAMESPACE)))} == case


@pytest.mark.parametrize("case", GOLDEN["seeds"], ids=lambda c: c["value"])
def test_manual_seed_keeps_the_seed_pytorch_keeps(case):
    try:
        generator = random.manual_seed(eval(case["value"]))
    except TorchError as error:
        assert f"{error.kind}: {error}" == case["error"]
        return
    assert generator is random.default_generator
    assert random.initial_seed() == case["initial_seed"]
    assert random.rand(3).tolist() == case["rand"]


def _second_backward(total):
    try:
        total.backward()
    except TorchError as error:
        return str(error)
    return None


@pytest.mark.parametrize("case", GOLDEN["inplace"], ids=lambda c: c["method"])
def test_inplace_fill_records_pytorchs_node(case):
    x = factories.ones(3, requires_grad=True)
    random.manual_seed(0)
    y = x * 2
    out = eval(f"y.{case['method']}", {"y": y, "tensor": factories.tensor})
    assert out is y
    assert out.grad_fn.name() == case["grad_fn"]
    assert out._version.value == case["version"]
    assert out.tolist() == case["values"]
    total = out.sum()
    total.backward()
    assert x.grad.tolist() == case["grad"]
    assert _second_backward(total) == case["second_backward"]
    filled = x + 0
    random.manual_seed(0)
    total = eval(f"filled.{case['method']}", {"filled": filled, "tensor": factories.tensor}).sum()
    total.backward()
    assert _second_backward(total) == case["second_backward_after_add"]
    x.grad = None
    with pytest.raises(TorchError, match="^a leaf Variable"):
        eval(f"x.{case['method']}", {"x": x, "tensor": factories.tensor})
    with grad_mode.no_grad():
        random.manual_seed(0)
        eval(f"x.{case['method']}", {"x": x, "tensor": factories.tensor})
    assert x.tolist() == case["no_grad_values"]
    assert x._version.value == case["no_grad_version"]
    assert x.grad_fn is None


@pytest.mark.parametrize("case", GOLDEN["grad"], ids=lambda c: c["call"])
def test_gradients_through_random_ops_are_pytorchs(case):
    random.manual_seed(0)
    leaf = factories.ones(3, requires_grad=True)
    out = eval(case["call"], {**NAMESPACE, "leaf": leaf})
    record = {"call": case["call"], **encode(out),
              "grad_fn": None if out.grad_fn is None else out.grad_fn.name()}
    if out.requires_grad:
        out.sum().backward()
    record["leaf_grad"] = None if leaf.grad is None else leaf.grad.tolist()
    assert record == case
