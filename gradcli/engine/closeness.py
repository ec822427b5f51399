"""torch.equal, torch.isclose and torch.allclose: whether tensors hold the same numbers, or
numbers within a tolerance, as ATen's isclose computes it (aten/src/ATen/native/TensorCompare.cpp):
close where `self == other`, or where |self - other| is finite and at most
atol + |rtol * other|, each step in the tensors' dtype (integers and bools compare their
errors in the default floating dtype). Their results carry no gradient."""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchRuntimeError
from gradcli.engine.functions import check_overloads
from gradcli.engine.ops import broadcast_shapes
from gradcli.engine.tensor import Tensor

TORCH_FUNCTIONS = ("equal", "isclose", "allclose")


def equal(input: Tensor, other: Tensor) -> bool:
    """The same sizes and every element equal (after type promotion; nan equals nothing)."""
    if input.shape != other.shape:
        return False
    return bool(np.all(input._data == other._data))


def isclose(input: Tensor, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    if input.dtype is not other.dtype:
        raise TorchRuntimeError(f"{input.dtype.scalar_name} did not match "
                                f"{other.dtype.scalar_name}")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if value < 0:
            # C++ prints the double as %g does
            raise TorchRuntimeError(f"{name} must be greater than or equal to zero, but got "
                                    f"{float(value):g}")
    a, b = input._data, other._data
    broadcast_shapes(a.shape, b.shape)             # PyTorch's message for sizes that don't fit
    close = np.asarray(a == b)
    if equal_nan and input.dtype.is_floating_point:
        close = close | (np.isnan(a) & np.isnan(b))
    if rtol != 0 or atol != 0:
        errors_in = (input.dtype if input.dtype.is_floating_point
                     else dtypes.get_default_dtype()).numpy.type
        if a.dtype == np.bool_:
            a, b = a.astype(errors_in), b.astype(errors_in)
        allowed = errors_in(atol) + np.abs(errors_in(rtol) * b.astype(errors_in))
        actual = np.abs(a - b).astype(errors_in)   # integers: their difference, compared as floats
        close = close | (np.isfinite(actual) & (actual <= allowed))
    return Tensor(np.ascontiguousarray(close))


def allclose(input: Tensor, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def _parsed(function):
    """`torch.NAME(input, other, ...)` and `x.NAME(other, ...)`, the operands checked against
    PyTorch's signatures (functions.OVERLOADS) for its parser's errors."""
    name = function.__name__

    def as_function(input, other, *args, **kwargs):
        check_overloads(name, (input, other))
        return function(input, other, *args, **kwargs)

    def as_method(self, other, *args, **kwargs):
        check_overloads(name, (other,), method=True)
        return function(self, other, *args, **kwargs)
    as_function.__name__ = as_method.__name__ = name
    return as_function, as_method


equal, Tensor.equal = _parsed(equal)
isclose, Tensor.isclose = _parsed(isclose)
allclose, Tensor.allclose = _parsed(allclose)
