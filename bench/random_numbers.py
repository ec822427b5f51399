"""gradcli's PyTorch-exact random numbers against numpy's own generator (and PyTorch's, when it is
importable), side by side in one run: randn(10**7) must stay within 3x of
numpy.random.Generator.standard_normal of the same size.

    python bench/random_numbers.py [--size N] [--repeat R] [--exhaustive]

--exhaustive also checks, over all 2^24 float32 uniforms, that no fused multiply-add of the
float32 Box-Muller lands on a float32 tie (the reason randn may skip that check; ~15 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def exhaustive_tie_check() -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "engine"))
    from test_random_math import assert_tie_free, domain

    step = 1 << 21
    for start in range(0, 1 << 24, step):
        assert_tie_free(domain(start, start + step))
    print("no float32 tie in the Box-Muller fmas over all 2^24 uniforms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exhaustive", action="store_true")
    args = parser.parse_args()

    from gradcli.engine import dtypes, limits, random

    limits.max_elements = max(limits.max_elements, args.size)
    numpy_generator = np.random.default_rng(0)
    n = args.size
    rows = [
        ("numpy standard_normal (float64)", lambda: numpy_generator.standard_normal(n)),
        ("numpy standard_normal (float32)",
         lambda: numpy_generator.standard_normal(n, dtype=np.float32)),
        ("gradcli randn (float32)", lambda: random.randn(n)),
        ("gradcli randn (float64)", lambda: random.randn(n, dtype=dtypes.float64)),
        ("gradcli rand (float32)", lambda: random.rand(n)),
    ]
    try:
        import torch

        torch.set_num_threads(1)
        rows += [("torch randn (float32)", lambda: torch.randn(n)),
                 ("torch randn (float64)", lambda: torch.randn(n, dtype=torch.float64))]
    except ImportError:
        pass
    timings = {name: best_of(args.repeat, fn) for name, fn in rows}
    reference = timings["numpy standard_normal (float64)"]
    print(f"size {n}, best of {args.repeat}")
    print("| call | time | vs numpy standard_normal (float64) |\n| --- | --- | --- |")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds * 1000:.1f} ms | {seconds / reference:.2f}x |")
    if args.exhaustive:
        exhaustive_tie_check()


if __name__ == "__main__":
    main()
