"""`gradcli run FILE`: a program run like `python FILE` with PyTorch installed — its prints on
stdout, warnings on stderr as Python's warnings module shows them (once per message and line),
an uncaught error as `FILE:LINE:COL: ExceptionType: message` with the line and a caret."""

from __future__ import annotations

import sys

from gradcli.cli import exits
from gradcli.cli.diagnostics import error, located
from gradcli.cli.session import Source, SyntaxFailure, parse_source


def warning_printer(source: Source):
    """An `on_warning(message, span)` that prints a warning as Python's warnings module does:
    `FILE:LINE: UserWarning: message` and the stripped source line, once per message and line
    (the default filter), after flushing what the program printed before it."""
    lines = source.text.split("\n")
    warned: set = set()

    def on_warning(message: str, span) -> None:
        key = (message, span.line)
        if key in warned:
            return
        warned.add(key)
        sys.stdout.flush()
        text = f"{source.label}:{span.line}: UserWarning: {message}"
        if 1 <= span.line <= len(lines) and lines[span.line - 1].strip():
            text += f"\n  {lines[span.line - 1].strip()}"
        error(text)

    return on_warning


def run_script(source: Source, limits=None) -> int:
    """Run one program; returns the exit code. `limits`: a `gradcli.lang.limits.Limits`."""
    from gradcli.lang.interpreter import Interpreter

    try:
        program = parse_source(source)
    except SyntaxFailure as failure:
        error(str(failure))
        return exits.SYNTAX
    lines = source.text.split("\n")
    interpreter = Interpreter(write=sys.stdout.write, on_warning=warning_printer(source),
                              limits=limits, python_semantics=True)
    try:
        outcome = interpreter.run(program)
    finally:
        sys.stdout.flush()       # what the program printed stays printed, even on Ctrl-C
    if outcome.error is not None:
        failure = outcome.error
        line = failure.span.line
        error(located(source.label, line, failure.span.column, str(failure),
                      lines[line - 1] if 1 <= line <= len(lines) else None))
        return exits.FAILED
    return exits.OK
