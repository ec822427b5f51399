"""The public operations (`torch.add`, `Tensor.sum`, `x * y`, ...): argument handling, then a
row of the op table. Which row an overload uses decides its grad_fn name, so that choice lives
here: `2 - x` is `rsub` (RsubBackward1), `2 / x` is `reciprocal(x) * 2` (MulBackward0 over
ReciprocalBackward0), `x.sum(dim=1)` is `sum_dim` (SumBackward1), as PyTorch dispatches them.
"""

from __future__ import annotations

import numbers

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchRuntimeError, TorchTypeError
from gradcli.engine.ops import OPS, apply
from gradcli.engine.tensor import Tensor, _normalize_dim


def is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, Tensor)


def _operand(x):
    """A Tensor or a Python number; anything else is a TypeError as in PyTorch."""
    if isinstance(x, Tensor):
        return x
    if is_number(x):
        return x.item() if isinstance(x, np.generic) else x
    raise TorchTypeError(f"unsupported operand type: '{type(x).__name__}'")


# ----- arithmetic ---------------------------------------------------------------------------

def add(input, other, alpha=1):
    other = _operand(other)
    if alpha != 1:
        other = other * alpha
    return apply(OPS["add"], _operand(input), other)


def sub(input, other, alpha=1):
    other = _operand(other)
    if alpha != 1:
        other = other * alpha
    input = _operand(input)
    if not isinstance(input, Tensor):
        return rsub(other, input)
    return apply(OPS["sub"], input, other)


def rsub(input: Tensor, other):
    """`other - input` for a Python number `other`: PyTorch's RsubBackward1, one input."""
    return apply(OPS["rsub"], input, other=_operand(other))


def mul(input, other):
    input, other = _operand(input), _operand(other)
    if not isinstance(input, Tensor):
        input, other = other, input
    return apply(OPS["mul"], input, other)


def div(input, other):
    input, other = _operand(input), _operand(other)
    if not isinstance(input, Tensor):
        return rdiv(other, input)
    return apply(OPS["div"], input, other)


def rdiv(input: Tensor, other):
    """`other / input` for a Python number: PyTorch computes `reciprocal(input) * other`."""
    return mul(reciprocal(input), other)


def reciprocal(input):
    return apply(OPS["reciprocal"], input)


def pow(input, exponent):
    input, exponent = _operand(input), _operand(exponent)
    if not isinstance(input, Tensor):
        return apply(OPS["rpow"], exponent, base=input)
    if isinstance(exponent, Tensor):
        return apply(OPS["pow_tensor"], input, exponent)
    return apply(OPS["pow"], input, exponent=exponent)


def neg(input):
    return apply(OPS["neg"], input)


def exp(input):
    return apply(OPS["exp"], input)


def log(input):
    return apply(OPS["log"], input)


# ----- reductions ---------------------------------------------------------------------------

def _dims(dim, ndim: int):
    """`dim` as a tuple of non-negative axes, with PyTorch's range check."""
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(_normalize_dim(int(d), ndim) for d in dims)


def sum(input, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    if dim is None:
        return apply(OPS["sum"], input, dim=None, keepdim=False)
    return apply(OPS["sum_dim"], input, dim=_dims(dim, input.ndim), keepdim=bool(keepdim))


def mean(input, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise TorchRuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.dtype.scalar_name}")
    if dim is None:
        return apply(OPS["mean"], input, dim=None, keepdim=False)
    return apply(OPS["mean_dim"], input, dim=_dims(dim, input.ndim), keepdim=bool(keepdim))


# ----- shape --------------------------------------------------------------------------------

def _shape_arg(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def _infer_shape(shape: tuple, numel: int) -> tuple:
    unknown = [i for i, n in enumerate(shape) if n == -1]
    known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
    invalid = TorchRuntimeError(
        f"shape '[{', '.join(str(n) for n in shape)}]' is invalid for input of size {numel}")
    if len(unknown) > 1:
        raise TorchRuntimeError("only one dimension can be inferred")
    if unknown:
        if known == 0 or numel % known:
            raise invalid
        shape = shape[:unknown[0]] + (numel // known,) + shape[unknown[0] + 1:]
    elif known != numel:
        raise invalid
    return shape


def view(input, *shape):
    return apply(OPS["view"], input, shape=_infer_shape(_shape_arg(shape), input.numel()))


def reshape(input, *shape):
    return view(input, *shape)


def expand(input, *sizes):
    sizes = _shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise TorchRuntimeError(
            f"expand(torch.FloatTensor{{[{', '.join(map(str, input.shape))}]}}, size=[{', '.join(map(str, sizes))}]): "
            "the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor "
            f"({input.ndim})")
    target = tuple(input.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
    return apply(OPS["expand"], input, shape=target)


def unsqueeze(input, dim):
    return apply(OPS["unsqueeze"], input, dim=_normalize_dim(dim, input.ndim + 1))


def squeeze(input, dim=None):
    if dim is None:
        return apply(OPS["squeeze"], input)
    return apply(OPS["squeeze_dim"], input, dim=_normalize_dim(dim, input.ndim))


def clone(input):
    return apply(OPS["clone"], input)


def to(input, dtype):
    dtype = dtypes.BY_NAME[dtype] if isinstance(dtype, str) else dtype
    if dtype is input.dtype:
        return input
    return apply(OPS["to"], input, dtype=dtype)


def where(condition, input, other):
    return apply(OPS["where"], _operand(input), _operand(other), condition=condition._data)


# ----- comparisons and logic (never differentiable) ----------------------------------------

def _compare(name):
    def compare(input, other):
        return apply(OPS[name], _operand(input), _operand(other))
    compare.__name__ = name
    return compare


eq, ne, lt, le, gt, ge = (_compare(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
logical_or, logical_and = _compare("logical_or"), _compare("logical_and")


def logical_not(input):
    return apply(OPS["logical_not"], input)


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = (
    "add", "sub", "rsub", "mul", "div", "reciprocal", "pow", "neg", "exp", "log", "sum", "mean",
    "reshape", "expand", "unsqueeze", "squeeze", "clone", "where",
    "eq", "ne", "lt", "le", "gt", "ge", "logical_or", "logical_and", "logical_not",
)

# ----- Tensor methods and operators ---------------------------------------------------------

def _swap(fn):
    return lambda self, other: fn(other, self)


_METHODS = {
    "add": add, "sub": sub, "mul": mul, "div": div, "pow": pow, "neg": neg,
    "exp": exp, "log": log, "reciprocal": reciprocal, "sum": sum, "mean": mean,
    "view": view, "reshape": reshape, "expand": expand, "unsqueeze": unsqueeze,
    "squeeze": squeeze, "to": to, "clone": clone, "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge,
    "float": lambda self: to(self, dtypes.float32),
    "double": lambda self: to(self, dtypes.float64),
    "long": lambda self: to(self, dtypes.int64),
    "bool": lambda self: to(self, dtypes.bool_),
    "__add__": add, "__radd__": add,
    "__sub__": sub, "__rsub__": rsub,
    "__mul__": mul, "__rmul__": mul,
    "__truediv__": div, "__rtruediv__": rdiv,
    "__pow__": pow, "__rpow__": _swap(pow),
    "__neg__": neg,
    "__eq__": eq, "__ne__": ne, "__lt__": lt, "__le__": le, "__gt__": gt, "__ge__": ge,
    "__and__": logical_and, "__or__": logical_or, "__invert__": logical_not,
}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.__hash__ = object.__hash__
