"""Start-up cost, measured side by side in one run (SPEC §6):

  A  gradcli eval 'mean(3*(x+2)^2)' --at x=[[1,2,3],[4,5,6]]      (value, graph, gradient)
  B  python -c "import numpy, rich.console, lark"                  goal: A <= 1.3 x B
  C  the same computation as a PyTorch script                      goal: C >= 10 x A

Runs are interleaved (A B C A B C ...) so a busy machine slows all three alike; the median of
each is reported. `--write` replaces the "Start-up" section of bench/RESULTS.md.

    python bench/startup.py [--runs 15] [--gradcli PATH] [--torch-python PATH] [--write]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
SECTION = "## Start-up"
EXPRESSION = ["eval", "mean(3*(x+2)^2)", "--at", "x=[[1,2,3],[4,5,6]]"]
TORCH_SCRIPT = (
    "import torch\n"
    "x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
    "out = (3 * (x + 2) ** 2).mean()\n"
    "out.backward()\n"
    "print(out)\nprint(out.grad_fn)\nprint(x.grad)\n"
)


def default_gradcli() -> str:
    beside = Path(sys.executable).parent / "gradcli"
    return str(beside) if beside.exists() else (shutil.which("gradcli") or "gradcli")


def timed(command: list) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, COLUMNS="80"))
    return time.perf_counter() - start


def measure(commands: dict, runs: int) -> dict:
    for command in commands.values():        # warm the OS cache and gradcli's parser cache
        timed(command)
    samples = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(medians: dict, runs: int) -> str:
    a, b = medians["gradcli"], medians["imports"]
    lines = [
        SECTION + " (`bench/startup.py`)",
        "",
        f"{datetime.date.today().isoformat()}, median of {runs} interleaved runs each "
        f"(Python {sys.version.split()[0]}):",
        "",
        "| command | median | ratio | goal |",
        "| --- | --- | --- | --- |",
        f"| `gradcli eval 'mean(3*(x+2)^2)' --at x=[[1,2,3],[4,5,6]]` | {a * 1000:.0f} ms | "
        "1.00x | |",
        f"| `python -c \"import numpy, rich.console, lark\"` | {b * 1000:.0f} ms | "
        f"gradcli is {a / b:.2f}x | <= 1.3x {'(met)' if a / b <= 1.3 else '(NOT met)'} |",
    ]
    if "pytorch" in medians:
        c = medians["pytorch"]
        lines.append(f"| the same computation as a PyTorch 2.13 script | {c * 1000:.0f} ms | "
                     f"PyTorch is {c / a:.1f}x slower | >= 10x "
                     f"{'(met)' if c / a >= 10 else '(NOT met)'} |")
    else:
        lines.append("| the same computation as a PyTorch script | not measured: no PyTorch "
                     "interpreter found | | |")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    """Replace this script's section of RESULTS.md, leaving every other section alone."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + text + (old[end:] if end >= 0 else "")
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--gradcli", default=default_gradcli())
    parser.add_argument("--torch-python", default="/work/torchenv/bin/python")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = parser.parse_args()
    commands = {
        "gradcli": [args.gradcli, *EXPRESSION],
        "imports": [sys.executable, "-c", "import numpy, rich.console, lark"],
    }
    if Path(args.torch_python).exists():
        commands["pytorch"] = [args.torch_python, "-c", TORCH_SCRIPT]
    text = report(measure(commands, args.runs), args.runs)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
