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
import timeit

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


# the op-table row each step runs in gradcli, with its other operands: its numpy kernel alone
# (the row's forward and the cast to the result dtype) is what an op costs before any overhead
KERNELS = {
    "y + 1": ("add", lambda y, w: (y, 1)),
    "y * 1.5": ("mul", lambda y, w: (y, 1.5)),
    "y * w": ("mul", lambda y, w: (y, w)),
    "y / 1.5": ("div", lambda y, w: (y, 1.5)),
    "y ** 1.0": ("pow", lambda y, w: (y, 1.0)),
    "y.exp()": ("exp", lambda y, w: (y,)),
    "y - w": ("sub", lambda y, w: (y, w)),
}


def kernel_seconds(values: np.ndarray, step_name: str, calls: int = 100_000) -> float:
    """The best time of one call of gradcli's numpy kernel for a step, on 2x3 float32."""
    from gradcli.engine.ops import OPS

    row, operands = KERNELS[step_name]
    forward, args = OPS[row].forward, operands(values, values)

    def kernel():
        data = forward(*args)
        if data.dtype != values.dtype:
            data = data.astype(values.dtype)

    return min(timeit.repeat(kernel, number=calls, repeat=5)) / calls


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
    if name == "gradcli":
        best = {step_name: times + (kernel_seconds(values, step_name),)
                for step_name, times in best.items()}
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
            for step_name, times in json.loads(done.stdout).items():
                old = table.setdefault(name, {}).get(step_name, (float("inf"),) * len(times))
                table[name][step_name] = tuple(map(min, times, old))
    print(f"per-op cost on 2x3 float32, chains of {args.ops} ops, best of {args.rounds} rounds x "
          f"{args.repeat}, each library in its own process, in us")
    print("(gradcli kernel: the numpy work of its forward alone; 'fwd - kernel' is its overhead)")
    columns = {"gradcli": ("fwd", "bwd", "kernel"), "torch": ("fwd", "bwd")}
    header = "".join(f"{lib + ' ' + column:>15s}" for lib in table for column in columns[lib])
    torch_ratios = "  ratio fwd  ratio bwd  ratio fwd - kernel"
    print(f"  {'op':9s}{header}" + (torch_ratios if "torch" in table else ""))
    for name in STEPS:
        row = f"  {name:9s}"
        for lib in table:
            row += "".join(f"{seconds * 1e6:15.2f}" for seconds in table[lib][name])
        if "torch" in table:
            (fwd, bwd, kernel), (torch_fwd, torch_bwd) = table["gradcli"][name], table["torch"][name]
            row += f"  {fwd / torch_fwd:9.2f}  {bwd / torch_bwd:9.2f}  {(fwd - kernel) / torch_fwd:18.2f}"
        print(row)


if __name__ == "__main__":
    main()
