"""Record what PyTorch 2.13 prints for the generated fuzz programs (run under /work/torchenv):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/golden/record_fuzz_programs.py

Programs come from fuzz_program_generator.py, seeds 0..COUNT-1. Each runs as `python FILE` would
(a forked child of this process, so PyTorch's once-per-process warnings show in every program
that triggers them, on one thread as the CI machine's goldens assume): its stdout, its warnings
(message and line, Python's default once-per-line filter) and an uncaught error's type,
message and line. Writes tests/golden/fuzz_programs.json; the programs whose cause is fixed in
gradcli are the regression cases of fuzz_regressions.py, recorded the same way.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from fuzz_program_generator import program  # noqa: E402
from fuzz_regressions import REGRESSIONS  # noqa: E402
from script_recording import in_forked_child, run_as_script, strip_location  # noqa: E402

OUT = pathlib.Path(__file__).with_name("fuzz_programs.json")
COUNT = 1500


def record(text: str) -> dict:
    """What `text` does under PyTorch, in a forked child (fresh warning state)."""
    import torch

    torch.set_num_threads(1)
    return in_forked_child(run_as_script, text, strip_location)


def main() -> None:
    import torch

    cases = {f"seed{seed}": dict(source=program(seed)) for seed in range(COUNT)}
    cases |= {name: dict(source=text) for name, text in REGRESSIONS.items()}
    for case in cases.values():
        case |= record(case["source"])
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=0,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} programs to {OUT}")


if __name__ == "__main__":
    main()
