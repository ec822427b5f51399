"""The few Python builtins tutorials use, made safe: `print` writes where the interpreter says,
`str`/`repr` never recurse, `type` returns a name to compare and print (never a Python class a
program could call), and builtins that consume an iterable (`list`, `sum`, `sorted` ...) are
charged to the run's budget before they start."""

from __future__ import annotations

import builtins
import operator

from gradcli.engine.autograd import AccumulateGrad, Node
from gradcli.engine.reductions import ReturnTypes
from gradcli.engine.tensor import Tensor
from gradcli.lang.errors import ExceptionClass, ExceptionValue
from gradcli.lang.formatting import to_repr, to_str
from gradcli.lang.limits import Guard

# Builtins that are safe exactly as Python has them.
PLAIN_BUILTINS = ("range", "len", "abs", "float", "int", "round", "bool", "enumerate", "zip",
                  "reversed")


class TypeView:
    """What `type(x)` gives: prints as `<class 'torch.Tensor'>`, compares by name (also with
    the namespace's `int`, `torch.Tensor`, `RuntimeError` ...)."""

    def __init__(self, name: str, checks: "TypeChecks") -> None:
        self.name = name
        self.checks = checks

    def __eq__(self, other) -> bool:
        if isinstance(other, (TypeView, ExceptionClass)):
            return other.name == self.name
        return self.checks.name_of(other) == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


def qualified_type_name(value) -> str:
    """The class name Python prints for `type(value)`."""
    if isinstance(value, Tensor):
        return "torch.Tensor"
    if isinstance(value, ExceptionValue):
        return value.kind
    if isinstance(value, (ExceptionClass, TypeView)):
        return "type"
    if isinstance(value, (Node, AccumulateGrad)):
        return value.type_name              # one class per backward formula (name() may carry
                                            # the C++ namespace: torch::autograd::CopySlices)
    if isinstance(value, ReturnTypes):      # max(dim)'s named pair: one class per function
        return f"torch.return_types.{value.name}"
    cls = type(value)
    if cls.__module__ in ("builtins", None) or cls.__module__.startswith("gradcli"):
        return _PYTHON_NAMES.get(cls.__name__, cls.__name__)
    return f"{cls.__module__}.{cls.__name__}"


# gradcli's stand-ins for Python objects, under the names Python would show.
_PYTHON_NAMES = {"UserFunction": "function", "Module": "module", "Size": "torch.Size",
                 "DType": "torch.dtype"}


class TypeChecks:
    """For `isinstance`: the namespace's callables that also name a class (`int`, `str`,
    `torch.Tensor`, `Variable`, `torch.FloatTensor`), each with its test."""

    def __init__(self) -> None:
        self._checks: dict[int, tuple[str, object]] = {}

    def register(self, obj, name: str, test) -> None:
        self._checks[id(obj)] = (name, test)

    def name_of(self, obj) -> str | None:
        entry = self._checks.get(id(obj))
        return entry[0] if entry else None

    def isinstance(self, value, classinfo) -> bool:
        if type(classinfo) is tuple:
            return any(self.isinstance(value, item) for item in classinfo)
        if isinstance(classinfo, ExceptionClass):
            return isinstance(value, ExceptionValue) and classinfo.matches(value.kind)
        if isinstance(classinfo, TypeView):
            return qualified_type_name(value) == classinfo.name
        entry = self._checks.get(id(classinfo))
        if entry is None:
            raise TypeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
        return entry[1](value)


def make_builtins(guard: Guard, write, checks: TypeChecks, get_attribute) -> dict:
    """The builtins of one run: `write` receives what `print` prints; `get_attribute(obj,
    name, guard)` is the language's attribute access (namespace.py), the only way `getattr`
    and `hasattr` reach an attribute."""

    def print_(*values, sep=" ", end="\n", flush=False):
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        if not isinstance(sep, str) or not isinstance(end, str):
            raise TypeError("sep and end must be None or a string")
        write(sep.join(to_str(v) for v in values) + end)

    def consume(iterable):
        """Charge an iterable's length to the budget before Python walks it."""
        hint = operator.length_hint(iterable)
        guard.step(hint)
        guard.check_size(hint, "a sequence")
        return iterable

    def list_(iterable=()):
        return list(consume(iterable))

    def tuple_(iterable=()):
        return tuple(consume(iterable))

    def sum_(iterable, start=0):
        return sum(consume(iterable), start)

    def min_(*args, **kwargs):
        return min(*(consume(a) for a in args), **kwargs) if len(args) == 1 else min(*args, **kwargs)

    def max_(*args, **kwargs):
        return max(*(consume(a) for a in args), **kwargs) if len(args) == 1 else max(*args, **kwargs)

    def sorted_(iterable, key=None, reverse=False):
        return sorted(consume(iterable), key=key, reverse=reverse)

    def any_(iterable):
        return any(consume(iterable))

    def all_(iterable):
        return all(consume(iterable))

    def str_(value=""):
        return to_str(value)

    def type_(value):
        return TypeView(qualified_type_name(value), checks)

    def isinstance_(value, classinfo):
        return checks.isinstance(value, classinfo)

    def getattr_(obj, name, *default):
        if len(default) > 1:
            raise TypeError(f"getattr expected at most 3 arguments, got {2 + len(default)}")
        if type(name) is not str:
            raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
        try:
            return get_attribute(obj, name, guard)
        except AttributeError:
            if default:
                return default[0]
            raise

    def hasattr_(obj, name):
        if type(name) is not str:
            raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
        try:
            get_attribute(obj, name, guard)
        except AttributeError:
            return False
        return True

    names = {name: getattr(builtins, name) for name in PLAIN_BUILTINS}
    names |= {"print": print_, "list": list_, "tuple": tuple_, "sum": sum_, "min": min_,
              "max": max_, "sorted": sorted_, "any": any_, "all": all_, "str": str_,
              "repr": to_repr, "type": type_, "isinstance": isinstance_, "getattr": getattr_,
              "hasattr": hasattr_}
    python_classes = {"int": int, "float": float, "bool": bool, "str": str, "list": list,
                      "tuple": tuple, "range": range}
    for name, cls in python_classes.items():
        checks.register(names[name], name, lambda value, cls=cls: isinstance(value, cls))
    return names
