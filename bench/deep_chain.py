"""Deep graphs: a chain of N operations (`y = y + 1` from a 0-dim leaf), built and then
differentiated, for N = 10^5 and 10^6. Reports the forward and backward times per depth and the
growth from one depth to the next (SPEC §6: 10x the depth may cost at most 12x the time).
Each depth runs in a fresh process, so one run's memory does not slow the next.
Usage: python bench/deep_chain.py [--depths 100000 1000000]"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time


def run_depth(depth: int) -> dict:
    from gradcli.engine.factories import tensor

    x = tensor(1.0, requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(depth):
        y = y + 1
    middle = time.perf_counter()
    y.backward()
    end = time.perf_counter()
    assert x.grad.item() == 1.0 and y.item() == depth + 1
    return {"forward": middle - start, "backward": end - middle}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depths", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_depth(args.child)))
        return
    rows = []
    for depth in args.depths:
        out = subprocess.run([sys.executable, __file__, "--child", str(depth)],
                             capture_output=True, text=True, check=True).stdout
        rows.append((depth, json.loads(out)))
    print("depth        forward   backward      total   growth (total)")
    previous = None
    for depth, t in rows:
        total = t["forward"] + t["backward"]
        growth = f"{total / previous[1]:.2f}x for {depth / previous[0]:.0f}x depth" if previous else ""
        print(f"{depth:<10,d} {t['forward']:8.2f}s {t['backward']:9.2f}s {total:9.2f}s   {growth}")
        previous = (depth, total)


if __name__ == "__main__":
    main()
