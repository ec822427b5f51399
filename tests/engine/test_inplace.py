"""The in-place mechanism itself (its PyTorch-visible behaviour is in test_semantics_golden.py):
every op listed for an in-place variant has one, variants are generic over any out-of-place
function, and writes through aliases bump the shared version counter."""

import numpy as np
import pytest

from gradcli.engine import inplace
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.factories import tensor
from gradcli.engine.tensor import Tensor


def test_every_listed_op_that_exists_has_its_inplace_variant():
    # inplace.py must be imported after the modules defining these ops (engine/__init__.py)
    missing = [name for name in inplace.INPLACE_NAMES
               if hasattr(Tensor, name) and not hasattr(Tensor, name + "_")]
    assert missing == []


def test_variant_of_any_out_of_place_function():
    halve_ = inplace.inplace_variant(lambda t: t * 0.5)
    x = tensor([1.0, 2.0], requires_grad=True)
    t = x * 1
    assert halve_(t) is t
    assert t.grad_fn.name() == "MulBackward0" and t._version.value == 1
    t.sum().backward()
    np.testing.assert_array_equal(x.grad._data, [0.5, 0.5])


def test_variant_refuses_a_leaf_that_requires_grad():
    with pytest.raises(TorchRuntimeError, match="a leaf Variable that requires grad"):
        inplace.inplace_variant(lambda t: t + 1)(tensor([1.0], requires_grad=True))


def test_write_through_a_view_is_seen_by_base_and_version():
    base = tensor([[1.0, 2.0], [3.0, 4.0]])
    row = base[1]
    row.mul_(10)
    np.testing.assert_array_equal(base._data, [[1.0, 2.0], [30.0, 40.0]])
    assert base._version.value == row._version.value == 1


def test_data_alias_has_its_own_counter():
    x = tensor([1.0, 2.0], requires_grad=True)
    alias = x.data
    alias.add_(1)
    assert x._version.value == 0 and alias._version.value == 1
    np.testing.assert_array_equal(x._data, [2.0, 3.0])
