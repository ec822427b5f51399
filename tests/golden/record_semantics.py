"""Record the autograd-semantics goldens with PyTorch 2.13 (a test tool, never part of gradcli):

    cd /work/main && PYTHONPATH=. /work/torchenv/bin/python tests/golden/record_semantics.py

Runs every case of `semantics_cases.py` with real torch, each in a forked child so that
PyTorch's once-per-process warnings (`float(t)`, §2 11c) show in every case that triggers them,
and writes `semantics.json`: per case the logged values, the exception and the warnings.
"""

import contextlib
import json
import pathlib
import sys
import warnings

import torch

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from script_recording import in_forked_child  # noqa: E402
from semantics_cases import CASES, Library, run_case  # noqa: E402

OUT = pathlib.Path(__file__).with_name("semantics.json")


@contextlib.contextmanager
def torch_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        messages: list = []
        try:
            yield messages
        finally:
            messages.extend(str(w.message) for w in caught)


TORCH = Library(torch=torch, node_name=lambda n: type(n).__name__, version=lambda t: t._version,
                error_kind=lambda e: type(e).__name__, capture_warnings=torch_warnings,
                tensor_type=torch.Tensor)


def record_case(code: str) -> dict:
    """Run one case with torch in a fresh forked child and return its observations."""
    return in_forked_child(run_case, code, TORCH)


def record_all() -> dict:
    """Every case's observations, by name, on one thread as the CI machine's goldens assume."""
    torch.set_num_threads(1)
    return {name: record_case(code) for name, code in CASES.items()}


def main() -> None:
    cases = {name: dict(code=CASES[name], **observed) for name, observed in record_all().items()}
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1,
                              ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
