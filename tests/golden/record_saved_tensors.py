"""Record what PyTorch 2.13's autograd nodes show of what they saved for backward:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_saved_tensors.py

For each case of saved_tensors_cases.py (one per node kind gradcli makes) this script asks
torch which `_saved_*` and `_raw_saved_*` attributes the node has (`dir(node)`), then writes a
probe program in gradcli's language (also Python over torch) that reads each of them: its
`repr`, its type's name and which of the program's tensors it `is`; then runs the case's
backward (without retain_graph) and reads them again, each either a value or the error. The
program and torch's `result` are stored in saved_tensors.json; gradcli replays the program.
This script is a test tool run under /work/torchenv; gradcli never imports torch.
"""

import json
import pathlib

import torch
from saved_tensors_cases import CASES, PROGRAMS

OUT = pathlib.Path(__file__).with_name("saved_tensors.json")

def probe_program(setup: str, node_expression: str, backward: str, saved, raw, tensors) -> str:
    """The probe in gradcli's language: each attribute read is spelled out (it has no getattr)
    and wrapped in `read`, which returns the value's probe or the RuntimeError's text."""
    pairs = ", ".join(f"('{name}', {name})" for name in tensors)
    lines = [setup, f"node = {node_expression}", f"tensors = [{pairs}]",
             "def probe(value):",
             "    return [repr(value), type(value).__name__, "
             "[name for name, t in tensors if value is t]]",
             "def read(get):",
             "    try:",
             "        return probe(get())",
             "    except RuntimeError as e:",
             "        return ['error', str(e)]"]
    # a raw saved value (a SavedTensor object) is probed by its type's name: its repr is an address
    reads = [f"node.{name}" for name in saved] + [f"type(node.{name}).__name__" for name in raw]
    readings = ", ".join(f"read(lambda: {r})" for r in reads)
    lines += [f"before = [node.name(), {readings}]", "backward_error = None", "try:",
              f"    {backward}", "except RuntimeError as e:", "    backward_error = str(e)",
              f"after = [{readings}]", "result = [before, backward_error, after]"]
    return "\n".join(lines) + "\n"


def record(setup: str, node_expression: str, backward: str) -> dict:
    scope: dict = {}
    exec(setup + f"\nnode = {node_expression}\n", scope)
    node = scope["node"]
    names = dir(node)
    saved = sorted(n for n in names if n.startswith("_saved_"))
    raw = sorted(n for n in names if n.startswith("_raw_saved_"))
    tensors = [name for name, value in scope.items()
               if isinstance(value, torch.Tensor) and not name.startswith("_")]
    program = probe_program(setup, node_expression, backward, saved, raw, tensors)
    scope = {}
    exec(program, scope)
    return {"program": program, "name": node.name(), "saved": saved, "raw": raw,
            "result": json.loads(json.dumps(scope["result"]))}


def run_program(program: str) -> dict:
    """A PROGRAMS entry's `result` as JSON would store it, or its error's type and message."""
    scope: dict = {}
    try:
        exec(program, scope)
    except (RuntimeError, AttributeError) as error:
        return {"program": program, "error": {"type": type(error).__name__,
                                              "message": str(error)}}
    return {"program": program, "result": json.loads(json.dumps(scope["result"], default=str))}


def main() -> None:
    torch.manual_seed(0)
    cases = [record(*case) for case in CASES]
    programs = [run_program(program) for program in PROGRAMS]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases,
                               "programs": programs}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases, {len(programs)} programs -> {OUT}")


if __name__ == "__main__":
    main()
