"""Record what PyTorch prints for every examples/tutorial snippet (run under /work/torchenv):

    /work/torchenv/bin/python tests/cli/record_examples.py

writes tests/cli/examples_golden.json, which test_examples.py compares `gradcli run` with."""

import json
import subprocess
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).with_name("examples_golden.json")


def main() -> None:
    cases = {}
    for path in sorted((ROOT / "examples" / "tutorial").glob("*.py")):
        run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                             timeout=120)
        cases[path.name] = {"stdout": run.stdout, "returncode": run.returncode}
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n",
                   encoding="utf-8")


if __name__ == "__main__":
    main()
