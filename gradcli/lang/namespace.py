"""Everything a program can name: `torch` (with `torch.autograd`, `torch.nn.functional`), `F`,
`np`, the math functions without prefix, and the few Python builtins tutorials use.

This is the language's whole reach. Attribute access goes through `get_attribute`, which
only opens what is listed here: nothing outside reaches Python objects.
"""

from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from gradcli.engine import (PUBLIC_MODULES, autograd, differentiate, dtypes, factories,
                            grad_mode, norms, random)
from gradcli.engine import limits as engine_limits
from gradcli.engine import saved_attributes
from gradcli.engine.errors import TorchAttributeError
from gradcli.engine.tensor import Size, Tensor
from gradcli.lang.errors import ExceptionClass, ExceptionValue, exception_classes
from gradcli.lang.limits import Guard
from gradcli.lang.python_builtins import TypeChecks, TypeView, make_builtins, qualified_type_name


class Module:
    """A module-like namespace (`torch`, `torch.autograd`, `np`): a name and a dict."""

    def __init__(self, name: str, members: dict) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


def _exported(table: str) -> dict:
    """Every engine function listed in the modules' TORCH_FUNCTIONS (or FUNCTIONAL) tables."""
    members = {}
    for module in PUBLIC_MODULES:
        for name in getattr(module, table, ()):
            members[name] = getattr(module, name)
    return members


def _torch_functions() -> dict:
    return _exported("TORCH_FUNCTIONS")


def _dtype_members() -> dict:
    names = {"float32": dtypes.float32, "float": dtypes.float32, "float64": dtypes.float64,
             "double": dtypes.float64, "int64": dtypes.int64, "long": dtypes.int64,
             "bool": dtypes.bool_}
    return names


def build_namespace(guard: Guard, write, python_semantics: bool = False) -> dict:
    """A fresh global namespace for one program run; `write` receives what `print` prints.
    With `python_semantics` (script mode) `sum`, `max`, `min`, `abs`, `pow` are Python's
    builtins exactly; otherwise a tensor argument selects torch's function (`sum(x^2)`)."""
    checks = TypeChecks()
    torch_members = _torch_functions() | _dtype_members()
    legacy = {"Tensor": dtypes.get_default_dtype(), "FloatTensor": dtypes.float32,
              "DoubleTensor": dtypes.float64, "LongTensor": dtypes.int64}
    for name, dtype in legacy.items():
        torch_members[name] = factories.legacy_tensor(dtype)
    torch_members |= {
        "no_grad": grad_mode.no_grad, "enable_grad": grad_mode.enable_grad,
        "set_grad_enabled": grad_mode.set_grad_enabled,
        "is_grad_enabled": grad_mode.is_grad_enabled,
        "inference_mode": grad_mode.inference_mode,
        "is_inference_mode_enabled": grad_mode.is_inference_mode_enabled,
        "default_generator": random.default_generator,
        "get_default_dtype": dtypes.get_default_dtype,
        "set_default_dtype": dtypes.set_default_dtype,
        "Size": lambda shape=(): Size(shape),
    }
    autograd_module = Module("torch.autograd", {
        "Variable": factories.Variable, "grad": differentiate.grad,
        "backward": differentiate.backward})
    functional = Module("torch.nn.functional", _exported("FUNCTIONAL"))
    torch_members["autograd"] = autograd_module
    torch_members["nn"] = Module("torch.nn", {"functional": functional})
    torch_members["linalg"] = Module("torch.linalg", dict(norms.LINALG))
    torch_members["random"] = Module("torch.random", {
        name: getattr(random, name) for name in ("manual_seed", "seed", "initial_seed")})
    torch = Module("torch", torch_members)

    # `isinstance(t, torch.Tensor)`, `isinstance(t, Variable)` (True: a Variable is a Tensor),
    # `isinstance(t, torch.FloatTensor)` (True for float32 only, the legacy type check).
    checks.register(torch_members["Tensor"], "torch.Tensor", lambda v: isinstance(v, Tensor))
    checks.register(factories.Variable, "torch.Tensor", lambda v: isinstance(v, Tensor))
    for name, dtype in legacy.items():
        if name != "Tensor":
            checks.register(torch_members[name], f"torch.{name}",
                            lambda v, d=dtype: isinstance(v, Tensor) and v.dtype is d)

    # Math names without the `torch.` or `F.` prefix (SPEC §4); torch's wins a shared name.
    namespace = _exported("FUNCTIONAL") | _torch_functions()
    namespace |= {
        "torch": torch, "F": functional, "np": _numpy_module(guard),
        "Variable": factories.Variable,
        "grad": differentiate.grad, "no_grad": grad_mode.no_grad,
        "enable_grad": grad_mode.enable_grad,
        "pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan,
        # SPEC §4: `true`, `false`, `none` are accepted as spellings of the constants.
        "true": True, "false": False, "none": None,
        # `if __name__ == "__main__":` guards run, as the program is the main module.
        "__name__": "__main__",
    }
    namespace |= exception_classes()
    python = make_builtins(guard, write, checks, get_attribute)
    namespace |= python
    namespace["pow"] = builtins.pow
    for name in () if python_semantics else _SHARED_NAMES:
        namespace[name] = _tensor_or_python(name, torch_members[name], namespace[name])
    return namespace


