"""Everything a program can name: `torch` (with `torch.autograd`, `torch.nn.functional`), `F`,
`np`, the math functions without prefix, and the few Python builtins tutorials use.

This is the language's whole reach. Attribute access goes through `get_attribute`, which
only opens what is listed here: nothing outside reaches Python objects.
"""

from __future__ import annotations

import builtins
import math
import string

import numpy as np

from gradcli.engine import (autograd, differentiate, dtypes, factories, functions, grad_mode,
                            printing)
from gradcli.engine.errors import TorchAttributeError
from gradcli.engine.tensor import Size, Tensor


class Module:
    """A module-like namespace (`torch`, `torch.autograd`, `np`): a name and a dict."""

    def __init__(self, name: str, members: dict) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


def _torch_functions() -> dict:
    members = {}
    for module in (functions, factories):
        for name in module.TORCH_FUNCTIONS:
            members[name] = getattr(module, name)
    return members


def _dtype_members() -> dict:
    names = {"float32": dtypes.float32, "float": dtypes.float32, "float64": dtypes.float64,
             "double": dtypes.float64, "int64": dtypes.int64, "long": dtypes.int64,
             "bool": dtypes.bool_}
    return names


def build_namespace() -> dict:
    """A fresh global namespace for one program run."""
    torch_members = _torch_functions() | _dtype_members()
    torch_members |= {
        "Tensor": factories.legacy_tensor(dtypes.get_default_dtype()),
        "FloatTensor": factories.legacy_tensor(dtypes.float32),
        "DoubleTensor": factories.legacy_tensor(dtypes.float64),
        "LongTensor": factories.legacy_tensor(dtypes.int64),
        "no_grad": grad_mode.no_grad, "enable_grad": grad_mode.enable_grad,
        "set_grad_enabled": grad_mode.set_grad_enabled,
        "is_grad_enabled": grad_mode.is_grad_enabled,
        "get_default_dtype": dtypes.get_default_dtype,
        "set_default_dtype": dtypes.set_default_dtype,
        "Size": lambda shape=(): Size(shape),
    }
    autograd_module = Module("torch.autograd", {
        "Variable": factories.Variable, "grad": differentiate.grad,
        "backward": differentiate.backward})
    functional = Module("torch.nn.functional", {
        name: torch_members[name] for name in ("relu", "sigmoid", "softmax", "log_softmax",
                                                "mse_loss") if name in torch_members})
    torch_members["autograd"] = autograd_module
    torch_members["nn"] = Module("torch.nn", {"functional": functional})
    torch = Module("torch", torch_members)
    numpy_module = Module("numpy", {
        "array": np.array, "ones": np.ones, "zeros": np.zeros,
        "float32": np.float32, "float64": np.float64, "int64": np.int64})

    namespace = dict(_torch_functions())           # math names without the `torch.` prefix
    namespace |= {
        "torch": torch, "F": functional, "np": numpy_module, "Variable": factories.Variable,
        "grad": differentiate.grad, "no_grad": grad_mode.no_grad,
        "enable_grad": grad_mode.enable_grad,
        "pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan,
    }
    namespace |= {name: getattr(builtins, name) for name in SAFE_BUILTINS}
    return namespace


# Python builtins a tutorial uses; `print` is supplied by the interpreter (it owns stdout).
SAFE_BUILTINS = ("range", "len", "abs", "min", "max", "float", "int", "str", "round", "bool",
                 "isinstance", "enumerate", "zip", "list", "tuple", "type")

# Modules a program may import, and what the name binds to (resolved in the namespace).
IMPORTABLE = {"torch", "numpy", "torch.autograd", "torch.nn", "torch.nn.functional", "math"}


def resolve_import(namespace: dict, path: str):
    """The object `import path` / `from a import b` binds, looked up in the namespace."""
    parts = path.split(".")
    roots = {"torch": namespace["torch"], "numpy": namespace["np"]}
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
_NDARRAY_ATTRIBUTES = {"shape", "dtype", "ndim", "size", "tolist", "sum", "mean", "T", "item",
                       "reshape", "astype"}


def _tensor_attributes() -> frozenset:
    return frozenset(name for name in dir(Tensor) if not name.startswith("_"))


TENSOR_ATTRIBUTES = _tensor_attributes()


def get_attribute(obj, name: str):
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
            return _safe_format(obj) if name == "format" else getattr(obj, name)
        if isinstance(obj, (list, tuple)) and name in _SEQUENCE_METHODS and hasattr(obj, name):
            return getattr(obj, name)
        if isinstance(obj, np.ndarray) and name in _NDARRAY_ATTRIBUTES:
            return getattr(obj, name)
        if isinstance(obj, dtypes.DType) and name == "is_floating_point":
            return obj.is_floating_point
    if isinstance(obj, Module):
        raise TorchAttributeError(f"module '{obj.name}' has no attribute '{name}'")
    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


class _FieldFormatter(string.Formatter):
    """`str.format` without `{0.attr}` or `{0[key]}` lookups, which would reach Python."""

    def get_field(self, field_name, args, kwargs):
        if "." in field_name or "[" in field_name:
            raise TorchAttributeError(
                f"format fields may not look up attributes or items: {{{field_name}}}")
        return super().get_field(field_name, args, kwargs)


def _safe_format(template: str):
    return lambda *args, **kwargs: _FieldFormatter().format(template, *args, **kwargs)


def type_name(obj) -> str:
    if isinstance(obj, Tensor):
        return "Tensor"
    if isinstance(obj, Module):
        return "module"
    return type(obj).__name__


def format_value(value) -> str:
    """`str(value)` as Python with PyTorch would print it."""
    if isinstance(value, Tensor):
        return printing.format_tensor(value)
    return str(value)
