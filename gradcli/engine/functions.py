"""The public operations (`torch.add`, `Tensor.sum`, `x * y`, ...): argument handling, then a
row of the op table. Which row an overload uses decides its grad_fn name, so that choice lives
here: `2 - x` is `rsub` (RsubBackward1), `2 / x` is `reciprocal(x) * 2` (MulBackward0 over
ReciprocalBackward0), `x.sum(dim=1)` is `sum_dim` (SumBackward1), as PyTorch dispatches them.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from gradcli.engine import dtypes
from gradcli.engine.errors import TorchNotImplementedError, TorchRuntimeError, TorchTypeError
from gradcli.engine.ops import OPS, apply, apply_one, apply_two, broadcast_shapes
from gradcli.engine.tensor import Tensor, _normalize_dim


def is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, Tensor)


def tensor_argument(function: str, value, position: int | None = 1,
                    argument: str = "input") -> Tensor:
    """PyTorch's argument parser: a parameter declared `Tensor` takes a tensor, never a list or
    a Python number (`mean([1.0, 2.0])` is a TypeError naming the function). `position`: the
    argument's, None when it was given by keyword (the message then has none)."""
    if isinstance(value, Tensor):
        return value
    raise _argument_type_error(function, argument, position, "Tensor", value)


def _argument_type_error(function: str, argument: str, position: int | None, kind: str,
                         value) -> TorchTypeError:
    at = f" (position {position})" if position is not None else ""
    return TorchTypeError(f"{function}(): argument '{argument}'{at} must be {kind}, not "
                          f"{type(value).__name__}")


def _check_alpha(function: str, alpha) -> None:
    """add's and sub's keyword `alpha` is a Number to the parser."""
    if type(alpha) not in (int, float) and not is_number(alpha):
        raise _argument_type_error(function, "alpha", None, "Number", alpha)


_PLAIN_OPERANDS = (Tensor, float, int, bool)     # taken as they are, without further checks


def _operand(x, function: str | None = None, position: int | None = 2,
             argument: str = "other"):
    """A Tensor or a Python number; anything else is PyTorch's TypeError for `function`'s
    argument (without a function name, as in-place writes call it: a plain operand error)."""
    if type(x) in _PLAIN_OPERANDS:
        return x
    if isinstance(x, Tensor):
        return x
    if is_number(x):
        return x.item() if isinstance(x, np.generic) else x
    if function is not None:
        tensor_argument(function, x, position, argument)
    raise TorchTypeError(f"unsupported operand type: '{type(x).__name__}'")


# ----- PyTorch's overloaded signatures, for its argument parser's errors ---------------------
# A function with several Python signatures (torch/csrc/utils/python_arg_parser.cpp) that none
# takes: if the argument count fits exactly one signature, that one names the first bad
# argument ("argument 'condition' (position 1) must be Tensor, not list"); otherwise the error
# lists every signature (torch/csrc/utils/invalid_arguments.cpp), and under each whose argument
# count matches -- the parser counts `*` as an argument and `out` as not, so a signature with
# `out` never does -- the given types again, the mismatched ones between `!`.

_COMPARISON = (("Tensor input, Tensor other, *, Tensor out = None",
                "Tensor input, Number other, *, Tensor out = None"),
               ("Tensor other", "Number other"))

