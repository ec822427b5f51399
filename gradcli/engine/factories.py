"""Tensor constructors: `tensor`, `ones`, `zeros`, `full`, the `*_like` family, `eye`,
`arange`, `range`, `linspace`, `from_numpy`, the legacy `Tensor(...)` family and `Variable`,
with PyTorch's dtype inference (ints give int64, floats the default dtype, numpy arrays keep
theirs). Every size is checked against the element limit before anything is allocated."""

from __future__ import annotations

import builtins  # this module defines torch.range; Python's range is builtins.range
import math

import numpy as np

from gradcli.engine import dtypes, limits
from gradcli.engine.errors import (TorchNotImplementedError, TorchRuntimeError, TorchTypeError,
                                   TorchValueError)
from gradcli.engine.tensor import Tensor
from gradcli.engine.warnings import warn

COPY_CONSTRUCT_WARNING = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).")


RANGE_DEPRECATION_WARNING = (
    "torch.range is deprecated and will be removed in a future release because its behavior is "
    "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
    "in [start, end).")

TORCH_FUNCTIONS = ("tensor", "ones", "zeros", "full", "ones_like", "zeros_like", "full_like",
                   "eye", "arange", "range", "linspace", "from_numpy", "Variable")


def _infer_dtype(values: np.ndarray) -> dtypes.DType:
    if values.dtype.kind == "b":
        return dtypes.bool_
    if values.dtype.kind in "iu":
        return dtypes.int64
    return dtypes.get_default_dtype()


def _nested_to_array(data) -> np.ndarray:
    """A nested list of numbers (or 0-dim/1-element tensors) as an array; ragged is an error."""
    if isinstance(data, builtins.range):
        data = list(data)
    try:
        array = np.array(_unwrap(data))
    except ValueError:
        raise TorchValueError(
            "expected sequence of equal length at every level (ragged nested list)") from None
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
            elif isinstance(item, (list, tuple, builtins.range)):
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
    result = Tensor(np.array(values, dtype=target.numpy, copy=True))   # 1e300 as float32: inf
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
    if not isinstance(size, (tuple, list)):
        raise TorchTypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                             f"{type(size).__name__}")
    dtype = _resolve(dtype) or dtypes.of_python_scalar(fill_value)
    return _check_requires_grad(_filled(_size(tuple(size)), fill_value, dtype), requires_grad)


# c10's names for the C++ types in its overflow message
C10_CONVERSION_NAMES = {dtypes.float32: "float", dtypes.float64: "double",
                        dtypes.int64: "int64_t"}


def check_fits(value, dtype: dtypes.DType) -> None:
    """c10's checked_convert of a Python number to the dtype's C++ type: a finite value
    beyond its range is an error (inf and nan are a float's own values; bool takes anything)."""
    if dtype is dtypes.bool_ or not isinstance(value, (int, float)):
        return
    if dtype.is_floating_point:
        fits = not math.isfinite(value) or abs(value) <= float(np.finfo(dtype.numpy).max)
    else:
        fits = not math.isnan(value) and -2 ** 63 <= value < 2 ** 63
    if not fits:
        raise TorchRuntimeError(f"value cannot be converted to type "
                                f"{C10_CONVERSION_NAMES[dtype]} without overflow")


def _filled(shape: tuple, value, dtype: dtypes.DType) -> Tensor:
    check_fits(value, dtype)
    return Tensor(np.full(shape, value, dtype=dtype.numpy))


def ones(*size, dtype=None, requires_grad=False) -> Tensor:
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    return _check_requires_grad(Tensor(np.ones(_size(size), dtype=dtype.numpy)), requires_grad)


def zeros(*size, dtype=None, requires_grad=False) -> Tensor:
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    return _check_requires_grad(Tensor(np.zeros(_size(size), dtype=dtype.numpy)), requires_grad)


def _like(input: Tensor, fill_value, dtype, requires_grad) -> Tensor:
    """A new tensor of `input`'s shape (and dtype unless given); never part of its graph."""
    dtype = _resolve(dtype) or input.dtype
    return _check_requires_grad(_filled(input.shape, fill_value, dtype), requires_grad)


def ones_like(input: Tensor, dtype=None, requires_grad=False) -> Tensor:
    return _like(input, 1, dtype, requires_grad)


