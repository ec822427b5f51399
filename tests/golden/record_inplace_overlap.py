"""Record PyTorch 2.13 writing through an expanded view (internal memory overlap):

    cd /work/main && /work/torchenv/bin/python tests/golden/record_inplace_overlap.py

Each case is a program in gradcli's language that is also Python over `torch` (statements split
by newlines); stored: the base tensor `x` afterwards (the write goes to the shared memory), or
the error's type and message, and the UserWarnings raised. This script is a test tool run under
/work/torchenv; gradcli never imports torch.
"""

import json
import pathlib
import warnings

import torch

from script_recording import strip_location

OUT = pathlib.Path(__file__).with_name("inplace_overlap.json")

EXPANDED = "x = torch.zeros(3)\ny = x.expand(2, 3)\n"
CASES = [EXPANDED + line for line in [
    "y.add_(1)", "y += 1", "y.clamp_(1, 2)", "y.sigmoid_()", "y.copy_(torch.ones(2, 3))",
    "y.uniform_()", "y.normal_()", "y.random_(0, 5)",
    "y.fill_(torch.tensor(3.))", "y[:] = torch.ones(3)", "y[:] = torch.tensor(4.)", "y[:] = 4",
    # a number filled everywhere is allowed (zero_ and fill_ skip the overlap check) ...
    "y.zero_()", "y.fill_(2)",
    # ... and so is a write to a part of the view without shared memory
    "y[0] = 5", "y[0] = torch.ones(3)", "y[0, 1] = torch.tensor(4.)", "y[0].add_(1)",
    "y[0].zero_()\ny[1].add_(1)",
    # advanced indexing writes with a deprecation warning
    "y[torch.tensor([0])] = 4.",
]] + [
    "x = torch.zeros(3)\ny = x.expand(3)\ny.add_(1)",
    "x = torch.zeros(1, 3)\ny = x.expand(1, 3)\ny.mul_(2).add_(1)",
    "x = torch.zeros(3, requires_grad=True)\ny = (x * 1).expand(2, 3)\ny.add_(1)",
    "x = torch.zeros(3, requires_grad=True)\ny = x.expand(2, 3)\ny.add_(1)",
    "x = torch.zeros(3)\ny = x.unsqueeze(1).expand(3, 4).t()\ny.mul_(2)",
]


def record(program):
    scope = {"torch": torch}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(program, scope)
        except Exception as error:   # noqa: BLE001  (the error is the recorded outcome)
            outcome = {"error": {"type": type(error).__name__, "message": str(error)}}
        else:
            outcome = {"x": scope["x"].tolist()}
    outcome["warnings"] = [strip_location(str(w.message)) for w in caught
                           if issubclass(w.category, UserWarning)]
    return {"program": program, **outcome}


def main():
    cases = [record(program) for program in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