OVERLOADS = {     # name: (the signatures of torch.NAME, those of the method x.NAME)
    "pow": (("Tensor input, Tensor exponent, *, Tensor out = None",
             "Number self, Tensor exponent, *, Tensor out = None",
             "Tensor input, Number exponent, *, Tensor out = None"),
            ("Tensor exponent", "Number exponent")),
    "remainder": (("Tensor input, Tensor other, *, Tensor out = None",
                   "Number self, Tensor other",
                   "Tensor input, Number other, *, Tensor out = None"),
                  ("Tensor other", "Number other")),
    "floor_divide": (("Tensor input, Tensor other, *, Tensor out = None",
                      "Tensor input, Number other"),
                     ("Tensor other", "Number other")),
    "where": (("Tensor condition",
               "Tensor condition, Tensor input, Tensor other, *, Tensor out = None",
               "Tensor condition, Number self, Tensor other",
               "Tensor condition, Tensor input, Number other",
               "Tensor condition, Number self, Number other"),
              ("Tensor condition, Tensor other", "Tensor condition, Number other")),
    **dict.fromkeys(("eq", "ne", "lt", "le", "gt", "ge"), _COMPARISON),
    "clamp": (("Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None",
               "Tensor input, Number min = None, Number max = None, *, Tensor out = None"),
              ("Tensor min = None, Tensor max = None", "Number min = None, Number max = None")),
    **{name: ((f"Tensor input, Tensor {bound}, *, Tensor out = None",
               f"Tensor input, Number {bound}, *, Tensor out = None"),
              (f"Tensor {bound}", f"Number {bound}"))
       for name, bound in (("clamp_min", "min"), ("clamp_max", "max"))},
    "fill": (("Tensor input, Tensor value", "Tensor input, Number value"),
             ("Tensor value", "Number value")),
    "tensor_split": (("Tensor input, tuple of ints indices, int dim = 0",
                      "Tensor input, Tensor tensor_indices_or_sections, int dim = 0",
                      "Tensor input, int sections, int dim = 0"),
                     ("tuple of ints indices, int dim = 0",
                      "Tensor tensor_indices_or_sections, int dim = 0",
                      "int sections, int dim = 0")),
    **dict.fromkeys(("hsplit", "vsplit", "dsplit"), (
        ("Tensor input, int sections", "Tensor input, tuple of ints indices"),
        ("int sections", "tuple of ints indices"))),
    "equal": (("Tensor input, Tensor other",), ("Tensor other",)),
    **dict.fromkeys(("isclose", "allclose"), (
        ("Tensor input, Tensor other, float rtol = 1e-05, float atol = 1e-08, "
         "bool equal_nan = False",),
        ("Tensor other, float rtol = 1e-05, float atol = 1e-08, bool equal_nan = False",))),
}


@functools.cache             # read once per signature: in-place methods check on every call
def _parameters(signature: str) -> tuple:
    """(type, name, default text or None) of each parameter; `*` is not one."""
    parameters = []
    for text in signature.split(", "):
        if text != "*":
            head, _, default = text.partition(" = ")
            kind, name = head.rsplit(" ", 1)
            parameters.append((kind, name, default or None))
    return tuple(parameters)


def _fits(kind: str, value, default: str | None = None) -> bool:
    """Whether the parser takes `value` for a parameter of type `kind`."""
    if value is None:
        return default == "None"
    if kind == "Tensor":
        return isinstance(value, Tensor)
    if kind == "int":
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if kind == "tuple of ints":
        return isinstance(value, (tuple, list)) and all(_fits("int", v) for v in value)
    if kind == "str":
        return isinstance(value, str)
    return is_number(value)


# invalid_arguments.cpp reads a printed signature back: a parameter's type is its text up to
# the last space and its name the word after it, so "Tensor min = None" has the type "Tensor min
# =" and the name "None". A type matches a value by Python type name, "float" and "int" taking
# ints too: "Number", "tuple of ints" and a parameter with a default never match (marked `!`).
_PRINTED_MATCHES = {"float": ("float", "int"), "int": ("int",)}


def _printed_parameters(signature: str) -> list:
    return [tuple(text.rsplit(" ", 1)) if " " in text else (text, text)
            for text in signature.split(", ")]


def _printed_match(printed_type: str, value) -> bool:
    return type(value).__name__ in _PRINTED_MATCHES.get(printed_type, (printed_type,))


def _given(arguments: tuple, keywords: dict) -> str:
    """invalid_arguments.cpp's _argDesc: the types given, keywords as `name=type` (in the order
    libstdc++'s unordered_map visits them: the reverse of insertion for distinct buckets)."""
    text = "".join(f"{type(a).__name__}, " for a in arguments)
    text += "".join(f"{k}={type(v).__name__}, " for k, v in reversed(keywords.items()))
    return f"({text[:-2] if arguments else text})"


