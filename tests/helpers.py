"""Shared test helpers: running gradcli's language in-process and the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from script_recording import strip_location

GOLDEN = Path(__file__).parent / "golden"


def load_golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def run_program(text: str, bindings: dict | None = None):
    """Parse and run `text` in-process; returns the interpreter's Outcome."""
    from gradcli.lang.builder import build
    from gradcli.lang.interpreter import Interpreter
    from gradcli.lang.parser import parse

    printed: list = []
    outcome = Interpreter(write=printed.append).run(build(parse(text), text), bindings or {})
    outcome.printed = "".join(printed)
    return outcome


def warning_texts(outcome) -> list:
    """A program's warning texts as the goldens store them (script_recording.strip_location)."""
    return [strip_location(message) for message, _ in outcome.warnings]


def run_script(text: str, clean_warning=lambda message: message) -> dict:
    """`text` run as `gradcli run` runs a file (Python's semantics), compared by the golden tests
    with what `python FILE` printed with torch: stdout, the warnings once per line as Python's
    default filter shows them (`clean_warning` applied), the uncaught error and its line."""
    from gradcli.lang.builder import build
    from gradcli.lang.interpreter import Interpreter
    from gradcli.lang.parser import parse

    printed: list = []
    shown: list = []
    seen: set = set()

    def on_warning(message, span):
        if (message, span.line) not in seen:
            seen.add((message, span.line))
            shown.append({"message": clean_warning(message), "line": span.line})

    outcome = Interpreter(write=printed.append, on_warning=on_warning,
                          python_semantics=True).run(build(parse(text), text))
    error = outcome.error
    return {"stdout": "".join(printed), "warnings": shown,
            "error": None if error is None else {"type": error.kind, "message": error.message,
                                                 "line": error.span.line}}


def ended_as_recorded(outcome, case: dict) -> bool:
    """Whether a golden case recorded PyTorch's error, after asserting gradcli's outcome ended
    the same way: that error's type and message, or no error (the caller checks the value)."""
    if "error" in case:
        assert outcome.error is not None, "expected an error"
        assert (outcome.error.kind, outcome.error.message) == (
            case["error"]["type"], case["error"]["message"])
        return True
    assert outcome.error is None, outcome.error
    return False


def finite_difference(f, values, eps: float = 1e-6):
    """Central differences of the scalar function `f` at the float64 array `values`."""
    import numpy as np

    grad = np.zeros_like(values)
    flat = values.reshape(-1)
    for i in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[i] += eps
        minus[i] -= eps
        difference = f(plus.reshape(values.shape)) - f(minus.reshape(values.shape))
        grad.reshape(-1)[i] = difference / (2 * eps)
    return grad


def gradcli_command() -> list:
    """The installed `gradcli` console script (beside this Python), else `python -m gradcli`."""
    beside = Path(sys.executable).parent / "gradcli"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("gradcli")
    return [found] if found else [sys.executable, "-m", "gradcli"]


def run_cli(*args: str, stdin: str | None = None, cwd=None, env=None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **(env or {}))
    return subprocess.run(gradcli_command() + list(args), input=stdin, capture_output=True,
                          text=True, cwd=cwd, env=environment, timeout=120)
