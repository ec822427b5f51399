"""Errors inside a running program: `ProgramError` (what stops it, with Python's or PyTorch's
exception name), the exception classes a program can name (`RuntimeError`, `ValueError`, ...)
for `try`/`except`/`raise`, and the value `e` a handler binds (`except RuntimeError as e`)."""

from __future__ import annotations

from gradcli.lang import ast

# Python's exception hierarchy, as far as a program can meet it: each class and its parent.
# `LimitError` (a gradcli limit) is deliberately absent: no `except` may swallow it, or a
# program could loop forever catching the error that was meant to stop it.
EXCEPTION_PARENTS = {
    "BaseException": None,
    "Exception": "BaseException",
    "ArithmeticError": "Exception",
    "ZeroDivisionError": "ArithmeticError",
    "OverflowError": "ArithmeticError",
    "FloatingPointError": "ArithmeticError",
    "LookupError": "Exception",
    "IndexError": "LookupError",
    "KeyError": "LookupError",
    "RuntimeError": "Exception",
    "NotImplementedError": "RuntimeError",
    "RecursionError": "RuntimeError",
    "TypeError": "Exception",
    "ValueError": "Exception",
    "NameError": "Exception",
    "AttributeError": "Exception",
    "AssertionError": "Exception",
    "ImportError": "Exception",
    "ModuleNotFoundError": "ImportError",
    "SyntaxError": "Exception",
    "StopIteration": "Exception",
    "UserWarning": "Exception",
}
UNCATCHABLE = {"LimitError"}


class ProgramError(Exception):
    """An error in the user's program, with PyTorch's/Python's exception name."""

    def __init__(self, kind: str, message: str, span: ast.Span = ast.NO_SPAN) -> None:
        self.kind = kind
        self.message = message
        self.span = span

    def __repr__(self) -> str:
        return f"ProgramError(kind={self.kind!r}, message={self.message!r}, span={self.span!r})"

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}" if self.message else self.kind


class ExceptionClass:
    """`RuntimeError` as a program sees it: callable (`RuntimeError("msg")`) and matchable."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args) -> "ExceptionValue":
        return ExceptionValue(self.name, args)

    def matches(self, kind: str) -> bool:
        """Whether `except <self>:` catches an error of class `kind`."""
        if kind in UNCATCHABLE:
            return False
        while kind is not None:
            if kind == self.name:
                return True
            kind = EXCEPTION_PARENTS.get(kind, "Exception")
        return False

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


class ExceptionValue:
    """A caught or constructed exception: `str(e)` is its message, as in Python."""

    def __init__(self, kind: str, args: tuple) -> None:
        self.kind = kind
        self.args = tuple(args)

    @property
    def message(self) -> str:
        from gradcli.lang.formatting import to_str

        if len(self.args) == 1:
            return to_str(self.args[0])
        return to_str(self.args) if self.args else ""

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        from gradcli.lang.formatting import to_repr

        if len(self.args) == 1:
            return f"{self.kind}({to_repr(self.args[0])})"
        return f"{self.kind}{to_repr(self.args)}" if self.args else f"{self.kind}()"


def exception_classes() -> dict:
    """The exception names a program can use, each bound to its ExceptionClass."""
    return {name: ExceptionClass(name) for name in EXCEPTION_PARENTS}


def as_exception_value(error: ProgramError) -> ExceptionValue:
    """What `except ... as e` binds for an error raised by the engine or the interpreter."""
    return ExceptionValue(error.kind, (error.message,) if error.message else ())