def _mismatch(signature: str, arguments: tuple, keywords: dict) -> str:
    """Why a signature whose argument count fits did not match: its keywords that it has no
    parameter for among its last ones, else every argument marked `!` unless its type matches."""
    printed = _printed_parameters(signature)
    start = max(len(printed) - len(keywords) - ("Tensor out" in signature), 0)
    names = [name for _, name in printed[start:]]
    unmatched = [k for k in reversed(keywords) if k not in names]
    if unmatched:
        return f"some of the keywords were incorrect: {', '.join(unmatched)}"
    marked = ""
    for i in range(len(arguments) + len(keywords)):
        printed_type, name = printed[i]
        value = arguments[i] if i < len(arguments) else keywords[name]
        described = (f"{name}=" if i >= len(arguments) else "") + _described(value)
        marked += (described if _printed_match(printed_type, value) else f"!{described}!") + ", "
    return ("some of the arguments have invalid types: "
            f"({marked[:-2] if arguments else marked})")


def _described(value) -> str:
    """A type as invalid_arguments.cpp names it: `list of [float, int]`, `tuple of (int,)`."""
    name = type(value).__name__
    if isinstance(value, (list, tuple)):
        items = ", ".join(type(v).__name__ for v in value)
        if isinstance(value, list):
            return f"{name} of [{items}]"
        return f"{name} of ({items}{',' if len(value) == 1 else ''})"
    return name


def _takes(parameters: list, arguments: tuple, keywords: dict) -> bool:
    """Whether one signature's parameters take the arguments and keywords."""
    if len(arguments) > len(parameters):
        return False
    rest = parameters[len(arguments):]
    if any(k not in {name for _, name, _ in rest} for k in keywords):
        return False
    return all(_fits(kind, value, default) for (kind, _, default), value
               in zip(parameters, arguments)) and all(
        _fits(kind, keywords[name], default) if name in keywords else default is not None
        for kind, name, default in rest)


def check_overloads(function: str, arguments: tuple, method: bool = False,
                    shown_as: str | None = None, keywords: dict | None = None) -> None:
    """Nothing when a signature of `function` takes `arguments` and `keywords` (for a method:
    those after `x`); PyTorch's TypeError otherwise, naming the function `shown_as` (`pow_`
    for pow's in-place method, which has the method's signatures)."""
    keywords = keywords or {}
    signatures = OVERLOADS[function][1 if method else 0]
    function = shown_as or function
    parsed = [_parameters(s) for s in signatures]
    if any(_takes(p, arguments, keywords) for p in parsed):
        return
    count = len(arguments) + len(keywords)
    plausible = [p for p in parsed
                 if len([d for _, _, d in p if d is None]) <= count <= len(p)]  # (sum: torch.sum)
    if len(plausible) == 1 and not keywords:
        for position, ((kind, name, default), value) in enumerate(
                zip(plausible[0], arguments), 1):
            if not _fits(kind, value, default):
                raise TorchTypeError(f"{function}(): argument '{name}' (position {position}) "
                                     f"must be {kind}, not {type(value).__name__}")
    text = (f"{function}() received an invalid combination of arguments - got "
            f"{_given(arguments, keywords)}, but expected one of:\n")
    for signature in signatures:
        text += f" * ({signature})\n"
        if len(signature.split(", ")) - ("Tensor out" in signature) == count:
            text += f"      didn't match because {_mismatch(signature, arguments, keywords)}\n"
    raise TorchTypeError(text)


def _operands(function: str, input, other) -> tuple:
    """The two operands of a binary function, checked as PyTorch's parser does."""
    if type(input) in _PLAIN_OPERANDS and type(other) in _PLAIN_OPERANDS:
        return input, other                  # the common case, without a call per operand
    return _operand(input, function, 1, "input"), _operand(other, function, 2, "other")


# ----- arithmetic ---------------------------------------------------------------------------

def add(input, other, alpha=1):
    scaling = _scaling("add", alpha)
    return apply(OPS["add"], *_operands("add", input, other), **scaling)


def sub(input, other, alpha=1):
    scaling = _scaling("sub", alpha)
    input, other = _operands("sub", input, other)
    _check_subtraction(input, other)
    if not isinstance(input, Tensor):
        return rsub(other * alpha, input)
    if scaling:
        return apply(OPS["sub"], input, other, **scaling)
    return apply_two(OPS["sub"], input, other)


_UNSCALED: dict = {}


def _scaling(function: str, alpha) -> dict:
    """add's and sub's `alpha`, checked as PyTorch's parser does, as the row's parameter: none
    for the default 1, which the rows take when it is absent (and `apply` runs faster without
    parameters)."""
    if type(alpha) is int and alpha == 1:
        return _UNSCALED
    _check_alpha(function, alpha)
    return {"alpha": alpha}


