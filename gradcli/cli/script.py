"""`gradcli run FILE`: a program run like `python FILE` with PyTorch installed — its prints on
stdout, `UserWarning: ...` on stderr once per line, an uncaught error as `FILE:LINE:COL: ...`."""

from __future__ import annotations

import sys

from gradcli.cli import exits
from gradcli.cli.diagnostics import error, located
from gradcli.cli.session import Source, SyntaxFailure, parse_source


def run_script(source: Source) -> int:
    from gradcli.lang.interpreter import Interpreter

    try:
        program = parse_source(source)
    except SyntaxFailure as failure:
        error(str(failure))
        return exits.SYNTAX
    warned: set = set()

    def on_warning(message: str, span) -> None:
        key = (message, span.line)
        if key not in warned:       # Python's default filter: once per message and line
            warned.add(key)
            sys.stdout.flush()
            error(f"{source.label}:{span.line}: UserWarning: {message}")

    def write(text: str) -> None:
        sys.stdout.write(text)

    outcome = Interpreter(write=write, on_warning=on_warning).run(program)
    sys.stdout.flush()
    if outcome.error is not None:
        failure = outcome.error
        lines = source.text.split("\n")
        line = failure.span.line
        error(located(source.label, line, failure.span.column, f"{failure.kind}: {failure.message}",
                      lines[line - 1] if 1 <= line <= len(lines) else None))
        return exits.FAILED
    return exits.OK
