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


def measure_once(make_leaf, make_constant, step, ops: int) -> tuple:
    """(forward, backward) seconds per op for one chain of `ops` steps."""
    x, w = make_leaf(), make_constant()
    start = time.perf_counter()
    y = x
    for _ in range(ops):
        y = step(y, w)
    middle = time.perf_counter()
    y.sum().backward()
    end = time.perf_counter()
    return (middle - start) / ops, (end - middle) / ops


def measure(libraries: dict, ops: int, repeat: int) -> dict:
    """Best (forward, backward) per library and step; the libraries take turns, so a busy
    moment of the machine hits them alike."""
    best = {lib: {name: (float("inf"), float("inf")) for name in STEPS} for lib in libraries}
    for _ in range(repeat):
        for name, step in STEPS.items():
            for lib, (make_leaf, make_constant) in libraries.items():
                fwd, bwd = measure_once(make_leaf, make_constant, step, ops)
                old_fwd, old_bwd = best[lib][name]
                best[lib][name] = (min(fwd, old_fwd), min(bwd, old_bwd))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    values = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3) / 10
    np.seterr(all="ignore")            # exp chains overflow to inf; the cost is the same

    from gradcli.engine import dtypes
    from gradcli.engine.factories import tensor

    libraries = {"gradcli": (lambda: tensor(values, dtype=dtypes.float32, requires_grad=True),
                             lambda: tensor(values, dtype=dtypes.float32))}
    try:
        import torch

        torch.set_num_threads(1)
        libraries["torch"] = (lambda: torch.tensor(values, requires_grad=True),
                              lambda: torch.tensor(values))
    except ImportError:
        pass
    table = measure(libraries, args.ops, args.repeat)
    print(f"per-op cost on 2x3 float32, chains of {args.ops} ops, best of {args.repeat} interleaved, in us")
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
