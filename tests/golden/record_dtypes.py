"""Record the type-promotion goldens with PyTorch 2.13 (a test tool, never part of gradcli):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/golden/record_dtypes.py
"""

import json
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from dtype_cases import cases, observe  # noqa: E402

OUT = pathlib.Path(__file__).with_name("dtypes.json")


def record(expression: str) -> dict:
    return observe(expression, torch, lambda e: type(e).__name__)


def main() -> None:
    results = {name: dict(expression=expr, **record(expr)) for name, expr in cases().items()}
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": results}, indent=1) + "\n",
                   encoding="utf-8")
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    main()
