"""Record what PyTorch 2.13 prints for the language programs (run under /work/torchenv):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/golden/record_language.py

Each program of language_cases.py runs as `python FILE` would, in a fresh process (PyTorch warns
some things once per process): its stdout, its warnings (message and line, after Python's
default once-per-line filter) and an uncaught error's type, message and line. Writes
tests/golden/language.json."""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

from language_cases import PROGRAMS  # noqa: E402
from script_recording import run_as_script  # noqa: E402

OUT = pathlib.Path(__file__).with_name("language.json")


def record(text: str) -> dict:
    """What `text` does under PyTorch, in a fresh Python process."""
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--one"], input=text, text=True,
                          capture_output=True, check=True)
    return json.loads(done.stdout)


def record_here(text: str) -> dict:
    return {"source": text, **run_as_script(text)}


def main() -> None:
    import torch

    results = {name: record(text) for name, text in PROGRAMS.items()}
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": results}, indent=1,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(results)} programs to {OUT}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--one"]:
        print(json.dumps(record_here(sys.stdin.read())))
    else:
        main()