# Names both Python and torch define: a Tensor first argument means torch's function
# (`sum(x^2)`, `max(x)`, `max(x, 1)`, `pow(x, 2)`), anything else Python's (`sum([1, 2])`,
# `max(loss, 0.5)`). `range` always means Python's; `torch.range` is torch's.
_SHARED_NAMES = ("sum", "max", "min", "abs", "pow")


def _tensor_or_python(name: str, torch_function, python_function):
    def dispatch(*args, **kwargs):
        if args and isinstance(args[0], Tensor):
            second = args[1] if len(args) > 1 else None
            python_second = (name in ("max", "min") and second is not None
                             and not isinstance(second, (Tensor, int)))
            if not python_second:
                return torch_function(*args, **kwargs)
        return python_function(*args, **kwargs)
    dispatch.__name__ = name
    return dispatch


def _numpy_module(guard: Guard) -> Module:
    """`np` as far as the seeds use it, with sizes checked before numpy allocates."""
    def sized(constructor):
        def construct(shape, dtype=None):
            dims = (shape,) if isinstance(shape, int) else tuple(shape)
            engine_limits.check_elements(dims)
            return constructor(dims, dtype=dtype) if dtype is not None else constructor(dims)
        construct.__name__ = constructor.__name__
        return construct

    def array(data, dtype=None):
        count = operator.length_hint(data)
        guard.check_size(count, "an array")
        if isinstance(data, Tensor):
            data = data.numpy()
        return np.array(data, dtype=dtype)

    return Module("numpy", {
        "array": array, "ones": sized(np.ones), "zeros": sized(np.zeros),
        "float32": np.float32, "float64": np.float64, "int64": np.int64})


# `math` for the tutorials that import it: float functions with no cost to fear
# (no factorial or comb, whose time grows with the argument's size).
MATH = Module("math", {name: getattr(math, name) for name in (
    "sqrt", "exp", "log", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "erf", "floor", "ceil", "fabs", "pow",
    "isnan", "isinf", "isfinite", "isclose", "pi", "e", "inf", "nan", "tau", "hypot",
    "copysign", "trunc", "degrees", "radians")})

# Modules a program may import, and what the name binds to (resolved in the namespace).
IMPORTABLE = {"torch", "numpy", "torch.autograd", "torch.nn", "torch.nn.functional",
              "torch.linalg", "torch.random", "math"}


def resolve_import(namespace: dict, path: str):
    """The object `import path` / `from a import b` binds, looked up in the namespace."""
    parts = path.split(".")
    roots = {"torch": namespace["torch"], "numpy": namespace["np"], "math": MATH}
    if parts[0] not in roots:
        return None
    obj = roots[parts[0]]
    for part in parts[1:]:
        if not isinstance(obj, Module) or part not in obj.members:
            return None
        obj = obj.members[part]
    return obj


# ----- attribute access ------------------------------------------------------------------------

_NODE_ATTRIBUTES = {"name", "next_functions", "variable"}
_STRING_METHODS = {"format", "join", "upper", "lower", "strip", "split", "replace",
                   "startswith", "endswith", "center", "ljust", "rjust"}