def zeros_like(input: Tensor, dtype=None, requires_grad=False) -> Tensor:
    return _like(input, 0, dtype, requires_grad)


def full_like(input: Tensor, fill_value, dtype=None, requires_grad=False) -> Tensor:
    return _like(input, fill_value, dtype, requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False) -> Tensor:
    m = n if m is None else m
    for name, value in (("n", n), ("m", m)):
        if value < 0:
            raise TorchRuntimeError(f"{name} must be greater or equal to 0, got {value}")
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    return _check_requires_grad(Tensor(np.eye(*_size((n, m)), dtype=dtype.numpy)), requires_grad)


def _range_dtype(dtype, *bounds) -> dtypes.DType:
    """arange's dtype: given, else the default float if any bound is a float, else int64."""
    if dtype is not None:
        return _resolve(dtype)
    if any(isinstance(b, float) for b in bounds):
        return dtypes.get_default_dtype()
    return dtypes.int64


def _scalar_text(value) -> str:
    """A bound as c10 prints a Scalar in messages: 3, 0.5, inf (3.0 prints as 3)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_range(start, end, step) -> None:
    """ATen's arange/range checks, in their order."""
    if step == 0:
        raise TorchRuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise TorchRuntimeError(
            f"unsupported range: {_scalar_text(start)} -> {_scalar_text(end)}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise TorchRuntimeError("upper bound and lower bound inconsistent with step sign")


def _require_arithmetic(dtype: dtypes.DType, kernel: str) -> None:
    if dtype is dtypes.bool_:
        raise TorchNotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _stepped(start, step, count: int, dtype: dtypes.DType) -> Tensor:
    """`start + step * i` for i < count: in int64 for integer bounds, else in double (ATen's
    accumulate type), rounded once to the result dtype."""
    limits.check_elements((count,))
    index = np.arange(count, dtype=np.int64)
    if isinstance(start, float) or isinstance(step, float):
        values = float(start) + float(step) * index.astype(np.float64)
    else:
        values = int(start) + int(step) * index
    return Tensor(values.astype(dtype.numpy))


def arange(start, end=None, step=1, dtype=None, requires_grad=False) -> Tensor:
    if end is None:
        start, end = 0, start
    dtype = _range_dtype(dtype, start, end, step)
    _require_arithmetic(dtype, "arange_cpu")
    if not dtype.is_floating_point:
        # an integer dtype truncates the bounds first: arange(0.5, 3.7, dtype=int64) is
        # [0, 1, 2], and a step of 0.5 becomes 0 (a ValueError from the argument parser)
        if step != 0 and int(step) == 0:
            raise TorchValueError("step must be nonzero")
        if all(math.isfinite(b) for b in (start, end)):
            start, end, step = int(start), int(end), int(step)
    _check_range(start, end, step)
    if dtype.is_floating_point:
        count = math.ceil((float(end) - float(start)) / float(step))
        values = _arange_floats(float(start), float(step), max(count, 0), dtype)
    else:       # ATen's integer size: ceil((end - start) / step) in integer arithmetic
        values = _stepped(start, step, max(-((start - end) // step), 0), dtype)
    return _check_requires_grad(values, requires_grad)


# ATen's arange kernel runs two vectors of this many lanes per loop step (256-bit vectors)
ARANGE_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _arange_floats(start: float, step: float, count: int, dtype: dtypes.DType) -> Tensor:
    """ATen's arange_kernel in its accumulate type, double: a scalar element is
    fma(step, i, start); a vector of lanes starts at base = fma(step, i0, start) rounded to
    the result dtype, and lane j is fma(j, step, base). Vectors cover the largest multiple of
    two vectors' lanes, the rest is scalar. (Bit-exact for up to 32768 elements; above that
    ATen splits the work between threads.)"""
    limits.check_elements((count,))
    lanes = ARANGE_LANES[dtype.numpy]
    index = np.arange(count, dtype=np.int64)
    values = _fused_multiply_add(step, index, start, np.dtype(np.float64))
    in_vectors = index[:count - count % (2 * lanes)]
    lane = in_vectors % lanes
    base = _fused_multiply_add(step, in_vectors - lane, start, np.dtype(np.float64))
    base = base.astype(dtype.numpy).astype(np.float64)
    values[:in_vectors.size] = _fused_multiply_add(step, lane, base, np.dtype(np.float64))
    return Tensor(values.astype(dtype.numpy))


def range(start, end, step=1, dtype=None, requires_grad=False) -> Tensor:
    """The deprecated `torch.range`: the end is included and the dtype is the default float."""
    warn(RANGE_DEPRECATION_WARNING)
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    _check_range(start, end, step)
    count = int((float(end) - float(start)) / float(step)) + 1
    return _check_requires_grad(_stepped(start, step, count, dtype), requires_grad)


def _fused_multiply_add(a: float, k: np.ndarray, c, dtype: np.dtype) -> np.ndarray:
    """a * k + c rounded once (k integers, c a number or an array), as the fused multiply-add
    the compiler makes of ATen's `start + step * idx`: float32 through double (where a*k is
    exact); float64 with Dekker's exact product and a compensated sum (Python 3.11's math has
    no fma)."""
    k = k.astype(np.float64)
    if dtype == np.float32:
        return (np.float64(a) * k + np.float64(c)).astype(np.float32)
    a, c = np.float64(a), np.float64(c)
    product = a * k
    split = 134217729.0                      # 2**27 + 1: Veltkamp's split of a double
    a_high = a * split - (a * split - a)
    k_high = k * split - (k * split - k)
    product_error = ((a_high * k_high - product) + a_high * (k - k_high)
                     + (a - a_high) * k_high) + (a - a_high) * (k - k_high)
    total = product + c
    c_part = total - product
    sum_error = (product - (total - c_part)) + (c - c_part)
    return total + (sum_error + product_error)


def linspace(start, end, steps, dtype=None, requires_grad=False) -> Tensor:
    if steps < 0:
        raise TorchRuntimeError("number of steps must be non-negative")
    dtype = _resolve(dtype) or dtypes.get_default_dtype()
    _require_arithmetic(dtype, "linspace_cpu")
    for bound in (start, end):
        check_fits(bound, dtype)
    limits.check_elements((steps,))
    # ATen's linspace kernel: start and end in the result dtype, the step in it too (in double
    # for integer results); the first half counts up from start, the second down from end.
    compute = dtype.numpy if dtype.is_floating_point else np.dtype(np.float64)
    first = compute.type(dtype.numpy.type(start))
    last = compute.type(dtype.numpy.type(end))
    step = (last - first) / compute.type(max(steps - 1, 1))
    index = np.arange(steps, dtype=np.int64)
    halfway = steps // 2
    values = np.where(index < halfway, _fused_multiply_add(step, index, first, compute),
                      _fused_multiply_add(-step, steps - index - 1, last, compute))
    if steps == 1:              # ATen fills a single step with start, not end
        values = np.full(1, first)
    return _check_requires_grad(Tensor(values.astype(dtype.numpy)), requires_grad)


def from_numpy(array) -> Tensor:
    """A tensor sharing `array`'s memory and dtype (other numpy dtypes are converted to the
    nearest of gradcli's four, which copies)."""
    if not isinstance(array, np.ndarray):
        raise TorchTypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtype = dtypes.from_numpy(array.dtype)
    return Tensor(array if array.dtype == dtype.numpy else array.astype(dtype.numpy))


# The C++ type names c10 prints for a dtype in TensorOptions (typeid names: int64 is `long int`)
C10_TYPE_NAMES = {dtypes.float32: "float", dtypes.float64: "double", dtypes.int64: "long int",
                  dtypes.bool_: "bool"}


def _tensor_options(dtype: dtypes.DType) -> str:
    """c10's TensorOptions as its operator<< prints them (the legacy constructors' message)."""
    return (f"TensorOptions(dtype={C10_TYPE_NAMES[dtype]}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


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
                if source.dtype is not dtype:
                    raise TorchTypeError(f"expected {_tensor_options(dtype)} (got "
                                         f"{_tensor_options(source.dtype)})")
                return Tensor(source._data, version=source._version)
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


def _volatile(self) -> bool:
    warn("volatile was removed (Variable.volatile is always False)")
    return False


Tensor.volatile = property(_volatile, doc="Removed in PyTorch 0.4: always False, with a warning.")
