"""The conformance cases (copies of /work/shared/conformance/seeds: tutorial snippets with
PyTorch 2.13's recorded output) run through `gradcli run` in-process, judged as the shared runner
judges them: stdout byte for byte, each line of NAME.err inside stderr, the exit code.

Cases marked `# conformance: numbers-masked` print PyTorch's random numbers; they compare with
numbers masked until gradcli's generator reproduces PyTorch's bit for bit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gradcli.cli.app import app

CASES = Path(__file__).parent / "cases"

# The shared runner's masks (/work/shared/conformance/run), unchanged.
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
NUMBER = re.compile(
    r"[ \t]*(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w])"
    r"|[ \t]*(?<![\w.])-?(?:nan|inf)(?![\w])"
)


def markers(source: str) -> set:
    """The `# conformance: a, b` tokens of the file's leading comment block."""
    tokens = set()
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        found = re.match(r"#\s*conformance:\s*(.*)$", stripped)
        if found:
            tokens.update(t for t in re.split(r"[,\s]+", found.group(1)) if t)
    return tokens


def mask(text: str, tokens: set) -> str:
    if "addresses-masked" in tokens or "numbers-masked" in tokens:
        text = ADDRESS.sub("0x<ADDR>", text)
    if "numbers-masked" in tokens:
        text = NUMBER.sub("<N>", text)
    return text


def case_names() -> list:
    return sorted(p.stem for p in CASES.glob("*.py") if p.with_suffix(".out").exists())


def test_every_seed_case_is_here():
    assert len(case_names()) == 52


@pytest.mark.parametrize("name", case_names())
def test_case(name, monkeypatch):
    case = CASES / name
    source = case.with_suffix(".py").read_text(encoding="utf-8")
    tokens = markers(source)
    expected_out = case.with_suffix(".out").read_text(encoding="utf-8")
    err_file = case.with_suffix(".err")
    expected_err = ([line for line in err_file.read_text(encoding="utf-8").splitlines()
                     if line.strip()] if err_file.exists() else [])
    exit_file = case.with_suffix(".exit")
    expected_exit = int(exit_file.read_text().strip() or 0) if exit_file.exists() else 0

    monkeypatch.chdir(CASES)
    result = CliRunner().invoke(app, ["run", f"{name}.py"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception

    assert mask(result.stdout, tokens) == mask(expected_out, tokens)
    stderr = mask(result.stderr, tokens)
    for line in expected_err:
        assert mask(line, tokens) in stderr
    assert result.exit_code == expected_exit, result.stderr
    assert "Traceback" not in result.stderr
