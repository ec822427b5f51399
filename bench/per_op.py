"""Per-operation overhead on tiny (2x3) tensors: the cost of one forward op and of one backward
node, gradcli's engine against PyTorch eager (one thread, when importable), side by side.

The forward cost is a chain of N ops on a leaf that requires grad (so every op records its
node), divided by N; the backward cost is that chain's `backward()` divided by N. Each library
runs in a fresh child process per round, the rounds interleaved.
Usage: python bench/per_op.py [--ops N] [--repeat R] [--rounds K]  (PyTorch is measured when the
running Python can import it: run it with PyTorch's Python and PYTHONPATH at the checkout)"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
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


def make_library(name: str, values: np.ndarray) -> tuple:
    """(make_leaf, make_constant) of one library; each runs in a process of its own, so
    neither library's objects weigh on the other's garbage collector (PyTorch's import alone
    leaves ~160,000 Python objects that each of Python's full collections walks)."""
    if name == "gradcli":
        from gradcli.engine import dtypes
        from gradcli.engine.factories import tensor

        return (lambda: tensor(values, dtype=dtypes.float32, requires_grad=True),
                lambda: tensor(values, dtype=dtypes.float32))
    import torch

    torch.set_num_threads(1)
    return (lambda: torch.tensor(values, requires_grad=True), lambda: torch.tensor(values))


def child(name: str, ops: int, repeat: int) -> dict:
    """Best (forward, backward) seconds per op for each step, in this process."""
    values = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3) / 10
    np.seterr(all="ignore")            # exp chains overflow to inf; the cost is the same
    make_leaf, make_constant = make_library(name, values)
    best = {}
    for _ in range(repeat):
        for step_name, step in STEPS.items():
            fwd, bwd = measure_once(make_leaf, make_constant, step, ops)
            old_fwd, old_bwd = best.get(step_name, (float("inf"), float("inf")))
            best[step_name] = (min(fwd, old_fwd), min(bwd, old_bwd))
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.ops, args.repeat)))
        return
    libraries = ["gradcli"]
    if importlib.util.find_spec("torch") is not None:
        libraries.append("torch")
    table: dict = {}
    for _ in range(args.rounds):        # interleaved, so a busy moment hits both alike
        for name in libraries:
            done = subprocess.run([sys.executable, __file__, "--ops", str(args.ops),
                                   "--repeat", str(args.repeat), "--child", name],
                                  capture_output=True, text=True, check=True)
            for step_name, (fwd, bwd) in json.loads(done.stdout).items():
                old_fwd, old_bwd = table.setdefault(name, {}).get(
                    step_name, (float("inf"), float("inf")))
                table[name][step_name] = (min(fwd, old_fwd), min(bwd, old_bwd))
    print(f"per-op cost on 2x3 float32, chains of {args.ops} ops, best of {args.rounds} rounds x "
          f"{args.repeat}, each library in its own process, in us")
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
