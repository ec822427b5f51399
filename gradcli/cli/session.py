"""The plumbing every command shares: reading the input, parsing it, binding `--at` values,
running the program and gathering what the renderers show."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gradcli.cli.diagnostics import located
from gradcli.cli.exits import UsageError

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*$")


class Source:
    """A program's text and where it came from. (A plain class, not a dataclass: see
    render/report.py.)"""

    __slots__ = ("text", "label")

    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label      # the file name, "<stdin>" or "<expr>"


class SyntaxFailure(Exception):
    """A syntax error, formatted with its location and caret (exit code 3); the parts too,
    for the JSON document."""

    def __init__(self, text: str, message: str = "", line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(text)
        self.message, self.line, self.column = message, line, column


def read_sources(expr: str | None, files: list) -> list:
    """The inputs of a command: EXPR (or '-' for stdin), or each -f FILE in order."""
    if expr is not None and files:
        raise UsageError("give an expression or --file, not both")
    if files:
        if list(files).count("-") > 1:
            raise UsageError("stdin ('-') can be read only once")
        return [read_source(None, path) for path in files]
    return [read_source(expr, None)]


def read_source(expr: str | None, file: str | None) -> Source:
    if file is None and expr is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no expression given (pass EXPR, -f FILE, or - to read stdin)")
        expr = "-"
    if file is None and expr != "-":
        return Source(expr, "<expr>")
    path = file if file is not None else "-"
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        return Source(_decode(data, "<stdin>"), "<stdin>")
    return Source(read_file(path), path)


def read_file(path: str) -> str:
    target = Path(path)
    if not target.exists():
        raise UsageError(f"{path}: no such file")
    if target.is_dir():
        raise UsageError(f"{path}: is a directory, not a file")
    try:
        data = target.read_bytes()
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror}") from None
    return _decode(data, path)


def _decode(data, label: str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if b"\0" in data:
        raise UsageError(f"{label}: binary input (contains NUL bytes), expected program text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(f"{label}: not valid UTF-8 (byte {e.start})") from None
    if not text.strip():
        raise UsageError(f"{label}: empty input")
    return text.lstrip("\ufeff")


def parse_source(source: Source):
    from gradcli.lang.builder import build
    from gradcli.lang.parser import SyntaxProblem, parse

    try:
        return build(parse(source.text), source.text)
    except SyntaxProblem as problem:
        raise SyntaxFailure(located(source.label, problem.line, problem.column,
                                    f"SyntaxError: {problem.message}", problem.source_line),
                            problem.message, problem.line or None, problem.column or None
                            ) from None


def evaluate_value(text: str, what: str):
    """The value of a `--at`/`--const`/`--grad-output` expression (no free names)."""
    from gradcli.lang.builder import build
    from gradcli.lang.interpreter import Interpreter
    from gradcli.lang.parser import SyntaxProblem, parse

    try:
        program = build(parse(text), text)
    except SyntaxProblem as problem:
        raise UsageError(f"{what}: {problem.message} (column {problem.column})") from None
    if len(program.body) != 1 or type(program.body[0]).__name__ != "ExprStmt":
        raise UsageError(f"{what}: expected one expression")
    outcome = Interpreter().run(program)
    if outcome.error is not None:
        raise UsageError(f"{what}: {outcome.error}")
    return outcome.outputs[0].value


def as_leaf(value, requires_grad: bool, what: str):
    """A bound value as a fresh leaf tensor of the default floating dtype."""
    from gradcli.engine import dtypes
    from gradcli.engine.factories import tensor
    from gradcli.engine.tensor import Tensor

    try:
        data = value.detach() if isinstance(value, Tensor) else value
        leaf = tensor(data, dtype=dtypes.get_default_dtype())
    except Exception as e:      # a string, a ragged list ...: not a tensor value
        raise UsageError(f"{what}: not a tensor value ({e})") from None
    leaf.requires_grad = requires_grad
    return leaf


def parse_bindings(at: list, const: list) -> dict:
    bindings = {}
    for option, items, requires_grad in (("--at", at, True), ("--const", const, False)):
        for item in items:
            name, sep, text = item.partition("=")
            name = name.strip()
            what = f"{option} {item}"
            if not sep or not NAME_PATTERN.match(name) or not text.strip():
                raise UsageError(f"{what}: expected NAME=VALUE, e.g. {option} x=[[1,2],[3,4]]")
            value = load_data(text.strip()[1:], what) if text.strip().startswith("@") else \
                evaluate_value(text, what)
            bindings[name] = as_leaf(value, requires_grad, what)
    return bindings


def load_data(path: str, what: str):
    """`@file.npy` / `@file.csv`: numbers from a file (numpy's loaders, pickles disabled)."""
    import numpy as np

    if not path:
        raise UsageError(f"{what}: expected @FILE.npy or @FILE.csv after the @")
    read_file_check(path, what)
    try:
        if path.endswith(".npy"):
            data = np.load(path, allow_pickle=False)
        elif path.endswith(".csv"):
            data = np.loadtxt(path, delimiter=",", dtype=np.float64)
        else:
            raise UsageError(f"{what}: @FILE must end in .npy or .csv")
    except UsageError:
        raise
    except Exception as e:       # numpy's many ways of saying "not an array file"
        raise UsageError(f"{what}: cannot load {path}: {e}") from None
    if data.dtype.kind not in "biuf":
        raise UsageError(f"{what}: {path} holds {data.dtype} data, not numbers")
    return data


def read_file_check(path: str, what: str) -> None:
    target = Path(path)
    if not target.exists():
        raise UsageError(f"{what}: {path}: no such file")
    if target.is_dir():
        raise UsageError(f"{what}: {path}: is a directory, not a file")
