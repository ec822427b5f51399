"""The language programs of tests/golden/language_cases.py, run by gradcli's script mode and
compared with what PyTorch 2.13 printed (tests/golden/language.json, from record_language.py):
stdout byte for byte, the warnings (message and line) and the uncaught error (type, message,
line). Where torch is importable the same programs are also re-run live."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import load_golden, run_script

sys.path.insert(0, str(Path(__file__).parents[1] / "golden"))

from language_cases import PROGRAMS  # noqa: E402

GOLDEN = load_golden("language.json")["cases"]


def test_every_program_is_recorded():
    assert sorted(GOLDEN) == sorted(PROGRAMS)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_pytorch(name):
    expected = GOLDEN[name]
    assert expected["source"] == PROGRAMS[name], "re-record: the program changed"
    actual = run_script(PROGRAMS[name])
    assert actual["stdout"] == expected["stdout"]
    assert actual["error"] == expected["error"]
    assert actual["warnings"] == expected["warnings"]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_live_pytorch(name):
    pytest.importorskip("torch")
    from record_language import record

    assert run_script(PROGRAMS[name]) == {k: v for k, v in record(PROGRAMS[name]).items()
                                           if k != "source"}
