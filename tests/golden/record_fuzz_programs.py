"""Record what PyTorch 2.13 prints for the generated fuzz programs (run under /work/torchenv):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/golden/record_fuzz_programs.py

Programs come from fuzz_program_generator.py, seeds 0..COUNT-1. Each runs as `python FILE` would
(a forked child of this process, so PyTorch's once-per-process warnings show in every program
that triggers them, on one thread as the CI machine's goldens assume): its stdout, its warnings
(message and line, Python's default once-per-line filter) and an uncaught error's type,
message and line. Writes tests/golden/fuzz_programs.json; the programs whose cause is fixed in
gradcli are the regression cases of fuzz_regressions.py, recorded the same way.
"""

import contextlib
import io
import json
import os
import pathlib
import sys
import traceback
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from fuzz_program_generator import program  # noqa: E402
from fuzz_regressions import REGRESSIONS  # noqa: E402

OUT = pathlib.Path(__file__).with_name("fuzz_programs.json")
COUNT = 1500
FILENAME = "<program>"


def without_origin(message: str) -> str:
    """A warning's text without ATen's "(Triggered internally at file:line)", which the
    goldens leave out (tests/golden/record.py)."""
    return message.split(" (Triggered internally at")[0]


def run_here(text: str) -> dict:
    """Run `text` with torch in this process and return what it did."""
    stdout = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(stdout):
        warnings.simplefilter("default")
        try:
            exec(compile(text, FILENAME, "exec"), {"__name__": "__main__"})
        except Exception as e:  # noqa: BLE001  (the program's error is part of its output)
            frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == FILENAME]
            error = {"type": type(e).__name__, "message": str(e),
                     "line": frames[-1].lineno if frames else None}
    shown = [{"message": without_origin(str(w.message)), "line": w.lineno} for w in caught
             if w.filename == FILENAME]
    return {"stdout": stdout.getvalue(), "warnings": shown, "error": error}


def record(text: str) -> dict:
    """What `text` does under PyTorch, in a forked child (fresh warning state)."""
    import torch

    torch.set_num_threads(1)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(json.dumps(run_here(text)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


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
