"""Shared by the recorders of program goldens (record_tensor_split.py, record_piece_writes.py,
record_no_grad_views.py, record_inplace_arguments.py, record_multi_output.py,
record_closeness.py, ...): each case is a program in gradcli's
language that is also Python over `torch`, leaving its observations in `result`; stored is
`result` as JSON, or the error's type and message. Run under /work/torchenv only: gradcli
never imports torch.
"""

import json
import pathlib

import torch

# `lay(t)`: t's grad_fn name and its next_functions as (name, output number), None for none
LAYOUT = ("def lay(t):\n"
          "    if t.grad_fn is None:\n"
          "        return None\n"
          "    return [t.grad_fn.name(), [(None if f is None else f.name(), i) "
          "for f, i in t.grad_fn.next_functions]]\n")


def record(program: str) -> dict:
    scope = {"torch": torch}
    try:
        exec(program, scope)
    except Exception as error:   # noqa: BLE001  (the error is the recorded outcome)
        return {"program": program, "error": {"type": type(error).__name__,
                                              "message": str(error)}}
    return {"program": program, "result": json.loads(json.dumps(scope["result"]))}


def write(name: str, programs: list) -> None:
    out = pathlib.Path(__file__).with_name(f"{name}.json")
    cases = [record(program) for program in programs]
    out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {out}")
