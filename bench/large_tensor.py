"""Forward + backward of mean(3*(x+2)**2) for 10**7 elements: gradcli's engine against the
hand-written numpy forward+backward and PyTorch CPU (1 thread and its default), side by side.

Each (library, dtype) runs in a fresh child process, which reports its best time and its peak
memory above what it held before the runs (ru_maxrss, so one library's garbage cannot count
against another). The leaf is made from the input array without a copy for gradcli (as
`torch.from_numpy` would); PyTorch's run clones it, as `requires_grad_` needs its own tensor.
The reference runs twice: as a plain numpy process, and with freed memory kept for reuse, the
allocator setting gradcli's engine makes when imported (gradcli/engine/memory.py).
Usage: python bench/large_tensor.py [--size N] [--repeat R] [--rounds K]"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

LIBRARIES = ("numpy (hand-written)", "numpy, freed memory kept", "gradcli engine",
             "torch (1 thread)", "torch (default threads)")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def make_run(library: str, values: np.ndarray):
    if library.startswith("numpy"):
        if library == "numpy, freed memory kept":
            # the same reference under the allocator setting gradcli's engine makes when
            # imported (gradcli/engine/memory.py), so the table shows what that setting is worth
            from gradcli.engine.memory import keep_freed_memory
            keep_freed_memory()

        def run():
            out = (3 * (values + 2) ** 2).mean()
            grad = 6 * (values + 2) / values.size
            return out, grad
        return run
    if library == "gradcli engine":
        from gradcli.engine import functions as F
        from gradcli.engine.tensor import Tensor

        def run():
            x = Tensor(values, requires_grad=True)
            F.mean(3 * (x + 2) ** 2).backward()
            return x.grad
        return run
    import torch

    if library == "torch (1 thread)":
        torch.set_num_threads(1)
    source = torch.from_numpy(values)

    def run():
        x = source.clone().requires_grad_()
        (3 * (x + 2) ** 2).mean().backward()
        return x.grad
    return run


def child(library: str, dtype: str, size: int, repeat: int) -> dict:
    values = np.random.default_rng(0).standard_normal(size).astype(dtype)
    run = make_run(library, values)
    before = _rss_mb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": min(times), "peak_mb": peak - before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.size, args.repeat)))
        return
    for dtype in ("float32", "float64"):
        rows: dict = {}
        for _ in range(args.rounds):          # interleaved, so a busy moment hits all alike
            for library in LIBRARIES:
                done = subprocess.run([sys.executable, __file__, "--size", str(args.size),
                                       "--repeat", str(args.repeat), "--child", library, dtype],
                                      capture_output=True, text=True)
                if done.returncode == 0:
                    row = json.loads(done.stdout)
                    best = rows.setdefault(library, row)
                    best["seconds"] = min(best["seconds"], row["seconds"])
                    best["peak_mb"] = max(best["peak_mb"], row["peak_mb"])
        base = rows["numpy (hand-written)"]["seconds"]
        print(f"\n{dtype}, {args.size:,} elements, best of {args.rounds} rounds x {args.repeat}")
        for library, row in rows.items():
            print(f"  {library:26s} {row['seconds'] * 1000:8.1f} ms  {row['seconds'] / base:5.2f}x"
                  f" numpy   peak +{row['peak_mb']:6.0f} MB")


if __name__ == "__main__":
    main()
