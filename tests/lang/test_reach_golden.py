"""The programs of reach_cases.py (inference mode, hook handles, generators, torch.random,
torch.linalg) run by gradcli's script mode and compared with what PyTorch 2.13 printed
(reach.json, from record_reach.py); re-run live where torch is importable."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "golden"))

from reach_cases import PROGRAMS  # noqa: E402
from test_language_golden import run_gradcli  # noqa: E402

GOLDEN = json.loads((HERE / "reach.json").read_text(encoding="utf-8"))["cases"]


def test_every_program_is_recorded():
    assert sorted(GOLDEN) == sorted(PROGRAMS)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_pytorch(name):
    expected = GOLDEN[name]
    assert expected["source"] == PROGRAMS[name], "re-record: the program changed"
    assert run_gradcli(PROGRAMS[name]) == {k: v for k, v in expected.items() if k != "source"}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_live_pytorch(name):
    pytest.importorskip("torch")
    from record_language import record

    assert run_gradcli(PROGRAMS[name]) == {k: v for k, v in record(PROGRAMS[name]).items()
                                           if k != "source"}
