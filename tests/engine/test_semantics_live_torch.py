"""Where torch is importable (not in CI), every semantics case is re-run live through PyTorch and
compared with gradcli, so tests/golden/semantics.json cannot go stale unnoticed.

The cases are recorded as the recorder does, each in a forked child, but of a fresh Python
process: forked from this one, a child would inherit PyTorch's once-per-process warnings
(create_graph's, `float(t)`'s) as already spent whenever another live test triggered them
first."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

GOLDEN = Path(__file__).parents[1] / "golden"
sys.path.insert(0, str(GOLDEN))
from semantics_cases import CASES  # noqa: E402

from test_semantics_golden import check  # noqa: E402

RECORD_ALL = ("import json, sys\n"
              f"sys.path.insert(0, {str(GOLDEN)!r})\n"
              "import record_semantics\n"
              "print(json.dumps(record_semantics.record_all()))\n")


@pytest.fixture(scope="module")
def live() -> dict:
    done = subprocess.run([sys.executable, "-c", RECORD_ALL], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", sorted(CASES))
def test_live_against_torch(name, live):
    check(name, live[name])
