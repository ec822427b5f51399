"""Forward + backward of mean(3*(x+2)**2) for 10**7 elements: gradcli's engine against the
hand-written numpy forward+backward (and PyTorch CPU when it is importable), side by side in one
run. Usage: python bench/large_tensor.py [--size N] [--repeat R]"""

from __future__ import annotations

import argparse
import time

import numpy as np


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from gradcli.engine import dtypes, functions as F
    from gradcli.engine.factories import tensor

    for dtype in ("float32", "float64"):
        values = np.random.default_rng(0).standard_normal(args.size).astype(dtype)

        def numpy_reference():
            out = (3 * (values + 2) ** 2).mean()
            grad = 6 * (values + 2) / values.size
            return out, grad

        def gradcli_engine():
            x = tensor(values, dtype=dtypes.BY_NAME[dtype], requires_grad=True)
            F.mean(3 * (x + 2) ** 2).backward()
            return x.grad

        rows = {"numpy (hand-written)": best_of(args.repeat, numpy_reference),
                "gradcli engine": best_of(args.repeat, gradcli_engine)}
        try:
            import torch

            for threads in (1, torch.get_num_threads()):
                torch.set_num_threads(threads)
                t_values = torch.from_numpy(values)

                def torch_run():
                    x = t_values.clone().requires_grad_()
                    (3 * (x + 2) ** 2).mean().backward()
                    return x.grad

                rows[f"torch ({threads} thread{'s' if threads > 1 else ''})"] = best_of(args.repeat, torch_run)
        except ImportError:
            pass
        base = rows["numpy (hand-written)"]
        print(f"\n{dtype}, {args.size:,} elements, best of {args.repeat}")
        for name, seconds in rows.items():
            print(f"  {name:24s} {seconds * 1000:8.1f} ms   {seconds / base:5.2f}x numpy")


if __name__ == "__main__":
    main()
