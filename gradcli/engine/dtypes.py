"""PyTorch's dtypes (the four gradcli supports) and its type-promotion rules.

Promotion follows c10's `ResultTypeState` (aten/src/ATen/native/TypeProperties.cpp):
operands fall in three classes — tensors with dimensions, 0-dim tensors, Python numbers —
and a lower class only changes the result when it is of a higher *category*
(bool < integer < floating). So `int64 tensor + 1.5` is float32, while
`float32 tensor + 0-dim float64 tensor` stays float32 (reference §3.8).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)     # the four are singletons: identity is equality (and a fast hash)
class DType:
    name: str          # "float32"
    numpy: np.dtype    # numpy's dtype
    rank: int          # position in the promotion lattice bool < int64 < float32 < float64
    tensor_type: str   # what `.type()` returns
    scalar_name: str   # c10's name, used in some error messages ("Float", "Double")
    # a plain attribute, not a property: most ops ask (the promotion rules)
    is_floating_point: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_floating_point", self.rank >= 2)

    @property
    def category(self) -> int:
        """0 for bool, 1 for integers, 2 for floating point."""
        return min(self.rank, 2)

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    __str__ = __repr__


bool_ = DType("bool", np.dtype(np.bool_), 0, "torch.BoolTensor", "Bool")
int64 = DType("int64", np.dtype(np.int64), 1, "torch.LongTensor", "Long")
float32 = DType("float32", np.dtype(np.float32), 2, "torch.FloatTensor", "Float")
float64 = DType("float64", np.dtype(np.float64), 3, "torch.DoubleTensor", "Double")

ALL = (bool_, int64, float32, float64)
BY_NAME = {d.name: d for d in ALL} | {"float": float32, "double": float64, "long": int64}
_BY_NUMPY = {d.numpy: d for d in ALL}

_default_float = float32


def get_default_dtype() -> DType:
    return _default_float


def set_default_dtype(dtype: DType) -> None:
    global _default_float
    if not dtype.is_floating_point:
        from gradcli.engine.errors import TorchTypeError

        raise TorchTypeError("only floating-point types are supported as the default type")
    _default_float = dtype


def from_numpy(dtype: np.dtype) -> DType:
    """The gradcli dtype for a numpy dtype; other numpy types map to their nearest kind."""
    found = _BY_NUMPY.get(dtype)
    if found is not None:
        return found
    found = _BY_NUMPY.get(np.dtype(dtype))
    if found is not None:
        return found
    kind = np.dtype(dtype).kind
    if kind == "b":
        return bool_
    if kind in "iu":
        return int64
    if kind == "f" and np.dtype(dtype).itemsize <= 4:
        return float32
    return float64


def of_python_scalar(value) -> DType:
    """The dtype a Python number takes when it is wrapped into a tensor."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    return get_default_dtype()


def promote(a: DType | None, b: DType | None) -> DType | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if a.rank >= b.rank else b


def _combine_categories(higher: DType | None, lower: DType | None) -> DType | None:
    if higher is None:
        return lower
    if higher.is_floating_point:
        return higher
    if higher is bool_ or (lower is not None and lower.is_floating_point):
        return promote(higher, lower)
    return higher


def result_type(*operands) -> DType:
    """The dtype of an elementwise op on tensors and Python numbers, as PyTorch computes it."""
    dimensioned = zero_dim = wrapped = None
    for op in operands:
        dtype = getattr(op, "dtype", None)
        if isinstance(dtype, DType):
            if op.ndim > 0:
                dimensioned = promote(dimensioned, dtype)
            else:
                zero_dim = promote(zero_dim, dtype)
        else:
            wrapped = promote(wrapped, of_python_scalar(op))
    return _combine_categories(dimensioned, _combine_categories(zero_dim, wrapped))
