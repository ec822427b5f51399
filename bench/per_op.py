"""Per-operation overhead on tiny (2x3) tensors: the cost of one forward op and of one backward
node, gradcli's engine against PyTorch eager (one thread, when importable), side by side.

The forward cost is a chain of N ops on a leaf that requires grad (so every op records its
node), divided by N; the backward cost is that chain's `backward()` divided by N.
Usage: python bench/per_op.py [--ops N] [--repeat R]"""

from __future__ import annotations

import argparse
import time

import numpy as np

# each step maps the chain's tensor y (and a constant tensor w) to the next one
STEPS = {
    "y + 1": lambda y, w: y + 1,
    "y * 1.5": lambda y, w: y * 1.5,
    "y * w": lambda y, w: y * w,
    "y / 1.5": lambda y, w: y / 1.5,
    "y ** 1.0": lambda y, w: y ** 1.0,
    "y.exp()": lambda y, w: y.exp(),
    "y - w": lambda y, w: y - w,
}


def measure(make_leaf, make_constant, ops: int, repeat: int) -> dict:
    results = {}
    for name, step in STEPS.items():
        forward_best = backward_best = float("inf")
        for _ in range(repeat):
            x, w = make_leaf(), make_constant()
            start = time.perf_counter()
            y = x
            for _ in range(ops):
                y = step(y, w)
            middle = time.perf_counter()
            y.sum().backward()
            end = time.perf_counter()
            forward_best = min(forward_best, (middle - start) / ops)
            backward_best = min(backward_best, (end - middle) / ops)
        results[name] = (forward_best, backward_best)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    values = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3) / 10
    np.seterr(all="ignore")            # exp chains overflow to inf; the cost is the same

    from gradcli.engine import dtypes
    from gradcli.engine.factories import tensor

    table = {"gradcli": measure(
        lambda: tensor(values, dtype=dtypes.float32, requires_grad=True),
        lambda: tensor(values, dtype=dtypes.float32), args.ops, args.repeat)}
    try:
        import torch

        torch.set_num_threads(1)
        table["torch"] = measure(lambda: torch.tensor(values, requires_grad=True),
                                 lambda: torch.tensor(values), args.ops, args.repeat)
    except ImportError:
        pass
    print(f"per-op cost on 2x3 float32, chains of {args.ops} ops, best of {args.repeat}, in us")
    header = "".join(f"{lib + ' fwd':>13s}{lib + ' bwd':>13s}" for lib in table)
    print(f"  {'op':9s}{header}" + ("  ratio fwd  ratio bwd" if "torch" in table else ""))
    for name in STEPS:
        row = f"  {name:9s}"
        for lib in table:
            row += "".join(f"{seconds * 1e6:13.2f}" for seconds in table[lib][name])
        if "torch" in table:
            ours, theirs = table["gradcli"][name], table["torch"][name]
            row += f"  {ours[0] / theirs[0]:9.2f}  {ours[1] / theirs[1]:9.2f}"
        print(row)


if __name__ == "__main__":
    main()
