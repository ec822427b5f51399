"""Record what PyTorch 2.13 prints for the programs of reach_cases.py (run under /work/torchenv):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/lang/record_reach.py

Each program runs as `python FILE` would, in a fresh process, recorded as record_language.py
records (stdout, warnings, uncaught error). Writes tests/lang/reach.json."""

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "golden"))

from reach_cases import PROGRAMS  # noqa: E402
from record_language import record  # noqa: E402

OUT = HERE / "reach.json"


def main() -> None:
    import torch

    results = {name: record(text) for name, text in PROGRAMS.items()}
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": results}, indent=1,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(results)} programs to {OUT}")


if __name__ == "__main__":
    main()
