"""Record PyTorch 2.13's one-argument `torch.where(condition)` (= nonzero(as_tuple=True)):

    cd /work/main && /work/torchenv/bin/python tests/golden/record_where.py

Each case: the condition's values and dtype, and the coordinates PyTorch returns (one int64
list per tensor of the tuple). This script is a test tool; gradcli never imports torch.
"""

import json
import pathlib

import torch

OUT = pathlib.Path(__file__).with_name("where.json")

CASES = [
    ([[True, False], [False, True]], "bool"), ([True, False, True], "bool"),
    (True, "bool"), (False, "bool"), (0.0, "float64"), ([0.0, 2.0, -1.0], "float64"),
    ([[[0, 3], [1, 0]], [[0, 0], [5, 0]]], "int64"), ([[0.0, 0.0]], "float32"),
    ([[False, False], [False, False]], "bool"),
]


def record(values, dtype):
    result = torch.where(torch.tensor(values, dtype=getattr(torch, dtype)))
    assert all(t.dtype == torch.int64 for t in result)
    return {"condition": values, "dtype": dtype, "coordinates": [t.tolist() for t in result]}


def main():
    cases = [record(values, dtype) for values, dtype in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