def rsub(input: Tensor, other):
    """`other - input` for a Python number `other`: PyTorch's RsubBackward1, one input."""
    other = _operand(other)
    _check_subtraction(input, other)
    return apply(OPS["rsub"], _promoted(input, other), other=other)


def _is_bool(x) -> bool:
    if type(x) is Tensor:
        return x._data.dtype is _NUMPY_BOOL
    return isinstance(x, (bool, np.bool_))


_NUMPY_BOOL = dtypes.bool_.numpy


def _check_subtraction(a, b) -> None:
    """ATen's sub_check: no `-` on bools."""
    first, second = _is_bool(a), _is_bool(b)
    if first and second:
        raise TorchRuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead.")
    if first or second:
        raise TorchRuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _promoted(input: Tensor, number) -> Tensor:
    """`input` in the dtype of `input <op> number`, for rows that take the number as a
    parameter: `2.5 - int_tensor` computes in float32, `bool_tensor ** 2` in int64."""
    if input.dtype.is_floating_point and type(number) in (int, float):
        return input                  # the common case, without the general rules
    dtype = dtypes.result_type(input, number)
    return input if dtype is input.dtype else to(input, dtype)


def _check_integer_divisor(input, other) -> None:
    """Integer `//` and `%` by zero raise, as ATen's integer division kernels do."""
    if dtypes.result_type(input, other).is_floating_point:
        return
    divisor = other._data if isinstance(other, Tensor) else other
    if np.any(np.equal(divisor, 0)):
        raise TorchRuntimeError("ZeroDivisionError")


def _check_not_bool(kernel: str, *operands) -> None:
    """The integer-only kernels ATen has no bool version of."""
    if dtypes.result_type(*operands) is dtypes.bool_:
        raise TorchNotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def mul(input, other):
    input, other = _operands("mul", input, other)
    if not isinstance(input, Tensor):
        input, other = other, input
    return apply_two(OPS["mul"], input, other)


def div(input, other):
    input, other = _operands("div", input, other)
    if not isinstance(input, Tensor):
        return rdiv(other, input)
    return apply_two(OPS["div"], input, other)


def rdiv(input: Tensor, other):
    """`other / input` for a Python number: PyTorch computes `reciprocal(input) * other`."""
    return mul(reciprocal(input), other)


def _overloaded_operands(function: str, input, other) -> tuple:
    """The operands of a function with overloads (OVERLOADS), checked as PyTorch's parser does
    when they are not plainly tensors and numbers."""
    if type(input) in _PLAIN_OPERANDS and type(other) in _PLAIN_OPERANDS:
        return input, other
    check_overloads(function, (input, other))
    return _operand(input), _operand(other)


def _integer_division(function: str, kernel: str, input, other):
    """floor_divide and remainder: the same checks (ATen's `kernel` names a bool refusal), and
    the row `r<function>` when only `other` is a tensor."""
    input, other = _overloaded_operands(function, input, other)
    _check_not_bool(kernel, input, other)
    _check_integer_divisor(input, other)
    if not isinstance(input, Tensor):
        return apply(OPS["r" + function], _promoted(other, input), other=input)
    if function == "remainder" and not isinstance(other, Tensor):
        return apply(OPS["remainder_scalar"], _promoted(input, other), other=other)
    return apply(OPS[function], input, other)


def floor_divide(input, other):
    return _integer_division("floor_divide", "div_floor_cpu", input, other)


def remainder(input, other):
    return _integer_division("remainder", "remainder_cpu", input, other)


def pow(input, exponent):
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        check_overloads("pow", (input, exponent))        # raises: a tensor is needed
    input, exponent = _overloaded_operands("pow", input, exponent)
    if isinstance(exponent, Tensor) or not isinstance(input, Tensor):
        _check_not_bool("pow", input, exponent)     # a scalar exponent is fine (bool ** True)
    elif (type(exponent) is int and exponent < 0 and not input.dtype.is_floating_point):
        # ATen's pow_tensor_scalar checks a Python-number exponent (a tensor exponent is not)
        raise TorchRuntimeError("Integers to negative integer powers are not allowed.")
    if isinstance(exponent, Tensor) and _integral(input) and _integral(exponent) \
            and (exponent._data < 0).any():
        return _integer_power(input, exponent)
    if not isinstance(input, Tensor):
        return apply(OPS["rpow"], _promoted(exponent, input), base=input)
    if isinstance(exponent, Tensor):
        return apply(OPS["pow_tensor"], input, exponent)
    return apply(OPS["pow"], _promoted(input, exponent), exponent=exponent)


