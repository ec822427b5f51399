"""The README's tour shows real output: every `$ gradcli ...` example whose output is shown in
full (no pipe, no `...`) prints exactly that today, at 80 columns."""

import shlex
from pathlib import Path

import pytest

from cli_support import invoke

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _joined_commands(block: list) -> list:
    """The block's lines with each `$ ...` command's shell continuations (a trailing `\\`)
    joined; an output line may end in a backslash (LaTeX's `\\\\`) and stays as it is."""
    lines: list = []
    for line in block:
        if lines and lines[-1].startswith("$ ") and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + " " + line
        else:
            lines.append(line)
    return lines


def examples() -> list:
    """(command line, expected output) for each complete `$ gradcli` example."""
    found, blocks, inside = [], [], False
    for line in README.read_text("utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            if inside:
                blocks.append([])
        elif inside:
            blocks[-1].append(line)
    for block in blocks:
        lines = _joined_commands(block)
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            command, output = lines[start][2:], lines[start + 1:end]
            if command.startswith("gradcli ") and "|" not in command and "..." not in output:
                found.append((command, "\n".join(output)))
    return found


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines())


def test_the_readme_has_examples():
    assert len(examples()) >= 4


@pytest.mark.parametrize("command, expected", examples(), ids=lambda v: str(v)[:50])
def test_readme_example_output_is_real(command, expected, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(*shlex.split(command)[1:], env={"COLUMNS": "80"})
    assert _normalised(result.stdout) == _normalised(expected)
