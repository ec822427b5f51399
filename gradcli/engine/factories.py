"""Tensor constructors: `tensor`, `ones`, `zeros`, `full`, the legacy `Tensor(...)` family and
`Variable`, with PyTorch's dtype inference (ints give int64, floats the default dtype, numpy
arrays keep theirs)."""

from __future__ import annotations

import numpy as np

from gradcli.engine import dtypes, limits
from gradcli.engine.errors import TorchRuntimeError, TorchTypeError, TorchValueError
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

COPY_CONSTRUCT_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).")


TORCH_FUNCTIONS = ("tensor", "ones", "zeros", "full", "Variable")


def _infer_dtype(values: np.ndarray) -> dtypes.DType:
    if values.dtype.kind == "b":
        return dtypes.bool_
    if values.dtype.kind in "iu":
        return dtypes.int64
    return dtypes.get_default_dtype()


def _nested_to_array(data) -> np.ndarray:
    """A nested list of numbers (or 0-dim/1-element tensors) as an array; ragged is an error."""
    if isinstance(data, range):
        data = list(data)
    try:
        array = np.array(_unwrap(data))
    except ValueError:
        raise TorchValueError("expected sequence of equal length at every level (ragged nested list)") from None
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise TorchTypeError(f"Could not infer dtype of {type(data).__name__}")
    return array


def _unwrap(data):
    """Replace Tensors inside nested lists by their values (iteratively, any depth)."""
    if isinstance(data, Tensor):
        return data._data
    if not isinstance(data, (list, tuple)):
        return data
    root = list(data)
    stack = [root]
    while stack:
        items = stack.pop()
        for i, item in enumerate(items):
            if isinstance(item, Tensor):
                items[i] = item._data
            elif isinstance(item, (list, tuple, range)):
                items[i] = list(item)
                stack.append(items[i])
    return root


def _check_requires_grad(t: Tensor, requires_grad: bool) -> Tensor:
    if requires_grad:
        if not t.dtype.is_floating_point:
            raise TorchRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _resolve(dtype):
    return dtypes.BY_NAME[dtype] if isinstance(dtype, str) else dtype


def tensor(data, dtype=None, requires_grad=False, device=None) -> Tensor:
    dtype = _resolve(dtype)
    if isinstance(data, Tensor):
        if data.requires_grad:
            warn(COPY_CONSTRUCT_WARNING)
        values = data._data
        inferred = data.dtype
    elif isinstance(data, np.ndarray):
        values = data
        inferred = dtypes.from_numpy(data.dtype)
    elif isinstance(data, np.generic):
        values = np.asarray(data)
        inferred = dtypes.from_numpy(values.dtype)
    else:
        values = _nested_to_array(data)
        inferred = _infer_dtype(values)
    limits.check_elements(values.shape)
    target = dtype or inferred
    result = Tensor(np.array(values, dtype=target.numpy, copy=True))
    return _check_requires_grad(result, requires_grad)


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    shape = tuple(int(n) for n in size)
    for n in shape:
        if n < 0:
            raise TorchRuntimeError(
                f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    limits.check_elements(shape)
    return shape


def full(size, fill_value, dtype=None, requires_grad=False) -> Tensor:
    dtype = _resolve(dtype) or dtypes.of_python_scalar(fill_value)
    t = Tensor(np.full(_size((size,) if isinstance(size, int) else tuple(size)), fill_value,
                       dtype=dtype.numpy))
    return _check_requires_grad(t, requires_grad)


def ones(*size, dtype=None, requires_grad=False) -> Tensor:
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    return _check_requires_grad(Tensor(np.ones(_size(size), dtype=dtype.numpy)), requires_grad)


def zeros(*size, dtype=None, requires_grad=False) -> Tensor:
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    return _check_requires_grad(Tensor(np.zeros(_size(size), dtype=dtype.numpy)), requires_grad)


def legacy_tensor(dtype: dtypes.DType):
    """`torch.FloatTensor` and friends: from data, or (legacy) an uninitialised shape."""
    def construct(*args) -> Tensor:
        if len(args) == 0:
            return Tensor(np.zeros((0,), dtype=dtype.numpy))
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return Tensor(np.zeros(_size(args), dtype=dtype.numpy))
        if len(args) == 1:
            source = args[0]
            if isinstance(source, Tensor):
                return Tensor(source._data.astype(dtype.numpy, copy=False), version=source._version)
            return tensor(source, dtype=dtype)
        raise TorchTypeError(f"new() received an invalid combination of arguments")
    return construct


def Variable(data=None, requires_grad=False, volatile=False) -> Tensor:
    """`torch.autograd.Variable`: since PyTorch 0.4 a plain Tensor sharing `data`'s storage."""
    if volatile:
        warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.")
        if requires_grad:
            raise TorchValueError("Variable can't be volatile and require_grad at the same time!")
    if data is None:
        return Tensor(np.zeros((0,), dtype=dtypes.get_default_dtype().numpy))
    if not isinstance(data, Tensor):
        raise TorchTypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    result = Tensor(data._data, version=data._version)
    return _check_requires_grad(result, requires_grad)