def _integral(x) -> bool:
    """An integer or bool operand: a power of such operands is an int64 power (bool ** int64
    promotes to int64)."""
    if isinstance(x, Tensor):
        return x.dtype is dtypes.int64 or x.dtype is dtypes.bool_
    return type(x) is int or type(x) is bool


def _integer_power(base, exponent: Tensor) -> Tensor:
    """An int64 power with negative exponents, ATen's powi: 1 ** -n = 1, (-1) ** -n = +-1,
    anything else 0 (numpy refuses them). Integers never require grad: no node."""
    a = (base._data if isinstance(base, Tensor) else np.asarray(base)).astype(np.int64)
    b = exponent._data
    power = np.power(a, np.maximum(b, 0))
    odd = (np.negative(b) % 2) == 1
    negative = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
    return Tensor(np.asarray(np.where(b < 0, negative, power), dtype=np.int64))


def _unary(name: str):
    """`torch.NAME(input)` for a row of one tensor input."""
    row = OPS[name]

    def function(input):
        if type(input) is not Tensor:
            input = tensor_argument(name, input)
        return apply_one(row, input)
    function.__name__ = name
    function.__doc__ = f"torch.{name}: {row.rules[0]}"
    return function


exp, log, reciprocal = (_unary(n) for n in ("exp", "log", "reciprocal"))


def neg(input):
    input = tensor_argument("neg", input)
    if input.dtype is dtypes.bool_:         # ATen's neg_check
        raise TorchRuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return apply_one(OPS["neg"], input)


# ----- reductions ---------------------------------------------------------------------------

def _dims(dim, ndim: int):
    """`dim` as a tuple of non-negative axes, with PyTorch's range check."""
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    return tuple(_normalize_dim(int(d), ndim) for d in dims)


def sum(input, dim=None, keepdim=False, dtype=None):
    input = tensor_argument("sum", input)
    if dtype is not None:
        input = input.to(dtype)
    if dim is None:
        return apply(OPS["sum"], input, dim=None, keepdim=False)
    return apply(OPS["sum_dim"], input, dim=_dims(dim, input.ndim), keepdim=bool(keepdim))


def mean(input, dim=None, keepdim=False, dtype=None):
    input = tensor_argument("mean", input)
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise TorchRuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.dtype.scalar_name}")
    if dim is None:
        return apply(OPS["mean"], input, dim=None, keepdim=False)
    return apply(OPS["mean_dim"], input, dim=_dims(dim, input.ndim), keepdim=bool(keepdim))


# ----- copies and conversions ---------------------------------------------------------------

def clone(input):
    return apply(OPS["clone"], tensor_argument("clone", input))


def to(input, dtype):
    dtype = dtypes.BY_NAME[dtype] if isinstance(dtype, str) else dtype
    if dtype is input.dtype:
        return input
    return apply(OPS["to"], input, dtype=dtype)


_ABSENT = object()       # an argument not given (None is one PyTorch's parser refuses)


def where(condition, input=_ABSENT, other=_ABSENT):
    arguments = tuple(a for a in (condition, input, other) if a is not _ABSENT)
    if not isinstance(condition, Tensor) or len(arguments) == 2 \
            or any(type(a) not in _PLAIN_OPERANDS for a in arguments[1:]):
        check_overloads("where", arguments)
    if len(arguments) == 1:
        # import here: selection imports reductions, which import this module
        from gradcli.engine.selection import where_condition

        return where_condition(condition)
    input, other = _operand(input), _operand(other)
    # ATen's TensorIterator broadcasts condition, input, other in that order: its message
    # names the shape so far as `a` and the next operand as `b`
    broadcast_shapes(broadcast_shapes(condition.shape, np.shape(input)), np.shape(other))
    return apply(OPS["where"], input, other, condition=condition._data)


# ----- comparisons and logic (never differentiable) ----------------------------------------

