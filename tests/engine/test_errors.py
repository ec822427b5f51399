"""The engine's exception classes (gradcli/engine/errors.py): every PyTorch NotImplementedError
that the pointwise, loss and factory modules raise is errors.TorchNotImplementedError, one
class, still catchable as Python's NotImplementedError. The messages are PyTorch's recorded
ones (tests/golden/pointwise.json)."""

import pytest

from helpers import load_golden
from test_pointwise_golden import FUNCTIONAL, TORCH, _bindings

from gradcli.engine import errors

GOLDEN = load_golden("pointwise.json")
NOT_IMPLEMENTED = [case for case in GOLDEN["errors"] + GOLDEN["constructors"]
                   if case.get("kind") == "NotImplementedError"]


def test_the_golden_has_not_implemented_cases_of_each_module():
    expressions = {case["expression"] for case in NOT_IMPLEMENTED}
    assert {"F.mse_loss(i, i)", "F.softplus(i)", "b.abs()",
            "torch.arange(10, dtype=torch.bool)"} <= expressions


@pytest.mark.parametrize("case", NOT_IMPLEMENTED, ids=[c["expression"] for c in NOT_IMPLEMENTED])
def test_not_implemented_kernels_raise_the_one_class(case):
    bindings = _bindings(case)[1] if "inputs" in case else {}
    scope = {"torch": TORCH, "F": FUNCTIONAL, **bindings}
    with pytest.raises(NotImplementedError) as caught:
        eval(case["expression"], {"__builtins__": {}}, scope)   # trusted golden text
    assert type(caught.value) is errors.TorchNotImplementedError
    assert str(caught.value) == case["message"]
    assert caught.value.kind == "NotImplementedError"
