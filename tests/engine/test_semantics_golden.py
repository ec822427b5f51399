"""Autograd semantics (reference §2, §3.1-§3.8, the §1 in-place table) against PyTorch 2.13's
recorded behaviour (tests/golden/semantics.json, written by tests/golden/record_semantics.py)."""

import contextlib
import sys
import types
from pathlib import Path

import pytest

from helpers import load_golden

from gradcli.engine import PUBLIC_MODULES, differentiate, dtypes, grad_mode
from gradcli.engine import warnings as engine_warnings
from gradcli.engine.errors import TorchError
from gradcli.engine.tensor import Tensor

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))
from semantics_cases import CASES, Library, run_case  # noqa: E402

GOLDEN = load_golden("semantics.json")["cases"]


def _exported(table: str) -> dict:
    return {name: getattr(module, name)
            for module in PUBLIC_MODULES for name in getattr(module, table, ())}


def torch_stand_in():
    """The engine's `torch` surface as a module-like object, for Python test code."""
    members = _exported("TORCH_FUNCTIONS") | {
        "float32": dtypes.float32, "float64": dtypes.float64, "long": dtypes.int64,
        "int64": dtypes.int64, "bool": dtypes.bool_, "Tensor": Tensor,
        "no_grad": grad_mode.no_grad, "enable_grad": grad_mode.enable_grad,
        "set_grad_enabled": grad_mode.set_grad_enabled,
        "is_grad_enabled": grad_mode.is_grad_enabled, "inference_mode": grad_mode.inference_mode,
        "is_inference_mode_enabled": grad_mode.is_inference_mode_enabled}
    members["autograd"] = types.SimpleNamespace(grad=differentiate.grad,
                                                backward=differentiate.backward)
    members["nn"] = types.SimpleNamespace(
        functional=types.SimpleNamespace(**_exported("FUNCTIONAL")))
    return types.SimpleNamespace(**members)


@contextlib.contextmanager
def gradcli_warnings():
    messages: list = []
    engine_warnings.add_listener(messages.append)
    try:
        yield messages
    finally:
        engine_warnings.remove_listener(messages.append)


GRADCLI = Library(
    torch=torch_stand_in(),
    node_name=lambda n: n.type_name,
    version=lambda t: t._version.value,
    error_kind=lambda e: e.kind if isinstance(e, TorchError) else type(e).__name__,
    capture_warnings=gradcli_warnings,
    tensor_type=Tensor,
)


def check(name: str, expected: dict) -> None:
    actual = run_case(CASES[name], GRADCLI)
    assert actual["error"] == expected["error"]
    assert actual["log"] == expected["log"]
    assert actual["warnings"] == expected["warnings"]


def test_every_case_is_recorded():
    assert sorted(GOLDEN) == sorted(CASES)
    assert all(GOLDEN[name]["code"] == code for name, code in CASES.items())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_matches_pytorch(name):
    check(name, GOLDEN[name])
