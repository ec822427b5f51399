"""Record PyTorch 2.13's cumprod gradients and second derivatives (create_graph) with zeros:

    cd /work/main && /work/torchenv/bin/python tests/golden/record_cumprod_double.py

Each case: a float64 input, a dim and weights w; stored are g = d/dx sum(w * cumprod(x, dim))
with create_graph, and h = d/dx sum(w * g). This script is a test tool; gradcli never imports
torch.
"""

import json
import pathlib

import torch

OUT = pathlib.Path(__file__).with_name("cumprod_double.json")

CASES = [
    ([[2.0, 0.0, 3.0, 0.0, 5.0], [1.0, 2.0, 3.0, 4.0, 0.5]], 1),
    ([[0.0, 2.0, -1.0], [1.5, 0.0, 0.0]], 1),
    ([[0.0, 2.0, -1.0], [1.5, 0.0, 0.0]], 0),
    ([[[1.0, 0.0], [2.0, 3.0]], [[0.0, 0.0], [4.0, -2.0]]], -1),
    ([3.0, -1.0, 2.0, 0.0], 0),
    ([0.0, 0.0], 0),
]


def weights(shape):
    return torch.arange(1.0, 1.0 + torch.Size(shape).numel(), dtype=torch.float64).reshape(
        shape).remainder(3.0) - 0.75


def record(values, dim):
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    w = weights(x.shape)
    (g,) = torch.autograd.grad((x.cumprod(dim) * w).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad((g * w).sum(), x)
    return {"x": values, "dim": dim, "w": w.tolist(), "grad": g.tolist(), "second": h.tolist()}


def main():
    cases = [record(values, dim) for values, dim in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
