"""Plain-Python programs run by gradcli (script mode) and by CPython in this very process: same
stdout, and for failing programs the same exception type and message."""

from __future__ import annotations

import contextlib
import io
import sys

import pytest

from python_programs import FAILING, PROGRAMS

from gradcli.lang.builder import build
from gradcli.lang.interpreter import Interpreter
from gradcli.lang.parser import parse


def run_gradcli(text: str):
    printed: list = []
    outcome = Interpreter(write=printed.append, python_semantics=True).run(build(parse(text), text))
    return "".join(printed), outcome.error


def run_cpython(text: str):
    buffer = io.StringIO()
    error = None
    with contextlib.redirect_stdout(buffer):
        try:
            exec(compile(text, "<program>", "exec"), {"__name__": "__main__"})
        except Exception as e:      # the program's own error, compared below
            error = e
    return buffer.getvalue(), error


def cpython_message(error: Exception) -> str:
    """The message line Python prints for an uncaught error (its C display code adds the
    "Did you mean" of a NameError)."""
    message = str(error)
    if isinstance(error, NameError):
        shown = io.StringIO()
        with contextlib.redirect_stderr(shown):
            sys.__excepthook__(type(error), error, error.__traceback__)
        message = shown.getvalue().strip().splitlines()[-1].split(": ", 1)[1]
    if isinstance(error, KeyError) and error.args:
        message = repr(error.args[0])
    return message


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_python_prints(name):
    text = PROGRAMS[name]
    expected, expected_error = run_cpython(text)
    assert expected_error is None, expected_error
    printed, error = run_gradcli(text)
    assert error is None, error
    assert printed == expected


@pytest.mark.parametrize("name", sorted(FAILING))
def test_error_is_pythons(name):
    text = FAILING[name]
    expected, expected_error = run_cpython(text)
    assert expected_error is not None
    printed, error = run_gradcli(text)
    assert printed == expected
    assert error is not None
    assert (error.kind, error.message) == (type(expected_error).__name__,
                                           cpython_message(expected_error))


def test_error_span_points_at_the_failing_expression():
    _, error = run_gradcli("x = 1\ny = [1, 2]\nz = x + y[5]")
    assert (error.span.line, error.span.column) == (3, 9)