_SEQUENCE_METHODS = {"index", "count", "append", "numel"}
_RESULT_FIELDS = {"values", "indices"}
_DICT_METHODS = {"keys", "values", "items", "get"}
_GENERATOR_METHODS = {"manual_seed", "initial_seed", "seed"}
_NDARRAY_ATTRIBUTES = {"shape", "dtype", "ndim", "size", "tolist", "sum", "mean", "T", "item",
                       "reshape", "astype"}


def _tensor_attributes() -> frozenset:
    return frozenset(name for name in dir(Tensor) if not name.startswith("_"))


TENSOR_ATTRIBUTES = _tensor_attributes()


def get_attribute(obj, name: str, guard: Guard):
    """`obj.name`, only where the language opens it; otherwise Python's AttributeError text."""
    if not name.startswith("_"):
        if isinstance(obj, Module) and name in obj.members:
            return obj.members[name]
        if isinstance(obj, Tensor) and name in TENSOR_ATTRIBUTES:
            return getattr(obj, name)
        if isinstance(obj, (autograd.Node, autograd.AccumulateGrad)) and name in _NODE_ATTRIBUTES:
            if hasattr(obj, name):
                return getattr(obj, name)
        if isinstance(obj, str) and name in _STRING_METHODS:
            return _string_method(obj, name, guard)
        if isinstance(obj, (list, tuple)) and name in _SEQUENCE_METHODS and hasattr(obj, name):
            return getattr(obj, name)
        if isinstance(obj, tuple) and name in _RESULT_FIELDS and hasattr(type(obj), name):
            return getattr(obj, name)       # torch.return_types.max(values=..., indices=...)
        if isinstance(obj, np.ndarray) and name in _NDARRAY_ATTRIBUTES:
            return getattr(obj, name)
        if isinstance(obj, dtypes.DType) and name == "is_floating_point":
            return obj.is_floating_point
        if isinstance(obj, dict) and name in _DICT_METHODS:
            return getattr(obj, name)
        if isinstance(obj, random.Generator) and name in _GENERATOR_METHODS:
            return getattr(obj, name)
        if isinstance(obj, autograd.RemovableHandle) and name == "remove":
            return obj.remove           # what `register_hook` returned
        if isinstance(obj, ExceptionValue) and name == "args":
            return obj.args
    if isinstance(obj, autograd.Node) and saved_attributes.declares(obj, name):
        return saved_attributes.read(obj, name)     # `grad_fn._saved_self`: declared names only
    if name == "__name__" and isinstance(obj, (TypeView, ExceptionClass)):
        # `type(e).__name__` (a string; the one dunder the language reads, on its own classes)
        return obj.name.rsplit(".", 1)[-1]
    if isinstance(obj, Module):
        raise TorchAttributeError(f"module '{obj.name}' has no attribute '{name}'")
    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


def _string_method(text: str, name: str, guard: Guard):
    """A string's method; those that can grow a string check the size they would build."""
    if name == "format":
        from gradcli.lang.str_format import FieldFormatter   # deferred: see its docstring

        return lambda *args, **kwargs: FieldFormatter(guard).format(text, *args, **kwargs)
    method = getattr(text, name)
    if name in ("center", "ljust", "rjust"):
        def pad(width, *fill):
            guard.check_size(width, "a string")
            return method(width, *fill)
        return pad
    if name == "replace":
        def replace(old, new, count=-1):
            if isinstance(old, str) and isinstance(new, str):
                places = text.count(old) if count < 0 else min(count, text.count(old))
                guard.check_size(len(text) + places * max(len(new) - len(old), 0), "a string")
            return method(old, new, count)
        return replace
    if name == "join":
        def join(items):
            items = list(items)
            guard.check_size(sum(len(i) for i in items if isinstance(i, str))
                             + len(text) * len(items), "a string")
            return method(items)
        return join
    return method


def type_name(obj) -> str:
    """The short class name Python's messages use: `'Tensor' object has no attribute ...`."""
    if isinstance(obj, Tensor):
        return "Tensor"
    return qualified_type_name(obj).rsplit(".", 1)[-1]
