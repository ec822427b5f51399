"""One-line errors with a location, the source line and a caret, on stderr."""

from __future__ import annotations

import sys


def located(label: str, line: int | None, column: int | None, headline: str,
            source_line: str | None) -> str:
    """`label:LINE:COL: headline`, then the source line and a caret under the column."""
    where = label
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    text = f"{where}: {headline}"
    if source_line is not None and source_line.strip() and column:
        shown = source_line.rstrip("\n")
        caret = "".join(c if c == "\t" else " " for c in shown[:column - 1]) + "^"
        text += f"\n    {shown}\n    {caret}"
    return text


def error(text: str) -> None:
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()