def _compare(name):
    def compare(input, other):
        if not isinstance(input, Tensor):
            check_overloads(name, (input, other))          # raises: the input is a tensor
        return apply(OPS[name], *_overloaded_operands(name, input, other))
    compare.__name__ = name
    return compare


def _logical(name):
    def logical(input, other):
        return apply(OPS[name], *_operands(name, input, other))
    logical.__name__ = name
    return logical


eq, ne, lt, le, gt, ge = (_compare(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
logical_or, logical_and = _logical("logical_or"), _logical("logical_and")


def logical_not(input):
    return apply(OPS["logical_not"], tensor_argument("logical_not", input))


# The functions the language offers as `torch.NAME` (and without prefix).
TORCH_FUNCTIONS = (
    "add", "sub", "rsub", "mul", "div", "floor_divide", "remainder", "reciprocal", "pow", "neg",
    "exp", "log", "sum", "mean", "clone", "where",
    "eq", "ne", "lt", "le", "gt", "ge", "logical_or", "logical_and", "logical_not",
)

# ----- Tensor methods and operators ---------------------------------------------------------

def checked_method(fn, name: str | None = None):
    """`x.NAME(other, ...)`: `torch.NAME(x, other, ...)`, with the method's own argument errors:
    PyTorch's parser counts a method's arguments after `x` (a bad `other` is at position 1)
    and lists the method's signatures. `name` is the method's own (`add_` for the in-place
    variant, inplace.py), which the errors show."""
    shown = name or fn.__name__

    def method(self, *args, **kwargs):
        if fn.__name__ in OVERLOADS:
            if kwargs or len(args) != 1 or type(args[0]) not in _PLAIN_OPERANDS:
                check_overloads(fn.__name__, args, method=True, shown_as=shown, keywords=kwargs)
        else:
            other = args[0] if args else kwargs.get("other", 0)
            if type(other) not in _PLAIN_OPERANDS:
                _operand(other, shown, 1 if args else None, "other")
            if "alpha" in kwargs:
                _check_alpha(shown, kwargs["alpha"])
        return fn(self, *args, **kwargs)
    method.__name__ = shown
    method.__wrapped__ = fn
    return method


def _operator(fn, swapped: bool = False):
    """A Python operator (`x + other`): an `other` that is neither a tensor nor a number gives
    NotImplemented, so Python raises its own TypeError ("unsupported operand type(s) for +:
    'Tensor' and 'list'") and `x == [1.0]` is False, as with PyTorch's operators."""
    def method(self, other):
        if type(other) not in _PLAIN_OPERANDS and not isinstance(other, Tensor) \
                and not is_number(other):
            return NotImplemented
        return fn(other, self) if swapped else fn(self, other)
    method.__name__ = fn.__name__
    return method


_METHODS = {
    **{fn.__name__: checked_method(fn) for fn in (add, sub, mul, div, pow, eq, ne, lt, le, gt,
                                                  ge, floor_divide, remainder)},
    "neg": neg, "exp": exp, "log": log, "reciprocal": reciprocal, "sum": sum, "mean": mean,
    "to": to, "clone": clone,
    "float": lambda self: to(self, dtypes.float32),
    "double": lambda self: to(self, dtypes.float64),
    "long": lambda self: to(self, dtypes.int64),
    "bool": lambda self: to(self, dtypes.bool_),
    "__neg__": neg, "__invert__": logical_not,
    "__add__": _operator(add), "__radd__": _operator(add),
    "__sub__": _operator(sub), "__rsub__": _operator(rsub),
    "__mul__": _operator(mul), "__rmul__": _operator(mul),
    "__truediv__": _operator(div), "__rtruediv__": _operator(rdiv),
    "__pow__": _operator(pow), "__rpow__": _operator(pow, swapped=True),
    "__floordiv__": _operator(floor_divide),
    "__rfloordiv__": _operator(floor_divide, swapped=True),
    "__mod__": _operator(remainder), "__rmod__": _operator(remainder, swapped=True),
    "__eq__": _operator(eq), "__ne__": _operator(ne), "__lt__": _operator(lt),
    "__le__": _operator(le), "__gt__": _operator(gt), "__ge__": _operator(ge),
    "__and__": _operator(logical_and), "__or__": _operator(logical_or),
}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.__hash__ = object.__hash__
